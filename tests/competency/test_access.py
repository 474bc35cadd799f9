"""Every competency URL × every persona → the expected status (404, never 403, outside scope;
302 to the login page for an anonymous visitor), and every named URL of the "competency"
namespace is in the table."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kinerja.competency import services
from kinerja.competency.models import Enrolment, ExternalLearning, Programme, Session
from kinerja.organisation.models import Employee
from tests.access import READERS, Route, check_route, expect, uncovered
from tests.conftest import Org

from .conftest import make_programme, make_session

NO_EMPLOYEE = {"admin_opd": 404, "bkpsdm": 404, "pimpinan": 404, "inspektorat": 404}
SEES_NURSE = {"other": 404}


def _programme(o: Org) -> Programme:
    return Programme.objects.first() or make_programme(o)


def _session(o: Org) -> Session:
    return Session.objects.first() or make_session(o, _programme(o), quota=5)


def _enrolment(o: Org) -> Enrolment:
    found = Enrolment.objects.filter(employee=o.employee).first()
    return found or services.enrolment_create(
        session=_session(o), employee=o.employee, by=o.users["employee"]
    )


def _completed(o: Org) -> Enrolment:
    enrolment = _enrolment(o)
    session = enrolment.session
    services.attendance_sheet_save(
        session=session, by=o.users["bkpsdm"], present={enrolment.pk: session.days}
    )
    services.session_close(session=session, by=o.users["bkpsdm"])
    return enrolment


def _external(o: Org) -> ExternalLearning:
    today = timezone.localdate()
    return services.external_submit(
        employee=o.employee,
        by=o.users["employee"],
        title="Webinar",
        kind="seminar",
        provider="BSSN",
        started_on=today - timedelta(days=1),
        ended_on=today,
        hours=Decimal("2"),
        upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4 x"),
    )


R = reverse
ROUTES = [
    Route(
        "catalogue", "catalogue", lambda o: R("competency:catalogue") + "?q=a&buka=1", expect(200)
    ),
    Route(
        "programme create",
        "programme_create",
        lambda o: R("competency:programme_create"),
        expect(404, bkpsdm=200, admin_opd=200),
    ),
    Route(
        "programme detail",
        "programme_detail",
        lambda o: R("competency:programme_detail", args=[_programme(o).pk]),
        expect(200),
    ),
    Route(
        "programme edit (BKPSDM's)",
        "programme_edit",
        lambda o: R("competency:programme_edit", args=[_programme(o).pk]),
        expect(404, bkpsdm=200),
    ),
    Route(
        "session create",
        "session_create",
        lambda o: R("competency:session_create", args=[_programme(o).pk]),
        expect(404, bkpsdm=200),
    ),
    Route(
        "session edit",
        "session_edit",
        lambda o: R("competency:session_edit", args=[_session(o).pk]),
        expect(404, bkpsdm=200),
    ),
    Route(
        "session detail",
        "session_detail",
        lambda o: R("competency:session_detail", args=[_session(o).pk]),
        expect(200),
    ),
    Route(
        "session detail (missing)",
        "session_detail",
        lambda o: R("competency:session_detail", args=[999999]),
        expect(404),
    ),
    Route(
        "enrol",
        "session_enrol",
        lambda o: R("competency:session_enrol", args=[_session(o).pk]),
        expect(302, **NO_EMPLOYEE, regional=302),
        "post",
    ),
    Route(
        "nominate the nurse",
        "session_nominate",
        lambda o: R("competency:session_nominate", args=[_session(o).pk]),
        expect(404, supervisor=302, unit_head=302, admin_opd=302, bkpsdm=302),
        "post",
        lambda o: {"pegawai": o.employee.pk},
    ),
    Route(
        "attendance sheet",
        "attendance_sheet",
        lambda o: R("competency:attendance_sheet", args=[_session(o).pk]),
        expect(404, bkpsdm=200),
    ),
    Route(
        "check-in code display",
        "checkin_display",
        lambda o: R("competency:checkin_display", args=[_session(o).pk]),
        expect(404, bkpsdm=200),
    ),
    Route(
        "check-in (participant's phone)",
        "checkin",
        lambda o: R("competency:checkin", args=[_session(o).pk]) + "?kode=123456",
        expect(200),
    ),
    Route(
        "close session",
        "session_close",
        lambda o: R("competency:session_close", args=[_session(o).pk]),
        expect(404, bkpsdm=302),
        "post",
    ),
    Route(
        "cancel the nurse's enrolment",
        "enrolment_cancel",
        lambda o: R("competency:enrolment_cancel", args=[_enrolment(o).pk]),
        expect(302, **SEES_NURSE),
        "post",
    ),
    Route(
        "decide the nurse's enrolment",
        "enrolment_decide",
        lambda o: R("competency:enrolment_decide", args=[_enrolment(o).pk]),
        expect(404, supervisor=302, bkpsdm=302),
        "post",
        lambda o: {"decision": "setujui"},
    ),
    Route(
        "rate (own enrolment only)",
        "rating_submit",
        lambda o: R("competency:rating_submit", args=[_enrolment(o).pk]),
        expect(404, employee=302),
        "post",
        lambda o: {"score": "5"},
    ),
    Route(
        "certificate",
        "certificate_pdf",
        lambda o: R("competency:certificate_pdf", args=[_completed(o).pk]),
        expect(200, **SEES_NURSE),
    ),
    Route(
        "certificate (not completed)",
        "certificate_pdf",
        lambda o: R("competency:certificate_pdf", args=[_enrolment(o).pk]),
        expect(404),
    ),
    Route(
        "pembelajaran saya",
        "my_learning",
        lambda o: R("competency:my_learning") + "?tahun=2026",
        expect(200, **NO_EMPLOYEE, regional=200),
    ),
    Route(
        "external create",
        "external_create",
        lambda o: R("competency:external_create"),
        expect(200, **NO_EMPLOYEE, regional=200),
    ),
    Route(
        "external detail (nurse's)",
        "external_detail",
        lambda o: R("competency:external_detail", args=[_external(o).pk]),
        expect(200, **SEES_NURSE),
    ),
    Route(
        "external evidence (nurse's)",
        "external_evidence",
        lambda o: R("competency:external_evidence", args=[_external(o).pk]),
        expect(200, **SEES_NURSE),
    ),
    Route(
        "approvals",
        "approvals",
        lambda o: R("competency:approvals"),
        expect(404, supervisor=200, unit_head=200, bkpsdm=200, regional=200),
    ),
    Route(
        "compliance (own scope)",
        "compliance",
        lambda o: R("competency:compliance"),
        expect(404, supervisor=200, unit_head=200, admin_opd=200, **READERS),
    ),
    Route(
        "compliance (Dinas Pendidikan)",
        "compliance",
        lambda o: R("competency:compliance") + f"?opd={o.disdik.pk}",
        expect(404, **READERS),
    ),
    Route(
        "compliance (Puskesmas unit)",
        "compliance",
        lambda o: R("competency:compliance") + f"?unit={o.puskesmas.pk}",
        expect(404, unit_head=200, admin_opd=200, **READERS),
    ),
    Route(
        "person JP (nurse)",
        "person_jp",
        lambda o: R("competency:person_jp", args=[o.employee.pk]),
        expect(200, **SEES_NURSE),
    ),
    Route(
        "person JP card (nurse, loaded into the profile)",
        "person_jp_card",
        lambda o: R("competency:person_jp_card", args=[o.employee.pk]),
        expect(200, **SEES_NURSE),
    ),
    Route(
        "my development plan",
        "plan",
        lambda o: R("competency:plan"),
        expect(200, **NO_EMPLOYEE, regional=200),
    ),
    Route(
        "development plan (nurse)",
        "plan_employee",
        lambda o: R("competency:plan_employee", args=[o.employee.pk]),
        expect(404, employee=200, supervisor=200, unit_head=200, admin_opd=200, bkpsdm=200),
    ),
    Route("needs analysis", "needs", lambda o: R("competency:needs"), expect(404, **READERS)),
    Route(
        "needs analysis XLSX",
        "needs_xlsx",
        lambda o: R("competency:needs_xlsx"),
        expect(404, **READERS),
    ),
]

API_ROUTES = [
    Route(
        "api jp (nurse)",
        "api:get_jp",
        lambda o: f"/api/v1/competency/jp?nip={o.employee.nip}&year=2026",
        expect(200, anonymous=401, other=404),
    ),
    Route(
        "api jp (bad year)",
        "api:get_jp",
        lambda o: f"/api/v1/competency/jp?nip={o.employee.nip}&year=26",
        expect(400, anonymous=401),
    ),
    Route(
        "api enrol",
        "api:post_enrolment",
        lambda o: f"/api/v1/competency/sessions/{_session(o).pk}/enrolments",
        expect(201, anonymous=401, **{k: 400 for k in NO_EMPLOYEE}, regional=201),
        "post",
    ),
]


@pytest.mark.parametrize("route", ROUTES + API_ROUTES, ids=[r.name for r in ROUTES + API_ROUTES])
def test_it_answers_each_persona_as_the_policy_says(
    org: Org, regional: Employee, route: Route
) -> None:
    check_route(org, route)


def test_it_lists_every_named_url_in_the_matrix() -> None:
    assert uncovered("competency", ROUTES) == []
