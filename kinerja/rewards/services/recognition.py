"""Recognitions: the Piagam's verification record and the employee's consent to the wall."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.verification import document_issue
from kinerja.organisation.models import User

from ..models import Recognition
from .checks import _require


def piagam_issue(*, recognition: Recognition, by: User | None) -> Any:
    """The Piagam's verification record (kinerja.core.verification; idempotent: a reprint keeps
    its code)."""
    return document_issue(
        source=recognition,
        kind="Piagam Penghargaan",
        title=recognition.title,
        holder_name=recognition.employee.full_name,
        facts=(
            ("NIP", recognition.employee.nip_formatted),
            ("Tahun", str(recognition.year)),
            ("Nomor SK", recognition.decree_number or "-"),
        ),
        by=by,
    )


@transaction.atomic
def recognition_consent(*, recognition: Recognition, by: User, consent: bool) -> Recognition:
    """The employee agrees (or no longer agrees) to appear on the recognition wall."""
    _require(
        by.employee_id == recognition.employee_id,
        "Hanya pegawai yang bersangkutan yang memberi persetujuan.",
    )
    recognition.wall_consent = consent
    recognition.consent_at = timezone.now()
    recognition.save(update_fields=["wall_consent", "consent_at"])
    audit_record(
        actor=by, action=AuditAction.UPDATE, obj=recognition, changes={"wall_consent": consent}
    )
    return recognition
