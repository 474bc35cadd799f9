"""System checks of the deployment (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


@register(Tags.urls, deploy=True)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """E-mails, QR posters, the kiosk address and PDFs link to SITE_URL: in production it must
    be the address citizens and staff reach, not this machine's loopback."""
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme in {"http", "https"} and parts.hostname not in LOCAL_HOSTS:
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL!r}: links in e-mails, QR posters and PDFs would "
            "point at this machine.",
            hint="Set SITE_URL to the public address, e.g. https://kinerja.bukitintan.go.id.",
            id="kinerja.W001",
        )
    ]
