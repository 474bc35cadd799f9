"""The competency pages: what they show, query counts pinned independent of the number of rows,
the certificate PDF with its QR code, the verification page, the API contract."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kinerja.competency import services
from kinerja.competency.models import Enrolment, Session
from kinerja.core.models import IssuedDocument
from tests.conftest import Org, client_for
from tests.factories import EmployeeFactory, make_user

from .conftest import make_programme, make_session

pytestmark = pytest.mark.django_db


def _complete(org: Org, session: Session, people) -> list[Enrolment]:  # type: ignore[no-untyped-def]
    admin = org.users["bkpsdm"]
    done = [services.enrolment_create(session=session, employee=e, by=admin) for e in people]
    services.attendance_sheet_save(
        session=session, by=admin, present={e.pk: session.days for e in done}
    )
    services.session_close(session=session, by=admin)
    return done


def _crowd(org: Org, n: int) -> list:  # type: ignore[type-arg]
    return [EmployeeFactory(unit=org.puskesmas, supervisor=org.supervisor) for _ in range(n)]


def _world(org: Org, n: int) -> None:
    programme = make_programme(org, title=f"Pelayanan Prima {n}")
    people = _crowd(org, n)
    session = make_session(org, programme, quota=n + 5)
    _complete(org, session, [org.employee, *people])
    later = make_session(
        org,
        programme,
        name="II",
        starts_on=timezone.localdate() + timedelta(days=20),
        ends_on=timezone.localdate() + timedelta(days=20),
        quota=n + 5,
    )
    for e in [org.employee, *people]:
        services.enrolment_create(session=later, employee=e, by=org.users["bkpsdm"])


@pytest.mark.parametrize("n", [2, 12])
def test_the_compliance_dashboard_has_a_fixed_query_count(
    org: Org, n: int, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _world(org, n)
    client = client_for(org, "bkpsdm")
    year = timezone.localdate().year
    for url in (
        reverse("competency:compliance") + f"?tahun={year}",
        reverse("competency:compliance") + f"?opd={org.dinkes.pk}&tahun={year}",
        reverse("competency:compliance") + f"?unit={org.puskesmas.pk}&tahun={year}",
    ):
        with django_assert_max_num_queries(16):
            response = client.get(url)
        assert response.status_code == 200
    body = response.content.decode()
    assert org.employee.full_name in body
    assert "12,00" in body or "12.00" in body


@pytest.mark.parametrize("n", [1, 8])
def test_pembelajaran_saya_has_a_fixed_query_count(
    org: Org, n: int, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for k in range(n):
        programme = make_programme(org, title=f"Program {k}")
        _complete(org, make_session(org, programme), [org.employee])
    client = client_for(org, "employee")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("competency:my_learning"))
    assert response.status_code == 200
    assert response.content.decode().count("Program ") >= n


def test_pembelajaran_saya_shows_progress_and_the_lists_behind_it(org: Org) -> None:
    programme = make_programme(org)
    _complete(org, make_session(org, programme), [org.employee])
    body = client_for(org, "employee").get(reverse("competency:my_learning")).content.decode()
    assert "Literasi Digital untuk Pelayanan Publik" in body
    assert "Kekurangan: 12" in body
    assert reverse("competency:external_create") in body


def test_the_certificate_pdf_names_the_holder_and_carries_the_verification_code(
    org: Org, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from kinerja.competency import documents
    from kinerja.core import verification

    seen: list[str] = []

    def qr(payload: str) -> str:
        seen.append(payload)
        return verification.qr_data_uri(payload)

    monkeypatch.setattr(documents, "qr_data_uri", qr)
    session = make_session(org, make_programme(org))
    (done,) = _complete(org, session, [org.employee])
    response = client_for(org, "employee").get(
        reverse("competency:certificate_pdf", args=[done.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    code = IssuedDocument.objects.get(source_type="competency.enrolment", source_id=done.pk).code
    assert org.employee.full_name in text
    assert "Literasi Digital untuk Pelayanan Publik" in text
    assert code in text
    assert "8.00" in text or "8,00" in text
    assert f"/verifikasi/{code}/" in "".join(text.split())
    assert seen == [verification.verification_url(code)]
    # Reprinting keeps the code.
    client_for(org, "employee").get(reverse("competency:certificate_pdf", args=[done.pk]))
    assert IssuedDocument.objects.filter(source_type="competency.enrolment").count() == 1


def test_the_verification_page_shows_no_more_than_it_should(org: Org) -> None:
    session = make_session(org, make_programme(org))
    (done,) = _complete(org, session, [org.employee])
    code = IssuedDocument.objects.get(source_type="competency.enrolment", source_id=done.pk).code
    body = client_for(org, "anonymous").get(reverse("core:document_verify", args=[code]))
    text = body.content.decode()
    assert body.status_code == 200
    assert org.employee.full_name in text
    assert "Literasi Digital" in text
    assert org.employee.nip not in text
    assert org.employee.unit.name not in text


def test_the_api_reports_jp_as_two_decimal_strings(org: Org) -> None:
    session = make_session(org, make_programme(org, jp=Decimal("12")))
    _complete(org, session, [org.employee])
    later = make_session(
        org,
        make_programme(org, title="Pelayanan Prima", jp=Decimal("6")),
        starts_on=timezone.localdate() + timedelta(days=1),
        ends_on=timezone.localdate() + timedelta(days=1),
    )
    year = session.ends_on.year
    if later.ends_on.year == year:
        services.enrolment_create(session=later, employee=org.employee, by=org.users["employee"])
    response = client_for(org, "supervisor").get(
        f"/api/v1/competency/jp?nip={org.employee.nip}&year={year}"
    )
    assert response.status_code == 200
    expected_enrolled = "6.00" if later.ends_on.year == year else "0.00"
    assert response.json() == {
        "nip": org.employee.nip,
        "year": year,
        "required_jp": 20,
        "completed_jp": "12.00",
        "enrolled_jp": expected_enrolled,
        "shortfall_jp": "8.00",
    }
    missing = client_for(org, "supervisor").get(f"/api/v1/competency/jp?nip={'1' * 18}&year={year}")
    assert missing.status_code == 404


def test_the_api_enrols_waitlists_refuses_twice_and_after_the_deadline(org: Org) -> None:
    session = make_session(org, make_programme(org), quota=1)
    url = f"/api/v1/competency/sessions/{session.pk}/enrolments"
    first = client_for(org, "employee").post(url)
    assert (first.status_code, first.json()) == (201, {"status": "enrolled", "position": None})
    second = client_for(org, "peer").post(url)
    assert (second.status_code, second.json()) == (201, {"status": "waitlisted", "position": 1})
    again = client_for(org, "employee").post(url)
    assert again.status_code == 409
    Session.objects.filter(pk=session.pk).update(
        registration_deadline=timezone.now() - timedelta(minutes=1)
    )
    late = client_for(org, "supervisor").post(url)
    assert late.status_code == 400
    assert "ditutup" in late.json()["detail"]
    missing = client_for(org, "employee").post("/api/v1/competency/sessions/999999/enrolments")
    assert missing.status_code == 404


def test_the_attendance_sheet_saves_a_whole_grid(org: Org) -> None:
    session = make_session(
        org, make_programme(org), ends_on=timezone.localdate() + timedelta(days=1), quota=3
    )
    a = services.enrolment_create(session=session, employee=org.employee, by=org.users["employee"])
    b = services.enrolment_create(session=session, employee=org.peer, by=org.users["bkpsdm"])
    day = session.days[0].isoformat()
    response = client_for(org, "bkpsdm").post(
        reverse("competency:attendance_sheet", args=[session.pk]),
        {f"hadir-{a.pk}-{day}": "1", f"hadir-{b.pk}-{session.days[1].isoformat()}": "1"},
    )
    assert response.status_code == 302
    assert a.attendance.get().day.isoformat() == day
    assert b.attendance.count() == 1
    page = client_for(org, "bkpsdm").get(reverse("competency:attendance_sheet", args=[session.pk]))
    assert page.content.decode().count("checked") == 2


def test_catalogue_search_and_filters(org: Org) -> None:
    make_programme(org)
    make_programme(org, title="Penanganan Kegawatdaruratan Dasar", tags=["Kegawatdaruratan"])
    client = client_for(org, "employee")
    body = client.get(reverse("competency:catalogue") + "?q=gawat").content.decode()
    assert "Kegawatdaruratan Dasar" in body and "Literasi Digital" not in body
    body = client.get(
        reverse("competency:catalogue") + "?kompetensi=Teknologi+Informasi"
    ).content.decode()
    assert "Literasi Digital" in body and "Kegawatdaruratan Dasar" not in body
    body = client.get(reverse("competency:catalogue") + "?q=tidak-ada-apa-apa").content.decode()
    assert "Tidak ada program yang cocok" in body


def test_one_click_nomination_from_the_compliance_page(org: Org) -> None:
    session = make_session(
        org,
        make_programme(org),
        starts_on=timezone.localdate() + timedelta(days=3),
        ends_on=timezone.localdate() + timedelta(days=3),
    )
    client = client_for(org, "supervisor")
    page = client.get(reverse("competency:compliance"))
    assert reverse("competency:session_nominate", args=[session.pk]) in page.content.decode()
    response = client.post(
        reverse("competency:session_nominate", args=[session.pk]),
        {"pegawai": org.employee.pk, "kembali": reverse("competency:compliance")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("competency:compliance")
    assert Enrolment.objects.get(session=session).employee == org.employee
    assert make_user  # the crowd helpers use the shared factories


def test_the_cached_compliance_page_follows_every_completion(
    org: Org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, "bkpsdm")
    url = reverse("competency:compliance") + f"?unit={org.puskesmas.pk}"
    assert "8,00" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _complete(org, make_session(org, make_programme(org)), [org.employee])
    assert "8,00" in client.get(url).content.decode()


def test_bkpsdm_creates_a_programme_and_a_session_through_the_forms(org: Org) -> None:
    client = client_for(org, "bkpsdm")
    response = client.post(
        reverse("competency:programme_create"),
        {
            "title": "Pelayanan Prima",
            "description": "Standar pelayanan",
            "tags": ["Pelayanan Prima"],
            "jp": "12",
            "kind": "bimtek",
            "provider": "BKPSDM",
            "audience_kinds": ["pelaksana"],
            "issues_certificate": "on",
            "completion_threshold": "80",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    from kinerja.competency.models import Programme

    programme = Programme.objects.get(title="Pelayanan Prima")
    assert (programme.form, programme.audience_kinds) == ("klasikal", ["pelaksana"])
    assert "Pelaksana" in client.get(response["Location"]).content.decode()
    day = (timezone.localdate() + timedelta(days=7)).isoformat()
    bad = client.post(
        reverse("competency:session_create", args=[programme.pk]),
        {"starts_on": day, "ends_on": day, "start_time": "10:00", "end_time": "09:00", "quota": 0},
    )
    assert bad.status_code == 200 and not Session.objects.exists()
    assert "Jam selesai harus setelah jam mulai" in bad.content.decode()
    good = client.post(
        reverse("competency:session_create", args=[programme.pk]),
        {
            "name": "Angkatan I",
            "starts_on": day,
            "ends_on": day,
            "start_time": "08:00",
            "end_time": "12:00",
            "place": "Aula",
            "quota": 25,
            "registration_deadline": f"{day}T07:00",
        },
    )
    assert good.status_code == 302
    session = Session.objects.get()
    assert (session.quota, session.seats_taken, session.daily_minutes) == (25, 0, 240)
