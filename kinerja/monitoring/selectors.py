"""Reads of monitoring, scoped by organisation.access. Dashboards read the precomputed figures
(PersonFigures, UnitFigures) in a fixed number of queries whatever the team or regency size;
"Kinerja saya" reads the one plan it shows through kinerja.performance.selectors."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Max, Q
from django.http import Http404

from kinerja.core.calendar import months_closed, months_due, months_started
from kinerja.organisation import access
from kinerja.organisation.access import under
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance import selectors as performance
from kinerja.performance.choices import IndicatorSource
from kinerja.performance.models import Comment, Plan
from kinerja.rules.calendar import MONTHS
from kinerja.rules.projection import Projection, project
from kinerja.rules.realisation import target_for_months

from . import external, services
from .models import ChangeEvent, PersonFigures, TeamFigures, UnitFigures
from .paging import LARGE_PAGE_SIZE, _walk_ids, _walk_is_cheap
from .services import (
    CAPAIAN_N,
    CAPAIAN_SUM,
    ENTERED,
    EXPECTED,
    ON_TIME,
)

FILTERS = ("risiko", "menunggu", "terlambat")


def last_change_id() -> int:
    """The newest row of the live-update feed (where a page's stream starts)."""
    return ChangeEvent.objects.aggregate(m=Max("id"))["m"] or 0


# --- Team board ---------------------------------------------------------------------------


@dataclass
class BoardRow:
    """One person on a supervisor's board."""

    employee: Employee
    level: int  # 1 = direct report
    figures: PersonFigures | None
    risks: list[dict[str, Any]]
    overdue: list[int]  # months past their deadline with entries missing
    waiting_for_me: int
    reports: int = 0  # people below this person in the viewer's subtree
    jp: Any = None  # JpTotals of the year (kinerja.competency); None: unknown

    @property
    def is_direct(self) -> bool:
        return self.level == 1

    @property
    def late(self) -> bool:
        return bool(self.overdue) or bool(self.figures and self.figures.late_entries)

    @property
    def overdue_names(self) -> list[str]:
        return [MONTHS[m - 1] for m in self.overdue]

    @property
    def trend(self) -> list[float | None]:
        return list(self.figures.trend) if self.figures else []

    def matches(self, name: str) -> bool:
        if name == "risiko":
            return bool(self.risks)
        if name == "menunggu":
            return self.waiting_for_me > 0
        if name == "terlambat":
            return self.late
        return True


@dataclass
class Board:
    year: int
    rows: list[BoardRow]
    counts: dict[str, int]
    filter: str = ""
    scope: str = "semua"
    total: int = 0
    # Large teams (more than MONITORING_BOARD_TREE_LIMIT people below the head): the rows are
    # the head's direct reports, each with their whole team's figures (TeamFigures), and a
    # filter lists matching people across the team one page at a time from the database.
    summary: bool = False
    head: Employee | None = None  # whose team is shown: the viewer, or someone below them
    trail: list[Employee] = field(default_factory=list)  # viewer's direct report → head
    teams: dict[int, TeamFigures] = field(default_factory=dict)
    page: Page[int] | None = None  # the page of a filtered large board, paginated in the database


def _row(
    employee: Employee,
    level: int,
    figures: PersonFigures | None,
    *,
    viewer_id: int | None,
    closed: int,
    due: int,
) -> BoardRow:
    risks: list[dict[str, Any]] = []
    overdue: list[int] = []
    waiting = 0
    if figures is not None and figures.plan_id is not None:
        risks = (
            list(figures.at_risk)
            if figures.risk_basis == closed
            else services.indicator_risks(figures.indicators, closed)
        )
        overdue = [
            m
            for m in range(1, due + 1)
            if figures.months[m - 1][EXPECTED] > figures.months[m - 1][ENTERED]
        ]
        if viewer_id is not None and figures.assessor_id == viewer_id:
            waiting = figures.waiting_review
    return BoardRow(employee, level, figures, risks, overdue, waiting)


def _subtree(me: Employee) -> list[Employee]:
    return list(
        Employee.objects.filter(under(me.path), is_active=True)
        .exclude(pk=me.pk)
        .select_related("position", "unit")
        .order_by()  # ordered in Python (tree order); no sort, no scan of the name index
    )


def tree_limit() -> int:
    return int(getattr(settings, "MONITORING_BOARD_TREE_LIMIT", 150))


def _team_figures(heads: list[int], year: int) -> dict[int, TeamFigures]:
    """The team figures of `heads`, computing the ones not there yet (a fresh database before
    its first rebuild) so a board never shows a team as empty by mistake."""
    found = {t.employee_id: t for t in TeamFigures.objects.filter(year=year, employee_id__in=heads)}
    missing = [h for h in heads if h not in found]
    if missing:
        for row in services.team_figures_refresh(employee_ids=missing, year=year):
            found[row.employee_id] = row
    return found


def team_board(
    user: User,
    *,
    year: int,
    filter: str = "",
    scope: str = "semua",
    head_id: int | None = None,
    page: Any = None,
) -> Board:
    """The board of everyone below `user` in the reporting lines — or below `head_id`, someone
    in the user's team, when the user drills down.

    Up to MONITORING_BOARD_TREE_LIMIT people: everyone in tree order (each direct report
    followed by their own team), in two queries. Larger teams (an OPD head, the Sekda): the
    head's direct reports with their teams' figures, a fixed number of queries whatever the
    size; a filter pages through the matching people in the database."""
    filter = filter if filter in FILTERS else ""
    scope = scope if scope in ("semua", "langsung") else "semua"
    if user.employee_id is None:
        return Board(year, [], dict.fromkeys(("semua", *FILTERS), 0), filter, scope)
    me = user.employee
    assert me is not None
    head = me if head_id is None or head_id == me.pk else team_member_get(user, head_id)
    trail: list[Employee] = []
    if head.pk != me.pk:
        chain = [int(p) for p in head.path.strip("/").split("/")]
        ids = chain[chain.index(me.pk) + 1 :]
        found = {e.pk: e for e in Employee.objects.filter(pk__in=ids).only("pk", "name")}
        trail = [found[i] for i in ids if i in found]
    # The head's team, and (same query) the reporting root's: its size is the regency's, which
    # the filtered large board needs to choose how to page (see _walk_ids).
    root = int(head.path.strip("/").split("/")[0])
    teams = _team_figures(list(dict.fromkeys([head.pk, root])), year)
    team = teams.get(head.pk)
    if team is not None and team.people > tree_limit():
        regency = teams[root].people + 1 if root in teams else team.people
        return _large_board(
            me, head, trail, team, year=year, filter=filter, page=page, regency=regency
        )
    board = _tree_board(me, head, year=year, filter=filter, scope=scope)
    board.head, board.trail = head, trail
    return board


def _tree_board(me: Employee, head: Employee, *, year: int, filter: str, scope: str) -> Board:
    people = _subtree(head)
    figures = {
        f.employee_id: f
        for f in PersonFigures.objects.filter(year=year, employee__in=[p.pk for p in people])
    }
    closed, due = months_closed(year), months_due(year)
    children: dict[int | None, list[Employee]] = defaultdict(list)
    for person in people:
        children[person.supervisor_id].append(person)
    rows: list[BoardRow] = []

    def walk(parent_id: int, level: int) -> int:
        count = 0
        for person in sorted(children.get(parent_id, []), key=lambda e: (e.name, e.pk)):
            row = _row(
                person,
                level,
                figures.get(person.pk),
                viewer_id=me.pk,
                closed=closed,
                due=due,
            )
            rows.append(row)
            row.reports = walk(person.pk, level + 1)
            count += 1 + row.reports
        return count

    walk(head.pk, 1)
    counts = {"semua": len(rows), **{name: sum(r.matches(name) for r in rows) for name in FILTERS}}
    shown = [r for r in rows if r.matches(filter) and (scope == "semua" or r.is_direct)]
    return Board(year, shown, counts, filter, scope, total=len(rows))


def _large_board(
    me: Employee,
    head: Employee,
    trail: list[Employee],
    team: TeamFigures,
    *,
    year: int,
    filter: str,
    page: Any,
    regency: int,
) -> Board:
    closed, due = months_closed(year), months_due(year)
    below = under(head.path, "employee__path") & ~Q(employee_id=head.pk)
    waiting_for_me = PersonFigures.objects.filter(
        below, year=year, assessor_id=me.pk, waiting_review__gt=0, employee__is_active=True
    )
    counts = {
        "semua": team.people,
        "risiko": team.at_risk,
        "menunggu": waiting_for_me.count(),
        "terlambat": team.late,
    }
    board = Board(
        year, [], counts, filter, "semua", total=team.people, summary=True, head=head, trail=trail
    )
    depth = me.path.count("/")
    if filter:
        matching = {
            "risiko": Q(is_at_risk=True),
            "menunggu": Q(assessor_id=me.pk, waiting_review__gt=0),
            "terlambat": services.late_condition(due),
        }[filter]
        # Ordered by (name, NIP), the order of the employee index `employee_name_nip`: where
        # most of the team matches (late in a month's first days), the database walks that
        # index and stops after one page instead of sorting thousands of rows; where few
        # match, it sorts the few. Ids only (the wide JSON columns never go through the sort),
        # the count taken from the team figures, then the one page of rows fetched by id.
        page_ids = (
            PersonFigures.objects.filter(below, matching, year=year, employee__is_active=True)
            .order_by("employee__name", "employee__nip")
            .values_list("pk", flat=True)
        )
        paginator = Paginator(page_ids, LARGE_PAGE_SIZE)
        paginator.count = counts[filter]  # the cached_property, known here
        board.page = paginator.get_page(page)
        offset = board.page.start_index() - 1 if counts[filter] else 0
        if _walk_is_cheap(offset, counts[filter], regency):
            board.page.object_list = wanted = _walk_ids(
                head, filter, viewer=me.pk, year=year, due=due, offset=offset
            )
        else:
            wanted = list(board.page.object_list)
        found = {
            f.pk: f
            for f in PersonFigures.objects.filter(pk__in=wanted).select_related(
                "employee__position", "employee__unit"
            )
        }
        board.rows = [
            _row(
                f.employee,
                f.employee.path.count("/") - depth,
                f,
                viewer_id=me.pk,
                closed=closed,
                due=due,
            )
            for f in (found[pk] for pk in wanted if pk in found)
        ]
        return board
    direct = list(
        Employee.objects.filter(supervisor=head, is_active=True)
        .select_related("position", "unit")
        .order_by("name", "pk")
    )
    ids = [e.pk for e in direct]
    figures_of = {
        f.employee_id: f for f in PersonFigures.objects.filter(year=year, employee_id__in=ids)
    }
    board.teams = _team_figures(ids, year)
    for person in direct:
        row = _row(
            person,
            person.path.count("/") - depth,
            figures_of.get(person.pk),
            viewer_id=me.pk,
            closed=closed,
            due=due,
        )
        team_of = board.teams.get(person.pk)
        row.reports = team_of.people if team_of else 0
        board.rows.append(row)
    return board


def team_member_get(user: User, employee_id: int) -> Employee:
    """Someone below `user` in the reporting lines (404 for anyone else)."""
    me = user.employee
    if me is None:
        raise Http404
    try:
        return (
            Employee.objects.filter(under(me.path), is_active=True)
            .exclude(pk=me.pk)
            .select_related("position", "unit")
            .get(pk=employee_id)
        )
    except (Employee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def team_row(user: User, employee: Employee, *, year: int) -> BoardRow:
    """One row of the board, for a live refresh (two queries)."""
    me = user.employee
    assert me is not None
    figures = PersonFigures.objects.filter(year=year, employee=employee).first()
    level = employee.path.count("/") - me.path.count("/")
    row = _row(
        employee,
        level,
        figures,
        viewer_id=me.pk,
        closed=months_closed(year),
        due=months_due(year),
    )
    row.reports = Employee.objects.filter(under(employee.path), is_active=True).count() - 1
    return row


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
    monthly = services._decimal_list(indicator.monthly_targets)
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
    months: list[list[Any]] = field(default_factory=services._empty_months)

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
        _row(p, 1, person_figures.get(p.pk), viewer_id=None, closed=closed, due=due) for p in people
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
