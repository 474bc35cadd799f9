"""Personal access tokens for the API (issue 17): made by a user on their profile or with
`manage.py api_token`, shown once, stored as a SHA-256 digest, revocable, with an expiry and
the time of last use. A token acts with its owner's rights (the one access policy), narrowed by
its scopes:

- "read": GET, HEAD and OPTIONS only;
- "realisations": also writes to realisation endpoints;
- "admin": everything its owner may do.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from kinerja.core.audit import AuditAction, audit_record

from .models import ApiToken, User

SCOPES = {
    "read": "Baca saja",
    "realisations": "Baca dan isi realisasi",
    "admin": "Semua yang boleh dilakukan pemiliknya",
}
PREFIX = "knj_"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MAX_DAYS = 366


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(
    *,
    user: User,
    name: str,
    scopes: list[str],
    expires_days: int | None = 90,
    by: User | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token (never stored, shown once)."""
    name = " ".join(name.split())[:100]
    if not name:
        raise ValidationError("Beri nama token, misalnya nama aplikasi yang memakainya.")
    unknown = sorted(set(scopes) - set(SCOPES))
    if not scopes or unknown:
        raise ValidationError(f"Pilih cakupan token: {', '.join(SCOPES)}.")
    if expires_days is not None and not 1 <= expires_days <= MAX_DAYS:
        raise ValidationError(f"Masa berlaku 1 sampai {MAX_DAYS} hari.")
    plain = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=plain[: len(PREFIX) + 6],
        digest=digest(plain),
        scopes=sorted(set(scopes)),
        expires_at=timezone.now() + timedelta(days=expires_days) if expires_days else None,
    )
    audit_record(
        actor=by or user,
        action=AuditAction.CREATE,
        obj=row,
        changes={"name": [None, name], "scopes": [None, row.scopes]},
    )
    return row, plain


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=by, action=AuditAction.DELETE, obj=token, note="token dicabut")


def allows(scopes: list[str], method: str, path: str) -> bool:
    if "admin" in scopes or method in SAFE_METHODS:
        return True
    return "realisations" in scopes and "/realisations" in path


class TokenAuth(HttpBearer):
    """django-ninja authentication: `Authorization: Bearer <token>`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(PREFIX):
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.is_usable or not row.user.is_active:
            return None
        if not allows(row.scopes, request.method or "GET", request.path):
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        request.api_token_id = row.pk  # type: ignore[attr-defined]  # throttled per token
        return row.user
