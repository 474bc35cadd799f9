"""What one save of the month grid costs (issue 16, the month-end rush): the POST and the page it
redirects to read a bounded number of queries, and the grid's reads (the month only) show what
the plan page's reads (the whole year) showed."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.urls import reverse

from kinerja.performance import selectors, services
from kinerja.performance.models import Plan
from tests.conftest import Org, client_for
from tests.performance.conftest import YEAR, Plans
from tests.performance.test_pages import PNG

# Measured when written (SQLite, the test settings): the POST with its after-commit work (the
# person figures, the live feed row, and the unit and team refreshes, which the tests' task
# backend runs at once) and the GET of the grid. Before issue 16 they were 44 and 15: the GET
# read the RHK links, the behaviours and every month's evidence and feedback, and the POST's
# subscriber read the plan once more for its year. Then 43 and 13; the POST 4 statements more
# since item 4: the after-commit writes (figures, queued refreshes, feed row) are one
# transaction instead of four (kinerja.monitoring.live.employee_changed), whose block and the
# queued refreshes' savepoint are counted here (SAVEPOINT/RELEASE; in production the block is
# BEGIN…COMMIT, and three BEGIN…COMMITs fewer). Then 43 (issue 16, item 4, the save's CPU):
# the save reads the plan's whole year of realisations (locked) instead of the month's, and
# hands the year as committed to the live figures, which no longer read the employee, the
# plan, its indicators and its realisations again (kinerja.performance.selectors.PlanYear).
# Then 42 and 12: the session's user is read with their employee (one query, not two). Then
# 38: the after-commit transaction has no savepoints unless something fails, and the person's
# figures are one UPDATE (no SELECT of the row's id first). Then 37: a save wrote no comment,
# so the figures keep their stored feedback counts instead of counting the plan's comments.
GRID_POST_QUERIES = 37
GRID_GET_QUERIES = 12
# The browser's save since issue 16, item 4: the form posts with htmx and the answer is the
# updated page's <main>, one request instead of 47 + 13 statements over two: no redirect and no
# second request, so no session read, user read, plan read or access check again; the message
# is shown at once instead of being written to the session and read back; the menu's queries
# (supervisor? unread notifications?) are not run (the answer has no menu); and the indicators
# read for the save are reused for the page. Then 42: the figures' four reads and the page's
# read of the year's realisations are the save's own rows, handed on. Then 41: the session's
# user and their employee in one query. Then 37: no savepoints after commit, the figures one
# UPDATE. Then 36: the feedback counts are kept, not counted again.
GRID_HTMX_SAVE_QUERIES = 36
# On PostgreSQL the live bus announces the change with pg_notify on the writing connection
# (kinerja.monitoring.hub): one statement more, none on SQLite (its streams poll the feed).
LIVE_NOTIFY = {"postgresql": 1}


def _tambahan_first_plan(org: Org, plans: Plans) -> Plan:
    """The employee's plan with a B. Tambahan RHK created before the A. Utama one, each with
    an indicator, approved."""
    user = org.users["employee"]
    plan = services.plan_create(employee=user.employee, year=YEAR, by=user)
    for kind, name in (("tambahan", "Tugas tambahan"), ("utama", "Pasien")):
        rhk = services.rhk_add(
            plan=plan,
            by=user,
            kind=kind,
            text=f"RHK {name}",
            parent=plans.supervisor_rhk if kind == "utama" else None,
        )
        for n in (1, 2):
            services.indicator_add(
                rhk=rhk,
                by=user,
                aspek="kuantitas",
                name=f"{name} {n}",
                unit_of_measure="kegiatan",
                target=Decimal(120),
                polarity="higher_is_better",
                aggregation="sum",
            )
    services.plan_submit(plan=plan, by=user)
    services.plan_approve(plan=plan, by=org.users["supervisor"])
    plan.refresh_from_db()
    return plan


def test_the_grid_reads_show_what_the_plan_reads_showed(org: Org, plans: Plans) -> None:
    plan = _tambahan_first_plan(org, plans)
    user = org.users["employee"]
    indicators = list(selectors.plan_indicators(plan))
    for month in (4, 5, 6):
        saved = services.realisation_save_month(
            plan=plan,
            month=month,
            by=user,
            rows=[
                services.RealisationInput(i, Decimal(month * 10 + n))
                for n, i in enumerate(indicators)
            ],
        )
        services.evidence_add_file(realisation=saved[0], by=user, name=f"{month}.png", data=PNG)
        services.comment_add(
            plan=plan, by=org.users["supervisor"], body=f"Bulan {month}", realisation=saved[1]
        )
    year = selectors.plan_view(plan)
    grid = selectors.realisation_grid_view(plan, 5)

    def figures(view: selectors.PlanView) -> list[tuple[object, ...]]:
        return [
            (p.indicator.pk, p.indicator.rhk.kind, sorted(p.by_month), p.capaian_to_date, p.status)
            for p in view.all_progress
        ]

    assert figures(grid) == figures(year)
    assert [p.indicator.rhk.kind for p in grid.all_progress] == ["utama"] * 2 + ["tambahan"] * 2
    assert grid.months_elapsed == year.months_elapsed
    shown = {p.indicator.pk: p.by_month[5] for p in grid.all_progress}
    whole = {p.indicator.pk: p.by_month[5] for p in year.all_progress}
    for pk, realisation in shown.items():
        assert [e.pk for e in realisation.evidence.all()] == [
            e.pk for e in whole[pk].evidence.all()
        ]
        assert grid.comments.get(("realisation", realisation.pk), []) == year.comments.get(
            ("realisation", realisation.pk), []
        )
    assert [c.body for thread in grid.comments.values() for c in thread] == ["Bulan 5"]


def test_a_grid_save_and_its_page_read_a_bounded_number_of_queries(
    org: Org,
    employee_plan: Plans,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    """The POST (its after-commit subscribers included: figures, feed, queued refreshes) and
    the GET it redirects to; earlier months' entries, evidence and feedback add no query."""
    plans = employee_plan
    user = org.users["employee"]
    for month in (4, 5):
        earlier = services.realisation_save_month(
            plan=plans.employee,
            month=month,
            by=user,
            rows=[services.RealisationInput(plans.patients, Decimal(100))],
        )
        services.evidence_add_file(realisation=earlier[0], by=user, name="a.png", data=PNG)
        services.comment_add(
            plan=plans.employee, by=org.users["supervisor"], body="Baik", realisation=earlier[0]
        )
    client = client_for(org, "employee")
    url = reverse("performance:realisation_grid", args=[plans.employee.pk, 6])
    client.get(url)
    for value in ("120", "130"):  # the first save creates June's rows, the second changes them
        page = client.get(url).content.decode()
        revision = "" if value == "120" else "1"
        form = {
            f"value-{plans.patients.pk}": value,
            f"revision-{plans.patients.pk}": revision,
            f"value-{plans.response_time.pk}": "8",
            f"revision-{plans.response_time.pk}": revision,
        }
        with (
            django_assert_max_num_queries(
                GRID_POST_QUERIES + LIVE_NOTIFY.get(connection.vendor, 0)
            ),
            django_capture_on_commit_callbacks(execute=True) as callbacks,
        ):
            response = client.post(url, form)
        assert response.status_code == 302 and response.url == url
        assert callbacks  # the subscribers ran inside the count
        with django_assert_max_num_queries(GRID_GET_QUERIES):
            page = client.get(url).content.decode()
        assert f'value="{value}"' in page and "disimpan" in page


def test_a_grid_save_with_htmx_reads_a_bounded_number_of_queries(
    org: Org,
    employee_plan: Plans,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    """The browser's save: one request, its after-commit subscribers included, answers the
    updated page (its <main>) at once."""
    plans = employee_plan
    client = client_for(org, "employee")
    url = reverse("performance:realisation_grid", args=[plans.employee.pk, 6])
    client.get(url)
    for value, revision in (("120", ""), ("130", "1")):  # creates June's rows, then changes them
        form = {
            f"value-{plans.patients.pk}": value,
            f"revision-{plans.patients.pk}": revision,
            f"value-{plans.response_time.pk}": "8",
            f"revision-{plans.response_time.pk}": revision,
        }
        with (
            django_assert_max_num_queries(
                GRID_HTMX_SAVE_QUERIES + LIVE_NOTIFY.get(connection.vendor, 0)
            ),
            django_capture_on_commit_callbacks(execute=True) as callbacks,
        ):
            response = client.post(url, form, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main")
        assert callbacks  # the subscribers ran inside the count
        page = response.content.decode()
        assert response.status_code == 200 and "Realisasi Juni disimpan." in page
        assert f'value="{value}"' in page
