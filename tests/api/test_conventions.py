"""What every endpoint shares (issue 17): pages of count/next/previous/results with page_size up
to 200, filters, the one error shape in Indonesian, request bodies in the schema, and rate
limits per token and per address with Retry-After."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from kinerja.api.api import api
from kinerja.organisation.tokens import token_create
from tests.conftest import Org
from tests.factories import EmployeeFactory

from .conftest import bearer


def token(org: Org, persona: str = "bkpsdm") -> str:
    return token_create(user=org.users[persona], name="uji", scopes=["read"])[1]


def test_lists_are_pages_with_links_and_the_old_fields_stay(org: Org) -> None:
    EmployeeFactory.create_batch(3, unit=org.puskesmas, supervisor=org.supervisor)
    tok = token(org)
    first = Client().get("/api/v1/employees?page_size=4&opd=" + str(org.dinkes.pk), **bearer(tok))
    body = first.json()
    assert first.status_code == 200 and body["count"] == 7  # 4 Dinkes personas + 3 new
    assert len(body["results"]) == 4 and body["items"] == body["results"]
    assert body["previous"] is None and "page=2" in body["next"] and "page_size=4" in body["next"]
    last = Client().get(body["next"], **bearer(tok)).json()
    assert last["next"] is None and "page=1" in last["previous"]
    assert {e["id"] for e in last["results"]}.isdisjoint({e["id"] for e in body["results"]})
    units = Client().get("/api/v1/units", **bearer(tok)).json()
    assert isinstance(units, list) and len(units) == 3  # the plain list of before, unpaged
    paged = Client().get("/api/v1/units?page_size=2", **bearer(tok)).json()
    assert paged["count"] == 3 and len(paged["results"]) == 2


def test_filters_narrow_and_scope_still_applies(org: Org) -> None:
    bkpsdm, other = token(org), token(org, "other")
    found = Client().get(f"/api/v1/employees?q={org.employee.nip[:8]}", **bearer(bkpsdm)).json()
    assert org.employee.pk in {e["id"] for e in found["results"]}
    by_name = Client().get("/api/v1/employees?q=siti", **bearer(other)).json()
    assert by_name["count"] == 0  # the Disdik teacher does not see the Dinkes nurse
    kinds = Client().get("/api/v1/units?kind=puskesmas", **bearer(bkpsdm)).json()
    assert [u["code"] for u in kinds] == ["DINKES-PKM-01"]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/employees?page_size=201", "page_size"),
        ("/api/v1/employees?page=0", "page"),
        ("/api/v1/employees?status=bukan", "status"),
        ("/api/v1/plans?year=abc", "year"),
        ("/api/v1/realisations?month=13", "month"),
    ],
)
def test_bad_parameters_answer_400_naming_the_field(org: Org, url: str, field: str) -> None:
    response = Client().get(url, **bearer(token(org)))
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Parameter ") and body["errors"][0]["field"] == field


def test_every_error_has_the_one_shape_in_indonesian(org: Org) -> None:
    anonymous = Client().get("/api/v1/plans")
    assert anonymous.status_code == 401
    assert anonymous.json() == {
        "detail": "Perlu masuk: kirim Authorization: Bearer <token>.",
        "errors": [],
    }
    missing = Client().get("/api/v1/plans/999999", **bearer(token(org)))
    assert missing.status_code == 404 and missing.json()["errors"] == []
    assert "lingkup akses" in missing.json()["detail"]
    bad_json = Client().post(
        "/api/v1/realisations/bulk", "{oops", content_type="application/json", **bearer(token(org))
    )
    assert bad_json.status_code == 401  # a read token may not write, before anything is read
    admin = token_create(user=org.users["bkpsdm"], name="a", scopes=["admin"])[1]
    bad_json = Client().post(
        "/api/v1/realisations/bulk", "{oops", content_type="application/json", **bearer(admin)
    )
    assert bad_json.status_code == 400
    assert bad_json.json()["detail"] == "Isi permintaan bukan JSON yang valid."


def test_every_request_body_is_in_the_schema() -> None:
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in {"post", "put", "patch"} and "{session_id}" not in path:
                content = operation["requestBody"]["content"]["application/json"]
                assert content["schema"]["$ref"].startswith("#/components/schemas/"), path
            for status in ("400", "401", "404", "409", "429"):
                assert operation["responses"][status]["content"], (path, method, status)
    kiosk = schema["components"]["schemas"]["KioskIn"]
    assert kiosk["required"] == ["answers"] and kiosk["properties"]["answers"]["maxItems"] == 9


def test_a_token_over_its_rate_gets_429_with_retry_after(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.API_RATE_LIMIT_TOKEN = "2/60"
    tok = token(org)
    codes = [Client().get("/api/v1/units", **bearer(tok)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    limited = Client().get("/api/v1/units", **bearer(tok))
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert limited.json()["detail"].startswith("Terlalu banyak permintaan")
    assert Client().get("/api/v1/units", **bearer(token(org, "employee"))).status_code == 200


def test_an_address_over_its_rate_gets_429_even_when_guessing_tokens(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.API_RATE_LIMIT_ADDRESS = "3/60"
    guesses = [
        Client().get("/api/v1/units", **bearer(f"knj_tebakan{i}")).status_code for i in range(4)
    ]
    assert guesses == [401, 401, 401, 429]
    other_address = Client(REMOTE_ADDR="10.0.0.9").get("/api/v1/units", **bearer(token(org)))
    assert other_address.status_code == 200


def test_the_kiosk_body_keeps_its_answers(org: Org) -> None:
    response = Client().post(
        "/api/v1/public/surveys/X/responses",
        json.dumps({"answers": [4] * 9}),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert "Token perangkat diperlukan" in response.json()["detail"]


LISTS = [
    "/api/v1/units?page=1",
    "/api/v1/positions",
    "/api/v1/employees",
    "/api/v1/plans",
    "/api/v1/realisations",
    "/api/v1/assessments",
    "/api/v1/results",
    "/api/v1/objections",
    "/api/v1/services",
    "/api/v1/complaints",
    "/api/v1/tpp/lines",
    "/api/v1/competency/jp/people?year=2026",
]


def test_lists_run_a_fixed_number_of_queries(org: Org) -> None:
    """No N+1: the query count of every list is the same with more rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tok = token(org)
    Client().get(LISTS[0], **bearer(tok))  # the token's first use records last_used_at

    def counts() -> dict[str, int]:
        found = {}
        for url in LISTS:
            with CaptureQueriesContext(connection) as captured:
                assert Client().get(url, **bearer(tok)).status_code == 200, url
            found[url] = len(captured.captured_queries)
        return found

    before = counts()
    EmployeeFactory.create_batch(5, unit=org.puskesmas, supervisor=org.supervisor)
    assert counts() == before


def test_a_browser_session_without_the_csrf_token_is_refused_in_indonesian(org: Org) -> None:
    """django-ninja's own "CSRF check Failed" (session-cookie auth) answers in Indonesian, with
    the same status and the same "detail" key."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.users["employee"])
    response = client.post(
        f"/api/v1/plans/{org.employee.pk}/realisations/6", "[]", content_type="application/json"
    )
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert detail.startswith("Pemeriksaan CSRF gagal") and "X-CSRFToken" in detail
