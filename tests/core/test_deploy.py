"""HTTPS in production (issue 17, hardening): with DEBUG off and TLS terminated here or at the
proxy, plain HTTP is redirected and HSTS is sent; `manage.py check --deploy` is clean in such a
production-like environment (before: security.W004 and W008)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]
DROP = {"DEBUG", "SECRET_KEY", "KINERJA_TESTING", "ALLOWED_HOSTS", "SITE_URL", "TLS"}
DROP |= {"BEHIND_TLS_PROXY", "SECURE_COOKIES", "DATABASE_URL", "REDIS_URL", "TEST_SQLITE_NAME"}
# Set by the browser journeys' fixtures in this process (Playwright's loop beside Django):
# never part of a deployment.
DROP |= {"DJANGO_ALLOW_ASYNC_UNSAFE"}
PRODUCTION = {
    "ALLOWED_HOSTS": "kinerja.bukitintan.go.id",
    "SITE_URL": "https://kinerja.bukitintan.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://kinerja.bukitintan.go.id",
}
SETTINGS = (
    "import json, config.settings as s; print(json.dumps({k: str(getattr(s, k, None)) for k in "
    "['SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'TLS']}))"
)


def _run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in DROP}
    clean["KINERJA_VAR_DIR"] = str(tmp_path)  # an empty SQLite file: check needs no data
    clean["SECRET_KEY"] = secrets.token_urlsafe(48)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_behind_a_tls_proxy(tmp_path: Path) -> None:
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], {"TLS": "proxy"}, tmp_path
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "?:" not in output


def test_check_deploy_warns_without_tls(tmp_path: Path) -> None:
    """What the clean run above fixed: no HSTS (W004) and no SSL redirect (W008)."""
    result = _run(["manage.py", "check", "--deploy"], {"TLS": "off"}, tmp_path)
    output = result.stdout + result.stderr
    assert "security.W004" in output and "security.W008" in output


@pytest.mark.parametrize("tls", ["here", "proxy"])
def test_tls_switches_on_redirect_hsts_and_secure_cookies(tls: str, tmp_path: Path) -> None:
    result = _run(["-c", SETTINGS], {"TLS": tls}, tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SECURE_SSL_REDIRECT"] == "True"
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] == "True"
    assert values["SESSION_COOKIE_SECURE"] == values["CSRF_COOKIE_SECURE"] == "True"
    # Only a proxy may tell that the request came over HTTPS.
    assert ("X_FORWARDED_PROTO" in values["SECURE_PROXY_SSL_HEADER"]) == (tls == "proxy")


def test_the_older_behind_tls_proxy_means_tls_proxy(tmp_path: Path) -> None:
    result = _run(["-c", SETTINGS], {"BEHIND_TLS_PROXY": "1"}, tmp_path)
    assert json.loads(result.stdout)["TLS"] == "proxy"


def test_an_unknown_tls_value_is_refused(tmp_path: Path) -> None:
    result = _run(["-c", SETTINGS], {"TLS": "yes"}, tmp_path)
    assert result.returncode != 0 and "TLS must be one of here, proxy, off" in result.stderr


def test_debug_keeps_plain_http_even_with_tls_here(tmp_path: Path) -> None:
    result = _run(
        ["-c", SETTINGS], {"TLS": "here", "DEBUG": "1", "ALLOWED_HOSTS": "localhost"}, tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["SECURE_SSL_REDIRECT"] == "None"


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_REDIRECT_EXEMPT=[r"^healthz$", r"^readyz$"],
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_behind_the_proxy_http_is_redirected_and_https_gets_hsts(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    plain = client.get("/login/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/login/"
    secure = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # The proxy's and systemd's health probes speak plain HTTP to the app.
    assert client.get("/healthz").status_code == 200
