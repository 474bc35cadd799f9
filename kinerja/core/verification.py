"""One verification mechanism for every document the system issues (PDF certificates, piagam,
evaluation documents): each carries a random code, printed as a QR code to the public page
/verifikasi/<code>/, which confirms the document is genuine and shows no more than its holder's
name, its title and the facts chosen when it was issued.

Documents are recorded with `document_issue` (idempotent per source object). An app whose
documents predate this registry may instead register a resolver (`register_resolver`, in its
AppConfig.ready()) that answers for its own codes.
"""

from __future__ import annotations

import base64
import io
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from .audit import audit_record
from .links import absolute_reverse
from .models import AuditAction, IssuedDocument
from .text import trimmed

CODE_BYTES = 15  # 20 URL-safe characters: unguessable, short enough to type from paper


@dataclass(frozen=True)
class VerifiedDocument:
    """What the public verification page may show of a document."""

    code: str
    kind: str
    title: str
    holder_name: str
    facts: Sequence[tuple[str, str]] = field(default_factory=tuple)
    issued_at: datetime | None = None
    revoked_at: datetime | None = None
    revoke_reason: str = ""

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


Resolver = Callable[[str], VerifiedDocument | None]
_resolvers: list[Resolver] = []


def register_resolver(resolver: Resolver) -> None:
    """Answer for codes kept outside the registry (called from an AppConfig.ready())."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def _source_key(source: Any) -> tuple[str, str]:
    meta = source._meta
    return f"{meta.app_label}.{meta.model_name}", str(source.pk)


@transaction.atomic
def document_issue(
    *,
    source: Any,
    kind: str,
    title: str,
    holder_name: str,
    facts: Sequence[tuple[str, str]] = (),
    by: Any = None,
) -> IssuedDocument:
    """Record a document issued for `source` (a saved model instance) and return it with its
    code. Issuing again for the same source returns the existing record unchanged (a reprint
    keeps its code)."""
    source_type, source_id = _source_key(source)
    existing = IssuedDocument.objects.filter(source_type=source_type, source_id=source_id).first()
    if existing is not None:
        return existing
    document = IssuedDocument.objects.create(
        code=new_code(),
        kind=kind[:60],
        title=title[:300],
        holder_name=holder_name[:200],
        facts=[[str(label), str(value)] for label, value in facts],
        source_type=source_type,
        source_id=source_id,
        issued_by=by if getattr(by, "pk", None) else None,
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=document,
        object_repr=str(document)[:300],
        changes={"code": document.code, "kind": document.kind},
    )
    return document


@transaction.atomic
def document_revoke(*, document: IssuedDocument, by: Any, reason: str) -> IssuedDocument:
    """Mark a document as no longer valid; its page then says so, with the reason."""
    reason = trimmed(reason)
    if not reason:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(_("Tulis alasan pencabutan dokumen."))
    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if document.revoked_at is None:
        document.revoked_at = timezone.now()
        document.revoke_reason = reason[:300]
        document.save(update_fields=["revoked_at", "revoke_reason"])
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            obj=document,
            object_repr=str(document)[:300],
            changes={"revoked": reason[:300]},
        )
    return document


def document_for_source(source: Any) -> IssuedDocument | None:
    source_type, source_id = _source_key(source)
    return IssuedDocument.objects.filter(source_type=source_type, source_id=source_id).first()


def document_find(code: str) -> VerifiedDocument | None:
    """The document with this code, from the registry or a registered resolver; None when the
    code is unknown."""
    code = (code or "").strip()
    if not code or len(code) > 40:
        return None
    found = IssuedDocument.objects.filter(code=code).first()
    if found is not None:
        return VerifiedDocument(
            code=found.code,
            kind=found.kind,
            title=found.title,
            holder_name=found.holder_name,
            facts=tuple((str(label), str(value)) for label, value in found.facts),
            issued_at=found.issued_at,
            revoked_at=found.revoked_at,
            revoke_reason=found.revoke_reason,
        )
    for resolver in _resolvers:
        document = resolver(code)
        if document is not None:
            return document
    return None


def verification_url(code: str, request: Any = None) -> str:
    """The absolute address of a document's verification page (printed under its QR code), on
    SITE_URL like every printed link (kinerja/core/links.py); `request` is accepted for callers
    that pass one and is not used: paper must lead the reader to the site, not to this laptop."""
    del request
    return absolute_reverse("core:document_verify", code)


def qr_data_uri(payload: str, *, kind: str = "svg") -> str:
    """The QR code of `payload` as an embedded SVG (segno), never fetched from a network;
    `kind="png"` for documents of many pages (a PNG lays out faster in WeasyPrint)."""
    import segno

    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind=kind, scale=4, border=1)
    mime = "image/svg+xml" if kind == "svg" else f"image/{kind}"
    return f"data:{mime};base64," + base64.b64encode(buffer.getvalue()).decode()
