"""The team board: the supervisor's people (a tree, or pages of a large subtree walked in the
database's order) with their precomputed figures and filters, one member's row, and where the
live-update feed starts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Max, Q
from django.http import Http404

from kinerja.core.calendar import months_closed, months_due
from kinerja.organisation.access import under
from kinerja.organisation.models import Employee, User
from kinerja.rules.calendar import MONTHS

from .. import services
from ..models import ChangeEvent, PersonFigures, TeamFigures
from ..paging import LARGE_PAGE_SIZE, _walk_ids, _walk_is_cheap
from ..services import ENTERED, EXPECTED

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


def board_row(
    employee: Employee,
    level: int,
    figures: PersonFigures | None,
    *,
    viewer_id: int | None,
    closed: int,
    due: int,
) -> BoardRow:
    """One person's row from their precomputed figures (the boards and a unit's dashboard)."""
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
    _walk(rows, children, figures, head.pk, 1, viewer_id=me.pk, closed=closed, due=due)
    counts = {"semua": len(rows), **{name: sum(r.matches(name) for r in rows) for name in FILTERS}}
    shown = [r for r in rows if r.matches(filter) and (scope == "semua" or r.is_direct)]
    return Board(year, shown, counts, filter, scope, total=len(rows))


def _walk(
    rows: list[BoardRow],
    children: Mapping[int | None, list[Employee]],
    figures: Mapping[int, PersonFigures],
    parent_id: int,
    level: int,
    *,
    viewer_id: int,
    closed: int,
    due: int,
) -> int:
    """Append the rows below `parent_id` to `rows` in the board's order (by name, each
    person followed by their own team); returns how many. A function of the module, not a
    closure that calls itself: such a closure is a reference cycle, which kept the board's rows
    and figures alive after the request until the garbage collector found them."""
    count = 0
    for person in sorted(children.get(parent_id, []), key=lambda e: (e.name, e.pk)):
        row = board_row(
            person, level, figures.get(person.pk), viewer_id=viewer_id, closed=closed, due=due
        )
        rows.append(row)
        row.reports = _walk(
            rows,
            children,
            figures,
            person.pk,
            level + 1,
            viewer_id=viewer_id,
            closed=closed,
            due=due,
        )
        count += 1 + row.reports
    return count


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
            board_row(
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
        row = board_row(
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


def team_summary_row(
    user: User, employee: Employee, *, year: int
) -> tuple[PersonFigures | None, TeamFigures | None]:
    """One row of a large board (a direct report with their team's figures), for a live
    refresh: the person's figures and their team's (two queries)."""
    assert user.employee is not None
    figures = PersonFigures.objects.filter(year=year, employee=employee).first()
    return figures, _team_figures([employee.pk], year).get(employee.pk)


def team_row(user: User, employee: Employee, *, year: int) -> BoardRow:
    """One row of the board, for a live refresh (two queries)."""
    me = user.employee
    assert me is not None
    figures = PersonFigures.objects.filter(year=year, employee=employee).first()
    level = employee.path.count("/") - me.path.count("/")
    row = board_row(
        employee,
        level,
        figures,
        viewer_id=me.pk,
        closed=months_closed(year),
        due=months_due(year),
    )
    row.reports = Employee.objects.filter(under(employee.path), is_active=True).count() - 1
    return row
