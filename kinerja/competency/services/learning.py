"""Ratings of a session by its participants, and external learning: the employee's evidence of
learning outside the catalogue, reviewed for JP credit."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.notifications import notify
from kinerja.core.text import trimmed
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User
from kinerja.performance import evidence as evidence_rules
from kinerja.rules.numbers import round2
from kinerja.rules.training import external_jp, external_max_hours, learning_window

from ..choices import EnrolmentStatus, ExternalStatus
from ..models import Enrolment, ExternalLearning, SessionRating
from .common import _require, jp_changed

# --- Ratings --------------------------------------------------------------------------------


@transaction.atomic
def rating_submit(
    *, enrolment: Enrolment, by: User, score: int, comment: str = ""
) -> SessionRating:
    """A participant rates a session after it (1–5 and a comment), once; a second rating
    replaces the first."""
    _require(by.employee_id == enrolment.employee_id, _("Hanya peserta yang dapat menilai sesi."))
    _require(
        enrolment.status in (EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)
        or (
            enrolment.status == EnrolmentStatus.ENROLLED
            and timezone.localdate() >= enrolment.session.ends_on
        ),
        _("Sesi dapat dinilai setelah selesai diikuti."),
    )
    _require(isinstance(score, int) and 1 <= score <= 5, _("Pilih nilai 1 sampai 5."))
    rating, _created = SessionRating.objects.update_or_create(
        enrolment=enrolment, defaults={"score": score, "comment": (comment or "").strip()[:2000]}
    )
    audit_record(actor=by, action=AuditAction.UPDATE, obj=rating, changes={"score": score})
    return rating


# --- External learning ---------------------------------------------------------------------------


def _check_upload(upload: UploadedFile) -> tuple[bytes, str]:
    """The same rules as realisation evidence (kinerja.performance.evidence): content type from
    the bytes, at most MAX_EVIDENCE_BYTES."""
    _require(
        upload is not None, _("Lampirkan bukti (sertifikat, surat tugas, atau tangkapan layar).")
    )
    _require(
        (upload.size or 0) <= evidence_rules.MAX_EVIDENCE_BYTES,
        _("Berkas terlalu besar (maksimal %(mb)d MB).")
        % {"mb": evidence_rules.MAX_EVIDENCE_BYTES // (1024 * 1024)},
    )
    data = upload.read()
    kind = evidence_rules.detect_kind(data[:16], data)
    _require(
        kind is not None,
        _("Jenis berkas tidak didukung. Gunakan %(k)s.") % {"k": evidence_rules.ALLOWED_LABEL},
    )
    assert kind is not None
    mismatch = evidence_rules.extension_mismatch(upload.name or "", kind)
    _require(mismatch is None, mismatch or "")
    return data, kind


@transaction.atomic
def external_submit(
    *,
    employee: Employee,
    by: User,
    title: str,
    kind: str,
    provider: str,
    started_on: date,
    ended_on: date,
    hours: Decimal,
    upload: UploadedFile,
    item: ExternalLearning | None = None,
) -> ExternalLearning:
    """Record learning outside the catalogue for BKPSDM to verify (or resubmit a returned one)."""
    _require(
        by.employee_id == employee.pk, _("Hanya pegawai yang bersangkutan yang dapat mengajukan.")
    )
    _require(bool((title or "").strip()), _("Tuliskan nama kegiatan."))
    _require(ended_on >= started_on, _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    _require(
        ended_on <= timezone.localdate(), _("Kegiatan yang belum selesai belum dapat diajukan.")
    )
    first, _last = learning_window(timezone.localdate())
    _require(
        started_on >= first,
        _("Tanggal mulai paling awal %(a)s.") % {"a": first.strftime("%d-%m-%Y")},
    )
    _require(hours is not None and hours > 0 and hours <= 1000, _("Jumlah jam harus lebih dari 0."))
    _require(
        hours <= external_max_hours(started_on, ended_on),
        _("Jumlah jam melebihi 12 jam per hari kegiatan."),
    )
    if item is not None:
        _require(
            item.employee_id == employee.pk and item.status == ExternalStatus.RETURNED,
            _("Hanya pengajuan yang dikembalikan yang dapat diajukan ulang."),
        )
    data, detected = _check_upload(upload)
    extension, content_type = evidence_rules.KINDS[detected]
    item = item or ExternalLearning(employee=employee)
    item.title = title.strip()[:200]
    item.kind = kind
    item.provider = (provider or "").strip()[:200] or "-"
    item.started_on = started_on
    item.ended_on = ended_on
    item.year = ended_on.year  # DOMAIN §4: counted in the year the learning was completed
    item.hours = round2(hours)
    item.status = ExternalStatus.SUBMITTED
    item.return_reason = ""
    item.jp_confirmed = None
    item.submitted_at = timezone.now()
    item.evidence_name = evidence_rules.safe_display_name(upload.name or "bukti", detected)
    item.evidence_type = content_type
    item.evidence.save(f"{secrets.token_hex(8)}{extension}", ContentFile(data), save=False)
    item.full_clean(exclude=["evidence"])
    item.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=item,
        changes={"hours": str(item.hours), "year": item.year},
    )
    return item


@transaction.atomic
def external_review(
    *, item: ExternalLearning, by: User, approve: bool, jp: Decimal | None = None, reason: str = ""
) -> ExternalLearning:
    """BKPSDM approves (with the JP it confirms; default hours × 60 / 45, DOMAIN §4) or returns
    with a reason."""
    _require(
        access.is_regency_admin(by), _("Hanya BKPSDM yang memverifikasi pembelajaran eksternal.")
    )
    item = ExternalLearning.objects.select_for_update().get(pk=item.pk)
    _require(item.status == ExternalStatus.SUBMITTED, _("Pengajuan ini sudah diverifikasi."))
    reason = trimmed(reason)
    if approve:
        confirmed = external_jp(item.hours) if jp is None else round2(jp)
        _require(confirmed > 0 and confirmed <= 1000, _("JP yang diakui harus lebih dari 0."))
        item.status = ExternalStatus.APPROVED
        item.jp_confirmed = confirmed
        item.return_reason = ""
    else:
        _require(bool(reason), _("Tuliskan alasan pengembalian."))
        item.status = ExternalStatus.RETURNED
        item.return_reason = reason[:500]
    item.reviewed_by = by
    item.reviewed_at = timezone.now()
    item.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=item,
        changes={"status": [ExternalStatus.SUBMITTED, item.status], "jp": str(item.jp_confirmed)},
        note=reason,
    )
    notify(
        recipient=item.employee,
        message=(
            _("Pembelajaran eksternal \u201c%(t)s\u201d disetujui: %(jp)s JP.")
            if approve
            else _("Pembelajaran eksternal \u201c%(t)s\u201d dikembalikan: %(r)s")
        )
        % {"t": item.title, "jp": item.jp_confirmed, "r": reason},
        url=reverse("competency:my_learning"),
    )
    jp_changed([item.employee_id], item.year)
    return item
