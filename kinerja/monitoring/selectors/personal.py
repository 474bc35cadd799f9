"""Kinerja saya: one employee's plan of the year, indicator by indicator, with its projection
and history (read through kinerja.performance.selectors)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kinerja.core.calendar import months_closed
from kinerja.organisation.models import Employee, User
from kinerja.performance import selectors as performance
from kinerja.performance.choices import IndicatorSource
from kinerja.performance.models import Comment, Plan
from kinerja.rules.projection import Projection, project
from kinerja.rules.realisation import target_for_months

from .. import external, services
from ..models import PersonFigures

# --- Kinerja saya ---------------------------------------------------------------------------


@dataclass
class IndicatorCard:
    """One indicator of "Kinerja saya": progress to date, the year-end projection, the need."""

    progress: performance.IndicatorProgress
    rhk_text: str
    projection: Projection | None
    monthly_values: list[Decimal | None]
    monthly_targets: list[Decimal | None]

    @property
    def indicator(self) -> Any:
        return self.progress.indicator


@dataclass
class HistoryItem:
    year: int
    plan: Plan
    capaian: Decimal | None


@dataclass
class MyPerformance:
    year: int
    employee: Employee | None
    plan: Plan | None
    view: performance.PlanView | None
    cards: list[IndicatorCard] = field(default_factory=list)
    feedback: list[Comment] = field(default_factory=list)
    history: list[HistoryItem] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)  # ended months with entries missing
    closed: int = 0
    ikm: external.UnitIkm | None = None
    training: external.TrainingHours | None = None
    ratings: list[external.Rating] | None = None

    @property
    def capaian(self) -> Decimal | None:
        return self.view.capaian if self.view else None

    @property
    def at_risk(self) -> list[IndicatorCard]:
        return [c for c in self.cards if c.projection and c.projection.at_risk]


def _card(progress: performance.IndicatorProgress, rhk_text: str, closed: int) -> IndicatorCard:
    indicator = progress.indicator
    monthly = services.decimal_list(indicator.monthly_targets)
    values = {m: r.value for m, r in progress.by_month.items()}
    try:
        projection: Projection | None = project(
            target=indicator.target,
            polarity=indicator.polarity,
            aggregation=indicator.aggregation,
            values=values,
            months_closed=closed,
            monthly_targets=monthly,
            threshold=services.risk_threshold(),
        )
    except ValueError:
        projection = None
    targets: list[Decimal | None] = []
    for m in range(1, 13):
        try:
            targets.append(target_for_months(indicator.target, [m], indicator.aggregation, monthly))
        except ValueError:
            targets.append(None)
    return IndicatorCard(
        progress=progress,
        rhk_text=rhk_text,
        projection=projection,
        monthly_values=[values.get(m) for m in range(1, 13)],
        monthly_targets=targets,
    )


def my_performance(user: User, *, year: int) -> MyPerformance:
    """Everything "Kinerja saya" shows for `user` in `year`, in a fixed number of queries."""
    employee = user.employee if user.employee_id else None
    result = MyPerformance(year=year, employee=employee, plan=None, view=None)
    if employee is None:
        return result
    plans = list(Plan.objects.filter(employee=employee).order_by("-year"))
    past = {
        f.year: f.capaian
        for f in PersonFigures.objects.filter(employee=employee).only("year", "capaian")
    }
    result.history = [HistoryItem(p.year, p, past.get(p.year)) for p in plans if p.year != year]
    result.ikm = external.unit_ikm(employee.unit, year)
    result.training = external.training_hours(employee, year)
    result.ratings = external.ratings_history(user)
    plan = next((p for p in plans if p.year == year), None)
    if plan is None:
        return result
    plan.employee = employee
    result.plan = plan
    view = performance.plan_view(plan)
    result.view = view
    result.closed = months_closed(year)
    for group in (view.utama, view.tambahan):
        for rhk_view in group:
            for progress in rhk_view.indicators:
                result.cards.append(_card(progress, rhk_view.rhk.text, result.closed))
    if plan.accepts_realisations:
        manual = [c for c in result.cards if c.indicator.source == IndicatorSource.MANUAL]
        result.missing = [
            m
            for m in range(1, result.closed + 1)
            if any(m not in c.progress.by_month for c in manual)
        ]
    user_id = user.pk
    result.feedback = sorted(
        (c for thread in view.comments.values() for c in thread if c.author_id != user_id),
        key=lambda c: c.created_at,
        reverse=True,
    )[:10]
    return result
