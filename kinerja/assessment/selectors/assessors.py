"""The assessing official's side: their team with each member's figures and suggestion, the
annual basis (the annual assessment rests on the periodic ones) and the distribution curve
per OPD."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, Sum

from kinerja.organisation import access
from kinerja.organisation.models import Employee, EmployeeHistory, Unit, User
from kinerja.performance.choices import PlanStatus
from kinerja.performance.models import Plan
from kinerja.rules import distribution
from kinerja.rules.assessment import suggest_annual_perilaku, unit_rating
from kinerja.rules.enums import OrgPredikat, Predikat, Rating
from kinerja.rules.periods import Period, Periodicity

from ..choices import AssessmentStatus
from ..models import Assessment, AssessorTally, OrgAssessment
from .common import is_head, periods
from .evaluation import Evaluation, org_predikat_of, plans_evaluations

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
    the curve of its predikat for the period. Three queries whatever the number of OPDs: the
    counts are the sums of the OPD's assessor tallies (AssessorTally, kept by the database on
    every write), not a grouping of every assessment."""
    ids = list(opd_ids)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    counts: dict[int, dict[Predikat, int]] = defaultdict(dict)
    for row in (
        AssessorTally.objects.filter(period=period.code, opd_id__in=ids)
        .values("opd_id")
        .annotate(**{p.value: Sum(p.value) for p in Predikat})
        .order_by()
    ):
        counts[row["opd_id"]] = {p: n for p in Predikat if (n := row[p.value])}
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
