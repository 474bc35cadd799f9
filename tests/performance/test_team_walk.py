"""The team list (/skp/tim/) and the cascade of a large team on SQLite (issue 16): pages found by
walking the index `employee_depth_name` are exactly the pages of the sorted query, and the
cascade finds its people by depth first. The demo (400 people) is seeded once for the module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from kinerja.organisation.models import Employee, User
from kinerja.performance import selectors

from .. import clock
from ..demo_module import seeded_demo, top_account


@pytest.fixture(scope="module", autouse=True)
def _on_demo_day() -> Iterator[None]:
    yield from clock.demo_day()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:  # type: ignore[no-untyped-def]
    yield from seeded_demo(
        django_db_blocker, tmp_path_factory, employees=400, seed=11, figures=False
    )


@pytest.fixture
def top(seeded: None, db) -> User:  # type: ignore[no-untyped-def]
    return top_account()


def _year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def _pages(user: User) -> list[list[int]]:
    first, _rows = selectors.team_plans_page(user, _year(), page=1)
    return [
        [row.employee.pk for row in selectors.team_plans_page(user, _year(), page=n)[1]]
        for n in first.paginator.page_range
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the walk is SQLite's")
def test_walked_pages_are_the_pages_of_the_sorted_query(top: User, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every page, walked (as for the Sekda's first pages) and sorted (as for a small team or a
    deep page), lists the same people in the same order."""
    monkeypatch.setattr(selectors, "WALK_MAX_ROWS", 10**9)  # every page walked
    walked = _pages(top)
    monkeypatch.setattr(selectors, "WALK_MAX_ROWS", 0)  # none
    sorted_ = _pages(top)
    assert len(walked) >= 5 and walked == sorted_
    assert sum(len(p) for p in walked) == selectors.team_members(top).count()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the walk is SQLite's")
def test_the_walk_is_chosen_only_where_it_reads_few_rows(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """At 100,000 employees: the Sekda's first pages are walked; a page deep in the list, or a
    team of 36, is sorted (walking would read most of the regency)."""
    monkeypatch.setattr(selectors, "active_headcount", lambda: 100_000)
    assert selectors._walk_is_cheap(0, 99_999)
    assert selectors._walk_is_cheap(1_900, 99_999)
    assert not selectors._walk_is_cheap(5_000, 99_999)
    assert not selectors._walk_is_cheap(0, 36)


def test_the_cascade_finds_its_people_by_depth(top: User) -> None:
    """The cascade shows the head and two levels below; each RHK of theirs is there once."""
    from kinerja.performance.models import Rhk

    me = top.employee
    assert me is not None
    roots = selectors.cascade(top, _year())

    def walk(nodes: list[selectors.CascadeNode]) -> Iterator[selectors.CascadeNode]:
        for node in nodes:
            yield node
            yield from walk(node.children)

    shown = sorted(n.label for n in walk(roots) if n.kind == "rhk")
    expected = sorted(
        Rhk.objects.filter(
            plan__year=_year(),
            plan__employee__path__startswith=me.path,
            plan__employee__depth__lt=me.depth + selectors.CASCADE_LEVELS,
        ).values_list("text", flat=True)
    )
    assert shown == expected and shown


def test_the_team_list_costs_a_fixed_number_of_queries_whatever_the_team(top: User) -> None:
    """/skp/tim/ reads one page of people and their plans: the top official's first and last
    pages (walked or sorted on SQLite) cost what a small team's page costs, plus the kept
    headcount and, on SQLite, the walk's read."""
    from django.db import connection as conn
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_user

    def queries(user: User, page: int) -> int:
        client = Client()
        client.force_login(user)
        client.get("/skp/tim/")  # the session and the first request's one-off reads
        with CaptureQueriesContext(conn) as captured:
            assert client.get(f"/skp/tim/?page={page}").status_code == 200
        return len(captured)

    last = selectors.team_plans_page(top, _year(), page=1)[0].paginator.num_pages
    small_head = (
        Employee.objects.filter(is_active=True, direct_reports__isnull=False)
        .exclude(pk=top.employee_id)
        .order_by("-depth", "pk")
        .first()
    )
    assert small_head is not None and last >= 5
    small = User.objects.filter(employee=small_head).first() or make_user(employee=small_head)
    base = queries(small, 1)
    # The top's team is counted from the regency's headcount (kept), one more read; on SQLite
    # the page's ids are found by walking before the page itself is read.
    extra = 2 if connection.vendor == "sqlite" else 1
    assert queries(top, 1) == base + extra
    assert queries(top, last) == base + extra


def test_each_team_row_holds_the_figures_of_its_plan(top: User) -> None:
    """The team list reads indicators and realisations as tuples, with the two flags computed
    by the database; each row's capaian to date, missing months, late entries and entries
    waiting for review are those of the plan's own model rows, as the plan's page computes
    them (kinerja.rules.progress through indicator_progress)."""
    from kinerja.core.calendar import months_started
    from kinerja.performance.models import Indicator, Realisation

    year = _year()
    months = months_started(year)
    assert months >= 1
    first, _rows = selectors.team_plans_page(top, year, page=1)
    rows = [
        row
        for n in list(first.paginator.page_range)[:3]
        for row in selectors.team_plans_page(top, year, page=n)[1]
    ]
    with_plan = [row for row in rows if row.plan is not None]
    assert len(with_plan) >= 100
    for row in with_plan:
        assert row.plan is not None
        indicators = Indicator.objects.filter(rhk__plan=row.plan)
        progress = [
            selectors.indicator_progress(
                indicator, Realisation.objects.filter(indicator=indicator), months
            )
            for indicator in indicators
        ]
        entries = Realisation.objects.filter(indicator__rhk__plan=row.plan)
        assert row.capaian == selectors.plan_capaian(progress), row.employee
        assert row.missing_this_month == sum(1 for p in progress if months not in p.by_month)
        assert row.late_entries == entries.filter(is_late=True).count()
        assert row.waiting_review == entries.filter(reviewed_at__isnull=True).count()
    # The demo gives the comparison something to compare: figures, gaps, late and unreviewed.
    assert any(row.capaian is not None for row in with_plan)
    assert any(row.missing_this_month for row in with_plan)
    assert any(row.late_entries for row in with_plan)
    assert any(row.waiting_review for row in with_plan)
    assert any(
        row.waiting_review < Realisation.objects.filter(indicator__rhk__plan=row.plan).count()
        for row in with_plan
    )


def test_the_top_teams_count_is_exact_from_the_kept_headcount(top: User) -> None:
    """For the top of the reporting lines the page counts the regency's kept headcount less
    those outside the subtree, not the team itself: the same number as counting, with someone
    at the top of another reporting line and after a member of the team leaves."""
    from tests.factories import EmployeeFactory

    def counted() -> int:
        return int(selectors.team_plans_page(top, _year(), page=1)[0].paginator.count)

    assert top.employee is not None and top.employee.depth == 0
    before = selectors.team_members(top).count()
    assert counted() == before >= 300
    other_root = EmployeeFactory()
    assert other_root.depth == 0 and not other_root.path.startswith(top.employee.path)
    EmployeeFactory(supervisor=other_root, unit=other_root.unit)
    leaver = selectors.team_members(top).order_by("pk").last()
    assert leaver is not None
    Employee.objects.filter(pk=leaver.pk).update(is_active=False)  # the headcount follows
    assert selectors.team_members(top).count() == before - 1
    assert counted() == before - 1
    # A search counts its matches, as before.
    name = selectors.team_members(top).order_by("pk").first()
    assert name is not None
    found = selectors.team_plans_page(top, _year(), page=1, query=name.nip)[0]
    assert found.paginator.count == 1
