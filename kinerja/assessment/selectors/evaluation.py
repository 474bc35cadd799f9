"""The figures of one plan in one period (an indicator's progress over the period's months,
the plan's capaian and suggested rating) and the organisation's performance (capaian and
predikat of a unit)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Prefetch, Q

from kinerja.organisation import access
from kinerja.organisation.models import Unit, User
from kinerja.organisation.selectors import unit_lineages
from kinerja.performance.models import Comment, Indicator, Plan, Realisation, Rhk
from kinerja.performance.selectors import IndicatorProgress, indicator_progress, plan_capaian
from kinerja.rules.assessment import indicator_status, suggest_hasil_kerja, suggest_org_predikat
from kinerja.rules.enums import OrgPredikat, Rating
from kinerja.rules.periods import Period
from kinerja.rules.progress import annual_capaian

from ..models import OrgAssessment
from .common import heads_of, is_head

# --- Figures of one plan in one period ----------------------------------------------------------


@dataclass
class IndicatorRow:
    rhk: Rhk
    progress: IndicatorProgress
    comments: list[Comment] = field(default_factory=list)

    @property
    def indicator(self) -> Indicator:
        return self.progress.indicator


@dataclass
class Evaluation:
    """A plan's figures for a period: one row per indicator, the plan's capaian (equal weights)
    and the suggested rating hasil kerja (None when no indicator has a figure)."""

    rows: list[IndicatorRow]
    capaian: Decimal | None
    suggested_hasil: Rating | None
    statuses: Counter[Rating]


def evaluate(rows: Sequence[IndicatorRow]) -> Evaluation:
    statuses: Counter[Rating] = Counter()
    items: list[tuple[Rating, bool]] = []
    for row in rows:
        if row.progress.status is not None:
            statuses[row.progress.status] += 1
            items.append((row.progress.status, row.rhk.kind == "utama"))
    suggestion = suggest_hasil_kerja(items) if items else None
    return Evaluation(
        rows=list(rows),
        capaian=plan_capaian([r.progress for r in rows]),
        suggested_hasil=suggestion,
        statuses=statuses,
    )


def _progress(
    indicator: Indicator, realisations: Iterable[Realisation | PeriodEntry], period: Period
) -> IndicatorProgress:
    """An indicator's figures over a period's months; for the annual period, its status (and so
    the suggested rating hasil kerja, the plan's and the unit's capaian) is the annual capaian
    (kinerja.rules.progress.annual_capaian), where a period's capaian to date compares only the
    months that hold a value."""
    months = set(period.months)
    progress = indicator_progress(
        indicator, [r for r in realisations if r.month in months], max(period.months)
    )
    if period.is_annual:
        annual = annual_capaian(progress.capaian_year, progress.capaian_to_date)
        if annual is not None and annual != progress.capaian_to_date:
            progress.target_to_date = indicator.target
            progress.capaian_to_date = annual
            progress.status = indicator_status(annual)
    return progress


def plan_evaluation(plan: Plan, period: Period, *, with_details: bool = False) -> Evaluation:
    """The figures of one plan for a period; with details (evidence and feedback threads) for
    the assessment page. A fixed number of queries."""
    realisations = Realisation.objects.filter(month__in=period.months)
    if with_details:
        realisations = realisations.prefetch_related("evidence")
    rhks = list(
        plan.rhks.prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch("realisations", queryset=realisations)
                ),
            )
        )
    )
    comments: dict[tuple[str, int], list[Comment]] = defaultdict(list)
    if with_details:
        for comment in plan.comments.select_related("author", "author__employee"):
            if comment.realisation_id:
                comments[("realisation", comment.realisation_id)].append(comment)
            elif comment.rhk_id:
                comments[("rhk", comment.rhk_id)].append(comment)
    rows = []
    for rhk in rhks:
        for indicator in rhk.indicators.all():
            realised = list(indicator.realisations.all())
            thread = list(comments.get(("rhk", rhk.pk), []))
            for r in realised:
                thread += comments.get(("realisation", r.pk), [])
            rows.append(IndicatorRow(rhk, _progress(indicator, realised, period), thread))
    return evaluate(rows)


class PeriodEntry(NamedTuple):
    """A realisation as the figures of many plans need it (``progress.by_month`` values):
    tuples, not model instances, since the regency-wide suggestions read 100,000 of them."""

    pk: int
    month: int
    value: Decimal


def plans_evaluations(plans: Sequence[Plan], period: Period) -> dict[int, Evaluation]:
    """The figures of many plans for a period in three queries (team view, calibration, the
    regency-wide suggestions). The rows' ``progress.by_month`` hold :class:`PeriodEntry`."""
    plan_ids = [p.pk for p in plans]
    rhks = {
        r.pk: r
        for r in Rhk.objects.filter(plan_id__in=plan_ids).only("id", "plan_id", "kind", "text")
    }
    indicators = list(
        Indicator.objects.filter(rhk_id__in=rhks).only(
            "id",
            "rhk_id",
            "target",
            "polarity",
            "aggregation",
            "monthly_targets",
            "name",
            "unit_of_measure",
        )
    )
    realisations: dict[int, list[PeriodEntry]] = defaultdict(list)
    for pk, indicator_id, month, value in (
        Realisation.objects.filter(indicator__rhk__plan_id__in=plan_ids, month__in=period.months)
        .order_by()
        .values_list("id", "indicator_id", "month", "value")
    ):
        realisations[indicator_id].append(PeriodEntry(pk, month, value))
    rows: dict[int, list[IndicatorRow]] = defaultdict(list)
    for indicator in indicators:
        rhk = rhks[indicator.rhk_id]
        rows[rhk.plan_id].append(
            IndicatorRow(rhk, _progress(indicator, realisations.get(indicator.pk, []), period))
        )
    return {pk: evaluate(rows.get(pk, [])) for pk in plan_ids}


# --- Organisation performance -----------------------------------------------------------------


def org_capaian(units: Sequence[Unit], period: Period) -> dict[int, Decimal | None]:
    """Capaian of each unit for a period (project rule, module doc): an OPD through the RHK that
    hang from its goals; a unit inside an OPD through its head's RHK. Fixed query count."""
    result: dict[int, Decimal | None] = {u.pk: None for u in units}
    opd_ids = [u.pk for u in units if u.parent_id is None]
    sub_units = [u for u in units if u.parent_id is not None]
    heads = heads_of(sub_units)
    rhk_filter = Q(pk__in=[])
    if opd_ids:
        rhk_filter |= Q(goal__opd_id__in=opd_ids)
    if heads:
        rhk_filter |= Q(plan__employee_id__in=[h.pk for h in heads.values()])
    rhks = {
        r.pk: r
        for r in Rhk.objects.filter(rhk_filter, plan__year=period.year)
        .select_related("goal", "plan")
        .only("id", "kind", "goal__opd_id", "plan__employee_id")
    }
    if not rhks:
        return result
    unit_of_head = {h.pk: unit_id for unit_id, h in heads.items()}
    indicators = list(Indicator.objects.filter(rhk_id__in=rhks))
    realisations: dict[int, list[Realisation]] = defaultdict(list)
    for r in Realisation.objects.filter(indicator__in=indicators, month__in=period.months).only(
        "id", "indicator_id", "month", "value"
    ):
        realisations[r.indicator_id].append(r)
    figures: dict[int, list[IndicatorProgress]] = defaultdict(list)
    for indicator in indicators:
        rhk = rhks[indicator.rhk_id]
        progress = _progress(indicator, realisations.get(indicator.pk, []), period)
        if rhk.goal is not None and rhk.goal.opd_id in result:
            figures[rhk.goal.opd_id].append(progress)
        unit_id = unit_of_head.get(rhk.plan.employee_id)
        if unit_id is not None:
            figures[unit_id].append(progress)
    for unit_id, unit_progress in figures.items():
        result[unit_id] = plan_capaian(unit_progress)
    return result


@dataclass
class OrgRow:
    unit: Unit
    current: OrgAssessment | None
    capaian: Decimal | None
    suggested: OrgPredikat | None
    can_set: bool
    lineage: str = ""  # the parent units inside the OPD, to tell identical names apart


def org_rows(user: User, period: Period) -> list[OrgRow]:
    """The units whose predikat `user` sets for a period: every OPD for the regent's office;
    the units inside their OPD for an OPD head."""
    if access.can_set_org_predikat(user, Unit(parent_id=None), None):
        units = list(Unit.objects.filter(parent__isnull=True, is_active=True).order_by("name"))
    elif (me := user.employee) is not None:
        opd_id = me.unit.opd_id or me.unit_id
        if me.unit_id != opd_id or not is_head(me):
            return []
        units = list(
            Unit.objects.filter(opd_id=opd_id, parent__isnull=False, is_active=True).order_by(
                "path"
            )
        )
    else:
        return []
    stored = {
        o.unit_id: o for o in OrgAssessment.objects.filter(unit__in=units, period=period.code)
    }
    capaian = org_capaian(units, period)
    lineages = unit_lineages(units, below=units[0].opd_id if units else None)
    rows = []
    for unit in units:
        figure = capaian.get(unit.pk)
        rows.append(
            OrgRow(
                unit,
                stored.get(unit.pk),
                figure,
                suggest_org_predikat(figure) if figure is not None else None,
                True,
                lineage=lineages.get(unit.pk, ""),
            )
        )
    return rows


def org_predikat_of(unit_id: int, period: Period) -> OrgPredikat | None:
    value = (
        OrgAssessment.objects.filter(unit_id=unit_id, period=period.code)
        .values_list("predikat", flat=True)
        .first()
    )
    return OrgPredikat(value) if value else None
