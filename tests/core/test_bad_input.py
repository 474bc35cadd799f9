"""Integers past what the database holds and JSON nested too deep are bad input: 400 with an
Indonesian message, never a 500 (issue 10, security 5)."""

from __future__ import annotations

import json
import warnings

import pytest

from kinerja.core.params import (
    DB_INT_MAX,
    BadParameter,
    int_param,
    json_depth_exceeds,
    loads_bounded,
)
from tests.conftest import Org, client_for

BIG = str(2**63)  # one more than a bigint holds


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/employees?page={BIG}",
        f"/api/v1/employees?page={DB_INT_MAX}",  # fits a bigint, but its offset would not
        f"/api/v1/employees?opd={BIG}",
        f"/api/v1/employees?page_size={BIG}",
        f"/api/v1/employees/{BIG}",
        f"/api/v1/plans/{BIG}",
        "/api/v1/employees?page=abc",
        "/api/v1/employees?page=0",
        "/api/v1/employees?opd=-1",
    ],
)
@pytest.mark.parametrize("persona", ["employee", "bkpsdm"])
def test_the_api_answers_400_to_integers_out_of_range(org: Org, persona: str, url: str) -> None:
    response = client_for(org, persona).get(url)
    assert response.status_code == 400, response.content[:300]
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.startswith("Parameter ")


def test_the_api_still_pages_and_filters(org: Org) -> None:
    client = client_for(org, "bkpsdm")
    assert client.get("/api/v1/employees?page=1").status_code == 200
    found = client.get(f"/api/v1/employees?opd={org.dinkes.pk}").json()["items"]
    assert {e["name"] for e in found} >= {"Siti Rahmawati", "Citra Syahputra"}


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        (f"?tim=1&once=1&sejak={BIG}", {}),
        ("?tim=1&once=1", {"Last-Event-ID": BIG}),
        (f"?once=1&belum={BIG}", {}),
    ],
)
@pytest.mark.django_db(transaction=True)  # the stream polls from another thread
def test_the_live_stream_answers_400_to_a_cursor_out_of_range(
    org: Org, query: str, headers: dict[str, str]
) -> None:
    client = client_for(org, "supervisor")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        response = client.get(f"/pantau/langsung/{query}", headers=headers)
        if response.streaming:
            b"".join(response)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, 7), ("", 7), ("  ", 7), ("0", 0), ("42", 42), (str(DB_INT_MAX), DB_INT_MAX)],
)
def test_int_param_reads_whole_numbers_in_range(raw: str | None, expected: int) -> None:
    assert int_param(raw, "x", default=7) == expected


@pytest.mark.parametrize("raw", [BIG, "-1", "1.5", "1e3", "abc", "٣", "9" * 100])
def test_int_param_refuses_anything_else_with_a_400(raw: str) -> None:
    with pytest.raises(BadParameter, match="Parameter x"):
        int_param(raw, "x")


def test_json_depth_is_measured_without_recursion() -> None:
    assert not json_depth_exceeds(json.dumps({"a": [[1], {"b": "[[[[[["}]}), limit=3)
    assert json_depth_exceeds("[[[[1]]]]", limit=3)
    assert json_depth_exceeds(b"{" * 10**6, limit=32)
    assert loads_bounded('{"s": "\\"[[["}') == {"s": '"[[['}


# --- NUL characters (issue 15, item 4): refused the same on both databases ---------------


def test_a_form_with_a_nul_character_is_refused_and_changes_nothing(org: Org) -> None:
    from kinerja.core.models import AuditLog

    before = AuditLog.objects.count()
    response = client_for(org, "bkpsdm").post(
        f"/pegawai/{org.employee.pk}/ubah/", {"name": "Siti\x00 Rahmawati"}
    )
    assert response.status_code == 400
    assert "karakter kosong (NUL)" in response.content.decode()
    assert AuditLog.objects.count() == before
    org.employee.refresh_from_db()
    assert "\x00" not in org.employee.name


@pytest.mark.parametrize("body", ['{"saran": "baik\\u0000"}', '{"saran": "baik\\U0000"}'])
def test_a_json_body_with_a_nul_character_is_refused_with_a_json_400(org: Org, body: str) -> None:
    response = client_for(org, "employee").post(
        "/api/v1/kiosk/survei/X/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_a_query_string_with_a_nul_character_is_refused(org: Org) -> None:
    response = client_for(org, "bkpsdm").get("/pegawai/", {"q": "a\x00b"})
    assert response.status_code == 400


def test_uploaded_files_may_contain_nul_bytes(org: Org) -> None:
    """Files are not text: a binary upload passes the NUL check (the view decides on it)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("data.xlsx", b"PK\x03\x04\x00\x00binary")
    response = client_for(org, "bkpsdm").post(
        "/impor/", {"kind": "employees", "file": upload}, follow=True
    )
    assert response.status_code == 200 and response.redirect_chain  # stored as an import job
    assert "karakter kosong (NUL)" not in response.content.decode()
