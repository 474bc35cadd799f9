"""Every monitoring URL × every persona → the expected status (404, never 403, for what a
persona may not see; 302 to the login page for an anonymous visitor), and every named URL of
the "monitoring" namespace is in the table."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.monitoring import services as monitoring
from kinerja.organisation.models import Employee
from tests.access import READERS, Route, check_route, expect, uncovered
from tests.conftest import Org
from tests.performance.conftest import Plans, employee_plan, plans  # noqa: F401 (fixtures)

ABOVE_THE_NURSE = {"supervisor": 200, "unit_head": 200}


ROUTES = [
    Route(
        "kinerja saya",
        "my_performance",
        lambda o: reverse("monitoring:my_performance"),
        expect(200),
    ),
    Route("team board", "team_board", lambda o: reverse("monitoring:team_board"), expect(200)),
    Route(
        "team board (filtered)",
        "team_board",
        lambda o: reverse("monitoring:team_board") + "?saring=risiko&lingkup=langsung",
        expect(200),
    ),
    Route(
        "team row (nurse)",
        "team_row",
        lambda o: reverse("monitoring:team_row", args=[o.employee.pk]),
        expect(404, **ABOVE_THE_NURSE),
    ),
    Route(
        "team row (unit head: nobody above)",
        "team_row",
        lambda o: reverse("monitoring:team_row", args=[o.unit_head.pk]),
        expect(404),
    ),
    Route(
        "team row (missing)",
        "team_row",
        lambda o: reverse("monitoring:team_row", args=[999999]),
        expect(404),
    ),
    Route(
        "quick feedback form (nurse)",
        "team_feedback",
        lambda o: reverse("monitoring:team_feedback", args=[o.employee.pk]),
        expect(404, **ABOVE_THE_NURSE),
    ),
    Route(
        "quick feedback post (teacher of another OPD)",
        "team_feedback",
        lambda o: reverse("monitoring:team_feedback", args=[o.other_employee.pk]),
        expect(404),
        "post",
    ),
    Route(
        "live stream",
        "stream",
        lambda o: reverse("monitoring:stream") + "?once=1&tim=1",
        expect(200),
    ),
    Route(
        "regency dashboard",
        "regency_dashboard",
        lambda o: reverse("monitoring:regency_dashboard"),
        expect(404, **READERS),
    ),
    Route(
        "unit dashboard (Dinkes)",
        "unit_dashboard",
        lambda o: reverse("monitoring:unit_dashboard", args=[o.dinkes.pk]),
        expect(404, admin_opd=200, unit_head=200, **READERS),  # unit_head: Kepala Dinas
    ),
    Route(
        "unit dashboard (Puskesmas, inside Dinkes)",
        "unit_dashboard",
        lambda o: reverse("monitoring:unit_dashboard", args=[o.puskesmas.pk]),
        expect(404, admin_opd=200, unit_head=200, **READERS),
    ),
    Route(
        "unit dashboard (Disdik)",
        "unit_dashboard",
        lambda o: reverse("monitoring:unit_dashboard", args=[o.disdik.pk]),
        expect(404, **READERS),
    ),
    Route(
        "unit dashboard (missing)",
        "unit_dashboard",
        lambda o: reverse("monitoring:unit_dashboard", args=[999999]),
        expect(404),
    ),
    Route(
        "export XLSX",
        "regency_export_xlsx",
        lambda o: reverse("monitoring:regency_export_xlsx"),
        expect(404, **READERS),
    ),
    Route(
        "export PDF",
        "regency_export_pdf",
        lambda o: reverse("monitoring:regency_export_pdf"),
        expect(404, **READERS),
    ),
]


@pytest.fixture
def data(org: Org, employee_plan: Plans) -> Plans:  # noqa: F811
    monitoring.figures_rebuild(year=2026)
    return employee_plan


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_it_answers_each_persona_as_the_policy_says(
    org: Org, regional: Employee, data: Plans, route: Route
) -> None:
    check_route(org, route)


def test_it_lists_every_named_url_of_the_namespace() -> None:
    """A new monitoring URL without a row here fails this test."""
    assert uncovered("monitoring", ROUTES) == []
