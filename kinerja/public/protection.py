"""Abuse protection and privacy for the pages citizens use without an account.

- Client IPs and browser cookies are only ever stored as salted HMAC-SHA256 hashes.
- Rate limits are fixed-window counters in the cache (shared between processes with Redis).
- Tracking codes and device tokens come from the `secrets` module.
- Uploads are recognised by their content (magic bytes), never by their name alone.
"""

from __future__ import annotations

import hashlib
import io
import secrets

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from kinerja.core.middleware import client_ip

# Tracking codes: no 0/O and 1/I, which are read and typed wrongly; 32 symbols = 5 bits each.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 12  # 60 bits
BROWSER_COOKIE = "kinerja_warga"
BROWSER_COOKIE_AGE = 365 * 24 * 3600


def _hash(purpose: str, value: str) -> str:
    secret = settings.PUBLIC_IP_HASH_SALT or settings.SECRET_KEY
    return salted_hmac(
        f"kinerja.public.{purpose}", value, secret=secret, algorithm="sha256"
    ).hexdigest()


def ip_hash(request: HttpRequest) -> str:
    """The salted hash of the client's address ("" when unknown)."""
    ip = client_ip(request)
    return _hash("ip", ip) if ip else ""


def browser_id(request: HttpRequest) -> str:
    """This browser's random id from its cookie, or a new one (the view sets the cookie)."""
    value = request.COOKIES.get(BROWSER_COOKIE, "")
    if len(value) == 32 and all(c in "0123456789abcdef" for c in value):
        return value
    return secrets.token_hex(16)


def browser_hash(value: str) -> str:
    return _hash("browser", value)


def token_hash(token: str) -> str:
    """SHA-256 of a random bearer token (256 bits of entropy need no slow hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A tracking code as typed (spaces, dashes, lower case) in its stored form."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


# --- Rate limits ------------------------------------------------------------------------------
# The fixed-window counters moved to kinerja.core.ratelimit (the API uses them too); the names
# stay importable from here for the public pages.
from kinerja.core.ratelimit import (  # noqa: E402
    Rate,
    rate_limit_hit,
    rate_limit_reached,
    rate_limits_hit,
)

__all__ = ["Rate", "rate_limit_hit", "rate_limit_reached", "rate_limits_hit"]


# --- Uploads ----------------------------------------------------------------------------------

ALLOWED_UPLOADS = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


def sniff_upload(data: bytes) -> str | None:
    """The extension of an accepted photo (JPEG, PNG, WebP) or PDF recognised by its content,
    or None. Images must also decode as images (Pillow), so a renamed file is refused."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        kind = "jpg"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "webp"
    else:
        return None
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:  # Pillow raises many types for a damaged or fake image
        return None
    return kind
