"""The XLSX BKPSDM uploads to SIASN by hand: sheet "Kinerja Periodik" (one row per accepted
result, columns as selectors.COLUMNS), sheet "Ditolak" (who is left out and why) and sheet
"Ringkasan" (counts, codes still to set).

NIPs are written as text cells with the Text number format ("@"): an 18-digit NIP stored as a
number would be rounded by Excel to 15 significant digits (…031 → …000) and no longer match.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kinerja.core.tabular import XLSX_MIME

from .selectors import COLUMNS, REASONS, TEXT_COLUMNS, SiasnExport

SHEET_ROWS = "Kinerja Periodik"
SHEET_REJECTED = "Ditolak"
SHEET_SUMMARY = "Ringkasan"
REJECTED_HEADERS = ["NIP", "Nama", "Unit Kerja", "OPD", "Status", "Alasan"]

__all__ = ["REJECTED_HEADERS", "SHEET_REJECTED", "SHEET_ROWS", "XLSX_MIME", "filename", "render"]


def filename(export: SiasnExport) -> str:
    unit = f"-unit{export.unit.pk}" if export.unit is not None else ""
    return f"siasn-kinerja-periodik-{export.period.code}{unit}.xlsx"


def _header(sheet: Worksheet, headers: list[str], text_columns: set[int]) -> None:
    sheet.append(headers)
    for i, title in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        width = 24 if i in text_columns else min(max(len(title), 10), 40)
        sheet.column_dimensions[get_column_letter(i)].width = width + 2
    sheet.freeze_panes = "A2"


def _append(sheet: Worksheet, values: list[object], text_columns: set[int]) -> None:
    sheet.append(values)
    row = sheet.max_row
    for column in text_columns:
        cell = sheet.cell(row=row, column=column)
        cell.number_format = "@"
        cell.data_type = "s"


def render(export: SiasnExport) -> bytes:
    workbook = Workbook()
    rows_sheet = workbook.active
    rows_sheet.title = SHEET_ROWS
    text = {i for i, (key, _h) in enumerate(COLUMNS, start=1) if key in TEXT_COLUMNS}
    _header(rows_sheet, [h for _k, h in COLUMNS], text)
    for row in export.rows:
        _append(rows_sheet, [row.get(key, "") for key, _h in COLUMNS], text)

    rejected = workbook.create_sheet(SHEET_REJECTED)
    _header(rejected, REJECTED_HEADERS, {1})
    rejected.column_dimensions["F"].width = 80
    for person in export.rejected:
        _append(
            rejected,
            [
                person.nip,
                person.nama,
                person.unit_kerja,
                person.opd,
                person.status,
                " ".join(message for _key, message in person.reasons),
            ],
            {1},
        )

    summary = workbook.create_sheet(SHEET_SUMMARY)
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 60
    scope = export.unit.name if export.unit is not None else "Kabupaten"
    lines: list[tuple[str, object]] = [
        ("Periode", export.period.label),
        ("Cakupan", scope),
        ("Jumlah pegawai dalam cakupan", export.total),
        ("Siap diunggah", len(export.rows)),
        ("Ditolak", len(export.rejected)),
    ]
    lines += [(f"Ditolak: {REASONS[k]}", n) for k, n in export.reason_counts.items()]
    lines += [("Kode SIASN belum diatur", m) for m in export.missing_codes]
    for label, value in lines:
        summary.append([label, value])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
