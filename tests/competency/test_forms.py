"""Bounds of the session and external-learning forms (audit: dates in 1900 and 9999, a
registration deadline after the start, quota 0 and 9.2e18, 1000 hours for two days, "8,5")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.competency.forms import ExternalLearningForm, ExternalReviewForm, SessionForm
from kinerja.competency.models import ExternalLearning, Session
from tests.conftest import Org, client_for

from .conftest import make_programme, make_session

WIB = ZoneInfo("Asia/Jakarta")
TODAY = datetime(2026, 12, 7, 10, tzinfo=WIB)

pytestmark = pytest.mark.django_db  # a ModelForm checks the model's constraints


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def session_data(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Angkatan I",
        "starts_on": "2027-02-01",
        "ends_on": "2027-02-03",
        "start_time": "08:00",
        "end_time": "16:00",
        "place": "Aula BKPSDM",
        "quota": "30",
        "registration_deadline": "2027-01-25T23:59",
        **fields,
    }


def session_errors(**fields: Any) -> dict[str, list[str]]:
    form = SessionForm(session_data(**fields))
    form.is_valid()
    return {k: [str(m) for m in v] for k, v in form.errors.items()}


def test_it_accepts_an_ordinary_session() -> None:
    assert session_errors() == {}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"starts_on": "9999-12-30", "ends_on": "9999-12-31"}, "starts_on"),
        ({"starts_on": "1900-01-01"}, "starts_on"),
        ({"ends_on": "2062-02-03"}, "ends_on"),
    ],
)
def test_it_refuses_session_dates_outside_last_year_to_next_year(
    fields: dict[str, str], field: str
) -> None:
    errors = session_errors(**fields)
    assert errors[field] == ["Tanggal harus antara 01-01-2025 dan 31-12-2027."]


def test_it_refuses_a_registration_deadline_after_the_session_starts() -> None:
    errors = session_errors(registration_deadline="2027-03-01T08:00")
    assert errors == {
        "registration_deadline": [
            "Batas pendaftaran tidak boleh setelah sesi dimulai (01-02-2027 08:00)."
        ]
    }
    assert session_errors(registration_deadline="2027-02-01T08:00") == {}
    assert "registration_deadline" in session_errors(registration_deadline="1900-01-01T08:00")


@pytest.mark.parametrize(
    ("quota", "message"),
    [
        ("0", "Kuota minimal 1 peserta."),
        ("-5", "Kuota minimal 1 peserta."),
        ("10001", "Kuota paling banyak 10.000 peserta."),
        ("9200000000000000000", "Kuota paling banyak 10.000 peserta."),
    ],
)
def test_it_says_the_quota_bounds_in_indonesian(quota: str, message: str) -> None:
    assert session_errors(quota=quota) == {"quota": [message]}
    assert session_errors(quota="10000") == {}


def test_the_session_pages_refuse_bad_input_and_change_nothing(org: Org) -> None:
    programme = make_programme(org)
    client = client_for(org, "bkpsdm")
    url = reverse("competency:session_create", args=[programme.pk])
    for bad in (
        {"starts_on": "9999-12-30", "ends_on": "9999-12-31"},
        {"registration_deadline": "2027-03-01T08:00"},
        {"quota": "0"},
    ):
        response = client.post(url, session_data(**bad))
        assert response.status_code == 200
    assert "Kuota minimal 1 peserta." in response.content.decode()
    assert not Session.objects.exists()

    session = make_session(org, programme, quota=5)
    edit = reverse("competency:session_edit", args=[session.pk])
    response = client.post(edit, session_data(quota="9200000000000000000"))
    assert "Kuota paling banyak 10.000 peserta." in response.content.decode()
    response = client.post(edit, session_data(starts_on="1900-01-01"))
    assert response.status_code == 200
    session.refresh_from_db()
    assert (session.quota, session.starts_on) == (5, TODAY.date())


def test_an_old_session_can_still_be_edited_without_moving_its_dates(org: Org) -> None:
    programme = make_programme(org)
    with time_machine.travel(datetime(2023, 4, 20, 9, tzinfo=WIB), tick=False):
        session = make_session(
            org,
            programme,
            starts_on=datetime(2023, 5, 2).date(),
            ends_on=datetime(2023, 5, 2).date(),
            registration_deadline=datetime(2023, 5, 1, 23, 59, tzinfo=WIB),
            quota=5,
        )
    data = session_data(
        starts_on="2023-05-02", ends_on="2023-05-02", registration_deadline="2023-05-01T23:59"
    )
    form = SessionForm({**data, "quota": "6"}, instance=session)
    assert form.is_valid(), form.errors
    moved = SessionForm({**data, "starts_on": "2023-05-01"}, instance=session)
    assert not moved.is_valid() and "starts_on" in moved.errors


# --- External learning ------------------------------------------------------------------


def external_errors(**fields: Any) -> dict[str, list[str]]:
    data = {
        "title": "Seminar Keamanan Siber",
        "kind": "seminar",
        "provider": "BSSN",
        "started_on": "2026-12-01",
        "ended_on": "2026-12-02",
        "hours": "8",
        **fields,
    }
    files = {"evidence": SimpleUploadedFile("s.pdf", b"%PDF-1.4 x")}
    form = ExternalLearningForm(data, files)
    form.is_valid()
    return {k: [str(m) for m in v] for k, v in form.errors.items()}


def test_it_accepts_an_ordinary_report_and_a_decimal_comma() -> None:
    assert external_errors() == {}
    form = ExternalLearningForm(
        {
            "title": "Kursus",
            "kind": "kursus",
            "provider": "LKP",
            "started_on": "2026-12-01",
            "ended_on": "2026-12-01",
            "hours": "8,5",
        },
        {"evidence": SimpleUploadedFile("s.pdf", b"%PDF-1.4 x")},
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hours"] == Decimal("8.5")
    assert 'inputmode="decimal"' in str(form["hours"])


def test_it_refuses_more_than_12_hours_a_day() -> None:
    assert external_errors(hours="1000") == {
        "hours": ["Paling banyak 24 jam untuk kegiatan 2 hari (12 jam per hari)."]
    }
    assert external_errors(hours="24") == {}
    assert external_errors(hours="24,25") != {}


def test_it_refuses_learning_dates_outside_last_year_to_today() -> None:
    assert external_errors(started_on="1900-01-01") == {
        "started_on": ["Tanggal harus antara 01-01-2025 dan 07-12-2026."]
    }
    assert external_errors(started_on="2027-01-01", ended_on="2027-01-02") == {
        "started_on": ["Tanggal harus antara 01-01-2025 dan 07-12-2026."],
        "ended_on": ["Tanggal harus antara 01-01-2025 dan 07-12-2026."],
    }


def test_the_review_form_reads_a_decimal_comma() -> None:
    form = ExternalReviewForm({"decision": "setujui", "jp": "10,67"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["jp"] == Decimal("10.67")


def test_the_external_page_refuses_bad_input_and_changes_nothing(org: Org) -> None:
    client = client_for(org, "employee")
    url = reverse("competency:external_create")
    base = {"title": "Seminar", "kind": "seminar", "provider": "BSSN", "ended_on": "2026-12-02"}
    for bad in ({"started_on": "2026-12-01", "hours": "1000"}, {"started_on": "1900-01-01"}):
        response = client.post(
            url,
            {"hours": "2", **base, **bad, "evidence": SimpleUploadedFile("s.pdf", b"%PDF-1.4 x")},
        )
        assert response.status_code == 200
    assert not ExternalLearning.objects.exists()
    response = client.post(
        url,
        {
            **base,
            "started_on": "2026-12-01",
            "hours": "8,5",
            "evidence": SimpleUploadedFile("s.pdf", b"%PDF-1.4 x"),
        },
    )
    assert response.status_code == 302
    assert ExternalLearning.objects.get().hours == Decimal("8.50")
