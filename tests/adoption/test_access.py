"""Every adoption URL × every persona → the expected status (404, never 403, for what a persona
may not see; 302 to the login page for an anonymous visitor), and every named URL of the
"adoption" namespace is in the table."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.adoption import stats
from kinerja.adoption.models import Announcement, HelpArticle, SupervisorReport
from kinerja.organisation.models import Employee
from tests.access import Route, check_route, expect, uncovered
from tests.conftest import Org

EMPLOYEES = {"employee": 200, "supervisor": 200, "unit_head": 200, "other": 200}
FIGURES = {"bkpsdm": 200, "pimpinan": 200}


ROUTES = [
    Route(
        "activate",
        "activate",
        lambda o: reverse("adoption:activate"),
        expect(302, anonymous=200),
    ),
    Route(
        "activate (code in the link)",
        "activate",
        lambda o: reverse("adoption:activate") + "?kode=ABCDE-FGHJK",
        expect(200, anonymous=200),
    ),
    Route(
        "bulk activation",
        "activation_issue",
        lambda o: reverse("adoption:activation_issue"),
        expect(404, admin_opd=200, bkpsdm=200),
    ),
    Route(
        "forgotten password",
        "password_reset",
        lambda o: reverse("adoption:password_reset"),
        expect(200, anonymous=200),
    ),
    Route(
        "forgotten password link (invalid)",
        "password_reset_confirm",
        lambda o: reverse("adoption:password_reset_confirm", args=["MQ", "salah-token"]),
        expect(404, anonymous=404),
    ),
    Route("help", "help_index", lambda o: reverse("adoption:help_index"), expect(200, 200)),
    Route(
        "help for a page",
        "help_for_page",
        lambda o: reverse("adoption:help_for_page") + "?dari=performance:plan_list",
        expect(302, 302),
    ),
    Route(
        "help article",
        "help_article",
        lambda o: reverse("adoption:help_article", args=["masuk"]),
        expect(200, 200),
    ),
    Route(
        "help article (missing)",
        "help_article",
        lambda o: reverse("adoption:help_article", args=["tidak-ada"]),
        expect(404, 404),
    ),
    Route(
        "help new",
        "help_create",
        lambda o: reverse("adoption:help_create"),
        expect(404, bkpsdm=200),
    ),
    Route(
        "help edit",
        "help_edit",
        lambda o: reverse("adoption:help_edit", args=["masuk"]),
        expect(404, bkpsdm=200),
    ),
    Route(
        "announcements",
        "announcement_list",
        lambda o: reverse("adoption:announcement_list"),
        expect(200),
    ),
    Route(
        "announcement new",
        "announcement_create",
        lambda o: reverse("adoption:announcement_create"),
        expect(404, admin_opd=200, bkpsdm=200),
    ),
    Route(
        "announcement for Dinas Kesehatan",
        "announcement_detail",
        lambda o: reverse(
            "adoption:announcement_detail", args=[Announcement.objects.get(title="Dinkes").pk]
        ),
        expect(404, admin_opd=200, bkpsdm=200, regional=200, **{**EMPLOYEES, "other": 404}),
    ),
    Route(
        "adoption dashboard",
        "dashboard",
        lambda o: reverse("adoption:dashboard"),
        expect(404, admin_opd=302, **FIGURES),
    ),
    Route(
        "adoption of Dinas Kesehatan",
        "unit",
        lambda o: reverse("adoption:unit", args=[o.dinkes.pk]),
        expect(404, admin_opd=200, **FIGURES),
    ),
    Route(
        "adoption of Dinas Pendidikan",
        "unit",
        lambda o: reverse("adoption:unit", args=[o.disdik.pk]),
        expect(404, **FIGURES),
    ),
    Route(
        "adoption list",
        "people",
        lambda o: reverse("adoption:people") + "?daftar=tanpa_skp",
        expect(404, admin_opd=200, **FIGURES),
    ),
    Route(
        "adoption list of another OPD",
        "people",
        lambda o: reverse("adoption:people") + f"?unit={o.disdik.pk}",
        expect(404, **FIGURES),
    ),
    Route("scheduled jobs", "jobs", lambda o: reverse("adoption:jobs"), expect(404, bkpsdm=200)),
    Route(
        "notification preferences",
        "preferences",
        lambda o: reverse("adoption:preferences"),
        expect(200),
    ),
    Route(
        "helpdesk contact",
        "helpdesk_edit",
        lambda o: reverse("adoption:helpdesk_edit"),
        expect(404, admin_opd=200, bkpsdm=200),
    ),
    Route(
        "first steps: profile",
        "onboarding_profile",
        lambda o: reverse("adoption:onboarding_profile"),
        expect(404, **EMPLOYEES, regional=200),
    ),
    Route(
        "first steps: team board",
        "onboarding_team_board",
        lambda o: reverse("adoption:onboarding_team_board"),
        expect(302),
    ),
    Route(
        "first steps: hide",
        "onboarding_dismiss",
        lambda o: reverse("adoption:onboarding_dismiss"),
        expect(302),
        "post",
    ),
    Route(
        "wrong-supervisor reports",
        "supervisor_reports",
        lambda o: reverse("adoption:supervisor_reports"),
        expect(404, admin_opd=200, bkpsdm=200),
    ),
    Route(
        "wrong-supervisor report resolve",
        "supervisor_report_resolve",
        lambda o: reverse(
            "adoption:supervisor_report_resolve", args=[SupervisorReport.objects.get().pk]
        ),
        expect(404, admin_opd=302, bkpsdm=302),
        "post",
    ),
]


@pytest.fixture
def data(org: Org) -> None:
    HelpArticle.objects.create(slug="masuk", title="Masuk", body="## Masuk\nKetik NIP Anda.")
    Announcement.objects.create(
        title="Dinkes", body="Apel pagi", opd=org.dinkes, created_by=org.users["bkpsdm"]
    )
    SupervisorReport.objects.create(employee=org.employee, correct_supervisor="Kartika")
    stats.figures_rebuild()


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_it_answers_each_persona_as_the_policy_says(
    org: Org, regional: Employee, data: None, route: Route
) -> None:
    check_route(org, route)


def test_it_lists_every_named_url_of_the_namespace() -> None:
    """A new adoption URL without a row here fails this test."""
    assert uncovered("adoption", ROUTES) == []
