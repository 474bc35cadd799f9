"""Imports are all-or-nothing, explain every bad row, and are idempotent (upsert by key)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kinerja.core.models import AuditLog
from kinerja.organisation.imports import EMPLOYEE_COLUMNS, import_file
from kinerja.organisation.models import Employee, EmployeeHistory, Position, Unit, User
from tests.conftest import Org, client_for
from tests.factories import make_nip

HEADERS = [c.header for c in EMPLOYEE_COLUMNS]


def xlsx(headers: list[str], rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv(headers: list[str], rows: list[list[str]], sep: str = ",") -> bytes:
    lines = [sep.join(headers)] + [sep.join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def row(
    nip: str,
    name: str,
    *,
    unit: str = "DINKES-PKM-01",
    position: str = "Perawat Ahli Pertama",
    supervisor: str = "",
    status: str = "PNS",
    golongan: str = "III/a",
    active: str = "Ya",
) -> list[str]:
    return [nip, name, "", "S.Kep.", status, golongan, position, unit, supervisor, "", "", active]


def test_it_imports_new_employees_with_supervisors_from_the_same_file(org: Org) -> None:
    boss, staff = make_nip(), make_nip(sex="2")
    data = xlsx(
        HEADERS,
        [
            row(staff, "Nur Aini", supervisor=boss),  # the supervisor comes later in the file
            row(boss, "Hendra Wijaya", supervisor=org.supervisor.nip, golongan="III/c"),
        ],
    )
    report = import_file(
        kind="employees", data=data, filename="pegawai.xlsx", by=org.users["bkpsdm"]
    )
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    nur = Employee.objects.get(nip=staff)
    assert nur.supervisor.nip == boss
    assert nur.path == f"{Employee.objects.get(nip=boss).path}{nur.pk}/"
    assert EmployeeHistory.objects.filter(employee=nur, valid_to__isnull=True).count() == 1
    assert User.objects.get(username=staff).has_usable_password() is False
    assert AuditLog.objects.filter(
        object_type="organisation.employee", object_id=str(nur.pk)
    ).exists()


def test_reimporting_the_same_file_changes_nothing(org: Org) -> None:
    data = csv(HEADERS, [row(make_nip(), "Nur Aini", supervisor=org.supervisor.nip)])
    assert import_file(kind="employees", data=data, filename="a.csv", by=None).created == 1
    audits = AuditLog.objects.count()
    history = EmployeeHistory.objects.count()
    again = import_file(kind="employees", data=data, filename="a.csv", by=None)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert AuditLog.objects.count() == audits
    assert EmployeeHistory.objects.count() == history


def test_an_update_by_nip_records_the_mutasi(org: Org) -> None:
    data = csv(
        HEADERS,
        [row(org.employee.nip, "Siti Rahmawati", unit="DINKES", supervisor=org.unit_head.nip)],
    )
    report = import_file(kind="employees", data=data, filename="mutasi.csv", by=None)
    assert report.ok and report.updated == 1
    moved = Employee.objects.get(pk=org.employee.pk)
    assert moved.unit == org.dinkes and moved.supervisor == org.unit_head
    assert moved.path == f"{org.unit_head.path}{moved.pk}/"
    assert EmployeeHistory.objects.filter(employee=moved).count() == 2


def test_a_bad_file_changes_nothing_and_explains_every_row(org: Org) -> None:
    good = make_nip()
    duplicate = make_nip()
    rows = [
        row(good, "Baris Benar"),
        row("123", "NIP Pendek"),
        row(make_nip(), "Unit Salah", unit="TIDAK-ADA"),
        row(make_nip(), "Jabatan Salah", position="Astronot"),
        row(make_nip(), "Atasan Hilang", supervisor="199001012015011999"),
        row(duplicate, "Ganda Satu"),
        row(duplicate, "Ganda Dua"),
        row(make_nip(), "Golongan Salah", status="PPPK", golongan="III/a"),
        row(make_nip(), "", active="mungkin"),
    ]
    before = (Employee.objects.count(), AuditLog.objects.count(), User.objects.count())
    report = import_file(kind="employees", data=xlsx(HEADERS, rows), filename="buruk.xlsx", by=None)
    assert not report.ok
    by_row = {(e.row, e.column) for e in report.errors}
    assert (3, "NIP") in by_row
    assert (4, "Kode Unit") in by_row
    assert (5, "Jabatan") in by_row
    assert (6, "NIP Atasan") in by_row
    assert (8, "NIP") in by_row  # duplicate of row 7
    assert (9, "Golongan") in by_row
    assert (10, "Nama") in by_row and (10, "Aktif") in by_row
    assert (2, "NIP") not in by_row
    messages = " ".join(e.message for e in report.errors)
    assert "18 digit" in messages and "sudah muncul di baris 7" in messages
    assert (Employee.objects.count(), AuditLog.objects.count(), User.objects.count()) == before
    assert not Employee.objects.filter(nip=good).exists()
    assert "Tidak ada data yang diubah" in report.summary()


def test_it_refuses_a_loop_of_supervisors(org: Org) -> None:
    a, b = make_nip(), make_nip()
    data = csv(HEADERS, [row(a, "Satu", supervisor=b), row(b, "Dua", supervisor=a)])
    report = import_file(kind="employees", data=data, filename="loop.csv", by=None)
    assert not report.ok
    assert any("lingkaran" in e.message for e in report.errors)
    # A loop through existing data: the unit head would report to their own subordinate.
    data = csv(
        HEADERS,
        [
            row(
                org.unit_head.nip,
                "Kartika Ramadhan",
                unit="DINKES",
                position="Kepala Dinas Kesehatan",
                supervisor=org.employee.nip,
                golongan="IV/c",
            )
        ],
    )
    report = import_file(kind="employees", data=data, filename="loop2.csv", by=None)
    assert any("lingkaran" in e.message for e in report.errors)
    assert Employee.objects.get(pk=org.unit_head.pk).supervisor_id is None


@pytest.mark.parametrize(
    "content, filename, message",
    [
        (b"", "kosong.csv", "kosong"),
        (b"PK\x03\x04rusak", "rusak.xlsx", "tidak dapat dibaca"),
        (b"Nama,Status\nA,PNS\n", "kolom.csv", "Kolom wajib tidak ditemukan"),
        (b"%PDF-1.4 bukan tabel", "menyamar.xlsx", "bukan XLSX"),
    ],
)
def test_it_refuses_unreadable_files(org: Org, content: bytes, filename: str, message: str) -> None:
    report = import_file(kind="employees", data=content, filename=filename, by=None)
    assert not report.ok and message in report.errors[0].message


def test_it_imports_units_then_positions(org: Org) -> None:
    units = csv(
        ["Kode Unit", "Nama Unit", "Jenis", "Kode Induk", "Bidang Urusan", "Melayani Publik"],
        [
            [
                "DINKES-PKM-02",
                "UPT Puskesmas Sungai Emas",
                "UPT Puskesmas",
                "DINKES",
                "Kesehatan",
                "Ya",
            ],
            ["DINKES-PKM-02-TU", "Subbagian Tata Usaha", "subbagian", "DINKES-PKM-02", "", "Tidak"],
        ],
        sep=";",
    )
    report = import_file(kind="units", data=units, filename="unit.csv", by=None)
    assert report.ok, report.errors
    tu = Unit.objects.get(code="DINKES-PKM-02-TU")
    assert tu.opd == org.dinkes and tu.depth == 2 and not tu.serves_public
    assert import_file(kind="units", data=units, filename="unit.csv", by=None).unchanged == 2
    positions = csv(
        ["Nama Jabatan", "Jenis Jabatan", "Kelas Jabatan", "Jenjang"],
        [
            ["Bidan Ahli Muda", "Fungsional", "9", "Ahli Muda"],
            ["Analis Data", "Fungsional", "8", ""],
            ["Pengemudi", "Pelaksana", "20", ""],
        ],
    )
    report = import_file(kind="positions", data=positions, filename="jabatan.csv", by=None)
    assert not report.ok
    assert {e.column for e in report.errors} == {"Jenjang", "Kelas Jabatan"}
    assert not Position.objects.filter(name="Bidan Ahli Muda").exists()


def test_the_export_reimports_without_changes(org: Org) -> None:
    response = client_for(org, "bkpsdm").get(reverse("organisation:employee_export"))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.max_row == Employee.objects.count() + 1
    report = import_file(kind="employees", data=data, filename="ekspor.xlsx", by=None)
    assert report.ok, report.errors
    assert report.unchanged == Employee.objects.count() and report.updated == 0


def test_the_import_page_reports_errors_and_the_template_downloads(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(org, "bkpsdm")
    template = client.get(reverse("organisation:import_template", args=["employees", "xlsx"]))
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    upload = io.BytesIO(csv(HEADERS, [row("1986", "Salah")]))
    upload.name = "salah.csv"
    with django_capture_on_commit_callbacks(execute=True):  # the worker's run, at once
        response = client.post(
            reverse("organisation:import"), {"kind": "employees", "file": upload}
        )
    assert response.status_code == 302
    response = client.get(response["Location"])
    text = response.content.decode()
    assert response.status_code == 200 and "18 digit" in text and "Impor dibatalkan" in text
    assert "Ditolak" in text or "Perbaiki baris" in text
    bad_type = io.BytesIO(b"MZ\x90\x00")
    bad_type.name = "virus.exe"
    response = client.post(reverse("organisation:import"), {"kind": "employees", "file": bad_type})
    assert "Hanya berkas .xlsx atau .csv" in response.content.decode()


def test_the_command_imports_and_fails_loudly_on_errors(org: Org, tmp_path: Path) -> None:
    good = tmp_path / "baik.csv"
    good.write_bytes(
        csv(HEADERS, [row(make_nip(), "Dari Perintah", supervisor=org.supervisor.nip)])
    )
    out = io.StringIO()
    call_command("import_employees", str(good), stdout=out)
    assert "1 baru" in out.getvalue()
    bad = tmp_path / "buruk.csv"
    bad.write_bytes(csv(HEADERS, [row("123", "Salah")]))
    with pytest.raises(CommandError, match="Impor dibatalkan"):
        call_command("import_employees", str(bad), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Employee.objects.filter(name="Salah").exists()


def test_a_nip_stored_as_a_number_is_refused_not_rounded(org: Org) -> None:
    """Excel keeps 15 significant digits: an 18-digit NIP typed into a General cell reaches us
    as a float already rounded (…031 → …000). Such a cell is a row error that says how to
    format the column as text, never a silently different NIP."""
    typed = "198609262015051031"
    as_text = row(typed, "Nur Aini", supervisor=org.supervisor.nip)
    as_number: list[object] = list(as_text)
    as_number[0] = float(typed)  # what Excel hands over: 1.98609262015051e17
    as_number[8] = int(org.supervisor.nip)  # an exact integer cell is still a number cell
    before = Employee.objects.count()

    report = import_file(
        kind="employees", data=xlsx(HEADERS, [as_number]), filename="p.xlsx", by=None
    )

    assert not report.ok
    by_column = {e.column: e.message for e in report.errors if e.row == 2}
    assert "berisi angka, bukan teks" in by_column["NIP"]
    assert "Format kolom NIP sebagai Teks" in by_column["NIP"]
    assert "berisi angka" in by_column["NIP Atasan"]
    assert Employee.objects.count() == before
    assert not Employee.objects.filter(name="Nur Aini").exists()


def test_a_value_longer_than_its_column_is_refused_with_the_limit_named(org: Org) -> None:
    """Nothing is cut silently: a 90-character title is a row error naming the 80 limit."""
    long_title = row(make_nip(), "Nur Aini", supervisor=org.supervisor.nip)
    long_title[3] = "S." + "K" * 88
    report = import_file(
        kind="employees", data=csv(HEADERS, [long_title]), filename="p.csv", by=None
    )
    assert not report.ok
    (error,) = [e for e in report.errors if e.column == "Gelar Belakang"]
    assert error.message == "Gelar Belakang terlalu panjang: 90 karakter, maksimal 80."
    assert not Employee.objects.filter(name="Nur Aini").exists()


def test_a_file_past_the_row_limit_is_refused_before_anything_is_read_into_memory(
    org: Org, settings
) -> None:  # type: ignore[no-untyped-def]
    """A 30 KB XLSX can expand to 200,000 rows: the reader stops at the limit with a message
    that names it, and nothing changes."""
    settings.IMPORT_MAX_ROWS = 3
    rows = [row(make_nip(), f"Pegawai {i}", supervisor=org.supervisor.nip) for i in range(4)]
    report = import_file(kind="employees", data=xlsx(HEADERS, rows), filename="b.xlsx", by=None)
    assert not report.ok
    assert "lebih dari 3 baris data" in report.errors[0].message
    assert not Employee.objects.filter(name__startswith="Pegawai ").exists()


def test_a_file_past_the_column_limit_is_refused(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_MAX_COLUMNS = 5
    report = import_file(
        kind="employees", data=csv(HEADERS, [row(make_nip(), "A")]), filename="c.csv", by=None
    )
    assert not report.ok and "lebih dari 5 kolom" in report.errors[0].message


def test_only_the_first_errors_are_listed_and_the_rest_counted(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_MAX_ERRORS = 2
    rows = [row("123", f"Salah {i}") for i in range(5)]
    report = import_file(kind="employees", data=csv(HEADERS, rows), filename="d.csv", by=None)
    assert len(report.errors) == 2 and report.more_errors >= 3
    assert "ditampilkan 2 pertama" in report.summary()


def test_the_import_page_states_the_limits_before_upload(org: Org) -> None:
    page = client_for(org, "bkpsdm").get(reverse("organisation:import")).content.decode()
    assert "Batas per berkas: 20 MB, 60.000 baris data, 60 kolom" in page
    assert "Kolom yang tidak wajib boleh dihilangkan dari berkas" in page


def test_a_superscript_digit_in_a_number_column_is_a_row_error_not_a_crash(org: Org) -> None:
    """ "²" passes str.isdigit() but not int(): the class of bug of issue 15 item 4."""
    headers = ["Nama Jabatan", "Jenis Jabatan", "Kelas Jabatan", "Jenjang"]
    report = import_file(
        kind="positions",
        data=csv(headers, [["Penata Kelola", "Pelaksana", "²", ""]]),
        filename="jabatan.csv",
        by=None,
    )
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(2, "Kelas Jabatan")]
    assert not Position.objects.filter(name="Penata Kelola").exists()


def test_a_superscript_digit_in_a_query_parameter_is_ignored_not_a_500(org: Org) -> None:
    client = client_for(org, "bkpsdm")
    assert client.get("/pantau/tim/", {"tahun": "2²"}).status_code == 200
    assert client.get("/pantau/tim/", {"tahun": "²"}).status_code == 200
