"""Writes of the survey's setup: services (layanan) and their populations, kiosk devices, the
questionnaire's wording and the units' follow-up plans. Staff actions go to the audit log.

Every function validates first (ValidationError with an Indonesian message, nothing changed)
and writes inside one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record, diff, snapshot
from kinerja.core.text import trimmed, visible_length
from kinerja.organisation.models import Unit, User
from kinerja.rules.periods import Period

from .. import protection
from ..choices import DEFAULT_QUESTIONS
from ..models import FollowUpPlan, KioskDevice, Service, ServicePopulation, SurveyQuestion
from .selectors import kiosk_devices_forget

SERVICE_FIELDS = (
    "unit",
    "code",
    "name",
    "description",
    "is_active",
    "ask_counter",
    "counters",
    "ask_officer",
)


# --- Services (layanan) ---------------------------------------------------------------------


def _check_service(service: Service) -> None:
    service.code = (service.code or "").strip().upper()
    unit = service.unit
    if not unit.serves_public or not unit.is_active:
        raise ValidationError(
            {"unit": _("%(unit)s tidak ditandai sebagai unit pelayanan publik.") % {"unit": unit}}
        )
    if service.ask_counter and not service.counter_list:
        raise ValidationError({"counters": _("Isi daftar loket, satu loket per baris.")})
    service.full_clean()


@transaction.atomic
def service_create(*, by: User | None, **fields: Any) -> Service:
    service = Service(**fields)
    _check_service(service)
    service.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=service,
        changes=diff({}, snapshot(service, SERVICE_FIELDS)),
    )
    return service


@transaction.atomic
def service_update(*, service: Service, by: User | None, **fields: Any) -> Service:
    current = Service.objects.select_for_update(of=("self",)).get(pk=service.pk)
    before = snapshot(current, SERVICE_FIELDS)
    for name, value in fields.items():
        setattr(current, name, value)
    _check_service(current)
    current.save()
    kiosk_devices_forget()
    changes = diff(before, snapshot(current, SERVICE_FIELDS))
    if changes:
        audit_record(actor=by, action=AuditAction.UPDATE, obj=current, changes=changes)
    service.__dict__.update(current.__dict__)
    return current


@transaction.atomic
def population_set(
    *, service: Service, year: int, values: Mapping[int, int | None], by: User | None
) -> int:
    """Record the monthly number of users of `service` in `year` (None clears a month).
    Returns how many months changed."""
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Tahun %(y)s di luar jangkauan.") % {"y": year})
    for month, value in values.items():
        if not 1 <= month <= 12:
            raise ValidationError(_("Bulan %(m)s tidak ada.") % {"m": month})
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ValidationError(
                _("Populasi bulan %(m)s harus bilangan bulat ≥ 0.") % {"m": month}
            )
    existing = {p.month: p for p in ServicePopulation.objects.filter(service=service, year=year)}
    changes: dict[str, list[Any]] = {}
    for month, value in sorted(values.items()):
        row = existing.get(month)
        old = row.population if row else None
        if old == value:
            continue
        changes[f"{year}-{month:02d}"] = [old, value]
        if value is None:
            row.delete()  # type: ignore[union-attr]  # old == value skipped row None
        elif row is None:
            ServicePopulation.objects.create(
                service=service, year=year, month=month, population=value
            )
        else:
            row.population = value
            row.save(update_fields=["population"])
    if changes:
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            obj=service,
            changes=changes,
            note=_("Populasi pengguna layanan"),
        )
    return len(changes)


# --- Kiosk devices --------------------------------------------------------------------------


@transaction.atomic
def device_issue(*, service: Service, name: str, by: User | None) -> tuple[KioskDevice, str]:
    """A new counter-tablet token for `service`; returns the device and the token (shown once,
    only its SHA-256 is stored)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Beri nama perangkat, misalnya Tablet Loket 1.")})
    if not service.is_active:
        raise ValidationError(_("Survei layanan ini sedang ditutup."))
    token = protection.new_token("kios")
    device = KioskDevice.objects.create(
        service=service,
        name=name[:100],
        token_hash=protection.token_hash(token),
        token_hint=token[-4:],
        created_by=by if getattr(by, "pk", None) else None,
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=device,
        changes={"service": [None, service.code], "name": [None, device.name]},
        note=_("Token perangkat kios diterbitkan"),
    )
    return device, token


@transaction.atomic
def device_revoke(*, device: KioskDevice, by: User | None) -> KioskDevice:
    device = KioskDevice.objects.select_for_update(of=("self",)).get(pk=device.pk)
    if device.revoked_at is not None:
        raise ValidationError(_("Token perangkat ini sudah dicabut."))
    device.revoked_at = timezone.now()
    device.revoked_by = by if getattr(by, "pk", None) else None
    device.save(update_fields=["revoked_at", "revoked_by"])
    kiosk_devices_forget()  # this worker refuses it at once; the others at their next INSERT
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=device,
        changes={"revoked_at": [None, device.revoked_at.isoformat()]},
        note=_("Token perangkat kios dicabut"),
    )
    return device


# --- Questionnaire text, follow-up plans ------------------------------------------------------


@transaction.atomic
def question_update(
    *, code: str, question: str, labels: Sequence[str], by: User | None
) -> SurveyQuestion:
    """Reword the question of one unsur (the unsur and its 1–4 scale stay)."""
    if code not in DEFAULT_QUESTIONS:
        raise ValidationError(_("Unsur %(c)s tidak ada; unsur U1 sampai U9.") % {"c": code})
    if len(labels) != 4 or not all((label or "").strip() for label in labels):
        raise ValidationError(_("Keempat label jawaban wajib diisi."))
    # get_or_create: two administrators saving the first wording of one unsur at the same time
    # both end up updating the one row (it retries the read after a unique-key conflict).
    row, created = SurveyQuestion.objects.get_or_create(
        code=code, defaults={"question": DEFAULT_QUESTIONS[code]}
    )
    row = SurveyQuestion.objects.select_for_update().get(pk=row.pk)
    before = {
        "question": "" if created else row.question,
        "labels": ["", "", "", ""]
        if created
        else [row.label_1, row.label_2, row.label_3, row.label_4],
    }
    row.question = (question or "").strip()
    row.label_1, row.label_2, row.label_3, row.label_4 = (label.strip() for label in labels)
    row.full_clean()
    row.save()
    after = {
        "question": row.question,
        "labels": [row.label_1, row.label_2, row.label_3, row.label_4],
    }
    audit_record(actor=by, action=AuditAction.UPDATE, obj=row, changes=diff(before, after))
    return row


@transaction.atomic
def question_reset(*, code: str, by: User | None) -> bool:
    """Go back to the default wording of one unsur (PermenPANRB 14/2017, DOMAIN §3). Returns
    whether there was a wording of the regency's own to remove."""
    row = SurveyQuestion.objects.filter(code=code).first()
    if row is None:
        return False
    audit_record(
        actor=by,
        action=AuditAction.DELETE,
        obj=row,
        changes={
            "question": [row.question, DEFAULT_QUESTIONS.get(code, "")],
            "labels": [[row.label_1, row.label_2, row.label_3, row.label_4], None],
        },
    )
    row.delete()
    return True


@transaction.atomic
def follow_up_save(*, unit: Unit, period: Period, text: str, by: User | None) -> FollowUpPlan:
    """The unit's rencana tindak lanjut for `period`, printed in its SKM report."""
    text = trimmed(text)
    if visible_length(text) < 10:
        raise ValidationError({"text": _("Tulis rencana tindak lanjut (minimal 10 karakter).")})
    plan = FollowUpPlan.objects.filter(unit=unit, period=period.code).first()
    before = plan.text if plan else None
    if plan is None:
        plan = FollowUpPlan(unit=unit, period=period.code)
    plan.text = text
    plan.updated_by = by if getattr(by, "pk", None) else None
    plan.full_clean(exclude=["unit"])
    plan.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        obj=plan,
        changes={"text": [before, text]},
        note=period.short_label,
    )
    return plan
