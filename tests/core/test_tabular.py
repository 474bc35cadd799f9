"""Uploaded XLSX files are ZIP archives: one that would unpack to far more than any real import
(a "decompression bomb") is refused before openpyxl reads it, with a message and no change."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from kinerja.core import tabular
from kinerja.core.tabular import TableError, read_table


def workbook_bytes(rows: list[list[str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_sheet_xml(data: bytes, sheet_xml: bytes) -> bytes:
    """`data` (an XLSX) with its first sheet replaced by `sheet_xml`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = sheet_xml
            target.writestr(entry.filename, content)
    return out.getvalue()


def bomb(megabytes: int = 4) -> bytes:
    """A valid XLSX of a few kilobytes whose one cell holds `megabytes` MB of "A" (a
    spreadsheet program would write no such cell; openpyxl cuts its own at 32,767)."""
    cell = b"A" * (megabytes * 1024 * 1024)
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Nama</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + cell + b"</t></is></c></row>"
        b"</sheetData></worksheet>"
    )
    return with_sheet_xml(workbook_bytes([["Nama"]]), sheet)


@pytest.fixture
def openpyxl_must_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl opened a file the archive check should have refused")

    monkeypatch.setattr(tabular, "load_workbook", refuse)


def test_it_refuses_a_small_file_packed_far_more_than_a_spreadsheet_is(
    openpyxl_must_not_read: None,
) -> None:
    data = bomb()
    assert len(data) < 100 * 1024
    with pytest.raises(TableError, match=r"dipadatkan secara tidak wajar.*Tidak ada data"):
        read_table(data, "pegawai.xlsx")


def test_it_refuses_a_file_that_unpacks_past_the_setting(
    settings: object, openpyxl_must_not_read: None
) -> None:
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024  # type: ignore[attr-defined]
    data = workbook_bytes(
        [["NIP", "Nama"]] + [[str(10**17 + i), f"Pegawai {i}"] for i in range(20_000)]
    )
    with pytest.raises(TableError, match=r"\(2 MB, maksimal 1 MB\)"):
        read_table(data, "pegawai.xlsx")


def test_the_bomb_is_a_readable_spreadsheet_when_the_limits_allow_it(settings: object) -> None:
    settings.IMPORT_MAX_COMPRESSION_RATIO = 10_000  # type: ignore[attr-defined]
    table = read_table(bomb(2), "pegawai.xlsx")
    assert len(table.rows[0][1]["nama"]) == 2 * 1024 * 1024


def test_a_file_within_the_limits_reads_as_before() -> None:
    data = workbook_bytes(
        [["NIP", "Nama"]] + [[str(10**17 + i), f"Pegawai {i}"] for i in range(2000)]
    )
    table = read_table(data, "pegawai.xlsx")
    assert len(table.rows) == 2000


def test_a_damaged_archive_keeps_its_message() -> None:
    for data in (b"PK\x03\x04rusak", workbook_bytes([["a"]])[:-40]):
        with pytest.raises(TableError, match=r"^Berkas XLSX tidak dapat dibaca"):
            read_table(data, "rusak.xlsx")
