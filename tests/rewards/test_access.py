"""Every rewards URL × every persona → the expected status (404, never 403, outside scope; 302
to the login page for an anonymous visitor), and every named URL of the "rewards" namespace is
in the table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from kinerja.organisation.models import Employee
from kinerja.rewards import services
from kinerja.rewards.models import CoachingPlan, Recognition, TppLine
from tests.access import READERS, Route, check_route, expect, uncovered
from tests.conftest import Org
from tests.rewards.conftest import finalise, import_rows, on_time_days
from tests.rewards.test_recommendations import pending

ABOVE_THE_NURSE = {"supervisor": 200, "unit_head": 200}
NO_EMPLOYEE = {"admin_opd": 404, "bkpsdm": 404, "pimpinan": 404, "inspektorat": 404}


@dataclass
class World:
    pending: int
    decided: int
    plan: int
    recognition: int
    nurse_line: int
    teacher_line: int
    rule: int


@pytest.fixture
def world(org: Org, regional: Employee, bases: dict[int, int]) -> World:
    bkpsdm = org.users["bkpsdm"]
    for e in (org.employee, org.other_employee):
        finalise(e, "2026-T3", "baik")
        import_rows(org, on_time_days(e, 2026, 10))
    services.tpp_calculate(year=2026, month=10, by=bkpsdm)
    waiting = pending(org, "pembinaan")
    coaching = pending(org, "pembinaan", key=":2")
    services.recommendation_decide(
        recommendation=coaching,
        by=bkpsdm,
        accept=True,
        reason="Perlu.",
        official="Kepala BKPSDM",
        effective_from=date(2026, 11, 1),
    )
    piagam = pending(org, "piagam")
    services.recommendation_decide(
        recommendation=piagam,
        by=bkpsdm,
        accept=True,
        reason="Sangat Baik.",
        official="Bupati",
        decree_number="1/PH/2026",
        decree_date=date(2026, 12, 1),
    )
    lines = TppLine.objects.all()
    return World(
        pending=waiting.pk,
        decided=coaching.pk,
        plan=CoachingPlan.objects.get().pk,
        recognition=Recognition.objects.get().pk,
        nurse_line=lines.get(employee=org.employee).pk,
        teacher_line=lines.get(employee=org.other_employee).pk,
        rule=waiting.rule_id,
    )


def r(name: str, *args: object) -> str:
    return reverse(f"rewards:{name}", args=args)


ADMIN_READERS = expect(404, admin_opd=200, **READERS)
ROUTES = [
    Route(
        "recommendations", "recommendation_list", lambda o, w: r("recommendation_list"), expect(200)
    ),
    Route("run rules", "rules_run", lambda o, w: r("rules_run"), expect(404, bkpsdm=302), "post"),
    Route("rules", "rule_list", lambda o, w: r("rule_list"), expect(200)),
    Route("rule edit", "rule_edit", lambda o, w: r("rule_edit", w.rule), expect(404, bkpsdm=200)),
    Route("rule edit (missing)", "rule_edit", lambda o, w: r("rule_edit", 999999), expect(404)),
    Route(
        "recommendation (pending, nurse)",
        "recommendation_detail",
        lambda o, w: r("recommendation_detail", w.pending),
        expect(404, admin_opd=200, **ABOVE_THE_NURSE, **READERS),
    ),
    Route(
        "recommendation (decided, nurse)",
        "recommendation_detail",
        lambda o, w: r("recommendation_detail", w.decided),
        expect(404, employee=200, admin_opd=200, **ABOVE_THE_NURSE, **READERS),
    ),
    Route(
        "recommendation (missing)",
        "recommendation_detail",
        lambda o, w: r("recommendation_detail", 999999),
        expect(404),
    ),
    Route("discipline", "discipline_list", lambda o, w: r("discipline_list"), expect(200)),
    Route(
        "attendance import",
        "attendance_import",
        lambda o, w: r("attendance_import"),
        expect(404, bkpsdm=200),
    ),
    Route(
        "attendance template",
        "attendance_template",
        lambda o, w: r("attendance_template", "xlsx"),
        expect(404, bkpsdm=200),
    ),
    Route(
        "attendance summary",
        "attendance_summary",
        lambda o, w: r("attendance_summary") + "?tahun=2026&bulan=10",
        ADMIN_READERS,
    ),
    Route("coaching plans", "coaching_list", lambda o, w: r("coaching_list"), expect(200)),
    Route(
        "coaching plan (nurse)",
        "coaching_detail",
        lambda o, w: r("coaching_detail", w.plan),
        expect(200, other=404),
    ),
    Route(
        "fairness", "fairness", lambda o, w: r("fairness"), expect(404, bkpsdm=200, inspektorat=200)
    ),
    Route("tpp overview", "tpp_overview", lambda o, w: r("tpp_overview"), ADMIN_READERS),
    Route(
        "tpp calculate",
        "tpp_calculate",
        lambda o, w: r("tpp_calculate"),
        expect(404, bkpsdm=302),
        "post",
    ),
    Route("tpp base table", "tpp_base", lambda o, w: r("tpp_base"), ADMIN_READERS),
    Route("tpp month", "tpp_month", lambda o, w: r("tpp_month", 2026, 10), ADMIN_READERS),
    Route(
        "tpp month (not calculated)", "tpp_month", lambda o, w: r("tpp_month", 2026, 1), expect(404)
    ),
    Route(
        "tpp OPD (Dinkes)",
        "tpp_opd",
        lambda o, w: r("tpp_opd", 2026, 10, o.dinkes.pk),
        ADMIN_READERS,
    ),
    Route(
        "tpp OPD (Disdik)",
        "tpp_opd",
        lambda o, w: r("tpp_opd", 2026, 10, o.disdik.pk),
        expect(404, **READERS),
    ),
    Route(
        "tpp OPD (a unit, not an OPD)",
        "tpp_opd",
        lambda o, w: r("tpp_opd", 2026, 10, o.puskesmas.pk),
        expect(404),
    ),
    Route(
        "payroll (Dinkes)",
        "tpp_payroll",
        lambda o, w: r("tpp_payroll", 2026, 10, o.dinkes.pk),
        ADMIN_READERS,
    ),
    Route(
        "payroll (Disdik)",
        "tpp_payroll",
        lambda o, w: r("tpp_payroll", 2026, 10, o.disdik.pk),
        expect(404, **READERS),
    ),
    Route("my TPP", "tpp_my", lambda o, w: r("tpp_my"), expect(200, **NO_EMPLOYEE, regional=200)),
    Route(
        "TPP slip (nurse)",
        "tpp_slip",
        lambda o, w: r("tpp_slip", w.nurse_line),
        expect(404, employee=200, admin_opd=200, **READERS),
    ),
    Route(
        "TPP slip (teacher)",
        "tpp_slip",
        lambda o, w: r("tpp_slip", w.teacher_line),
        expect(404, other=200, **READERS),
    ),
    Route("recognition wall", "recognition_wall", lambda o, w: r("recognition_wall"), expect(200)),
    Route(
        "satyalancana",
        "satyalancana",
        lambda o, w: r("satyalancana") + "?tahun=2026",
        ADMIN_READERS,
    ),
    Route(
        "ASN Berprestasi",
        "asn_berprestasi",
        lambda o, w: r("asn_berprestasi") + "?tahun=2026",
        ADMIN_READERS,
    ),
    Route(
        "piagam PDF (nurse)",
        "recognition_pdf",
        lambda o, w: r("recognition_pdf", w.recognition),
        expect(200, other=404),
    ),
    Route(
        "recognition consent (nurse's)",
        "recognition_consent",
        lambda o, w: r("recognition_consent", w.recognition),
        expect(404, employee=302),
        "post",
    ),
]


@pytest.mark.parametrize("route", ROUTES, ids=[x.name for x in ROUTES])
def test_it_answers_each_persona_as_the_policy_says(org: Org, world: World, route: Route) -> None:
    check_route(org, route, world)


def test_it_lists_every_named_url_of_the_namespace() -> None:
    """A new rewards URL without a row here fails this test."""
    assert uncovered("rewards", ROUTES) == []
