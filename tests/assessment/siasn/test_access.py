"""The SIASN export under the access matrix: the page (every persona, through tests/access.py,
and every named URL of the "siasn" namespace has a row) and the API through personal tokens
(every persona with an "admin" token; a "read" token and a session are refused)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.core.models import AuditLog
from kinerja.organisation.models import Employee
from kinerja.organisation.tokens import token_create
from tests.access import Route, check_route, uncovered
from tests.conftest import Org, client_for
from tests.core.test_access_matrix import MATRIX_PERSONAS, expect

from ..conftest import Team

pytestmark = pytest.mark.django_db

API = "/api/v1/siasn/kinerja-periodik"

ROUTES = [
    Route("siasn page", "export", lambda o: reverse("siasn:export"), expect(404, bkpsdm=200)),
    Route(
        "siasn page (a period and a unit)",
        "export",
        lambda o: reverse("siasn:export") + f"?tahun=2026&periode=T1&unit={o.dinkes.pk}",
        expect(404, bkpsdm=200),
    ),
    Route(
        "siasn page (a bad year: the form's error, still only for BKPSDM)",
        "export",
        lambda o: reverse("siasn:export") + "?tahun=abc&periode=T1",
        expect(404, bkpsdm=200),
    ),
]


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_the_page_answers_each_persona_as_the_policy_says(
    org: Org, regional: Employee, route: Route
) -> None:
    check_route(org, route)


def test_every_siasn_url_is_in_the_matrix() -> None:
    assert uncovered("siasn", ROUTES) == []


def _bearer(org: Org, persona: str, scopes: list[str]) -> dict[str, str]:
    _row, plain = token_create(user=org.users[persona], name="siasn", scopes=scopes)
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


API_EXPECTED = expect(404, anonymous=401, bkpsdm=200)


@pytest.mark.parametrize("url", [f"{API}?tahun=2026&periode=T1", f"{API}?tahun=2026&dry_run=1"])
def test_the_api_answers_each_persona_through_an_admin_token(
    org: Org, regional: Employee, url: str
) -> None:
    answers = {}
    for persona in MATRIX_PERSONAS:
        headers = {} if persona == "anonymous" else _bearer(org, persona, ["admin"])
        answers[persona] = Client().get(url, **headers).status_code
    assert answers == API_EXPECTED


def test_the_api_refuses_a_read_token_and_a_session(org: Org) -> None:
    url = f"{API}?tahun=2026&periode=T1"
    assert Client().get(url, **_bearer(org, "bkpsdm", ["read"])).status_code == 401
    assert client_for(org, "bkpsdm").get(url).status_code == 401


def test_the_api_returns_rows_rejected_and_pages(
    org: Org,
    finalised: Team,
    mapped: object,
) -> None:
    headers = _bearer(org, "bkpsdm", ["admin"])
    body = Client().get(f"{API}?tahun=2026&periode=T1&page_size=1", **headers).json()
    assert body["periode"] == "2026-T1" and body["periode_label"] == "Triwulan I 2026"
    assert body["count"] == 2 and len(body["items"]) == 1
    assert body["items"][0]["nip"] in {org.employee.nip, org.peer.nip}
    assert body["items"][0]["bulan_mulai"] == 1 and body["items"][0]["bulan_selesai"] == 3
    assert body["rejected_count"] == body["ringkasan"]["ditolak"] >= 4
    assert len(body["rejected"]) == 1
    assert body["rejected"][0]["alasan"][0]["kode"] == "belum_final"
    assert "page=2&" in body["next"] and body["previous"] is None
    assert body["ringkasan"]["siap"] == 2
    assert AuditLog.objects.filter(object_type="assessment.siasn").count() == 1
    second = Client().get(body["next"], **headers).json()
    assert second["items"][0]["nip"] != body["items"][0]["nip"]
    assert "page=1&" in second["previous"]


def test_the_api_dry_run_lists_only_the_rejected_and_is_not_audited(
    org: Org,
    finalised: Team,
    mapped: object,
) -> None:
    headers = _bearer(org, "bkpsdm", ["admin"])
    body = Client().get(f"{API}?tahun=2026&periode=T1&dry_run=1", **headers).json()
    assert body["dry_run"] is True
    assert body["items"] == [] and body["count"] == 0
    assert {r["nip"] for r in body["rejected"]} >= {org.supervisor.nip, org.unit_head.nip}
    assert body["ringkasan"]["siap"] == 2
    assert not AuditLog.objects.filter(object_type="assessment.siasn").exists()


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("tahun=2026&periode=T9", "tidak dikenal"),
        ("tahun=2026&unit=999999", "Unit kerja tidak ditemukan"),
        ("tahun=abc", "Parameter tahun harus bilangan bulat"),
        ("periode=T1", "Parameter tahun wajib diisi"),
        ("tahun=2026&page_size=201", "Parameter page_size paling besar 200"),
    ],
)
def test_the_api_refuses_bad_parameters_in_indonesian(org: Org, query: str, fragment: str) -> None:
    response = Client().get(f"{API}?{query}", **_bearer(org, "bkpsdm", ["admin"]))
    assert response.status_code == 400
    assert fragment in response.json()["detail"]
