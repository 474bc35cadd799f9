"""Every API operation × every persona, through personal tokens → the status the access policy
gives (404 outside scope, as on the pages; 401 without a token), and every operation of the
OpenAPI schema has a row here."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from kinerja.api.api import api
from tests.core.test_access_matrix import MATRIX_PERSONAS, expect

from .conftest import World, bearer

V = "/api/v1"
ALL = expect(200, anonymous=401)
SEE_NURSE = expect(200, anonymous=401, other=404)
# Writing the nurse's realisations: the nurse, and BKPSDM on her behalf (access.
# can_enter_realisations); those who see her plan but may not write get 403.
WRITE_NURSE = expect(403, anonymous=401, employee=200, bkpsdm=200, regional=200, other=404)
# Complaints of the Puskesmas: the regency-wide readers, Dinkes' Admin OPD, and the supervisors
# of the units above it (access.public_unit_read_filter).
READ_COMPLAINT = expect(200, anonymous=401, employee=404, other=404)
# A TPP line: its owner, the Admin OPD of their OPD, the regency-wide readers.
READ_LINE = expect(200, anonymous=401, supervisor=404, unit_head=404, other=404)


def month_body(w: World) -> dict[str, Any]:
    assert w.plans.patients is not None
    return {"rows": [{"indicator_id": w.plans.patients.pk, "value": "95", "narrative": "Poli"}]}


@dataclass(frozen=True)
class ApiRoute:
    name: str
    operation: str  # "METHOD /api/v1/path/{param}", as in the OpenAPI schema
    url: Callable[[World], str]
    expected: dict[str, int]
    body: Callable[[World], dict[str, Any]] | None = None

    @property
    def method(self) -> str:
        return self.operation.split()[0].lower()


ROUTES = [
    ApiRoute("units", "GET /api/v1/units", lambda w: f"{V}/units", ALL),
    ApiRoute("units paged", "GET /api/v1/units", lambda w: f"{V}/units?page=1", ALL),
    ApiRoute("unit", "GET /api/v1/units/{unit_id}", lambda w: f"{V}/units/{w.org.dinkes.pk}", ALL),
    ApiRoute("positions", "GET /api/v1/positions", lambda w: f"{V}/positions?kind=fungsional", ALL),
    ApiRoute("employees", "GET /api/v1/employees", lambda w: f"{V}/employees?q=siti", ALL),
    ApiRoute(
        "employee (nurse)",
        "GET /api/v1/employees/{employee_id}",
        lambda w: f"{V}/employees/{w.org.employee.pk}",
        SEE_NURSE,
    ),
    ApiRoute("plans", "GET /api/v1/plans", lambda w: f"{V}/plans?year=2026", ALL),
    ApiRoute(
        "plan (nurse)",
        "GET /api/v1/plans/{plan_id}",
        lambda w: f"{V}/plans/{w.plans.employee.pk}",  # type: ignore[union-attr]
        SEE_NURSE,
    ),
    ApiRoute(
        "plan (unit head: only those above and the readers)",
        "GET /api/v1/plans/{plan_id}",
        lambda w: f"{V}/plans/{w.plans.head.pk}",
        expect(
            404,
            anonymous=401,
            unit_head=200,
            admin_opd=200,
            bkpsdm=200,
            pimpinan=200,
            inspektorat=200,
        ),
    ),
    ApiRoute(
        "realisations", "GET /api/v1/realisations", lambda w: f"{V}/realisations?month=6", ALL
    ),
    ApiRoute(
        "write a month (PUT)",
        "PUT /api/v1/plans/{plan_id}/realisations/{month}",
        lambda w: f"{V}/plans/{w.plans.employee.pk}/realisations/6",  # type: ignore[union-attr]
        WRITE_NURSE,
        month_body,
    ),
    ApiRoute(
        "write a month (POST)",
        "POST /api/v1/plans/{plan_id}/realisations/{month}",
        lambda w: f"{V}/plans/{w.plans.employee.pk}/realisations/6",  # type: ignore[union-attr]
        WRITE_NURSE,
        month_body,
    ),
    ApiRoute(
        "bulk (400 lists the refused item for whoever may not write it)",
        "POST /api/v1/realisations/bulk",
        lambda w: f"{V}/realisations/bulk",
        expect(400, anonymous=401, employee=200, bkpsdm=200, regional=200),
        lambda w: {
            "year": 2026,
            "month": 6,
            "items": [{"plan_id": w.plans.employee.pk, **month_body(w)}],  # type: ignore[union-attr]
        },
    ),
    ApiRoute(
        "kiosk (a personal token is no device token)",
        "POST /api/v1/public/surveys/{code}/responses",
        lambda w: f"{V}/public/surveys/PKM01-UMUM/responses",
        dict.fromkeys(MATRIX_PERSONAS, 401),
        lambda w: {"answers": [4] * 9},
    ),
    ApiRoute(
        "IKM (public)",
        "GET /api/v1/public/ikm",
        lambda w: f"{V}/public/ikm?layanan=PKM01-UMUM&from=2026-01-01&to=2026-12-31",
        dict.fromkeys(MATRIX_PERSONAS, 200),
    ),
    ApiRoute("services", "GET /api/v1/services", lambda w: f"{V}/services", ALL),
    ApiRoute("complaints", "GET /api/v1/complaints", lambda w: f"{V}/complaints", ALL),
    ApiRoute(
        "complaint (Puskesmas)",
        "GET /api/v1/complaints/{complaint_id}",
        lambda w: f"{V}/complaints/{w.complaint.pk}",
        READ_COMPLAINT,
    ),
    ApiRoute(
        "JP of the nurse",
        "GET /api/v1/competency/jp",
        lambda w: f"{V}/competency/jp?nip={w.org.employee.nip}&year=2026",
        SEE_NURSE,
    ),
    ApiRoute(
        "JP of the people one sees",
        "GET /api/v1/competency/jp/people",
        lambda w: f"{V}/competency/jp/people?year=2026",
        ALL,
    ),
    ApiRoute(
        "enrol into a missing session",
        "POST /api/v1/competency/sessions/{session_id}/enrolments",
        lambda w: f"{V}/competency/sessions/999999/enrolments",
        expect(404, anonymous=401),
    ),
    ApiRoute("assessments", "GET /api/v1/assessments", lambda w: f"{V}/assessments", ALL),
    ApiRoute(
        "assessment (nurse, final)",
        "GET /api/v1/assessments/{assessment_id}",
        lambda w: f"{V}/assessments/{w.assessment.pk}",
        SEE_NURSE,
    ),
    ApiRoute("results", "GET /api/v1/results", lambda w: f"{V}/results?year=2026", ALL),
    ApiRoute("objections", "GET /api/v1/objections", lambda w: f"{V}/objections", ALL),
    ApiRoute(
        "objection (nurse)",
        "GET /api/v1/objections/{objection_id}",
        lambda w: f"{V}/objections/{w.objection.pk}",
        SEE_NURSE,
    ),
    ApiRoute("TPP lines", "GET /api/v1/tpp/lines", lambda w: f"{V}/tpp/lines?year=2026", ALL),
    ApiRoute(
        "TPP line (nurse)",
        "GET /api/v1/tpp/lines/{line_id}",
        lambda w: f"{V}/tpp/lines/{w.line.pk}",
        READ_LINE,
    ),
    # The SIASN export: BKPSDM's, through an admin-scoped token (tests/assessment/siasn).
    ApiRoute(
        "siasn kinerja periodik",
        "GET /api/v1/siasn/kinerja-periodik",
        lambda w: f"{V}/siasn/kinerja-periodik?tahun=2026&dry_run=1",
        expect(404, anonymous=401, bkpsdm=200, regional=200),
    ),
]


def call(world: World, route: ApiRoute, persona: str) -> Any:
    client = Client()
    headers = bearer(world.tokens.get(persona)) if persona != "anonymous" else {}
    method = getattr(client, route.method)
    if route.body is None:
        return method(route.url(world), **headers)
    return method(
        route.url(world), json.dumps(route.body(world)), content_type="application/json", **headers
    )


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_it_answers_each_persona_as_the_policy_says(world: World, route: ApiRoute) -> None:
    answers = {persona: call(world, route, persona) for persona in MATRIX_PERSONAS}
    wrong = {
        p: (r.status_code, route.expected[p], r.content[:160])
        for p, r in answers.items()
        if r.status_code != route.expected[p]
    }
    assert not wrong, f"{route.name}: persona → (got, expected, body) {wrong}"
    for persona, response in answers.items():
        body = response.json()
        if response.status_code >= 400:  # the one error shape, in Indonesian
            assert set(body) == {"detail", "errors"} and body["detail"], (persona, body)


def test_every_operation_of_the_schema_has_a_row() -> None:
    schema = api.get_openapi_schema()
    operations = {
        f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops
    }
    covered = {route.operation for route in ROUTES}
    assert operations - covered == set(), f"API operations without a row: {operations - covered}"
    assert covered - operations == set(), f"rows for no operation: {covered - operations}"
