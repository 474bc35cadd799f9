"""The regency dashboard and a unit's dashboard: totals per unit from the precomputed unit
figures, in a fixed number of queries whatever the regency's size."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import Http404

from kinerja.core.calendar import months_closed, months_due, months_started
from kinerja.organisation import access
from kinerja.organisation.access import under
from kinerja.organisation.models import Employee, Unit, User
from kinerja.rules.calendar import MONTHS

from .. import external, services
from ..models import PersonFigures, UnitFigures
from ..services import CAPAIAN_N, CAPAIAN_SUM, EXPECTED, ON_TIME
from .board import BoardRow, board_row

# --- Regency dashboard --------------------------------------------------------------------------


@dataclass
class Totals:
    """Unit figures added up (a unit with its sub-units, an OPD, the regency)."""

    employees: int = 0
    plans: int = 0
    approved: int = 0
    with_capaian: int = 0
    capaian_sum: Decimal = Decimal(0)
    at_risk_people: int = 0
    months: list[list[Any]] = field(default_factory=services.empty_months)

    def add(self, row: UnitFigures | Totals) -> None:
        self.employees += row.employees
        self.plans += row.plans
        self.approved += row.approved
        self.with_capaian += row.with_capaian
        self.capaian_sum += Decimal(row.capaian_sum)
        self.at_risk_people += row.at_risk_people
        if row.months:
            self.months = [
                [a + b for a, b in zip(mine, theirs, strict=True)]
                for mine, theirs in zip(self.months, row.months, strict=True)
            ]

    @property
    def capaian(self) -> Decimal | None:
        return self.capaian_sum / self.with_capaian if self.with_capaian else None

    @property
    def approved_share(self) -> Decimal | None:
        return Decimal(self.approved * 100) / self.employees if self.employees else None

    def on_time_share(self, month: int) -> Decimal | None:
        """Realisations of `month` entered on time, in percent of those expected."""
        if not 1 <= month <= 12:
            return None
        stats = self.months[month - 1]
        return Decimal(stats[ON_TIME] * 100) / stats[EXPECTED] if stats[EXPECTED] else None

    def monthly_capaian(self, month: int) -> float | None:
        stats = self.months[month - 1]
        return stats[CAPAIAN_SUM] / stats[CAPAIAN_N] if stats[CAPAIAN_N] else None

    @property
    def heat(self) -> list[float | None]:
        return [self.monthly_capaian(m) for m in range(1, 13)]


@dataclass
class UnitLine:
    """A line of a dashboard table: a unit (with everything below it) and its totals."""

    unit: Unit
    totals: Totals
    ikm: Decimal | None = None
    ikm_respondents: int = 0
    complaints: external.Complaints | None = None
    has_children: bool = False
    predikat: external.PredikatSpread | None = None


@dataclass
class Dashboard:
    year: int
    month: int  # the reporting month: the latest month past its deadline (0: none yet)
    months_shown: int  # months of the year started (for the heatmap columns)
    lines: list[UnitLine]
    total: Totals
    unit: Unit | None = None  # the unit drilled into (None: the regency)
    ancestors: list[Unit] = field(default_factory=list)
    people: list[BoardRow] = field(default_factory=list)
    own: Totals | None = None  # the drilled unit's own employees
    predikat_period: str = ""  # the assessment period of the predikat spreads ("" if none)
    external_note: str = ""

    @property
    def month_name(self) -> str:
        return MONTHS[self.month - 1] if self.month else ""

    @property
    def month_labels(self) -> list[str]:
        return [MONTHS[m][:3] for m in range(self.months_shown)]


def can_view_regency_dashboard(user: User | None) -> bool:
    return access.can_view_regency_dashboard(user)


def _bucket_totals(buckets: Iterable[tuple[int | None, UnitFigures]]) -> dict[int, Totals]:
    """Add every unit's figures once into its bucket (an OPD, or a child unit's subtree)."""
    totals: dict[int, Totals] = {}
    for bucket, figures in buckets:
        if bucket is not None:
            totals.setdefault(bucket, Totals()).add(figures)
    return totals


def _reporting_month(year: int) -> int:
    return months_due(year)


def regency_dashboard(*, year: int) -> Dashboard:
    """Per OPD: capaian, approved plans, on-time realisations, the heatmap (two queries, plus
    the public-services figures when that app provides them)."""
    units = list(
        Unit.objects.filter(is_active=True).only("id", "name", "parent_id", "opd_id", "depth")
    )
    opd_of = {u.pk: u.opd_id or u.pk for u in units}
    totals = _bucket_totals(
        (opd_of.get(f.unit_id), f) for f in UnitFigures.objects.filter(year=year)
    )
    opds = sorted((u for u in units if u.parent_id is None), key=lambda u: u.name)
    ikm = external.ikm_by_opd(year)
    complaints = external.complaints_by_opd(year)
    predikat = external.predikat_by_opd([o.pk for o in opds], year)
    spreads = predikat[1] if predikat else {}
    lines = []
    grand = Totals()
    children = {u.parent_id for u in units if u.parent_id}
    for opd in opds:
        t = totals.get(opd.pk, Totals())
        grand.add(t)
        result = ikm.get(opd.pk) if ikm else None
        lines.append(
            UnitLine(
                opd,
                t,
                ikm=result[0] if result else None,
                ikm_respondents=result[1] if result else 0,
                complaints=complaints.get(opd.pk) if complaints else None,
                has_children=opd.pk in children,
                predikat=spreads.get(opd.pk),
            )
        )
    return Dashboard(
        year=year,
        month=_reporting_month(year),
        months_shown=max(months_started(year), 0),
        lines=lines,
        total=grand,
        external_note="" if ikm is not None else "ikm",
        predikat_period=predikat[0] if predikat else "",
    )


def unit_for_dashboard(user: User, unit_id: int) -> Unit:
    """A unit the user may drill into (404 otherwise)."""
    try:
        unit = Unit.objects.get(pk=unit_id, is_active=True)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not access.can_view_unit_dashboard(user, unit):
        raise Http404
    return unit


def unit_dashboard(user: User, unit: Unit, *, year: int) -> Dashboard:
    """One unit: its sub-units with their totals, and the people who work directly in it."""
    subtree = list(
        Unit.objects.filter(under(unit.path), is_active=True).only(
            "id", "name", "parent_id", "depth", "path"
        )
    )
    figures = {
        f.unit_id: f for f in UnitFigures.objects.filter(under(unit.path, "unit__path"), year=year)
    }
    paths = {u.pk: u.path for u in subtree}
    depth = len(unit.path)

    def child_of(unit_id: int) -> int | None:
        rest = paths.get(unit_id, "")[depth:]
        return int(rest.split("/", 1)[0]) if rest else None

    totals = _bucket_totals((child_of(pk), f) for pk, f in figures.items())
    whole = Totals()
    for f in figures.values():
        whole.add(f)
    parents = {u.parent_id for u in subtree if u.parent_id}
    lines = [
        UnitLine(u, totals.get(u.pk, Totals()), has_children=u.pk in parents)
        for u in sorted((u for u in subtree if u.parent_id == unit.pk), key=lambda u: u.name)
    ]
    own = Totals()
    if unit.pk in figures:
        own.add(figures[unit.pk])
    ids = [int(part) for part in unit.path.strip("/").split("/") if part][:-1]
    ancestors = sorted(Unit.objects.filter(pk__in=ids), key=lambda u: u.depth) if ids else []
    people = list(
        Employee.objects.filter(access.employee_filter(user), unit=unit, is_active=True)
        .select_related("position", "unit")
        .order_by("name")
    )
    person_figures = {
        f.employee_id: f
        for f in PersonFigures.objects.filter(year=year, employee__in=[p.pk for p in people])
    }
    closed, due = months_closed(year), months_due(year)
    rows = [
        board_row(p, 1, person_figures.get(p.pk), viewer_id=None, closed=closed, due=due)
        for p in people
    ]
    return Dashboard(
        year=year,
        month=_reporting_month(year),
        months_shown=max(months_started(year), 0),
        lines=lines,
        total=whole,
        unit=unit,
        ancestors=ancestors,
        people=rows,
        own=own,
    )
