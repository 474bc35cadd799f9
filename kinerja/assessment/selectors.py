"""Reads of the assessment app, scoped by kinerja.organisation.access, and the figures an assessment
shows (capaian, status, suggestions), computed by kinerja.rules from the stored realisations.

Project rules where the regulations are silent (see docs/PERFORMANCE.md and the module docs):

* Periods: ``settings.ASSESSMENT_PERIODICITY`` (quarterly by default) plus the annual one.
  An indicator's figure for a period aggregates the realisations of the period's months only,
  against the target for those months (kinerja.rules.realisation.target_for_months).
* The organisation whose curve applies is the OPD: the check runs over every assessment of the
  OPD's employees in one period that has a predikat (drafts and final ones: the live picture).
* Organisation capaian: the mean capaian, over the period, of the indicators of the RHK that
  hang directly from the organisation's own goals (OrgGoal of the OPD; for a unit inside an OPD,
  the RHK of that unit's head), mapped to a suggested predikat by
  kinerja.rules.assessment.suggest_org_predikat.
* A unit head (a structural official whose supervisor sits outside their unit, or who has none)
  gets as suggested rating hasil kerja their unit's performance (unit_rating) once the unit's
  predikat is set; otherwise the indicator majority rule.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kinerja.organisation import access
from kinerja.organisation.choices import PositionKind
from kinerja.organisation.models import Employee, EmployeeHistory, Unit, User
from kinerja.organisation.selectors import unit_lineages
from kinerja.performance.choices import PlanStatus
from kinerja.performance.models import Comment, Indicator, Plan, Realisation, Rhk
from kinerja.performance.selectors import IndicatorProgress, indicator_progress, plan_capaian
from kinerja.rules import distribution
from kinerja.rules.assessment import (
    suggest_annual_perilaku,
    suggest_hasil_kerja,
    suggest_org_predikat,
    unit_rating,
)
from kinerja.rules.enums import OrgPredikat, Predikat, Rating
from kinerja.rules.periods import Period, Periodicity, parse_period, periods_of_year

from .choices import AssessmentStatus, ObjectionStatus
from .models import Assessment, Finalisation, Objection, OrgAssessment

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
    indicator: Indicator, realisations: Iterable[Realisation], period: Period
) -> IndicatorProgress:
    months = set(period.months)
    return indicator_progress(
        indicator, [r for r in realisations if r.month in months], max(period.months)
    )


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


def plans_evaluations(plans: Sequence[Plan], period: Period) -> dict[int, Evaluation]:
    """The figures of many plans for a period in three queries (team view, calibration, the
    regency-wide suggestions)."""
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
    realisations: dict[int, list[Realisation]] = defaultdict(list)
    for r in Realisation.objects.filter(
        indicator__rhk__plan_id__in=plan_ids, month__in=period.months
    ).only("id", "indicator_id", "month", "value"):
        realisations[r.indicator_id].append(r)
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


# --- The assessing official's team --------------------------------------------------------------


@dataclass
class TeamMember:
    employee: Employee
    plan: Plan | None
    assessment: Assessment | None
    evaluation: Evaluation | None
    suggested_hasil: Rating | None

    @property
    def predikat(self) -> Predikat | None:
        if self.assessment and self.assessment.predikat:
            return Predikat(self.assessment.predikat)
        return None


def _assessed_plans(user: User, period: Period) -> list[Plan]:
    """The approved plans whose employee `user` rates in `period`
    (organisation.access.is_period_assessor): the candidates are the plans of whoever has had
    the user as supervisor or has the user as assessor; the policy picks among them."""
    qs = Plan.objects.filter(year=period.year, status=PlanStatus.APPROVED)
    mine = Q(pk__in=[])
    if user.employee_id:
        supervised = EmployeeHistory.objects.filter(supervisor_id=user.employee_id)
        mine |= Q(assessor_id=user.employee_id) | Q(employee_id__in=supervised.values("employee"))
    if access.is_assessor_id(user, None):
        supervised = EmployeeHistory.objects.filter(supervisor__isnull=True)
        mine |= Q(assessor__isnull=True) | Q(employee_id__in=supervised.values("employee"))
    plans = list(
        qs.filter(mine)
        .select_related("employee", "employee__position", "employee__unit", "employee__supervisor")
        .order_by("employee__name")
    )
    assessors = access.period_assessor_ids([p.employee_id for p in plans], period)
    return [
        p for p in plans if access.is_assessor_id(user, assessors.get(p.employee_id, p.assessor_id))
    ]


def team(user: User, period: Period) -> list[TeamMember]:
    """Everyone `user` assesses in a period (approved plans of the employees the user rates
    for that period), with their suggestion and assessment, in a fixed number of queries."""
    plans = _assessed_plans(user, period)
    evaluations = plans_evaluations(plans, period)
    assessments = {
        a.employee_id: a
        for a in Assessment.objects.filter(
            period=period.code, employee_id__in=[p.employee_id for p in plans]
        )
    }
    head_units = {p.employee.unit_id for p in plans if is_head(p.employee)}
    org = {
        o.unit_id: OrgPredikat(o.predikat)
        for o in OrgAssessment.objects.filter(unit_id__in=head_units, period=period.code)
    }
    members = []
    for plan in plans:
        evaluation = evaluations.get(plan.pk)
        suggestion = evaluation.suggested_hasil if evaluation else None
        if plan.employee.unit_id in head_units and plan.employee.unit_id in org:
            suggestion = unit_rating(org[plan.employee.unit_id])
        members.append(
            TeamMember(
                plan.employee, plan, assessments.get(plan.employee_id), evaluation, suggestion
            )
        )
    return members


def suggestion_for(plan: Plan, period: Period, evaluation: Evaluation) -> Rating | None:
    """The suggested rating hasil kerja: the unit's performance for a unit head whose unit has
    its predikat set for the period, otherwise the indicator rule."""
    employee = plan.employee
    if is_head(employee):
        org = org_predikat_of(employee.unit_id, period)
        if org is not None:
            return unit_rating(org)
    return evaluation.suggested_hasil


# --- The annual assessment rests on the periodic ones ------------------------------------------


@dataclass
class AnnualBasis:
    """What the annual assessment of one employee rests on (DOMAIN §1, project rule "annual
    from periodic"; PermenPANRB 6/2022): the year's finalised periodic results in chronological
    order, and the suggestions drawn from them — the rating perilaku given most often (a tie
    going to the latest period) and, per BerAKHLAK value, the same rule over the periods'
    value ratings. ``missing`` are the periodic periods of the year without a final result."""

    year: int
    results: list[Assessment]
    missing: list[Period]
    suggested_perilaku: Rating | None
    value_suggestions: dict[str, Rating]

    @property
    def rows(self) -> list[tuple[Assessment, Rating, Rating, Predikat]]:
        return [
            (a, Rating(a.hasil), Rating(a.perilaku), Predikat(a.predikat)) for a in self.results
        ]


def annual_basis(employee: Employee, year: int) -> AnnualBasis:
    """The year's finalised periodic results of `employee` and the annual suggestions drawn
    from them (kinerja.rules.assessment.suggest_annual_perilaku). One query."""
    results = sorted(
        Assessment.objects.filter(
            employee=employee, year=year, status=AssessmentStatus.FINAL
        ).exclude(period=Period(year, Periodicity.ANNUAL).code),
        key=lambda a: (a.period_obj.start, a.period_obj.end),
    )
    done = {a.period for a in results}
    missing = [p for p in periods(year) if not p.is_annual and p.code not in done]
    suggested = suggest_annual_perilaku([Rating(a.perilaku) for a in results]) if results else None
    values: dict[str, Rating] = {}
    if results:
        codes = {code for a in results for code in a.behaviour}
        for code in codes:
            given = [Rating(a.behaviour[code]) for a in results if a.behaviour.get(code)]
            if given:
                values[code] = suggest_annual_perilaku(given)
    return AnnualBasis(year, results, missing, suggested, values)


# --- Distribution ---------------------------------------------------------------------------


@dataclass
class Distribution:
    """The spread of predikat in one OPD and period against its curve."""

    opd: Unit
    org_predikat: OrgPredikat | None
    counts: dict[Predikat, int]
    violations: list[distribution.Violation]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def lines(self) -> list[tuple[distribution.Constraint, int]]:
        if self.org_predikat is None:
            return []
        return distribution.bounds(self.org_predikat, self.total)

    @property
    def bars(self) -> list[tuple[Predikat, int, int]]:
        """(predikat, count, percent of total) for every predikat, best first."""
        total = self.total or 1
        return [
            (p, self.counts.get(p, 0), round(100 * self.counts.get(p, 0) / total)) for p in Predikat
        ]


def distributions(opd_ids: Iterable[int], period: Period) -> dict[int, Distribution]:
    """The live distribution of each OPD (assessments with a predikat, draft or final) against
    the curve of its predikat for the period. Three queries whatever the number of OPDs."""
    ids = list(opd_ids)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    counts: dict[int, dict[Predikat, int]] = defaultdict(dict)
    for row in (
        Assessment.objects.filter(period=period.code, opd_id__in=ids)
        .exclude(predikat="")
        .values("opd_id", "predikat")
        .annotate(n=Count("id"))
    ):
        counts[row["opd_id"]][Predikat(row["predikat"])] = row["n"]
    org = {
        o.unit_id: OrgPredikat(o.predikat)
        for o in OrgAssessment.objects.filter(unit_id__in=ids, period=period.code)
    }
    result = {}
    for pk in ids:
        if pk not in units:
            continue
        tally = counts.get(pk, {})
        predikat = org.get(pk)
        violations = distribution.check(predikat, tally) if predikat else []
        result[pk] = Distribution(units[pk], predikat, tally, violations)
    return result


# --- Scoped reads ---------------------------------------------------------------------------


def assessments_visible_to(user: User | None) -> QuerySet[Assessment]:
    """Assessments of the employees `user` may see; an employee's own only once final."""
    qs = Assessment.objects.filter(access.employee_filter(user, "employee__"))
    if user is not None and getattr(user, "employee_id", None):
        qs = qs.exclude(Q(employee_id=user.employee_id) & ~Q(status=AssessmentStatus.FINAL))
    return qs.select_related(
        "employee", "employee__position", "employee__unit", "assessor", "opd", "unit"
    )


def assessment_get_for_user(*, user: User | None, pk: int) -> Assessment:
    try:
        return assessments_visible_to(user).get(pk=pk)
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def objections_visible_to(user: User | None) -> QuerySet[Objection]:
    """Objections on assessments the user may see, or that the user decides."""
    visible = Q(assessment__in=assessments_visible_to(user).values("pk"))
    if user is not None and getattr(user, "employee_id", None):
        visible |= Q(decider_id=user.employee_id)
    return Objection.objects.filter(visible).select_related(
        "assessment",
        "assessment__employee",
        "assessment__assessor",
        "assessment__employee__unit",
        "decider",
    )


def objection_get_for_user(*, user: User | None, pk: int) -> Objection:
    try:
        return objections_visible_to(user).get(pk=pk)
    except (Objection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def objections_to_decide(user: User) -> QuerySet[Objection]:
    qs = Objection.objects.filter(status__in=ObjectionStatus.open_values())
    mine = Q(decider_id=user.employee_id) if user.employee_id else Q(pk__in=[])
    if access.is_objection_decider(user, Objection(decider_id=None)):
        mine |= Q(decider__isnull=True)
    return (
        qs.filter(mine)
        .select_related("assessment", "assessment__employee")
        .order_by("submitted_at")
    )


def my_results(user: User) -> list[Assessment]:
    if user.employee_id is None:
        return []
    return list(
        Assessment.objects.filter(employee_id=user.employee_id, status=AssessmentStatus.FINAL)
        .prefetch_related("objections")
        .order_by("-year", "-period")
    )


# --- Calibration ----------------------------------------------------------------------------


@dataclass
class AssessorFlag:
    assessor: Employee | None
    assessor_name: str
    opd_name: str
    total: int
    sangat_baik: int
    overrides: int
    distinct: int
    reasons: list[str]

    @property
    def sangat_baik_share(self) -> int:
        return round(100 * self.sangat_baik / self.total) if self.total else 0


@dataclass
class Calibration:
    period: Period
    distributions: list[Distribution]
    flags: list[AssessorFlag]
    objections: list[Objection]
    objection_counts: dict[str, int]
    justified: list[Finalisation]
    regency_counts: dict[Predikat, int]
    violating_by_opd: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.regency_counts.values())


MIN_GROUP_FOR_FLAGS = 4  # "everyone rated the same" means nothing for two or three people
SANGAT_BAIK_GAP = 30  # percentage points above the regency's share
OVERRIDE_SHARE = 50  # percent of an assessor's ratings that differ from the suggestion


def calibration(period: Period) -> Calibration:
    """The regency view for BKPSDM, Pimpinan and Inspektorat: each OPD's spread against its
    curve, assessors whose ratings stand out, objections and justified violations. A fixed
    number of queries whatever the size of the regency (aggregates in the database)."""
    opds = list(Unit.objects.filter(parent__isnull=True).order_by("name"))
    dists = distributions([u.pk for u in opds], period)
    regency: Counter[Predikat] = Counter()
    for d in dists.values():
        regency.update(d.counts)
    total = sum(regency.values())
    regency_sb = 100 * regency[Predikat.SANGAT_BAIK] / total if total else 0
    base = Assessment.objects.filter(period=period.code).exclude(predikat="")
    per_assessor = (
        base.values("assessor_id", "assessor__name", "opd__name")
        .annotate(
            total=Count("id"),
            sangat_baik=Count("id", filter=Q(predikat=Predikat.SANGAT_BAIK)),
            overrides=Count(
                "id",
                filter=(~Q(suggested_hasil="") & ~Q(hasil=F("suggested_hasil")))
                | (~Q(suggested_perilaku="") & ~Q(perilaku=F("suggested_perilaku"))),
            ),
            distinct=Count("predikat", distinct=True),
        )
        .order_by("opd__name", "assessor__name")
    )
    flags = []
    for row in per_assessor:
        reasons = []
        if row["total"] >= MIN_GROUP_FOR_FLAGS:
            share = 100 * row["sangat_baik"] / row["total"]
            if share - regency_sb >= SANGAT_BAIK_GAP:
                reasons.append(f"Sangat Baik {round(share)}% (kabupaten {round(regency_sb)}%)")
            if row["distinct"] == 1:
                reasons.append("semua pegawai berpredikat sama")
        if (
            row["total"]
            and 100 * row["overrides"] / row["total"] >= OVERRIDE_SHARE
            and row["overrides"] >= 2
        ):
            reasons.append(f"{row['overrides']} rating berbeda dari saran sistem")
        if reasons:
            flags.append(
                AssessorFlag(
                    None,
                    row["assessor__name"] or "Pimpinan Daerah",
                    row["opd__name"],
                    row["total"],
                    row["sangat_baik"],
                    row["overrides"],
                    row["distinct"],
                    reasons,
                )
            )
    objections = list(
        Objection.objects.filter(assessment__period=period.code)
        .select_related("assessment__employee", "assessment__opd")
        .order_by("-submitted_at")[:50]
    )
    objection_counts = dict(
        Objection.objects.filter(assessment__period=period.code)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    justified = list(
        Finalisation.objects.filter(period=period.code)
        .exclude(violations=[])
        .select_related("opd", "assessor", "by")
        .order_by("-at")[:50]
    )
    violating_by_opd = dict(
        Finalisation.objects.filter(period=period.code, returned_at__isnull=True)
        .exclude(violations=[])
        .values_list("opd_id")
        .annotate(n=Count("id"))
        .values_list("opd_id", "n")
    )
    return Calibration(
        period=period,
        distributions=[dists[u.pk] for u in opds if u.pk in dists],
        flags=flags,
        objections=objections,
        objection_counts=objection_counts,
        justified=justified,
        regency_counts=dict(regency),
        violating_by_opd=violating_by_opd,
    )


def opd_assessments(opd: Unit, period: Period) -> list[Assessment]:
    """Every assessment of an OPD in a period (calibration drill-down), one query."""
    return list(
        Assessment.objects.filter(opd=opd, period=period.code)
        .select_related("employee", "employee__position", "unit", "assessor")
        .order_by("unit__path", "assessor__name", "employee__name")
    )


def opd_finalisations(opd: Unit, period: Period) -> list[Finalisation]:
    """Every act of finalising in an OPD and period (calibration drill-down): who finalised how
    many results, the curve's violations then, the justification, and any return for
    calibration. One query."""
    return list(
        Finalisation.objects.filter(opd=opd, period=period.code)
        .select_related("assessor", "by", "returned_by")
        .order_by("-at", "-pk")
    )


def returned_for_calibration(user: User, period: Period) -> list[Finalisation]:
    """The finalisations of `user` (as assessor, or as the official who finalised for the
    regent's office) that BKPSDM returned for calibration in a period and that were not
    finalised again since, latest first. Two queries."""
    mine = Q(by=user)
    if user.employee_id is not None:
        mine |= Q(assessor_id=user.employee_id)
    ours = Finalisation.objects.filter(mine, period=period.code)
    since = ours.filter(returned_at__isnull=True).aggregate(last=Max("at"))["last"]
    returned = ours.filter(returned_at__isnull=False)
    if since is not None:
        returned = returned.filter(returned_at__gt=since)
    return list(returned.select_related("returned_by", "opd").order_by("-returned_at"))
