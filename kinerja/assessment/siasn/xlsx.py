"""The XLSX BKPSDM uploads to SIASN by hand: sheet "Kinerja Periodik" (one row per accepted
result, columns as selectors.COLUMNS), sheet "Ditolak" (who is left out and why) and sheet
"Ringkasan" (counts, codes still to set).

NIPs are written as text cells with the Text number format ("@"): an 18-digit NIP stored as a
number would be rounded by Excel to 15 significant digits (…031 → …000) and no longer match.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kinerja.core.tabular import XLSX_MIME, text_cell

from .selectors import COLUMNS, REASONS, TEXT_COLUMNS, SiasnExport

SHEET_ROWS = "Kinerja Periodik"
SHEET_REJECTED = "Ditolak"
SHEET_SUMMARY = "Ringkasan"
REJECTED_HEADERS = ["NIP", "Nama", "Unit Kerja", "OPD", "Status", "Alasan"]

__all__ = ["REJECTED_HEADERS", "SHEET_REJECTED", "SHEET_ROWS", "XLSX_MIME", "filename", "render"]


def filename(export: SiasnExport) -> str:
    unit = f"-unit{export.unit.pk}" if export.unit is not None else ""
    return f"siasn-kinerja-periodik-{export.period.code}{unit}.xlsx"


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _sheet(workbook: Workbook, title: str, headers: list[str], widths: list[int]) -> Any:
    """A write-only sheet (rows streamed, never kept as cell objects: 10,000 rows in seconds)
    with a bold header row frozen at the top."""
    sheet = workbook.create_sheet(title)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    cells = []
    for title_text in headers:
        cell = WriteOnlyCell(sheet, value=title_text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cells.append(cell)
    sheet.append(cells)
    return sheet


def _row(sheet: Any, values: list[Any], text_columns: set[int]) -> list[Any]:
    """The row's values, identifiers as text cells in the Text format ("@")."""
    out: list[Any] = []
    for i, value in enumerate(values):
        if i in text_columns:
            cell = WriteOnlyCell(sheet, value=str(value or ""))
            cell.data_type, cell.number_format = "s", "@"  # text even when it starts with "="
            out.append(cell)
        else:
            out.append(text_cell(sheet, value))  # a name typed as "=…" stays text
    return out


def render(export: SiasnExport) -> bytes:
    workbook = Workbook(write_only=True)
    text = {i for i, (key, _h) in enumerate(COLUMNS) if key in TEXT_COLUMNS}
    headers = [h for _k, h in COLUMNS]
    widths = [24 if i in text else min(max(len(h), 10), 40) + 2 for i, h in enumerate(headers)]
    rows_sheet = _sheet(workbook, SHEET_ROWS, headers, widths)
    for row in export.rows:
        rows_sheet.append(_row(rows_sheet, [row.get(key, "") for key, _h in COLUMNS], text))

    rejected = _sheet(workbook, SHEET_REJECTED, REJECTED_HEADERS, [24, 30, 30, 30, 14, 80])
    for person in export.rejected:
        values = [
            person.nip,
            person.nama,
            person.unit_kerja,
            person.opd,
            person.status,
            " ".join(message for _key, message in person.reasons),
        ]
        rejected.append(_row(rejected, values, {0}))

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
        summary.append([label, text_cell(summary, value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
