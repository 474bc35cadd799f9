"""The pages: the slip speaks plain Indonesian, the payroll has the whole breakdown, Satyalancana
lists exactly the due, lists keep their query counts whatever the number of rows."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.rewards import services
from kinerja.rewards.models import Recommendation
from tests.conftest import Org, client_for
from tests.factories import EmployeeFactory, make_nip
from tests.rewards.conftest import finalise, import_rows, on_time_days
from tests.rewards.test_recommendations import pending


@pytest.fixture
def october(org: Org, bases: dict[int, int]):  # type: ignore[no-untyped-def]
    finalise(org.employee, "2026-T3", "baik")
    import_rows(
        org,
        [
            (org.employee.nip, "2026-10-01", "07:40", "16:05", "H"),
            (org.employee.nip, "2026-10-02", "08:15", "16:05", "H"),
        ],
    )
    return services.tpp_calculate(year=2026, month=10, by=org.users["bkpsdm"])


def test_the_employee_reads_the_slip_in_plain_indonesian(org: Org, october) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, "employee")
    slips = client.get(reverse("rewards:tpp_my")).content.decode()
    line = october.lines.get(employee=org.employee)
    assert reverse("rewards:tpp_slip", args=[line.pk]) in slips
    page = client.get(reverse("rewards:tpp_slip", args=[line.pk])).content.decode()
    assert "Faktor kinerja 100% karena predikat Baik" in page
    assert "potongan kehadiran 1,5% karena terlambat 2 kali" in page
    assert "Rp3.976.000" in page
    assert "Belum final" in page  # not locked yet


def test_kinerja_saya_links_the_slip(org: Org) -> None:
    page = client_for(org, "employee").get(reverse("monitoring:my_performance")).content.decode()
    assert reverse("rewards:tpp_my") in page


def test_the_payroll_has_the_whole_breakdown(org: Org, october) -> None:  # type: ignore[no-untyped-def]
    url = reverse("rewards:tpp_payroll", args=[2026, 10, org.dinkes.pk])
    response = client_for(org, "admin_opd").get(url)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert "Faktor disiplin (%)" in header and "Dasar potongan" in header
    assert first["NIP"] == org.employee.nip
    assert first["TPP diterima"] == 3_976_000
    assert first["Terlambat (kali)"] == 2


def test_bkpsdm_moves_a_month_to_locked_through_the_pages(org: Org, october) -> None:  # type: ignore[no-untyped-def]
    bkpsdm = client_for(org, "bkpsdm")
    url = reverse("rewards:tpp_month", args=[2026, 10])
    bkpsdm.post(url, {"langkah": "setujui"})
    october.refresh_from_db()
    assert october.status == "dihitung"  # the OPD has not reviewed: nothing changed
    client_for(org, "admin_opd").post(reverse("rewards:tpp_opd", args=[2026, 10, org.dinkes.pk]))
    bkpsdm.post(url, {"langkah": "setujui"})
    bkpsdm.post(url, {"langkah": "kunci"})
    october.refresh_from_db()
    assert october.status == "dikunci"
    page = bkpsdm.get(url).content.decode()
    assert "sudah dikunci" in page


def test_the_decision_form_records_a_decision(org: Org) -> None:
    rec = pending(org, "pembinaan")
    url = reverse("rewards:recommendation_detail", args=[rec.pk])
    response = client_for(org, "unit_head").post(
        url,
        {
            "decision": "terima",
            "reason": "Predikat Butuh Perbaikan.",
            "official": "Kepala Dinas Kesehatan",
            "effective_from": "2026-11-02",
        },
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "diterima"
    page = client_for(org, "employee").get(url).content.decode()
    assert "Predikat Butuh Perbaikan." in page and "Fakta uji." in page


def test_a_bad_decision_changes_nothing(org: Org) -> None:
    rec = pending(org, "hukuman_disiplin")
    url = reverse("rewards:recommendation_detail", args=[rec.pk])
    page = client_for(org, "bkpsdm").post(
        url, {"decision": "terima", "reason": "x", "official": "y"}
    )
    assert "Nomor dan tanggal SK wajib diisi" in page.content.decode()
    rec.refresh_from_db()
    assert rec.status == "menunggu"


def test_satyalancana_lists_exactly_ten_years_and_not_the_punished(org: Org, time_machine) -> None:  # type: ignore[no-untyped-def]
    due = EmployeeFactory(name="Tepat Sepuluh", unit=org.dinkes, nip=make_nip(appointment="201605"))
    punished = EmployeeFactory(
        name="Pernah Dihukum", unit=org.dinkes, nip=make_nip(appointment="201608")
    )
    EmployeeFactory(name="Baru Sembilan", unit=org.dinkes, nip=make_nip(appointment="201701"))
    services.discipline_record_create(
        employee=punished,
        kind="potongan_tpp_6_bulan",
        reason="Pelanggaran tahun 2017.",
        decree_number="862/2017",
        decree_date=date(2017, 3, 1),
        effective_from=date(2017, 4, 1),
        official="Bupati",
        by=org.users["bkpsdm"],
    )
    page = client_for(org, "bkpsdm").get(reverse("rewards:satyalancana") + "?tahun=2026")
    text = page.content.decode()
    assert "Tepat Sepuluh" in text and "10 tahun" in text
    assert "Pernah Dihukum" not in text and "Baru Sembilan" not in text
    assert due.pk


LISTS = [
    ("bkpsdm", lambda o: reverse("rewards:recommendation_list")),
    ("employee", lambda o: reverse("rewards:recommendation_list")),
    ("bkpsdm", lambda o: reverse("rewards:discipline_list")),
    ("bkpsdm", lambda o: reverse("rewards:tpp_opd", args=[2026, 10, o.dinkes.pk])),
    ("bkpsdm", lambda o: reverse("rewards:tpp_month", args=[2026, 10])),
    ("employee", lambda o: reverse("rewards:tpp_my")),
    ("bkpsdm", lambda o: reverse("rewards:attendance_summary") + "?tahun=2026&bulan=10"),
    ("bkpsdm", lambda o: reverse("rewards:coaching_list")),
]


@pytest.mark.parametrize(("persona", "url"), LISTS)
def test_lists_keep_their_query_count_whatever_the_rows(
    org: Org, bases: dict[int, int], persona: str, url, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    people = [EmployeeFactory(unit=org.puskesmas, supervisor=org.supervisor) for _ in range(12)]
    for e in [org.employee, *people]:
        finalise(e, "2026-T3", "butuh_perbaikan")
    import_rows(org, [row for e in [org.employee, *people] for row in on_time_days(e, 2026, 10, 2)])
    services.tpp_calculate(year=2026, month=10, by=org.users["bkpsdm"])
    services.rules_run(year=2026, by=org.users["bkpsdm"])
    for rec in Recommendation.objects.filter(action="pembinaan")[:6]:
        services.recommendation_decide(
            recommendation=rec,
            by=org.users["bkpsdm"],
            accept=True,
            reason="Perlu.",
            official="Kepala BKPSDM",
            effective_from=date(2026, 11, 1),
        )
    client = client_for(org, persona)
    with django_assert_max_num_queries(20):
        response = client.get(url(org))
    assert response.status_code == 200


def test_bkpsdm_edits_a_rule_and_a_broken_condition_changes_nothing(org: Org) -> None:
    from kinerja.rewards.models import FollowUpRule

    rule = FollowUpRule.objects.get(code="pembinaan-di-bawah-standar")
    url = reverse("rewards:rule_edit", args=[rule.pk])
    client = client_for(org, "bkpsdm")
    data = {
        "name": rule.name,
        "explanation": "Penjelasan baru.",
        "is_active": "on",
        "parameters": '{"predikat": ["tidak_ada"]}',
        "action_parameters": "{}",
    }
    page = client.post(url, data)
    assert page.status_code == 200 and "Parameter kondisi tidak valid" in page.content.decode()
    rule.refresh_from_db()
    assert rule.explanation != "Penjelasan baru."
    data["parameters"] = '{"predikat": ["kurang", "sangat_kurang"]}'
    assert client.post(url, data).status_code == 302
    rule.refresh_from_db()
    assert rule.explanation == "Penjelasan baru." and rule.parameters["predikat"] == [
        "kurang",
        "sangat_kurang",
    ]


def test_bkpsdm_records_a_correction_in_a_later_month(org: Org, october) -> None:  # type: ignore[no-untyped-def]
    bkpsdm = client_for(org, "bkpsdm")
    services.tpp_review_opd(tpp_month=october, opd=org.dinkes, by=org.users["bkpsdm"])
    services.tpp_approve(tpp_month=october, by=org.users["bkpsdm"])
    services.tpp_lock(tpp_month=october, by=org.users["bkpsdm"])
    import_rows(org, on_time_days(org.employee, 2026, 11))
    november = services.tpp_calculate(year=2026, month=11, by=org.users["bkpsdm"])
    url = reverse("rewards:tpp_month", args=[2026, 11])
    data = {
        "langkah": "koreksi",
        "nip": org.employee.nip,
        "corrects": "2026-1",
        "amount": "5000",
        "reason": "x",
    }
    bkpsdm.post(url, data)
    assert not november.lines.filter(kind="koreksi").exists()  # bad month: nothing written
    data["corrects"] = "2026-10"
    bkpsdm.post(url, data)
    assert november.lines.get(kind="koreksi").total == 5000


def test_the_import_page_shows_the_row_by_row_report(
    org: Org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """The upload becomes a background import job (kinerja.core.importjobs); the immediate task
    backend of the tests runs it as the request commits, and the job page shows the report."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kinerja.core.models import ImportJob, ImportStatus
    from kinerja.rewards.models import AttendanceDay
    from tests.rewards.conftest import csv_of

    data = csv_of(
        [
            (org.employee.nip, "2026-10-01", "07:30", "16:00", "H"),
            (org.employee.nip, "2026-10-02", "07:30", "16:00", "Z"),
        ]
    )
    client = client_for(org, "bkpsdm")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("rewards:attendance_import"),
            {"file": SimpleUploadedFile("absen.csv", data, content_type="text/csv")},
        )
    job = ImportJob.objects.get(kind="rewards.attendance")
    assert response.status_code == 302 and response["Location"] == f"/impor/{job.pk}/"
    assert job.status == ImportStatus.REJECTED
    text = client.get(response["Location"]).content.decode()
    assert "Impor dibatalkan" in text and "Kode status “Z” tidak dikenal" in text
    assert reverse("rewards:attendance_import") in text  # the way back
    assert not AttendanceDay.objects.exists()
    listed = client.get(reverse("rewards:attendance_import")).content.decode()
    assert "absen.csv" in listed and "Ditolak" in listed


def test_the_piagam_pdf_carries_a_code_the_public_page_verifies(org: Org) -> None:
    from django.test import Client

    from kinerja.core.verification import document_for_source
    from kinerja.rewards.models import Recognition

    rec = pending(org, "piagam")
    services.recommendation_decide(
        recommendation=rec,
        by=org.users["bkpsdm"],
        accept=True,
        reason="Sangat Baik.",
        official="Bupati",
        decree_number="7/PH/2026",
        decree_date=date(2026, 12, 1),
    )
    recognition = Recognition.objects.get()
    response = client_for(org, "employee").get(
        reverse("rewards:recognition_pdf", args=[recognition.pk])
    )
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    document = document_for_source(recognition)
    assert document is not None
    page = Client().get(reverse("core:document_verify", args=[document.code]))
    assert page.status_code == 200 and "Siti Rahmawati" in page.content.decode()


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("parameters", '{"predikat": ["sangat_baik"], "no_punishment": NaN}'),
        ("parameters", '{"predikat": ["sangat_baik"], "periods": Infinity}'),
        ("parameters", '{"predikat": ["sangat_baik"], "periods": ' + "9" * 5000 + "}"),
        ("parameters", '{"predikat": ["sangat_baik"], "min_ikm": 1e400}'),
        ("parameters", "[" * 100 + "]" * 100),
        ("action_parameters", '{"tag": -Infinity}'),
        ("action_parameters", '{"tag": 1e400}'),
    ],
)
def test_a_rule_with_numbers_json_cannot_hold_is_refused_and_changes_nothing(
    org: Org, field: str, text: str
) -> None:
    from kinerja.rewards.models import FollowUpRule

    rule = FollowUpRule.objects.get(code="pembinaan-di-bawah-standar")
    before = (rule.parameters, rule.action_parameters, rule.explanation)
    data = {
        "name": rule.name,
        "explanation": "Penjelasan baru.",
        "is_active": "on",
        "parameters": '{"predikat": ["kurang"]}',
        "action_parameters": "{}",
        field: text,
    }
    page = client_for(org, "bkpsdm").post(reverse("rewards:rule_edit", args=[rule.pk]), data)
    assert page.status_code == 200
    assert "JSON ini memuat nilai yang tidak dapat disimpan" in page.content.decode()
    rule.refresh_from_db()
    assert (rule.parameters, rule.action_parameters, rule.explanation) == before
