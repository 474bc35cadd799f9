"""Disciplinary records (PP 94/2021): the punishment decided by the authorised official, whose
period follows from its kind and whose Sedang level cuts the TPP (DOMAIN §6)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.notifications import notify
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User
from kinerja.rules.discipline import punishment_by_kind, punishment_months

from ..models import DisciplineRecord, Recommendation
from .checks import _require, _text

# --- Discipline (PP 94/2021) ---


@transaction.atomic
def discipline_record_create(
    *,
    employee: Employee,
    kind: str,
    reason: str,
    decree_number: str,
    decree_date: date,
    effective_from: date,
    official: str,
    by: User,
    recommendation: Recommendation | None = None,
) -> DisciplineRecord:
    """Record a punishment decided by the authorised official. Its effective period follows from
    its kind (PP 94/2021 Pasal 8: 6, 9 or 12 months; none for a reprimand or dismissal), and a
    Sedang punishment cuts the TPP by 25% in each of its months (DOMAIN §6)."""
    _require(access.can_manage_rewards(by), "Hanya BKPSDM yang mencatat hukuman disiplin.")
    try:
        punishment = punishment_by_kind(kind)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    effective_to = None
    if punishment.months:
        _first, effective_to = punishment_months(effective_from, punishment.months)
    record = DisciplineRecord.objects.create(
        employee=employee,
        level=punishment.level,
        kind=punishment.kind,
        reason=_text(reason, "Pelanggaran"),
        decree_number=_text(decree_number, "Nomor SK", limit=100),
        decree_date=decree_date,
        effective_from=effective_from,
        effective_to=effective_to,
        tpp_cut_percent=punishment.tpp_cut_percent,
        official=_text(official, "Pejabat yang menjatuhkan", limit=200),
        recommendation=recommendation,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=record,
        changes={
            "kind": record.kind,
            "decree_number": record.decree_number,
            "effective_from": str(effective_from),
            "effective_to": str(effective_to or ""),
        },
    )
    notify(
        recipient=employee,
        message=f"Hukuman disiplin dicatat: {punishment.label} (SK {record.decree_number}).",
        url=reverse("rewards:discipline_list"),
    )
    return record


def heavy_punishment_ids(employee_ids: Iterable[int] | None = None) -> set[int]:
    """Employees who ever received a Sedang or Berat punishment (Satyalancana, DOMAIN §9)."""
    rows = DisciplineRecord.objects.filter(level__in=["sedang", "berat"])
    if employee_ids is not None:
        rows = rows.filter(employee_id__in=list(employee_ids))
    return set(rows.values_list("employee_id", flat=True))
