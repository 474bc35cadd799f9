"""Writes of complaints: filing, the unit's responses and status changes, spam removal, the
citizen's rating and reopening. Staff actions go to the audit log; e-mails go on commit.

Every function validates first (ValidationError with an Indonesian message, nothing changed)
and writes inside one transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.links import absolute_reverse
from kinerja.core.phone import InvalidPhone, check_phone
from kinerja.core.text import trimmed, visible_length
from kinerja.organisation.models import Unit, User
from kinerja.rules.workdays import add_working_days

from .. import protection
from ..choices import (
    COMPLAINT_TRANSITIONS,
    ComplaintCategory,
    ComplaintKind,
    ComplaintStatus,
    UpdateKind,
)
from ..common import holidays
from ..models import Complaint, ComplaintUpdate, Service

# --- Complaints -----------------------------------------------------------------------------

DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 4000


def response_due(moment: datetime) -> datetime:
    """End of the N-th working day after the local day of `moment` (N =
    PUBLIC_COMPLAINT_RESPONSE_WORKDAYS; weekends and PUBLIC_HOLIDAYS skipped)."""
    day = add_working_days(
        timezone.localdate(moment), settings.PUBLIC_COMPLAINT_RESPONSE_WORKDAYS, holidays()
    )
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def _store_attachment(complaint: Complaint, upload: Upload | None) -> None:
    if upload is None:
        return
    if len(upload.data) > settings.PUBLIC_UPLOAD_MAX_BYTES:
        raise ValidationError(
            {
                "attachment": _("Lampiran terlalu besar: paling besar %(mb)d MB.")
                % {"mb": settings.PUBLIC_UPLOAD_MAX_BYTES // (1024 * 1024)}
            }
        )
    kind = protection.sniff_upload(upload.data)
    if kind is None:
        raise ValidationError(
            {
                "attachment": _(
                    "Lampiran harus foto (JPG, PNG, WebP) atau PDF; isi berkas ini bukan salah "
                    "satunya."
                )
            }
        )
    complaint.attachment_type = protection.ALLOWED_UPLOADS[kind]
    complaint.attachment.save(
        f"{secrets.token_hex(16)}.{kind}", ContentFile(upload.data), save=False
    )


def complaint_file(
    *,
    unit: Unit,
    service: Service | None,
    kind: str,
    category: str,
    description: str,
    attachment: Upload | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    anonymous: bool = False,
    ip_hash: str = "",
) -> Complaint:
    """File a citizen's complaint or suggestion; returns it with its tracking code."""
    description = trimmed(description)
    errors: dict[str, str] = {}
    if not unit.serves_public or not unit.is_active:
        errors["unit"] = _("Unit ini tidak menerima pengaduan publik.")
    if service is not None and service.unit_id != unit.pk:
        errors["unit"] = _("Layanan tidak termasuk unit ini.")
    if kind not in ComplaintKind.values:
        errors["kind"] = _("Pilih jenis: pengaduan atau saran.")
    if category not in ComplaintCategory.values:
        errors["category"] = _("Pilih kategori.")
    if visible_length(description) < DESCRIPTION_MIN or len(description) > DESCRIPTION_MAX:
        errors["description"] = _("Uraian %(lo)d sampai %(hi)d karakter (tertulis %(n)d).") % {
            "lo": DESCRIPTION_MIN,
            "hi": DESCRIPTION_MAX,
            "n": len(description),
        }
    contact = [
        (contact_name or "").strip(),
        (contact_email or "").strip(),
        (contact_phone or "").strip(),
    ]
    if anonymous:
        contact = ["", "", ""]
    if contact[1]:
        try:
            validate_email(contact[1])
        except ValidationError:
            errors["contact_email"] = _("Alamat surel tidak valid.")
    try:
        contact[2] = check_phone(contact[2])
    except InvalidPhone as exc:
        errors["contact_phone"] = str(exc)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    due = response_due(now)
    complaint = Complaint(
        kind=kind,
        category=category,
        unit=unit,
        service=service,
        description=description,
        contact_name=contact[0][:100],
        contact_email=contact[1],
        contact_phone=contact[2][:30],
        anonymous=anonymous,
        received_at=now,
        first_response_due=due,
        clock_due=due,
        ip_hash=ip_hash,
    )
    _store_attachment(complaint, attachment)
    try:
        with transaction.atomic():
            for _attempt in range(5):
                complaint.tracking_code = protection.tracking_code()
                if not Complaint.objects.filter(tracking_code=complaint.tracking_code).exists():
                    break
            complaint.save()
            ComplaintUpdate.objects.create(
                complaint=complaint,
                at=now,
                kind=UpdateKind.STATUS,
                status_to=ComplaintStatus.RECEIVED,
            )
    except Exception:
        if complaint.attachment:
            complaint.attachment.delete(save=False)
        raise
    return complaint


def _notify_citizen(complaint: Complaint, message: str) -> None:
    if not complaint.contact_email:
        return
    link = absolute_reverse("public:complaint_status", complaint.tracking_code)

    def send() -> None:
        send_mail(
            _("Perkembangan pengaduan %(code)s") % {"code": complaint.code_display},
            _("%(message)s\n\nLihat perkembangan lengkapnya: %(link)s")
            % {"message": message, "link": link},
            settings.DEFAULT_FROM_EMAIL,
            [complaint.contact_email],
            fail_silently=True,
        )

    transaction.on_commit(send)


@transaction.atomic
def complaint_respond(
    *, complaint: Complaint, by: User | None, message: str = "", to_status: str = ""
) -> Complaint:
    """A unit's official action: a public response and/or a move to the next status.

    Selesai and Ditolak need a message (for Ditolak it is the reason shown to the citizen). The
    first message stops the service-level clock (first_response_at)."""
    current = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    message = trimmed(message)
    if current.removed_at is not None:
        raise ValidationError(_("Pengaduan ini sudah dihapus sebagai spam."))
    if not message and not to_status:
        raise ValidationError(_("Tulis tanggapan atau pilih status baru."))
    if len(message) > 4000:
        raise ValidationError({"message": _("Tanggapan paling banyak 4000 karakter.")})
    old = current.status
    if to_status:
        if to_status not in COMPLAINT_TRANSITIONS.get(old, ()):
            raise ValidationError(
                _("Status %(a)s tidak dapat diubah menjadi %(b)s.")
                % {
                    "a": ComplaintStatus(old).label,
                    "b": dict(ComplaintStatus.choices).get(to_status, to_status),
                }
            )
        if to_status in ComplaintStatus.final() and not message:
            raise ValidationError(
                {
                    "message": _("Tuliskan alasan penolakan.")
                    if to_status == ComplaintStatus.REJECTED
                    else _("Tuliskan penyelesaiannya untuk pelapor.")
                }
            )
    elif current.is_final:
        raise ValidationError(_("Pengaduan sudah ditutup; pelapor dapat membukanya kembali."))
    now = timezone.now()
    if to_status:
        current.status = to_status
        if to_status == ComplaintStatus.REJECTED:
            current.rejection_reason = message[:500]
        if to_status in ComplaintStatus.final():
            current.closed_at = now
            current.clock_due = None
    if message:
        current.first_response_at = current.first_response_at or now
        current.clock_due = None
    current.save()
    ComplaintUpdate.objects.create(
        complaint=current,
        at=now,
        kind=UpdateKind.STATUS if to_status else UpdateKind.RESPONSE,
        status_from=old if to_status else "",
        status_to=to_status,
        message=message,
        by=by if getattr(by, "pk", None) else None,
    )
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=current,
        changes={"status": [old, current.status]} if to_status else {},
        note=_("Tanggapan resmi") if message else _("Perubahan status"),
    )
    _notify_citizen(
        current,
        message or _("Status pengaduan Anda kini: %(s)s.") % {"s": current.get_status_display()},
    )
    complaint.__dict__.update(current.__dict__)
    return current


@transaction.atomic
def complaint_remove(*, complaint: Complaint, by: User | None, reason: str) -> Complaint:
    """Remove a complaint as spam: hidden from the inbox and the tracking page, text kept."""
    current = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    reason = trimmed(reason)
    if current.removed_at is not None:
        raise ValidationError(_("Pengaduan ini sudah dihapus sebagai spam."))
    if visible_length(reason) < 5:
        raise ValidationError({"reason": _("Tuliskan alasan penghapusan (minimal 5 karakter).")})
    now = timezone.now()
    current.removed_at = now
    current.clock_due = None
    current.save(update_fields=["removed_at", "clock_due"])
    ComplaintUpdate.objects.create(
        complaint=current, at=now, kind=UpdateKind.REMOVED, message=reason[:500], by=by
    )
    audit_record(actor=by, action=AuditAction.DELETE, obj=current, note=reason[:500])
    complaint.__dict__.update(current.__dict__)
    return current


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: int, comment: str = "") -> Complaint:
    """The citizen rates a resolved complaint, 1–5, once per resolution."""
    current = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    if current.status != ComplaintStatus.RESOLVED or current.removed_at is not None:
        raise ValidationError(_("Penilaian hanya untuk pengaduan yang sudah selesai."))
    if current.rating is not None:
        raise ValidationError(_("Anda sudah memberi penilaian."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Pilih penilaian 1 sampai 5.")})
    current.rating = rating
    current.save(update_fields=["rating"])
    ComplaintUpdate.objects.create(
        complaint=current, kind=UpdateKind.RATED, message=(comment or "").strip()[:1000]
    )
    complaint.__dict__.update(current.__dict__)
    return current


def can_reopen(complaint: Complaint, now: datetime | None = None) -> bool:
    """A closed complaint may be reopened once, within PUBLIC_COMPLAINT_REOPEN_DAYS days."""
    now = now or timezone.now()
    return (
        complaint.is_final
        and complaint.removed_at is None
        and complaint.reopened_at is None
        and complaint.closed_at is not None
        and now - complaint.closed_at <= timedelta(days=settings.PUBLIC_COMPLAINT_REOPEN_DAYS)
    )


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, reason: str) -> Complaint:
    """The citizen reopens a closed complaint (once, within the allowed days): back to Diproses
    with a new response deadline."""
    current = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    reason = trimmed(reason)
    if not can_reopen(current):
        raise ValidationError(
            _("Pengaduan hanya dapat dibuka kembali satu kali, dalam %(d)d hari setelah ditutup.")
            % {"d": settings.PUBLIC_COMPLAINT_REOPEN_DAYS}
        )
    if visible_length(reason) < 10:
        raise ValidationError(
            {"reason": _("Jelaskan mengapa dibuka kembali (minimal 10 karakter).")}
        )
    now = timezone.now()
    old = current.status
    current.status = ComplaintStatus.IN_PROGRESS
    current.reopened_at = now
    current.closed_at = None
    current.rating = None
    current.rejection_reason = ""
    current.clock_due = response_due(now)
    current.save()
    ComplaintUpdate.objects.create(
        complaint=current,
        at=now,
        kind=UpdateKind.REOPENED,
        status_from=old,
        status_to=ComplaintStatus.IN_PROGRESS,
        message=reason[:1000],
    )
    complaint.__dict__.update(current.__dict__)
    return current
