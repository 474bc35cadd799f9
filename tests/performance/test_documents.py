"""The official SKP document: PDF (text extracted with pypdf) and XLSX (cells read back)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja.performance import services
from kinerja.rules import berakhlak
from tests.conftest import Org, client_for
from tests.performance.conftest import Plans


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def xlsx_values(data: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


@pytest.fixture
def full_plan(org: Org, employee_plan: Plans) -> Plans:
    """The nurse's approved plan with a Tambahan RHK, lampiran and one leader's expectation
    (added through a new version that is approved again)."""
    user, boss = org.users["employee"], org.users["supervisor"]
    plan = employee_plan.employee
    services.plan_new_version(plan=plan, by=user)
    extra = services.rhk_add(
        plan=plan, by=user, kind="tambahan", text="Menjadi anggota tim akreditasi Puskesmas"
    )
    services.indicator_add(
        rhk=extra,
        by=user,
        aspek="kuantitas",
        name="Jumlah dokumen akreditasi disusun",
        unit_of_measure="dokumen",
        target=Decimal(4),
        polarity="higher_is_better",
        aggregation="sum",
    )
    services.plan_update_lampiran(
        plan=plan,
        by=user,
        dukungan_sumber_daya="Ruang rawat jalan dan alat kesehatan dasar",
        skema_pertanggungjawaban="Laporan bulanan kepada Kepala Puskesmas",
        konsekuensi="Pemberian penghargaan atau pembinaan",
    )
    services.plan_submit(plan=plan, by=user)
    services.behaviour_set_expectation(
        behaviour=plan.behaviours.get(value_code="berorientasi_pelayanan"),
        by=boss,
        expectation="Menanggapi keluhan pasien paling lama satu hari kerja",
    )
    services.plan_approve(plan=plan, by=boss)
    plan.refresh_from_db()
    return employee_plan


def test_the_pdf_carries_the_whole_national_form(org: Org, full_plan: Plans) -> None:
    plan = full_plan.employee
    response = client_for(org, "employee").get(reverse("performance:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    assert f"SKP-2026-{org.employee.nip}-v2.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in [
        "PEMERINTAH KABUPATEN BUKITINTAN",
        "SASARAN KINERJA PEGAWAI",
        "1 JANUARI 2026 – 31 DESEMBER 2026",
        "PEGAWAI YANG DINILAI",
        "PEJABAT PENILAI KINERJA",
        "Siti Rahmawati, S.Kep., Ners",
        org.employee.nip_formatted,
        "Citra Syahputra",
        org.supervisor.nip_formatted,
        "Perawat Ahli Pertama",
        "UPT Puskesmas Bukitintan",
        "HASIL KERJA",
        "A. Utama",
        "B. Tambahan",
        "Terlaksananya pelayanan Puskesmas",  # the intervened RHK of the supervisor
        "Terlayaninya pasien rawat jalan",
        "Jumlah pasien terlayani",
        "1.200 pasien",
        "Waktu respons penanganan gawat darurat",
        "10 menit",
        "semakin rendah semakin baik",
        "Menjadi anggota tim akreditasi Puskesmas",
        "4 dokumen",
        "PERILAKU KERJA",
        "Menanggapi keluhan pasien paling lama satu hari kerja",
        "LAMPIRAN",
        "Laporan bulanan kepada Kepala Puskesmas",
        "Pegawai yang Dinilai",
        "Pejabat Penilai Kinerja",
        "Bukitintan, ",
        "Versi 2",
        "Disetujui",
    ]:
        assert expected in text, expected
    for value in berakhlak.VALUES:
        assert value.name in text, value.name
    assert "Membantu orang lain belajar" in text  # a panduan perilaku
    assert "DRAF" not in text
    # Kuantitas, Waktu: the aspek of each indicator
    assert "Kuantitas" in text and "Waktu" in text


def test_a_draft_is_marked_and_dated_today(org: Org, plans: Plans, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-11-28 10:00 +07:00")
    user = org.users["employee"]
    plan = services.plan_create(employee=org.employee, year=2026, by=user)
    services.rhk_add(plan=plan, by=user, kind="utama", text="RHK draf", parent=plans.supervisor_rhk)
    response = client_for(org, "employee").get(reverse("performance:plan_pdf", args=[plan.pk]))
    text = pdf_text(response.content)
    assert "DRAF" in text and "Draf" in text
    assert "Belum ada indikator" in text
    assert "Bukitintan, 28 November 2026" in text
    assert "Tidak ada RHK pada kelompok ini" in text  # no Tambahan


def test_the_regent_signs_for_those_without_a_supervisor(org: Org, plans: Plans) -> None:
    plan = plans.head  # the Kepala Dinas has no supervisor in the test regency
    assert plan.assessor_id is None and plan.assessor_snapshot == {}
    response = client_for(org, "bkpsdm").get(reverse("performance:plan_pdf", args=[plan.pk]))
    text = pdf_text(response.content)
    assert "Bupati Bukitintan" in text
    assert "Sasaran OPD: 1. Meningkatnya derajat kesehatan masyarakat" in text


def test_an_approved_version_prints_while_a_new_one_is_drafted(
    org: Org, employee_plan: Plans
) -> None:
    user = org.users["employee"]
    plan = employee_plan.employee
    services.plan_new_version(plan=plan, by=user)
    services.indicator_update(indicator=employee_plan.patients, by=user, target=Decimal(1500))
    client = client_for(org, "employee")
    current = pdf_text(client.get(reverse("performance:plan_pdf", args=[plan.pk])).content)
    assert "1.500 pasien" in current and "DRAF" in current and "Versi 2" in current
    url = reverse("performance:plan_pdf", args=[plan.pk]) + "?versi=1"
    approved = pdf_text(client.get(url).content)
    assert "1.200 pasien" in approved and "DRAF" not in approved and "Versi 1" in approved
    assert (
        client.get(reverse("performance:plan_pdf", args=[plan.pk]) + "?versi=9").status_code == 404
    )
    assert (
        client.get(reverse("performance:plan_pdf", args=[plan.pk]) + "?versi=x").status_code == 404
    )


def test_the_xlsx_has_the_same_sections(org: Org, full_plan: Plans) -> None:
    plan = full_plan.employee
    response = client_for(org, "supervisor").get(reverse("performance:plan_xlsx", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet.title == "SKP 2026"
    assert sheet.page_setup.orientation == "landscape"
    values = xlsx_values(response.content)
    joined = "\n".join(values)
    for expected in [
        "SASARAN KINERJA PEGAWAI",
        "PEGAWAI YANG DINILAI",
        "PEJABAT PENILAI KINERJA",
        "Siti Rahmawati, S.Kep., Ners",
        org.employee.nip_formatted,
        "Citra Syahputra",
        "HASIL KERJA",
        "A. Utama",
        "B. Tambahan",
        "RHK atasan yang diintervensi",
        "Terlaksananya pelayanan Puskesmas",
        "Jumlah pasien terlayani",
        "1.200 pasien",
        "10 menit",
        "PERILAKU KERJA",
        "LAMPIRAN SASARAN KINERJA PEGAWAI",
        "Ruang rawat jalan dan alat kesehatan dasar",
        "Pegawai yang Dinilai",
        "Pejabat Penilai Kinerja",
        f"NIP. {org.employee.nip_formatted}",
    ]:
        assert expected in joined, expected
    for value in berakhlak.VALUES:
        assert value.name in values
    # The header table: row "Nama" with the employee's and the assessor's name side by side.
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(r[0] == "No" and r[1] == "RHK atasan yang diintervensi" for r in rows)
    name_row = next(r for r in rows if r[1] == "Nama")
    assert name_row[2] == "Siti Rahmawati, S.Kep., Ners" and name_row[5] == "Citra Syahputra"
    indicator_row = next(r for r in rows if r[4] == "Jumlah pasien terlayani")
    assert indicator_row[3] == "Kuantitas" and indicator_row[5] == "1.200 pasien"


def test_the_document_reads_a_fixed_number_of_queries(
    org: Org, full_plan: Plans, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, "employee")
    url = reverse("performance:plan_xlsx", args=[full_plan.employee.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)
