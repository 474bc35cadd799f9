"""Boards of heads of large teams (issue 16, item 2; issue 10, item 13): past
MONITORING_BOARD_TREE_LIMIT people the board shows the head's direct reports with their whole
team's figures (TeamFigures), drills down on demand, and filters page through the database —
a fixed number of queries whatever the team size. The figures must agree with the full tree.

The demo (400 people) is seeded once for the module on the demo day and rolled back after."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Q
from django.http import Http404
from django.test import Client

from kinerja.core.calendar import months_due
from kinerja.monitoring import paging, selectors, services
from kinerja.monitoring.models import PersonFigures, TeamFigures
from kinerja.organisation.access import under
from kinerja.organisation.models import Employee, User
from kinerja.performance.choices import PlanStatus
from tests.factories import make_user

from .. import clock
from ..demo_module import seeded_demo, top_account


@pytest.fixture(scope="module", autouse=True)
def _on_demo_day() -> Iterator[None]:
    yield from clock.demo_day()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:  # type: ignore[no-untyped-def]
    yield from seeded_demo(django_db_blocker, tmp_path_factory, employees=400, seed=7, figures=True)


@pytest.fixture
def top(seeded: None, db) -> User:  # type: ignore[no-untyped-def]
    return top_account()


def year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def full_tree(user: User, settings: Any, **kw: Any) -> selectors.Board:
    settings.MONITORING_BOARD_TREE_LIMIT = 10**6
    return selectors.team_board(user, year=year(), **kw)


def large(user: User, settings: Any, **kw: Any) -> selectors.Board:
    settings.MONITORING_BOARD_TREE_LIMIT = 20
    return selectors.team_board(user, year=year(), **kw)


def test_each_direct_report_carries_the_figures_of_their_whole_team(top: User, settings) -> None:  # type: ignore[no-untyped-def]
    tree = full_tree(top, settings)
    board = large(top, settings)
    assert board.summary and tree.total == board.total > 20
    assert board.counts == tree.counts
    direct = [r for r in tree.rows if r.is_direct]
    assert [r.employee.pk for r in board.rows] == sorted(
        (r.employee.pk for r in direct),
        key=lambda pk: (Employee.objects.get(pk=pk).name, pk),
    )
    for row in board.rows:
        team = board.teams[row.employee.pk]
        below = [
            r
            for r in tree.rows
            if r.employee.path.startswith(row.employee.path) and r.employee.pk != row.employee.pk
        ]
        assert team.people == row.reports == len(below)
        assert team.at_risk == sum(r.matches("risiko") for r in below)
        assert team.late == sum(r.matches("terlambat") for r in below)
        assert team.approved == sum(
            bool(r.figures and r.figures.plan_status == PlanStatus.APPROVED) for r in below
        )


def test_a_filter_pages_through_the_whole_team_in_the_database(top: User, settings) -> None:  # type: ignore[no-untyped-def]
    tree = full_tree(top, settings, filter="terlambat")
    board = large(top, settings, filter="terlambat")
    assert board.page is not None
    assert board.page.paginator.count == len(tree.rows) == board.counts["terlambat"]
    assert all(r.matches("terlambat") for r in board.rows)
    assert len(board.rows) == min(len(tree.rows), paging.LARGE_PAGE_SIZE)


def test_the_large_board_costs_the_same_queries_whatever_the_team(
    top: User, settings, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    large(top, settings)  # team figures exist after the rebuild; warm nothing else
    with django_assert_max_num_queries(8):
        large(top, settings)
    with django_assert_max_num_queries(8):
        large(top, settings, filter="risiko")


def test_drilling_down_shows_a_members_team_and_nobody_elses(top: User, settings) -> None:  # type: ignore[no-untyped-def]
    board = large(top, settings)
    member = max(board.rows, key=lambda r: r.reports).employee
    below = large(top, settings, head_id=member.pk)
    assert below.head == member and below.trail == [member]
    assert below.total == board.teams[member.pk].people
    stranger = Employee.objects.exclude(path__startswith=top.employee.path).first()  # type: ignore[union-attr]
    if stranger is not None:
        with pytest.raises(Http404):
            large(top, settings, head_id=stranger.pk)
    # A member cannot look above themself.
    member_user = User.objects.filter(employee=member).first() or make_user(employee=member)
    with pytest.raises(Http404):
        large(member_user, settings, head_id=top.employee_id)


def test_the_page_shows_teams_and_the_drill_down(top: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MONITORING_BOARD_TREE_LIMIT = 20
    client = Client()
    client.force_login(top)
    page = client.get("/pantau/tim/").content.decode()
    assert "Tim ini besar" in page and "Lihat tim" in page
    member = large(top, settings).rows[0].employee
    drilled = client.get(f"/pantau/tim/?atasan={member.pk}")
    assert drilled.status_code == 200
    assert f"Tim {member.name}" in drilled.content.decode()
    assert client.get("/pantau/tim/?atasan=99999999").status_code == 404
    for name in ("terlambat", "risiko", "menunggu"):
        filtered = client.get(f"/pantau/tim/?saring={name}")
        assert filtered.status_code == 200
        assert "data-team-board" in filtered.content.decode()


def test_refreshing_one_chain_agrees_with_the_bulk_rebuild(top: User) -> None:
    """The two ways of computing team figures (per chain after a change, in bulk after a
    rebuild) give the same numbers for every head."""
    y = year()
    services.team_figures_rebuild(year=y)
    fields = ("people", "plans", "approved", "with_capaian", "at_risk", "late", "waiting")
    bulk = {
        t.employee_id: (*[getattr(t, f) for f in fields], t.capaian_sum)
        for t in TeamFigures.objects.filter(year=y)
    }
    services.team_figures_refresh(employee_ids=list(bulk), year=y)
    chained = {
        t.employee_id: (*[getattr(t, f) for f in fields], t.capaian_sum)
        for t in TeamFigures.objects.filter(year=y)
    }
    assert chained == bulk
    someone = PersonFigures.objects.filter(year=y).select_related("employee").last()
    assert someone is not None
    depth = someone.employee.path.strip("/").count("/")
    assert services.team_figures_refresh_chain(employee_id=someone.employee_id, year=y) == depth


TEAM_FIELDS = ("people", "plans", "approved", "with_capaian", "at_risk", "late", "waiting")


def _teams(heads: list[int] | None = None) -> dict[int, tuple[Any, ...]]:
    rows = TeamFigures.objects.filter(year=year())
    if heads is not None:
        rows = rows.filter(employee_id__in=heads)
    return {t.employee_id: (*[getattr(t, f) for f in TEAM_FIELDS], t.capaian_sum) for t in rows}


def _chain(employee: Employee) -> list[int]:
    return [int(p) for p in employee.path.strip("/").split("/")[:-1]]


def test_a_chain_refreshed_from_direct_reports_equals_counting_everyone_below(top: User) -> None:
    """After people's figures change (a new capaian, a plan sent back, someone at risk, late,
    waiting, a person leaving), refreshing each changed person's chain from the heads' direct
    reports gives exactly what counting everyone below each head gives."""
    from django.utils import timezone

    y = year()
    services.team_figures_rebuild(year=y)
    due = months_due(y)
    changed = list(
        PersonFigures.objects.filter(year=y, plan_id__isnull=False)
        .select_related("employee")
        .order_by("-employee__depth", "employee_id")[:6]
    )
    assert len(changed) == 6
    edits = [
        {"capaian": "123.4567"},
        {"plan_status": PlanStatus.DRAFT, "capaian": None},
        {"is_at_risk": True, "at_risk": [1]},
        {"late_entries": 0, "first_missing_month": max(due, 1)},
        {"waiting_review": 7},
    ]
    for row, edit in zip(changed, edits, strict=False):
        PersonFigures.objects.filter(pk=row.pk).update(**edit, refreshed_at=timezone.now())
    Employee.objects.filter(pk=changed[5].employee_id).update(is_active=False)
    for row in changed:
        services.team_figures_refresh_chain(employee_id=row.employee_id, year=y)
    heads = sorted({h for row in changed for h in _chain(row.employee)})
    chained = _teams(heads)
    services.team_figures_refresh(employee_ids=heads, year=y)
    assert chained == _teams(heads)
    services.team_figures_rebuild(year=y)  # it writes no row for a team nobody active is in
    nobody = (0,) * len(TEAM_FIELDS) + (Decimal("0.0000"),)
    assert chained == {h: _teams(heads).get(h, nobody) for h in heads}


def test_a_report_heading_a_team_without_figures_yet_is_counted_in_full(top: User) -> None:
    """A fresh database has no team rows: a chain's lower heads are counted from everyone
    below them, once, and the chain's totals are still exact."""
    y = year()
    services.team_figures_rebuild(year=y)
    expected = _teams()
    TeamFigures.objects.filter(year=y).delete()
    someone = (
        PersonFigures.objects.filter(year=y)
        .select_related("employee")
        .order_by("-employee__depth")
        .first()
    )
    assert someone is not None
    chain = _chain(someone.employee)
    assert services.team_figures_refresh_chain(employee_id=someone.employee_id, year=y) == len(
        chain
    )
    got = _teams(chain)
    assert got == {h: expected[h] for h in chain}


def test_a_chain_refresh_reads_the_same_few_rows_whatever_the_team(
    top: User, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """Each save queues its chain's refresh; a burst of saves at month end refreshes the
    Sekda's row each time, so that refresh reads the heads' direct reports, never everyone
    below: the same handful of queries for the Sekda's chain as for a small team's."""
    y = year()
    services.team_figures_rebuild(year=y)
    deepest = (
        PersonFigures.objects.filter(year=y)
        .select_related("employee")
        .order_by("-employee__depth")
        .first()
    )
    assert deepest is not None
    # path; lock; reports (and which of them lead a team); their figures; their teams; one
    # upsert; and, inside the test's transaction, a savepoint and its release
    with django_assert_max_num_queries(8):
        depth = services.team_figures_refresh_chain(employee_id=deepest.employee_id, year=y)
    assert depth == len(_chain(deepest.employee)) >= 2
    # Twice in a row: no head is skipped (a skip could miss a change not yet committed).
    assert services.team_figures_refresh_chain(employee_id=deepest.employee_id, year=y) == depth


def _edit_figures(y: int) -> list[PersonFigures]:
    """Change six people's figures (deepest first) as saves would, without refreshing teams."""
    from django.utils import timezone

    changed = list(
        PersonFigures.objects.filter(year=y, plan_id__isnull=False)
        .select_related("employee")
        .order_by("-employee__depth", "employee_id")[::37][:6]
    )
    assert len(changed) == 6
    edits = [
        {"capaian": "101.2345"},
        {"plan_status": PlanStatus.DRAFT, "capaian": None},
        {"is_at_risk": True, "at_risk": [1]},
        {"waiting_review": 3},
        {"capaian": "55.5"},
        {"late_entries": 4},
    ]
    for row, edit in zip(changed, edits, strict=True):
        PersonFigures.objects.filter(pk=row.pk).update(**edit, refreshed_at=timezone.now())
    return changed


def test_several_chains_at_once_equal_one_chain_at_a_time(
    top: User, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """The task worker's batch refreshes the chains of several savers together, each shared
    head once: the same rows as refreshing each saver's chain in turn, and as counting
    everyone below each head, in as many queries as one chain."""
    y = year()
    services.team_figures_rebuild(year=y)
    changed = _edit_figures(y)
    heads = sorted({h for row in changed for h in _chain(row.employee)})
    with django_assert_max_num_queries(8):
        written = services.team_figures_refresh_chains(
            employee_ids=[row.employee_id for row in changed], year=y
        )
    assert written == len(heads)
    together = _teams(heads)
    for row in changed:
        services.team_figures_refresh_chain(employee_id=row.employee_id, year=y)
    assert _teams(heads) == together
    services.team_figures_refresh(employee_ids=heads, year=y)
    assert _teams(heads) == together
    assert services.team_figures_refresh_chains(employee_ids=[], year=y) == 0


def test_the_worker_runs_a_burst_of_queued_refreshes_as_one(
    top: User, settings, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """A month-end burst queues one unit-and-team refresh per save; the database worker claims
    the queued ones together and runs them as one (kinerja.core.taskbatch): every task is
    recorded as done, and the figures are exactly those of running them one by one. A task of
    another kind is not swept into the batch."""
    from unittest import mock

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker drops a connection left outside autocommit before each fetch; here that is the
    # test's own transaction, which must stay open (tests/core/test_db_worker.py runs a real one).
    with mock.patch("kinerja.core.management.commands.db_worker.close_old_connections"):
        _burst(django_assert_max_num_queries)


def _burst(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    from kinerja.core.management.commands.db_worker import ResilientWorker
    from kinerja.monitoring import tasks
    from kinerja.monitoring.models import UnitFigures

    y = year()
    services.figures_rebuild(year=y)
    changed = _edit_figures(y)
    units = sorted({row.employee.unit_id for row in changed})
    queued = [
        tasks.refresh_unit_and_team_figures.enqueue(
            unit_id=row.employee.unit_id, employee_id=row.employee_id, year=y
        )
        for row in changed
    ]
    # A call the task cannot take (a bug's, say) fails alone, not the batch.
    broken = tasks.refresh_unit_and_team_figures.enqueue(
        unit_id=units[0], employee_id=changed[0].employee_id, year=y, bogus=1
    )
    other = tasks.refresh_person_figures.enqueue(employee_id=changed[0].employee_id, year=y)
    worker = ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-batch",
        excluded_queue_names=[],
    )
    claimed = worker.fetch()
    assert claimed is not None and claimed.task_path == queued[0].task.module_path
    assert sorted(str(t.pk) for t in [claimed, *claimed.batch_companions]) == sorted(
        str(t.id) for t in [*queued, broken]
    )
    heads = sorted({h for row in changed for h in _chain(row.employee)})
    # Every unit, then every head once: not one chain and one unit per task.
    with django_assert_max_num_queries(len(units) * 5 + 8 + (len(queued) + 1) * 2):
        worker.run_task(claimed)
    done = {str(pk): status for pk, status in DBTaskResult.objects.values_list("id", "status")}
    assert {done[t.id] for t in queued} == {"SUCCESSFUL"}
    assert done[broken.id] == "FAILED"
    assert done[other.id] == "READY"
    batched_teams = _teams(heads)
    batched_units = {
        u.unit_id: (u.plans, u.with_capaian, u.capaian_sum, u.at_risk_people, u.months)
        for u in UnitFigures.objects.filter(year=y, unit_id__in=units)
    }
    for row in changed:  # one by one, as before
        tasks.refresh_unit_and_team_figures.call(
            unit_id=row.employee.unit_id, employee_id=row.employee_id, year=y
        )
    assert _teams(heads) == batched_teams
    assert batched_units == {
        u.unit_id: (u.plans, u.with_capaian, u.capaian_sum, u.at_risk_people, u.months)
        for u in UnitFigures.objects.filter(year=y, unit_id__in=units)
    }
    alone = worker.fetch()  # the other kind, next in the queue: claimed and run by itself
    assert alone is not None and str(alone.pk) == other.id and alone.batch_companions == []
    worker.run_task(alone)
    # The batch's failure is every task's (the queue's recovery retries them).
    again = [
        tasks.refresh_unit_and_team_figures.enqueue(
            unit_id=row.employee.unit_id, employee_id=row.employee_id, year=y
        )
        for row in changed[:2]
    ]
    from unittest import mock

    with mock.patch.object(
        services, "team_figures_refresh_chains", side_effect=RuntimeError("boom")
    ):
        claimed = worker.fetch()
        assert claimed is not None
        worker.run_task(claimed)
    statuses = {str(pk): status for pk, status in DBTaskResult.objects.values_list("id", "status")}
    assert {statuses[t.id] for t in again} == {"FAILED"}


def test_a_filtered_board_pages_by_name_and_nip_through_everyone(top: User, settings) -> None:  # type: ignore[no-untyped-def]
    """The order the database can read from the employee index (name, NIP): pages are
    disjoint, in that order, and together hold exactly the matching people."""
    tree = full_tree(top, settings, filter="terlambat")
    first = large(top, settings, filter="terlambat")
    assert first.page is not None
    seen = []
    for number in first.page.paginator.page_range:
        board = large(top, settings, filter="terlambat", page=number)
        assert len(board.rows) <= paging.LARGE_PAGE_SIZE
        seen += [r.employee for r in board.rows]
    assert [(e.name, e.nip) for e in seen] == sorted((e.name, e.nip) for e in seen)
    assert sorted(e.pk for e in seen) == sorted(r.employee.pk for r in tree.rows)


@pytest.mark.parametrize("name", ["", "risiko", "menunggu", "terlambat"])
def test_the_large_board_page_has_a_fixed_query_count(  # type: ignore[no-untyped-def]
    top: User, settings, name: str, django_assert_num_queries
) -> None:
    """The whole page (session, user, board, JP column, live feed start, menu), cold: the same
    number of queries for the Sekda of 10,000 as for this 400-person demo."""
    from django.core.cache import cache

    settings.MONITORING_BOARD_TREE_LIMIT = 20
    client = Client()
    client.force_login(top)
    url = "/pantau/tim/" + (f"?saring={name}" if name else "")
    client.get(url)  # team figures exist; the session is warm
    cache.clear()
    # One fewer than before issue 16 item 4: the session's user is read with their employee.
    expected = {"": 14, "risiko": 13, "menunggu": 13, "terlambat": 13}[name]
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-label="Pegawai"' in page or "Tim ini besar" in page


@pytest.mark.parametrize("name", ["risiko", "menunggu", "terlambat"])
def test_the_sqlite_index_walk_pages_exactly_like_the_sorted_query(  # type: ignore[no-untyped-def]
    top: User, settings, name: str
) -> None:
    """On SQLite a dense filter pages by walking the name index (hand-written SQL); every page
    must hold the ids the ORM's sorted query gives."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the walk is SQLite's (PostgreSQL's planner chooses it itself)")
    board = large(top, settings, filter=name)
    assert board.page is not None
    head = top.employee
    assert head is not None
    below = under(head.path, "employee__path") & ~Q(employee_id=head.pk)
    matching = {
        "risiko": Q(is_at_risk=True),
        "menunggu": Q(assessor_id=head.pk, waiting_review__gt=0),
        "terlambat": services.late_condition(months_due(year())),
    }[name]
    sorted_ids = list(
        PersonFigures.objects.filter(below, matching, year=year(), employee__is_active=True)
        .order_by("employee__name", "employee__nip")
        .values_list("pk", flat=True)
    )
    assert board.counts[name] == len(sorted_ids)
    size = paging.LARGE_PAGE_SIZE
    for offset in range(0, max(len(sorted_ids), 1), size):
        walked = paging._walk_ids(
            head,
            name,
            viewer=head.pk,
            year=year(),
            due=months_due(year()),
            offset=offset,
        )
        assert walked == sorted_ids[offset : offset + size]


def test_the_walk_is_chosen_only_where_it_reads_few_rows() -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        assert not paging._walk_is_cheap(0, 9000, 10_000)
        return
    assert paging._walk_is_cheap(0, 8700, 10_000)  # the Sekda's late list, first page
    assert not paging._walk_is_cheap(0, 3, 10_000)  # three people waiting: sort them
    assert not paging._walk_is_cheap(5000, 8700, 10_000)  # a deep page: sort
    assert not paging._walk_is_cheap(0, 0, 10_000)


@pytest.mark.parametrize("query", ["", "?saring=risiko", "?saring=menunggu", "?saring=terlambat"])
def test_the_large_board_page_costs_a_fixed_number_of_queries_even_cold(
    top: User, settings, query: str, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """The whole request of a large supervisor's board (session, user, the board, the JP
    column, the live feed's start, the menu), with every cache empty as after a restart or a
    deploy (bench: team_board_top_p95_ms_10k), and never the realisation table."""
    from django.core.cache import cache

    settings.MONITORING_BOARD_TREE_LIMIT = 20
    client = Client()
    client.force_login(top)
    client.get(f"/pantau/tim/{query}")
    cache.clear()
    with django_assert_max_num_queries(15) as cold:
        assert client.get(f"/pantau/tim/{query}").status_code == 200
    assert not [q for q in cold.captured_queries if "performance_realisation" in q["sql"]]
    with django_assert_max_num_queries(len(cold.captured_queries)):
        assert client.get(f"/pantau/tim/{query}").status_code == 200


def test_every_night_every_team_is_counted_again(top: User) -> None:
    """A head's row is built on the rows below, whose "late" was counted with the due months
    of their last refresh: the scheduler's `angka_tim` (daily, just after midnight) counts
    every team again with the day's due months."""
    from kinerja.adoption.schedule import job_named, run_job

    y = year()
    assert job_named("angka_tim").cron == "10 0 * * *"
    services.team_figures_rebuild(year=y)
    expected = _teams()
    TeamFigures.objects.filter(year=y).update(late=999, waiting=999)
    detail = run_job("angka_tim")
    assert detail == f"angka tim {len(expected)} atasan dihitung ulang untuk {y}"
    assert _teams() == expected


def test_a_tree_board_is_freed_without_the_garbage_collector(top: User, settings) -> None:  # type: ignore[no-untyped-def]
    """The board's rows and figures are freed as soon as the board is dropped, by reference
    counting: the recursive walk that built them once was a closure calling itself, a cycle
    that kept them all until a full collection."""
    import gc

    from kinerja.monitoring.selectors.board import BoardRow

    def alive() -> int:
        return sum(1 for o in gc.get_objects() if type(o) in (BoardRow, PersonFigures))

    full_tree(top, settings)  # one-off imports and caches first
    gc.collect()
    gc.disable()
    try:
        before = alive()
        board = full_tree(top, settings)
        assert len(board.rows) > 100 and alive() >= before + 2 * len(board.rows)
        del board
        assert alive() == before
    finally:
        gc.enable()


def _row(page: str, employee_id: int) -> str:
    import re

    found = re.search(rf'<tr id="orang-{employee_id}" .*?</tr>', page, re.DOTALL)
    assert found, f"no row of {employee_id}"
    return found.group(0)


def test_the_workers_team_refresh_updates_the_large_boards_row_above_the_saver(
    top: User, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """A large board's rows are the direct reports with their teams' figures: when someone far
    below saves, the task worker recomputes the heads above them and announces each head once
    (topic "team"); the stream names, among those, the viewer's direct report on the saver's
    chain; that row is re-fetched (`?ringkas=1`) with the new team figures, the same HTML as
    the board's row."""
    from kinerja.monitoring import live, tasks
    from kinerja.monitoring.models import ChangeEvent

    settings.MONITORING_BOARD_TREE_LIMIT = 20
    y = year()
    services.team_figures_rebuild(year=y)
    me = top.employee
    assert me is not None
    savers = list(
        PersonFigures.objects.filter(
            year=y, plan_id__isnull=False, employee__depth__gte=me.depth + 3
        )
        .select_related("employee")
        .order_by("-employee__depth", "employee_id")[:2]
    )
    assert savers, "the demo has people three levels below the top"
    parts = savers[0].employee.path.strip("/").split("/")
    report = int(parts[parts.index(str(me.pk)) + 1])  # my direct report above the saver
    client = Client()
    client.force_login(top)
    row = _row(client.get(f"/pantau/tim/?tahun={y}").content.decode(), report)
    assert "data-team-row" in row and f'data-employee-row="{report}"' in row
    url = f"/pantau/tim/{report}/baris/?tahun={y}&ringkas=1"
    assert f'data-row-url="{url.replace("&", "&amp;")}"' in row
    assert client.get(url).content.decode().strip() == row

    start = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for saver in savers:
        PersonFigures.objects.filter(pk=saver.pk).update(capaian=Decimal("1.5"))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.refresh_unit_and_team_figures_many(
            [
                {"unit_id": s.employee.unit_id, "employee_id": s.employee_id, "year": y}
                for s in savers
            ]
        )
    announced = list(
        ChangeEvent.objects.filter(id__gt=start, topic="team").values_list("employee_id", "path")
    )
    heads = {h for s in savers for h in _chain(s.employee)}
    assert sorted(pk for pk, _path in announced) == sorted(heads)  # each head once, one batch
    assert all(path.endswith(f"/{pk}/") for pk, path in announced)
    result = live.poll(user_id=top.pk, path=me.path, after=start)
    _people, named = live.Cursor(start).advance_with_teams(result)
    assert report in named

    fresh = client.get(url).content.decode().strip()
    assert fresh != row
    assert fresh == _row(client.get(f"/pantau/tim/?tahun={y}").content.decode(), report)
