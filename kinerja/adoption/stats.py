"""The adoption figures: computed for every unit by a scheduled job (`figures_rebuild`, nightly
and after the demo seed), read by the dashboard /adopsi/ without touching the people tables.

Per unit (its own employees; dashboards add a subtree up by the unit path), for the month of the
rebuild: active employees; accounts activated (logged in at least once); logged in within 30
days; employees with an approved plan for the year; of those with an approved plan for last
month's year, how many entered last month's realisations on time (at least one entry, none
late); supervisors (with active direct reports) and how many of them gave feedback within 30
days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from kinerja.organisation.models import Employee, Unit
from kinerja.performance.choices import PlanStatus
from kinerja.performance.models import Comment, Plan, Realisation

from .models import AdoptionFigures

FIELDS = (
    "employees",
    "activated",
    "active_30d",
    "plans_approved",
    "on_time",
    "with_plan_due",
    "supervisors",
    "supervisors_feedback",
)


def _previous_month(today: date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def _count_by_unit(qs: Any) -> dict[int, int]:
    return {
        row["unit_id"]: row["n"] for row in qs.values("unit_id").annotate(n=Count("pk")).order_by()
    }


@transaction.atomic
def figures_rebuild(today: date | None = None) -> int:
    """Recompute this month's row of every unit; returns the number of units."""
    today = today or timezone.localdate()
    now = timezone.now()
    month = today.replace(day=1)
    since = now - timedelta(days=30)
    people = Employee.objects.filter(is_active=True)
    counts: dict[str, dict[int, int]] = {
        "employees": _count_by_unit(people),
        "activated": _count_by_unit(people.filter(user__last_login__isnull=False)),
        "active_30d": _count_by_unit(people.filter(user__last_login__gte=since)),
        "plans_approved": _count_by_unit(
            people.filter(
                Exists(
                    Plan.objects.filter(
                        employee=OuterRef("pk"), year=today.year, status=PlanStatus.APPROVED
                    )
                )
            )
        ),
    }
    year, last = _previous_month(today)
    planned = people.filter(
        Exists(Plan.objects.filter(employee=OuterRef("pk"), year=year, status=PlanStatus.APPROVED))
    )
    entries = Realisation.objects.filter(
        indicator__rhk__plan__employee=OuterRef("pk"),
        indicator__rhk__plan__year=year,
        indicator__rhk__plan__status=PlanStatus.APPROVED,
        month=last,
    )
    counts["with_plan_due"] = _count_by_unit(planned)
    counts["on_time"] = _count_by_unit(
        planned.filter(Exists(entries)).exclude(Exists(entries.filter(is_late=True)))
    )
    supervisors = people.filter(
        Exists(Employee.objects.filter(supervisor=OuterRef("pk"), is_active=True))
    )
    counts["supervisors"] = _count_by_unit(supervisors)
    counts["supervisors_feedback"] = _count_by_unit(
        supervisors.filter(
            Exists(Comment.objects.filter(author__employee=OuterRef("pk"), created_at__gte=since))
        )
    )
    units = list(Unit.objects.values_list("pk", "path"))
    AdoptionFigures.objects.filter(month=month).delete()
    AdoptionFigures.objects.bulk_create(
        [
            AdoptionFigures(
                unit_id=pk,
                path=path,
                month=month,
                refreshed_at=now,
                **{name: counts[name].get(pk, 0) for name in FIELDS},
            )
            for pk, path in units
        ],
        batch_size=1000,
    )
    return len(units)


# --- Reading -------------------------------------------------------------------------------------


@dataclass
class Totals:
    """Sums of AdoptionFigures rows, with the shares the dashboard shows."""

    employees: int = 0
    activated: int = 0
    active_30d: int = 0
    plans_approved: int = 0
    on_time: int = 0
    with_plan_due: int = 0
    supervisors: int = 0
    supervisors_feedback: int = 0
    unit: Any = None
    children: list[Any] = field(default_factory=list)

    def add(self, row: Any) -> None:
        for name in FIELDS:
            setattr(self, name, getattr(self, name) + getattr(row, name))

    @staticmethod
    def _share(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def activated_pct(self) -> int | None:
        return self._share(self.activated, self.employees)

    @property
    def active_pct(self) -> int | None:
        return self._share(self.active_30d, self.employees)

    @property
    def plans_pct(self) -> int | None:
        return self._share(self.plans_approved, self.employees)

    @property
    def on_time_pct(self) -> int | None:
        return self._share(self.on_time, self.with_plan_due)

    @property
    def feedback_pct(self) -> int | None:
        return self._share(self.supervisors_feedback, self.supervisors)


def latest_month() -> date | None:
    return AdoptionFigures.objects.order_by("-month").values_list("month", flat=True).first()


def totals_by_group(
    rows: Iterable[AdoptionFigures], groups: list[Unit], month: date
) -> tuple[list[Totals], Totals]:
    """Totals of each group unit's subtree, and the grand total (rows of `month`)."""
    result = [Totals(unit=unit) for unit in groups]
    overall = Totals()
    for row in rows:
        if row.month != month:
            continue
        for totals in result:
            if row.path.startswith(totals.unit.path):
                totals.add(row)
                overall.add(row)
                break
    return result, overall


def trend(rows: Iterable[AdoptionFigures], path_prefix: str = "") -> list[tuple[date, Totals]]:
    by_month: dict[date, Totals] = defaultdict(Totals)
    for row in rows:
        if row.path.startswith(path_prefix):
            by_month[row.month].add(row)
    return sorted(by_month.items())


def scope_rows(path_prefix: str, months: int = 12, today: date | None = None) -> list[Any]:
    """The figure rows of a subtree (or the whole regency: "") for the last `months` months,
    in one query."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    qs = AdoptionFigures.objects.filter(month__gte=first)
    if path_prefix:
        qs = qs.filter(Q(path__startswith=path_prefix))
    return list(qs.order_by("month", "path"))
