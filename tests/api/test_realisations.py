"""Writing realisations through the API follows the grid's rules (issue 17): revision check
(409), review lock, late marking, plausibility and text limits; the bulk request is all or
nothing and lists every failing item; token scopes narrow what a token may write."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from kinerja.core.audit import AuditLog
from kinerja.monitoring.models import ChangeEvent, PersonFigures
from kinerja.organisation.tokens import token_create
from kinerja.performance import services
from kinerja.performance.models import Realisation
from tests.conftest import Org
from tests.performance.conftest import Plans

from .conftest import bearer


@pytest.fixture
def nurse(org: Org, employee_plan: Plans, time_machine) -> Plans:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-07-03 09:00 +07:00")  # June is open and still on time
    return employee_plan


def token(org: Org, persona: str, *scopes: str) -> str:
    return token_create(user=org.users[persona], name="uji", scopes=list(scopes or ["admin"]))[1]


def send(method: str, url: str, body: Any, tok: str) -> Any:
    return getattr(Client(), method)(
        url, json.dumps(body), content_type="application/json", **bearer(tok)
    )


def month_url(plans: Plans, month: int = 6) -> str:
    return f"/api/v1/plans/{plans.employee.pk}/realisations/{month}"  # type: ignore[union-attr]


def row(indicator: Any, value: Any, **extra: Any) -> dict[str, Any]:
    return {"indicator_id": indicator.pk, "value": value, **extra}


def test_it_writes_a_month_and_guards_against_a_stale_revision(org: Org, nurse: Plans) -> None:
    tok = token(org, "employee", "realisations")
    first = send("put", month_url(nurse), {"rows": [row(nurse.patients, "95,5")]}, tok)
    assert first.status_code == 200, first.content
    saved = first.json()["saved"][0]
    assert saved["value"] == "95.5" and saved["is_late"] is False and saved["narrative"] == ""
    revision = saved["revision"]
    again = send(
        "post",
        month_url(nurse),
        {"rows": [row(nurse.patients, 100, revision=revision, narrative="Poli umum")]},
        tok,
    )
    assert again.status_code == 200 and again.json()["saved"][0]["revision"] == revision + 1
    stale = send(
        "put", month_url(nurse), {"rows": [row(nurse.patients, 7, revision=revision)]}, tok
    )
    assert stale.status_code == 409
    assert "telah diubah di tempat lain" in stale.json()["detail"]
    assert Realisation.objects.get().value == 100  # the stale write changed nothing


def test_a_reviewed_month_is_locked_and_late_entries_are_marked(
    org: Org, nurse: Plans, time_machine
) -> None:  # type: ignore[no-untyped-def]
    tok = token(org, "employee")
    assert (
        send("put", month_url(nurse), {"rows": [row(nurse.patients, 90)]}, tok).status_code == 200
    )
    services.realisation_review(plan=nurse.employee, month=6, by=org.users["supervisor"])  # type: ignore[arg-type]
    current = Realisation.objects.get()
    locked = send(
        "put", month_url(nurse), {"rows": [row(nurse.patients, 91, revision=current.revision)]}, tok
    )
    assert locked.status_code == 400 and "sudah diperiksa atasan" in locked.json()["detail"]
    time_machine.move_to("2026-08-06 09:00 +07:00")  # past the 5th of the next month
    late = send("put", month_url(nurse, 7), {"rows": [row(nurse.patients, 80)]}, tok)
    assert late.status_code == 200 and late.json()["saved"][0]["is_late"] is True


@pytest.mark.parametrize(
    ("value", "narrative", "message", "field"),
    [
        ("abc", "", "bukan angka", "rows.0.value"),
        ("-3", "", "tidak boleh negatif", "rows.0.value"),
        ("5000000", "", "kali target tahunan", "rows"),
        ("5", "x" * 2001, "terlalu panjang", "rows"),
        ("1,234.5", "", "tidak jelas", "rows.0.value"),  # English grouping: not guessed
        (float("nan"), "", "bukan angka", "rows.0.value"),  # NaN as raw JSON
        (float("inf"), "", "bukan angka", "rows.0.value"),
        (True, "", "harus berupa angka", "rows.0.value"),  # one sentence, not one per member
        ([1], "", "harus berupa angka", "rows.0.value"),
        ({}, "", "harus berupa angka", "rows.0.value"),
    ],
)
def test_implausible_values_and_long_text_are_refused_and_nothing_is_written(
    org: Org, nurse: Plans, value: Any, narrative: str, message: str, field: str
) -> None:
    tok = token(org, "employee")
    before = AuditLog.objects.count()
    response = send(
        "put", month_url(nurse), {"rows": [row(nurse.patients, value, narrative=narrative)]}, tok
    )
    assert response.status_code == 400
    body = response.json()
    assert message in body["detail"]
    assert body["errors"][0]["field"] == field and message in body["errors"][0]["message"]
    assert Realisation.objects.count() == 0 and AuditLog.objects.count() == before


def test_the_month_must_be_open_and_the_plan_visible(org: Org, nurse: Plans) -> None:
    tok = token(org, "employee")
    future = send("put", month_url(nurse, 9), {"rows": [row(nurse.patients, 5)]}, tok)
    assert future.status_code == 400 and "belum dapat diisi" in future.json()["detail"]
    bad_month = send("put", month_url(nurse, 13), {"rows": []}, tok)
    assert bad_month.status_code == 400 and bad_month.json()["errors"][0]["field"] == "month"
    other = send("put", month_url(nurse), {"rows": []}, token(org, "other"))
    assert other.status_code == 404
    boss = send(
        "put", month_url(nurse), {"rows": [row(nurse.patients, 5)]}, token(org, "supervisor")
    )
    assert boss.status_code == 403 and Realisation.objects.count() == 0


def test_token_scopes_narrow_what_a_token_may_write(org: Org, nurse: Plans) -> None:
    body = {"rows": [row(nurse.patients, 12)]}
    read = token(org, "employee", "read")
    assert Client().get(month_url(nurse).rsplit("/", 2)[0], **bearer(read)).status_code == 200
    assert send("put", month_url(nurse), body, read).status_code == 401
    writer = token(org, "employee", "realisations")
    assert send("put", month_url(nurse), body, writer).status_code == 200
    enrol = send("post", "/api/v1/competency/sessions/1/enrolments", {}, writer)
    assert enrol.status_code == 401  # realisations only
    assert (
        send(
            "post", "/api/v1/competency/sessions/1/enrolments", {}, token(org, "employee")
        ).status_code
        == 404
    )


def bulk_body(nurse: Plans, org: Org, value: Any) -> dict[str, Any]:
    return {
        "year": 2026,
        "month": 6,
        "items": [
            {"nip": org.employee.nip, "rows": [row(nurse.patients, 40)]},
            {
                "plan_id": nurse.supervisor.pk,
                "rows": [
                    {
                        "indicator_id": nurse.supervisor_rhk.indicators.get().pk,
                        "value": value,
                    }
                ],
            },
        ],
    }


def test_bulk_writes_many_people_at_once(
    org: Org, nurse: Plans, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            "post",
            "/api/v1/realisations/bulk",
            bulk_body(nurse, org, 3),
            token(org, "bkpsdm", "realisations"),
        )
    assert response.status_code == 200, response.content
    assert response.json() | {"items": None} == {
        "year": 2026,
        "month": 6,
        "plans": 2,
        "realisations": 2,
        "items": None,
    }
    entries = Realisation.objects.select_related("entered_by")
    assert {r.entered_by.username for r in entries} == {"admin.bkpsdm"}  # who wrote is kept
    assert AuditLog.objects.filter(object_type__endswith="realisation").count() == 2
    # One announcement for the batch: monitoring's task refreshed both people's figures, then
    # told the open boards (the test settings run tasks at once).
    announced = ChangeEvent.objects.filter(topic="realisation").values_list(
        "employee_id", flat=True
    )
    assert sorted(announced) == sorted([org.employee.pk, org.supervisor.pk])
    figures = PersonFigures.objects.get(employee=org.employee, year=2026)
    assert figures.last_realisation_at is not None  # refreshed after the write


def test_bulk_is_all_or_nothing_and_lists_every_failing_item(org: Org, nurse: Plans) -> None:
    body = bulk_body(nurse, org, "tiga")
    body["items"].append({"nip": "199001012020011999", "rows": []})
    body["items"].append({"plan_id": nurse.employee.pk, "rows": []})  # type: ignore[union-attr]
    response = send("post", "/api/v1/realisations/bulk", body, token(org, "bkpsdm"))
    assert response.status_code == 400
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["items.2", "items.3", "items.1.rows.0.value"]
    assert Realisation.objects.count() == 0  # the valid first item was not written either


def test_bulk_by_an_employee_refuses_other_peoples_plans(org: Org, nurse: Plans) -> None:
    response = send(
        "post", "/api/v1/realisations/bulk", bulk_body(nurse, org, 3), token(org, "employee")
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors == [{"field": "items.1", "message": errors[0]["message"]}]
    assert "tidak ditemukan" in errors[0]["message"] and Realisation.objects.count() == 0
