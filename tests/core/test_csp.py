"""Content-Security-Policy (issue 17, hardening): every response carries a policy that allows
scripts and styles from this site only, and no page needs more: no inline <script>, no style
attribute or <style> element, no on* handler, in any template and in the pages as served."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import Org, client_for
from tests.core.test_no_server_errors import _routes
from tests.monitoring.conftest import Monitored, monitored  # noqa: F401 (fixture)
from tests.performance.conftest import employee_plan, plans  # noqa: F401 (fixtures)
from tests.public.conftest import Pub, answer, pub  # noqa: F401 (fixtures)

TEMPLATES = Path(settings.BASE_DIR) / "templates"

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S)
HANDLER = re.compile(r"<[a-z][^>]*\s(on[a-z]+|hx-on[:a-z-]*)\s*=", re.I | re.S)
TEMPLATE_COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.S)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def inline_code(html: str) -> list[str]:
    """What a policy without 'unsafe-inline' would refuse in this markup."""
    found = []
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("<style> element", STYLE_ELEMENT),
        ("style attribute", STYLE_ATTRIBUTE),
        ("event handler attribute", HANDLER),
        ("javascript: URL", JS_URL),
    ]:
        found += [f"{name}: {m.group(0)[:120]}" for m in pattern.finditer(html)]
    return found


def _is_printed(path: Path) -> bool:
    """PDF templates (WeasyPrint, never served as a page) and e-mails keep their styles."""
    parts = path.relative_to(TEMPLATES).parts
    return "pdf" in parts or parts[0] == "emails" or path.suffix == ".css"


def test_the_scanner_finds_what_the_policy_would_refuse() -> None:
    assert inline_code('<script>alert(1)</script><script src="/static/a.js"></script>') == [
        "inline <script>: <script>"
    ]
    assert inline_code('<p style="color:red">') and inline_code("<style>p{}</style>")
    assert inline_code('<select onchange="x()">') and inline_code('<a hx-on:click="x()">')
    assert inline_code('<a href="javascript:void(0)">')
    assert not inline_code('<svg><rect width="40" fill="#000"/></svg><p class="stylish">')


def test_no_template_holds_inline_script_style_or_handlers() -> None:
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if _is_printed(path):
            continue
        source = TEMPLATE_COMMENT.sub("", path.read_text())
        problems += [f"{path.relative_to(TEMPLATES)}: {p}" for p in inline_code(source)]
    assert not problems, "\n".join(problems)


def test_every_response_carries_the_policy(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("organisation:login"))
    parts = (p.strip().split(" ", 1) for p in response["Content-Security-Policy"].split(";"))
    policy = {part[0]: part[1] if len(part) > 1 else "" for part in parts}
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'" and policy["form-action"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    # Not only pages: a 404 and the health probe too.
    assert "Content-Security-Policy" in client.get("/tidak-ada/")
    assert "Content-Security-Policy" in client.get("/healthz")


def test_the_stricter_policy_of_evidence_downloads_is_kept() -> None:
    source = (Path(settings.BASE_DIR) / "kinerja/performance/views/realisations.py").read_text()
    assert "default-src 'none'" in source  # set by the view, left alone by the middleware


def _plain_routes() -> list[str]:
    skip = ("admin/", "static/", "media/", "pantau/langsung/", "api/")
    urls = []
    for route in _routes(__import__("django.urls").urls.get_resolver().url_patterns):
        route = route.lstrip("^").rstrip("$")
        if route.startswith(skip) or "<" in route or "(?P" in route:
            continue
        urls.append("/" + route)
    return sorted(set(urls))


@pytest.mark.parametrize("persona", ["bkpsdm", "supervisor", "employee", "anonymous"])
def test_every_page_is_served_without_inline_code(
    org: Org,
    monitored: Monitored,  # noqa: F811
    pub: Pub,  # noqa: F811
    answer,  # noqa: F811
    persona: str,
) -> None:  # type: ignore[no-untyped-def]
    """Every page without a path parameter, and the pages with dynamic colours and widths
    (heatmap, team board, IKM bars, realisation grid), as each persona sees them."""
    for _ in range(3):
        answer(pub.pkm, [4, 3, 4, 2, 4, 3, 4, 4, 3])
    plan = monitored.plans.employee
    assert plan is not None
    client = client_for(org, persona)
    client.raise_request_exception = False
    pages = [
        *_plain_routes(),
        reverse("performance:realisation_grid", args=[plan.pk, 6]),
        reverse("performance:plan_detail", args=[plan.pk]),
        reverse("monitoring:unit_dashboard", args=[org.dinkes.pk]),
        reverse("public:unit_results", args=[org.puskesmas.pk]),
        reverse("public:transparency_unit", args=[org.puskesmas.pk]),
        reverse("public:survey_kiosk", args=[pub.pkm.code]),
        reverse("public:survey_form", args=[pub.pkm.code]),
    ]
    problems, seen = [], 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for url in pages:
            response = client.get(url, {"tahun": 2026})
            assert "Content-Security-Policy" in response or url.endswith(".pdf"), url
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            seen += 1
            problems += [f"{url}: {p}" for p in inline_code(response.content.decode())]
    assert seen >= (8 if persona == "anonymous" else 25), seen
    assert not problems, "\n".join(problems)
