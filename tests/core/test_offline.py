"""Nothing at runtime may load from the internet (offline government intranet)."""

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import Org, client_for

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


def test_no_template_loads_an_external_asset() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "templates").rglob("*.html")
        if EXTERNAL.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize("path", ["/", "/pegawai/", "/organisasi/unit/", "/api/v1/docs", "/login/"])
def test_rendered_pages_load_nothing_external(org: Org, path: str) -> None:
    client = client_for(org, "bkpsdm") if path != "/login/" else Client()
    text = client.get(path).content.decode()
    assert not EXTERNAL.search(text), EXTERNAL.search(text)
