"""What every read of the assessment app starts from: the regency's periods (the configured
periodicity plus the annual one) and the heads of units."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from kinerja.organisation.choices import PositionKind
from kinerja.organisation.models import Employee, Unit
from kinerja.rules.periods import Period, Periodicity, parse_period, periods_of_year

STRUCTURAL = (PositionKind.JPT, PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS)


# --- Periods --------------------------------------------------------------------------------


def periodicity() -> Periodicity:
    return Periodicity(getattr(settings, "ASSESSMENT_PERIODICITY", "quarterly"))


def periods(year: int) -> list[Period]:
    return periods_of_year(year, periodicity())


def default_period() -> Period:
    """The latest periodic period that has ended (the one being assessed now)."""
    today = timezone.localdate()
    ended = [p for p in periods(today.year) if not p.is_annual and p.has_ended(today)]
    if ended:
        return ended[-1]
    return periods(today.year - 1)[-1]


def period_from(raw: str | None) -> Period:
    """The period named in a request (404 for a malformed code), else the default one."""
    if not raw:
        return default_period()
    try:
        return parse_period(raw)
    except ValueError:
        raise Http404 from None


def period_choices() -> list[Period]:
    today = timezone.localdate()
    return [p for y in (today.year, today.year - 1) for p in periods(y)]


# --- Heads of units ---------------------------------------------------------------------------


def is_head(employee: Employee) -> bool:
    """Heads their own unit: a structural official whose supervisor works outside the unit (or
    who has none). Their rating hasil kerja is the unit's performance (SE MenPANRB 3/2023)."""
    if employee.position.kind not in STRUCTURAL:
        return False
    return employee.supervisor is None or employee.supervisor.unit_id != employee.unit_id


def heads_of(units: Iterable[Unit]) -> dict[int, Employee]:
    """The head of each unit, in one query."""
    ids = [u.pk for u in units]
    heads: dict[int, Employee] = {}
    candidates = (
        Employee.objects.filter(unit_id__in=ids, is_active=True, position__kind__in=STRUCTURAL)
        .select_related("position", "supervisor")
        .order_by("depth", "pk")
    )
    for employee in candidates:
        if employee.unit_id not in heads and (
            employee.supervisor is None or employee.supervisor.unit_id != employee.unit_id
        ):
            heads[employee.unit_id] = employee
    return heads
