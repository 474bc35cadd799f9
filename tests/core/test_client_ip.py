"""The client address comes from one setting, TRUSTED_PROXIES (issue 10, security 4): a forged
X-Forwarded-For never changes who the client is, so rate limits cannot be dodged with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

from kinerja.core.middleware import client_ip

ROOT = Path(__file__).resolve().parents[2]


def ip(remote: str, forwarded: str | None = None) -> str | None:
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **headers))


@override_settings(TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert ip("203.0.113.9", "198.51.100.1") == "203.0.113.9"
    assert ip("127.0.0.1", "198.51.100.1") == "127.0.0.1"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24", "127.0.0.1"])
@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("10.0.0.5", "203.0.113.9", "203.0.113.9"),
        # A client's forged entries stay on the left of what the proxy appended.
        ("10.0.0.5", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        ("10.0.0.5", "1.2.3.4, 203.0.113.9, 10.0.0.7", "203.0.113.9"),  # two proxies
        ("127.0.0.1", "2001:db8::5", "2001:db8::5"),
        ("127.0.0.1", "[2001:db8::5]:4431", "2001:db8::5"),
        ("127.0.0.1", "203.0.113.9:51234", "203.0.113.9"),
        # A peer that is not a trusted proxy is the client, whatever it writes.
        ("203.0.113.50", "10.0.0.9", "203.0.113.50"),
        # Garbage: nothing left of it is believed; the proxy is the client.
        ("10.0.0.5", "203.0.113.9, bukan-alamat", "10.0.0.5"),
        ("10.0.0.5", "", "10.0.0.5"),
    ],
)
def test_behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client(
    remote: str, forwarded: str, client: str
) -> None:
    assert ip(remote, forwarded) == client


@pytest.mark.parametrize("path", ["bin/run-dev", "README.md"])
def test_uvicorn_is_told_not_to_rewrite_the_client_address(path: str) -> None:
    """uvicorn believes X-Forwarded-For from 127.0.0.1 unless told not to."""
    text = (ROOT / path).read_text()
    assert "uvicorn" in text and "--no-proxy-headers" in text
