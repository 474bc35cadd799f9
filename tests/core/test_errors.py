"""Error pages with DEBUG on, as `make run` serves them (issue 10, item 10): a mistyped or
out-of-scope URL showed Django's English debug 404 listing every URL of the app. Kinerja's own
Indonesian pages answer instead; the traceback still reaches the console. Production refuses to
start with DEBUG on."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import Org, client_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def debug(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    settings.FRIENDLY_ERROR_PAGES = True
    return settings


def test_a_mistyped_url_gets_the_indonesian_404_without_the_url_list(debug, db) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/survei/salah/ketik/lagi")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Halaman tidak ditemukan" in text
    assert "URLconf" not in text and "api/v1/" not in text


def test_an_out_of_scope_page_gets_the_indonesian_404(debug, org: Org) -> None:  # type: ignore[no-untyped-def]
    response = client_for(org, "other").get(f"/pegawai/{org.employee.pk}/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Halaman tidak ditemukan" in text and "Traceback" not in text
    assert "Kembali ke beranda" in text


@pytest.mark.urls("tests.core.urls_with_errors")
def test_an_error_gets_the_indonesian_500_and_the_traceback_goes_to_the_console(
    debug, db, caplog
) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client().get("/uji/galat/")
    assert response.status_code == 500
    assert "Terjadi kesalahan pada sistem" in response.content.decode()
    assert "kaboom" not in response.content.decode()
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info and "kaboom in a view" in str(record.exc_info[1])


@pytest.mark.urls("tests.core.urls_with_errors")
def test_a_refusal_gets_the_indonesian_403(debug, db) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/uji/terlarang/")
    assert response.status_code == 403
    assert "Permintaan ditolak" in response.content.decode()


def test_a_missing_slash_is_still_added(debug, db) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/survei")
    assert response.status_code == 301 and response["Location"] == "/survei/"


def test_the_api_keeps_its_own_json_404(debug, org: Org) -> None:  # type: ignore[no-untyped-def]
    response = client_for(org, "employee").get("/api/v1/plans/999999")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_a_developer_can_still_ask_for_django_s_technical_pages(debug, db) -> None:  # type: ignore[no-untyped-def]
    debug.FRIENDLY_ERROR_PAGES = False
    response = Client().get("/tidak-ada/")
    assert response.status_code == 404 and "URLconf" in response.content.decode()


# --- DEBUG never in production --------------------------------------------------------------


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    drop = {"DEBUG", "SECRET_KEY", "KINERJA_TESTING", "ALLOWED_HOSTS", "SITE_URL"}
    drop |= {"BEHIND_TLS_PROXY"}
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(','.join(s.ALLOWED_HOSTS))"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "env",
    [
        {"ALLOWED_HOSTS": "kinerja.bukitintan.go.id"},
        {"ALLOWED_HOSTS": "*"},
        {"ALLOWED_HOSTS": "localhost,.bukitintan.go.id"},
        {"ALLOWED_HOSTS": "36.89.10.20"},
        {"BEHIND_TLS_PROXY": "1"},
    ],
    ids=["domain", "wildcard", "subdomains", "public-ip", "tls-proxy"],
)
def test_debug_refuses_to_start_on_a_public_host(env: dict[str, str]) -> None:
    result = _settings_with({"DEBUG": "1", **env})
    assert result.returncode != 0
    assert "DEBUG" in result.stderr and "production" in result.stderr


@pytest.mark.parametrize(
    "hosts",
    ["localhost,127.0.0.1,[::1]", "192.168.1.20,localhost", "10.0.0.5", "kinerja.localhost"],
)
def test_debug_starts_on_this_machine_and_its_private_network(hosts: str) -> None:
    result = _settings_with({"DEBUG": "1", "ALLOWED_HOSTS": hosts})
    assert result.returncode == 0, result.stderr


def test_debug_accepts_the_host_of_its_own_site_address() -> None:
    """`HOST=0.0.0.0 make run` links to this machine's network address: serve it too."""
    result = _settings_with({"DEBUG": "1", "SITE_URL": "http://192.168.1.20:8101"})
    assert result.returncode == 0, result.stderr
    assert "192.168.1.20" in result.stdout.strip().split(",")
