"""Automatic realisations: community participation (survey IKM, complaints answered on
time) back into the indicators that take their figures from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import cast

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import figures
from kinerja.core.audit import AuditAction, audit_record
from kinerja.rules.calendar import MONTHS

from ..choices import IndicatorSource
from ..models import Indicator, Realisation

# --- Automatic realisations (community participation back into performance) ---------------


@dataclass
class SyncResult:
    written: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def automatic_value(indicator: Indicator, year: int, month: int) -> Decimal | None:
    """The system's realisation of an automatic indicator for a month, or None when the month
    has no figure yet: the converted IKM of a service (PermenPANRB 14/2017, from the survey) or
    the share of the unit's complaints answered within the service level (from complaints).
    Both come through the figures seam (kinerja.public registers them), so this app does not
    import the citizens' app; without it the month has no figure."""
    if indicator.source == IndicatorSource.IKM:
        return cast(
            "Decimal | None",
            figures.value(
                "public.service_ikm", service_code=indicator.source_ref, year=year, month=month
            ),
        )
    if indicator.source == IndicatorSource.COMPLAINTS:
        unit_id = indicator.rhk.plan.employee.unit_id
        return cast(
            "Decimal | None",
            figures.value("public.complaints_on_time", unit_id=unit_id, year=year, month=month),
        )
    return None


@transaction.atomic
def automatic_realisations_sync(*, year: int, month: int) -> SyncResult:
    """Fill the realisations of every automatic indicator for one month from the survey and
    complaint data. They are marked `is_automatic` and cannot be edited by hand (the grid and
    the imports refuse them); a later run replaces the figure when the data changes."""
    result = SyncResult(skipped=[])
    indicators = (
        Indicator.objects.exclude(source=IndicatorSource.MANUAL)
        .filter(rhk__plan__year=year)
        .select_related("rhk__plan__employee")
    )
    existing = {
        r.indicator_id: r for r in Realisation.objects.filter(indicator__in=indicators, month=month)
    }
    changed_plans: set[tuple[int, int]] = set()
    for indicator in indicators:
        try:
            value = automatic_value(indicator, year, month)
        except (ObjectDoesNotExist, ValueError) as exc:
            result.skipped.append(f"{indicator.pk}: {exc}")
            continue
        if value is None:
            continue
        current = existing.get(indicator.pk)
        if current is not None and current.value == value:
            result.unchanged += 1
            continue
        if current is None:
            Realisation.objects.create(
                indicator=indicator,
                month=month,
                value=value,
                is_automatic=True,
                narrative=_("Diisi otomatis oleh sistem."),
            )
        else:
            current.value, current.is_automatic = value, True
            current.revision += 1
            current.save(update_fields=["value", "is_automatic", "revision", "updated_at"])
        result.written += 1
        changed_plans.add((indicator.rhk.plan.employee_id, indicator.rhk.plan_id))
    if result.written:
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="performance.realisation",
            object_repr=f"Realisasi otomatis {MONTHS[month - 1]} {year}",
            changes={"written": result.written},
        )
    for employee_id, plan_id in changed_plans:
        transaction.on_commit(partial(_publish_realisation, employee_id, plan_id, month))
    return result


def _publish_realisation(employee_id: int, plan_id: int, month: int) -> None:
    from kinerja.core import events

    events.publish("realisation", employee_id=employee_id, plan_id=plan_id, month=month)
