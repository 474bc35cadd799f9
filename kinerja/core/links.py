"""Absolute addresses, for readers who are not on the current page: e-mails, QR codes, printed
posters and PDFs, the address a counter tablet is set to.

One setting decides them all: SITE_URL (`make run` sets it to the address it serves). The
request's Host header is not used: a link in an e-mail sent by the task worker has no request,
and a poster printed from a laptop at http://localhost would send citizens nowhere.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """`path` (starting with "/") on the site's public address."""
    if not path.startswith("/"):
        raise ValueError(f"absolute_url() needs a path starting with '/', not {path!r}")
    return settings.SITE_URL.rstrip("/") + path


def absolute_reverse(viewname: str, *args: Any, **kwargs: Any) -> str:
    """`reverse(viewname, args=args, kwargs=kwargs)` on the site's public address."""
    return absolute_url(reverse(viewname, args=args or None, kwargs=kwargs or None))
