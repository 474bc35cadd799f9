"""Reads of the performance app, scoped by kinerja.organisation.access, and the progress figures
computed by kinerja.rules from the stored realisations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    ExpressionWrapper,
    IntegerField,
    Model,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404

from kinerja.core.calendar import months_started
from kinerja.organisation import access
from kinerja.organisation.access import under
from kinerja.organisation.models import Employee, User
from kinerja.organisation.selectors import active_headcount
from kinerja.rules import berakhlak
from kinerja.rules.enums import Rating
from kinerja.rules.progress import Progress, progress_to_date, weighted_capaian

from .choices import PlanStatus
from .models import Comment, Evidence, Indicator, OrgGoal, Plan, Realisation, Rhk

_M = TypeVar("_M", bound=Model)


def plans_visible_to(user: User | None) -> QuerySet[Plan]:
    return Plan.objects.filter(access.employee_filter(user, "employee__")).select_related(
        "employee", "employee__unit", "employee__position", "assessor"
    )


def plan_get_for_user(*, user: User | None, plan_id: int, with_unit: bool = True) -> Plan:
    """The plan if `user` may see it (else 404), with its employee (and, unless `with_unit` is
    False, the employee's unit and position and the plan's assessor: pages that show only the
    plan's own snapshot, like the month grid, read one join instead of four)."""
    if with_unit:
        plans = plans_visible_to(user)
    else:
        plans = Plan.objects.filter(access.employee_filter(user, "employee__")).select_related(
            "employee"
        )
    try:
        return plans.get(pk=plan_id)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _scoped_get(qs: QuerySet[_M], user: User | None, pk: int, employee_path: str) -> _M:
    try:
        return qs.filter(access.employee_filter(user, employee_path)).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def rhk_get_for_user(*, user: User | None, rhk_id: int) -> Rhk:
    return _scoped_get(
        Rhk.objects.select_related("plan", "plan__employee"), user, rhk_id, "plan__employee__"
    )


def indicator_get_for_user(*, user: User | None, indicator_id: int) -> Indicator:
    return _scoped_get(
        Indicator.objects.select_related("rhk", "rhk__plan", "rhk__plan__employee"),
        user,
        indicator_id,
        "rhk__plan__employee__",
    )


def realisation_get_for_user(*, user: User | None, realisation_id: int) -> Realisation:
    return _scoped_get(
        Realisation.objects.select_related("indicator__rhk__plan__employee"),
        user,
        realisation_id,
        "indicator__rhk__plan__employee__",
    )


def evidence_get_for_user(*, user: User | None, evidence_id: int) -> Evidence:
    """Evidence is downloadable only by people who may see the plan."""
    return _scoped_get(
        Evidence.objects.select_related("realisation__indicator__rhk__plan__employee"),
        user,
        evidence_id,
        "realisation__indicator__rhk__plan__employee__",
    )


# --- Progress -----------------------------------------------------------------------------


@dataclass
class IndicatorProgress:
    """An indicator's figures to date (DOMAIN §1 capaian; realisations aggregated per its rule)."""

    indicator: Indicator
    by_month: dict[int, Realisation] = field(default_factory=dict)
    months_elapsed: int = 0
    value: Decimal | None = None
    target_to_date: Decimal | None = None
    capaian_year: Decimal | None = None
    capaian_to_date: Decimal | None = None
    status: Rating | None = None

    @property
    def missing_months(self) -> list[int]:
        return [m for m in range(1, self.months_elapsed + 1) if m not in self.by_month]


def indicator_progress(
    indicator: Indicator, realisations: Iterable[Any], months_elapsed: int
) -> IndicatorProgress:
    """Figures to date from the realisations (model rows or `Entry` tuples with month/value),
    computed by kinerja.rules.progress."""
    progress = IndicatorProgress(indicator=indicator, months_elapsed=months_elapsed)
    progress.by_month = {r.month: r for r in realisations}
    figures = indicator_figures(indicator, progress.by_month.values(), months_elapsed)
    progress.value, progress.target_to_date = figures.value, figures.target_to_date
    progress.capaian_year, progress.capaian_to_date = figures.capaian_year, figures.capaian_to_date
    progress.status = figures.status
    return progress


def indicator_figures(indicator: Any, realisations: Iterable[Any], months_elapsed: int) -> Progress:
    """The figures to date of one indicator (a model, or a tuple with its target, polarity,
    aggregation and monthly targets) from its realisations (anything with a month and a
    value), by kinerja.rules.progress: the one call behind the pages, the team list and the
    monitoring figures."""
    return progress_to_date(
        target=indicator.target,
        polarity=indicator.polarity,
        aggregation=indicator.aggregation,
        values={r.month: r.value for r in realisations},
        months_elapsed=months_elapsed,
        monthly_targets=indicator.monthly_targets,
    )


def plan_capaian(progress: Iterable[IndicatorProgress]) -> Decimal | None:
    """A plan's capaian to date from its indicators' progress (kinerja.rules.progress)."""
    return weighted_capaian(p.capaian_to_date for p in progress)


@dataclass
class RhkView:
    rhk: Rhk
    indicators: list[IndicatorProgress]


@dataclass
class BehaviourView:
    code: str
    number: int
    name: str
    guides: tuple[str, str, str]
    expectation: str
    pk: int


@dataclass
class PlanView:
    """Everything the plan page shows, loaded in a fixed number of queries."""

    plan: Plan
    utama: list[RhkView]
    tambahan: list[RhkView]
    behaviours: list[BehaviourView]
    comments: dict[tuple[str, int], list[Comment]]
    months_elapsed: int

    @property
    def all_progress(self) -> list[IndicatorProgress]:
        return [p for group in (self.utama, self.tambahan) for r in group for p in r.indicators]

    @property
    def capaian(self) -> Decimal | None:
        return plan_capaian(self.all_progress)


def plan_view(plan: Plan) -> PlanView:
    months = months_started(plan.year)
    rhks = list(
        plan.rhks.select_related("parent", "parent__plan__employee", "goal").prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch(
                        "realisations", queryset=Realisation.objects.prefetch_related("evidence")
                    )
                ),
            )
        )
    )
    views = [
        RhkView(
            rhk, [indicator_progress(i, i.realisations.all(), months) for i in rhk.indicators.all()]
        )
        for rhk in rhks
    ]
    stored = {b.value_code: b for b in plan.behaviours.all()}
    behaviours = [
        BehaviourView(
            v.code,
            v.number,
            v.name,
            v.guides,
            stored[v.code].expectation if v.code in stored else "",
            stored[v.code].pk if v.code in stored else 0,
        )
        for v in berakhlak.VALUES
    ]
    comments: dict[tuple[str, int], list[Comment]] = defaultdict(list)
    for comment in plan.comments.select_related("author", "author__employee"):
        if comment.realisation_id:
            comments[("realisation", comment.realisation_id)].append(comment)
        elif comment.rhk_id:
            comments[("rhk", comment.rhk_id)].append(comment)
        else:
            comments[("behaviour", comment.behaviour_id)].append(comment)  # type: ignore[index]  # exactly one target (comment_exactly_one_target)
    return PlanView(
        plan=plan,
        utama=[v for v in views if v.rhk.kind == "utama"],
        tambahan=[v for v in views if v.rhk.kind == "tambahan"],
        behaviours=behaviours,
        comments=dict(comments),
        months_elapsed=months,
    )


# A plan's indicators in the order of its page (A. Utama, then B. Tambahan; each RHK's in order):
# what Rhk's and Indicator's Meta orderings give within one plan, spelled out so that reads of
# one plan do not join the plan and employee tables only to sort by the plan's own year and name.
PLAN_INDICATOR_ORDER = ("-rhk__kind", "rhk__order", "rhk_id", "order", "id")


def plan_indicators(plan: Plan) -> QuerySet[Indicator]:
    """The indicators of `plan` with their RHK, in the order of its page."""
    return (
        Indicator.objects.filter(rhk__plan=plan)
        .select_related("rhk")
        .order_by(*PLAN_INDICATOR_ORDER)
    )


@dataclass
class PlanYear:
    """A plan's indicators and its year's realisations, as a write that read and locked them
    committed them (the grid's save, services.realisation_save_month): handed on to what reads
    them next (the grid's page, the live figures) instead of read again."""

    plan: Plan
    indicators: list[Indicator]  # with their RHK, in the order of the plan's page
    realisations: dict[int, list[Realisation]]  # by indicator id, each in month order


def realisation_grid_view(
    plan: Plan,
    month: int,
    *,
    indicators: Sequence[Indicator] | None = None,
    realisations: dict[int, list[Realisation]] | None = None,
) -> PlanView:
    """What the month grid shows (a PlanView): every indicator's figures to date, from the
    year's realisations, and the evidence and feedback of `month`'s realisations only — not
    the RHK's links, the behaviours, nor the other months' evidence and threads that the plan
    page shows. Four queries at most, whatever the plan's size; two when the caller holds
    `plan_indicators(plan)` and the year's realisations already (the grid's save: a
    PlanYear's) and passes them as `indicators` and `realisations`."""
    months = months_started(plan.year)
    indicators = list(plan_indicators(plan) if indicators is None else indicators)
    if realisations is None:
        realisations = defaultdict(list)
        for r in Realisation.objects.filter(indicator__rhk__plan=plan).order_by(
            "indicator_id", "month"
        ):
            realisations[r.indicator_id].append(r)
    shown = [r for rows in realisations.values() for r in rows if r.month == month]
    comments: dict[tuple[str, int], list[Comment]] = defaultdict(list)
    if shown:
        prefetch_related_objects(
            shown,
            Prefetch(
                "evidence", queryset=Evidence.objects.order_by("realisation_id", "uploaded_at")
            ),
        )
        for comment in Comment.objects.filter(
            plan=plan, realisation__in=[r.pk for r in shown]
        ).select_related("author", "author__employee"):
            comments[("realisation", comment.realisation_id)].append(comment)  # type: ignore[index]  # filtered on it
    groups: dict[int, RhkView] = {}
    for indicator in indicators:
        group = groups.get(indicator.rhk_id)
        if group is None:
            group = groups[indicator.rhk_id] = RhkView(indicator.rhk, [])
        group.indicators.append(
            indicator_progress(indicator, realisations.get(indicator.pk, ()), months)
        )
    views = list(groups.values())
    return PlanView(
        plan=plan,
        utama=[v for v in views if v.rhk.kind == "utama"],
        tambahan=[v for v in views if v.rhk.kind == "tambahan"],
        behaviours=[],
        comments=dict(comments),
        months_elapsed=months,
    )


def parent_rhk_choices(plan: Plan) -> QuerySet[Rhk]:
    """The RHK an employee may intervene in: those of the direct supervisor's plan this year
    (a draft is fine: subordinates are never blocked by the supervisor's schedule)."""
    return (
        Rhk.objects.filter(plan__employee=plan.employee.supervisor_id, plan__year=plan.year)
        .select_related("plan")
        .order_by("kind", "order")
    )


def goal_choices(plan: Plan) -> QuerySet[OrgGoal]:
    return OrgGoal.objects.filter(opd_id=plan.employee.unit.opd_id, year=plan.year)


def approval_inbox(user: User) -> QuerySet[Plan]:
    """Plans waiting for this user's decision as assessing official."""
    qs = Plan.objects.filter(status=PlanStatus.SUBMITTED)
    mine = qs.filter(assessor_id=user.employee_id) if user.employee_id else qs.none()
    if access.is_plan_assessor(user, Plan(assessor=None)):
        mine = mine | qs.filter(assessor__isnull=True)
    return mine.select_related("employee", "employee__position", "employee__unit").order_by(
        "submitted_at"
    )


# --- The team ----------------------------------------------------------------------------


class Entry(NamedTuple):
    """A realisation as the team view needs it: light enough for thousands per request."""

    month: int
    value: Decimal
    is_late: bool
    waiting: bool  # not yet reviewed by the supervisor (reviewed_at IS NULL)


class TeamIndicator(NamedTuple):
    """An indicator as the team view needs it: what its capaian to date is computed from."""

    pk: int
    plan_id: int
    target: Decimal
    polarity: str
    aggregation: str
    monthly_targets: list[Any] | None


# Flags read as integers computed by the database, not as fields: SQLite's converters for a
# BooleanField (and for the datetime that reviewed_at is) cost more than the rest of the row
# (the Sekda's page at 1,600 realisations: 7.8 ms read with reviewed_at, 4.5 ms with these).
_LATE = ExpressionWrapper(Q(is_late=True), output_field=IntegerField())
_WAITING = ExpressionWrapper(Q(reviewed_at__isnull=True), output_field=IntegerField())


@dataclass
class TeamRow:
    employee: Employee
    plan: Plan | None
    capaian: Decimal | None
    missing_this_month: int
    late_entries: int
    waiting_review: int


TEAM_PLANS_PAGE_SIZE = 50


def team_members(user: User) -> Any:
    """Everyone below `user` in the reporting lines (a queryset: nearest first, then by name)."""
    me = user.employee
    if me is None:
        return Employee.objects.none()
    return (
        Employee.objects.filter(under(me.path), is_active=True)
        .exclude(pk=me.pk)
        .select_related("position", "unit")
        .order_by("depth", "name", "pk")
    )


def team_plans(user: User, year: int) -> list[TeamRow]:
    """The plans of everyone below `user` in the reporting lines, with capaian to date, in a
    fixed number of queries whatever the team size."""
    return team_rows(list(team_members(user)), year)


def team_plans_page(
    user: User, year: int, *, page: Any = None, query: str = ""
) -> tuple[Any, list[TeamRow]]:
    """One page of team_plans (TEAM_PLANS_PAGE_SIZE people, paginated in the database), so the
    page of the regency's top official reads fifty plans, not ten thousand; `query` narrows it
    to names or NIPs containing it."""
    members = team_members(user)
    query = " ".join(query.split())[:100]
    if query:
        members = members.filter(Q(name__icontains=query) | Q(nip__startswith=query))
    paginator = Paginator(members, TEAM_PLANS_PAGE_SIZE)
    me = user.employee
    regency: int | None = None
    if not query and me is not None and me.depth == 0 and me.path.endswith("/"):
        regency = active_headcount()
        paginator.count = _top_team_count(me, regency)
    found = paginator.get_page(page)
    if not query and me is not None:
        offset = (found.number - 1) * TEAM_PLANS_PAGE_SIZE
        if _walk_is_cheap(offset, found.paginator.count, regency):
            found.object_list = _walked_page(me, offset)
    return found, team_rows(list(found.object_list), year)


def _top_team_count(me: Employee, regency: int) -> int:
    """How many `team_members` a person at the top of the reporting lines (depth 0) has, from
    the regency's kept headcount (exact: kept by the database) less the active employees
    outside their subtree, usually none: counting the Sekda's team itself read every employee
    (at 100,000 on SQLite, 9 ms of a 41 ms page). The comparisons are bytewise, as the paths
    (digits and "/") need: SQLite's own, PostgreSQL's pattern operators (the index
    `employee_path_prefix`), never a collation's order."""
    upper = me.path[:-1] + chr(ord("/") + 1)
    below, at_or_above = ("~<~", "~>=~") if connection.vendor == "postgresql" else ("<", ">=")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM organisation_employee WHERE is_active "
            f"AND (path {below} %s OR path {at_or_above} %s)",
            [me.path, upper],
        )
        outside = int(cursor.fetchone()[0])
    return regency - outside - (1 if me.is_active else 0)


# SQLite: at most this many employees read in (depth, name) order to fill a page by walking.
WALK_MAX_ROWS = 2000


def _walk_is_cheap(offset: int, members: int, regency: int | None = None) -> bool:
    """Whether walking the regency's employees in the page's order (the index
    `employee_depth_name`) finds a page of the team quickly: SQLite only. It keeps no
    statistics, so it always reads the whole team by path and sorts it (the Sekda's first page
    at 100,000 employees: 98 ms; walked, 0.2 ms); PostgreSQL chooses between the two plans
    itself. Walking reads about (offset + page) × regency / members employees."""
    if connection.vendor != "sqlite" or members <= TEAM_PLANS_PAGE_SIZE:
        return False
    if regency is None:
        regency = active_headcount()
    return (offset + TEAM_PLANS_PAGE_SIZE) * regency <= WALK_MAX_ROWS * members


def _walked_page(me: Employee, offset: int) -> list[Employee]:
    """The page of `team_members` at `offset`, found by walking `employee_depth_name` (the same
    conditions and order; tests/performance compares the two page by page)."""
    upper = me.path[:-1] + chr(ord("/") + 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.id FROM organisation_employee e INDEXED BY employee_depth_name "
            "WHERE e.path >= %s AND e.path < %s AND e.is_active AND e.id <> %s "
            "ORDER BY e.depth, e.name, e.id LIMIT %s OFFSET %s",
            [me.path, upper, me.pk, TEAM_PLANS_PAGE_SIZE, offset],
        )
        ids = [row[0] for row in cursor.fetchall()]
    found = Employee.objects.select_related("position", "unit").in_bulk(ids)
    return [found[pk] for pk in ids]


def team_rows(team: list[Employee], year: int) -> list[TeamRow]:
    """TeamRow of each of `team` (in that order), in three queries.

    Indicators and realisations are read as tuples (values_list), not model instances, and
    each indicator's figures come from kinerja.rules.progress as on every other page: the
    Sekda's page of fifty plans reads about 150 indicators and 1,600 realisations."""
    # No default ordering on these reads (Plan's and Realisation's Meta orderings join the
    # employee, RHK and indicator tables only to sort rows that are grouped in Python anyway):
    # for the Sekda's page the realisations read fell from 67 to a few ms on PostgreSQL.
    plans = {p.employee_id: p for p in Plan.objects.filter(employee__in=team, year=year).order_by()}
    indicators = [
        TeamIndicator(*values)
        for values in Indicator.objects.filter(rhk__plan__in=[p.pk for p in plans.values()])
        .order_by()
        .values_list("pk", "rhk__plan_id", "target", "polarity", "aggregation", "monthly_targets")
    ]
    realisations: dict[int, list[Entry]] = defaultdict(list)
    for indicator_id, month, value, is_late, waiting in (
        Realisation.objects.filter(indicator__in=[i.pk for i in indicators])
        .order_by("indicator_id", "month")
        .values_list("indicator_id", "month", "value", _LATE, _WAITING)
    ):
        realisations[indicator_id].append(Entry(month, value, bool(is_late), bool(waiting)))
    months = months_started(year)
    by_plan: dict[int, list[tuple[Decimal | None, list[Entry]]]] = defaultdict(list)
    for indicator in indicators:
        entries = realisations.get(indicator.pk, [])
        figures = indicator_figures(indicator, entries, months)
        by_plan[indicator.plan_id].append((figures.capaian_to_date, entries))
    rows = []
    for employee in team:
        plan = plans.get(employee.pk)
        progress = by_plan.get(plan.pk, []) if plan else []
        rows.append(
            TeamRow(
                employee=employee,
                plan=plan,
                capaian=weighted_capaian(figure for figure, _ in progress),
                missing_this_month=sum(
                    1
                    for _, entries in progress
                    if months and all(e.month != months for e in entries)
                ),
                late_entries=sum(e.is_late for _, entries in progress for e in entries),
                waiting_review=sum(e.waiting for _, entries in progress for e in entries),
            )
        )
    return rows


@dataclass
class CascadeNode:
    label: str
    owner: str
    kind: str  # "goal" or "rhk"
    status: str = ""
    children: list[CascadeNode] = field(default_factory=list)
    # The employee whose own cascade continues below this RHK (shown as a link, not inline).
    continues_with: int | None = None


CASCADE_LEVELS = 3  # the head and two levels below; deeper parts open on demand


def cascade_root(user: User, head_id: int | None) -> Employee | None:
    """Whose cascade to show: the user, or someone in the user's team (404 for anyone else)."""
    me = user.employee
    if me is None:
        return None
    if head_id is None or head_id == me.pk:
        return me
    found = Employee.objects.filter(under(me.path), pk=head_id, is_active=True).first()
    if found is None:
        raise Http404
    return found


def cascade(user: User, year: int, *, head_id: int | None = None) -> list[CascadeNode]:
    """The cascade from the OPD's goals down to each person's RHK, for the user's subtree (or
    the subtree of `head_id` in it) to CASCADE_LEVELS levels, in four queries whatever the size
    of the team: the Sekda's page shows three levels, and each RHK whose owner has a team of
    their own links to that person's cascade."""
    root = cascade_root(user, head_id)
    if root is None:
        return []
    me = root
    # The people shown, found by their depth first (an equality on the leading column of the
    # index `employee_depth_name`, then their path): SQLite, which keeps no statistics, would
    # otherwise walk the whole subtree by path — for the Sekda at 100,000 employees 108 ms,
    # against 7.5 this way.
    shown = Employee.objects.filter(
        under(me.path), depth__in=list(range(me.depth, me.depth + CASCADE_LEVELS))
    ).values("pk")
    rhks = list(
        Rhk.objects.filter(plan__employee__in=shown, plan__year=year)
        .select_related("plan__employee")
        .order_by("plan__employee__depth", "order")
    )
    deepest = me.depth + CASCADE_LEVELS - 1
    with_team = set(
        Employee.objects.filter(
            under(me.path, "supervisor__path"), depth=deepest + 1, is_active=True
        ).values_list("supervisor_id", flat=True)
    )
    goal_ids = {r.goal_id for r in rhks if r.goal_id}
    goals = list(OrgGoal.objects.filter(pk__in=goal_ids).order_by("number"))
    nodes = {
        r.pk: CascadeNode(
            r.text,
            r.plan.employee.full_name,
            "rhk",
            r.plan.get_status_display(),
            continues_with=r.plan.employee_id if r.plan.employee_id in with_team else None,
        )
        for r in rhks
    }
    goal_nodes = {g.pk: CascadeNode(f"{g.sasaran} — {g.indicator}", "", "goal") for g in goals}
    roots: list[CascadeNode] = list(goal_nodes.values())
    for r in rhks:
        node = nodes[r.pk]
        if r.parent_id in nodes:
            nodes[r.parent_id].children.append(node)
        elif r.goal_id in goal_nodes:
            goal_nodes[r.goal_id].children.append(node)
        else:
            roots.append(node)
    return roots
