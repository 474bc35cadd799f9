"""Bulk entry from spreadsheets: a year of realisations for one SKP, and an OPD's goals.

People of the national system wrote their own importers because entering months one by one is
tedious (DOMAIN §8). Both imports here are all-or-nothing per file (CONVENTIONS 7): every row is
checked first and each problem is reported with its row and column; only a file without problems
is written, through the services (which validate again and write the audit trail), inside one
transaction, so that an error found while writing a later month undoes the earlier months too.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.comments import Comment as CellComment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kinerja.core.calendar import months_started
from kinerja.core.numbers import format_number
from kinerja.core.params import whole_number
from kinerja.core.tabular import (
    Table,
    TableError,
    bounded_row,
    cells_beyond_headers,
    formulas_as_text,
    limits,
    normalise_header,
    open_xlsx,
    read_table,
    repeated_headers,
)
from kinerja.organisation.models import Unit, User
from kinerja.rules.calendar import MONTHS
from kinerja.rules.enums import Polarity as RulesPolarity

from . import services
from .choices import IndicatorSource, Polarity
from .models import Indicator, OrgGoal, Plan

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
MONTH_ABBREVIATIONS = (
    "jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des",
)  # fmt: skip
MONTH_BY_HEADER: dict[str, int] = {
    **{name.lower(): i for i, name in enumerate(MONTHS, start=1)},
    **{short: i for i, short in enumerate(MONTH_ABBREVIATIONS, start=1)},
    "agt": 8,
    "agust": 8,
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas XLSX atau CSV"),
        help_text=gettext_lazy("Gunakan templat yang dapat diunduh di halaman ini."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024)
        if upload.size > limit:
            raise forms.ValidationError(
                _("Berkas terlalu besar (maksimal %(mb)d MB).") % {"mb": limit // (1024 * 1024)}
            )
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Hanya berkas .xlsx atau .csv yang dapat diimpor."))
        return upload


@dataclass(frozen=True)
class Problem:
    row: int  # 0: the file as a whole
    column: str
    message: str


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(Problem(row, column, message))

    def summary(self) -> str:
        if not self.ok:
            rows = {e.row for e in self.errors if e.row}
            return _(
                "Impor dibatalkan: %(n)d masalah pada %(r)d baris. Tidak ada data yang diubah."
            ) % {"n": len(self.errors), "r": len(rows)}
        return _(
            "Impor berhasil: %(rows)d baris dibaca; %(c)d isian baru, %(u)d diubah, "
            "%(s)d tanpa perubahan."
        ) % {"rows": self.rows, "c": self.created, "u": self.changed, "s": self.unchanged}


def _number_text(value: Any) -> str:
    """A number from a spreadsheet cell as unambiguous text for `services.parse_value`: decimal
    comma, no grouping (the text "1.125" is read the Indonesian way, as 1125; the number 1.125
    must stay one and an eighth). Float noise from formulas (0.30000000000000004) is dropped."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        rounded = round(value, 4)
        value = Decimal(repr(rounded if abs(rounded - value) < 1e-9 else value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    return str(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return _number_text(value)
    return str(value).strip()


def _read(data: bytes, filename: str, result: ImportResult) -> Table | None:
    """The first sheet of an XLSX (numbers kept as numbers), or a CSV through `read_table`."""
    if data[:4] != b"PK\x03\x04":
        try:
            return read_table(data, filename)
        except TableError as exc:
            result.add(0, "", str(exc))
            return None
    try:
        workbook = open_xlsx(data)  # refuses a decompression bomb before openpyxl reads
        try:
            raw = []
            max_rows, max_columns = limits()
            for row in workbook.worksheets[0].iter_rows(values_only=True):
                raw.append([_cell(v) for v in bounded_row(row, max_columns)])
                if len(raw) > max_rows + 1:  # the header row and max_rows rows of data
                    raise TableError(
                        _("Berkas berisi lebih dari %(n)s baris data.")
                        % {"n": format_number(max_rows)}
                    )
        finally:
            workbook.close()
    except TableError as exc:
        result.add(0, "", str(exc))
        return None
    except Exception:  # openpyxl raises many types for a damaged file
        result.add(0, "", _("Berkas XLSX tidak dapat dibaca; pastikan disimpan sebagai .xlsx."))
        return None
    headers: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(raw, start=1):
        if not any(cells):
            continue
        if not headers:
            headers = [normalise_header(c) for c in cells]
            if problem := repeated_headers(headers):
                result.add(0, "", problem)
                return None
            continue
        if problem := cells_beyond_headers(number, cells, headers):
            result.add(number, "", problem)
            return None
        rows.append(
            (number, {h: cells[i] if i < len(cells) else "" for i, h in enumerate(headers) if h})
        )
    if not headers:
        result.add(0, "", _("Berkas kosong: baris judul kolom tidak ditemukan."))
        return None
    return Table(headers=[h for h in headers if h], rows=rows)


def _workbook_bytes(workbook: Workbook) -> bytes:
    formulas_as_text(workbook)  # an RHK or indicator typed as "=…" stays text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _guide_sheet(workbook: Workbook, title: str, lines: Iterable[str]) -> None:
    sheet = workbook.create_sheet(_("Petunjuk"))
    sheet.column_dimensions["A"].width = 110
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=12)
    for line in lines:
        sheet.append([line])
    for row in sheet.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


# --- Realisations ----------------------------------------------------------------------------

ID_HEADER = "ID Indikator"
INFO_HEADERS = ["RHK", "Indikator", "Satuan", "Target tahunan"]
NOTE_HEADER = "Keterangan"


def _plan_indicators(plan: Plan) -> list[Indicator]:
    return list(
        Indicator.objects.filter(rhk__plan=plan)
        .select_related("rhk")
        .prefetch_related("realisations")
        .order_by("-rhk__kind", "rhk__order", "rhk_id", "order", "id")  # Utama first
    )


def realisations_open(plan: Plan) -> bool:
    """Realisations are entered once the plan is approved (or was approved before)."""
    return plan.accepts_realisations


def realisation_template(plan: Plan) -> bytes:
    """One row per indicator, the twelve months side by side, filled with what is stored.

    Column A holds the indicator's id (hidden: it is how the import finds the row). Months that
    have not started and months already reviewed are shaded; automatic indicators say so.
    """
    open_until = months_started(plan.year)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Realisasi %(y)d") % {"y": plan.year}
    headers = [ID_HEADER, *INFO_HEADERS, *MONTHS, NOTE_HEADER]
    sheet.append(headers)
    for i, _header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    first_month = len(INFO_HEADERS) + 2
    indicators = _plan_indicators(plan)
    for indicator in indicators:
        by_month = {r.month: r for r in indicator.realisations.all()}
        automatic = indicator.source != IndicatorSource.MANUAL
        notes = []
        if automatic:
            notes.append(_("Diisi otomatis oleh sistem; biarkan kosong."))
        reviewed = [MONTHS[m - 1] for m in sorted(by_month) if by_month[m].is_reviewed]
        if reviewed:
            notes.append(_("Sudah diperiksa atasan: %(m)s.") % {"m": ", ".join(reviewed)})
        if indicator.polarity == Polarity.LOWER_IS_BETTER:
            notes.append(_("Semakin rendah semakin baik."))
        sheet.append(
            [
                indicator.pk,
                indicator.rhk.text,
                indicator.name,
                indicator.unit_of_measure,
                indicator.target.normalize(),
                *[by_month[m].value.normalize() if m in by_month else None for m in range(1, 13)],
                " ".join(notes),
            ]
        )
        row = sheet.max_row
        for month in range(1, 13):
            cell = sheet.cell(row=row, column=first_month + month - 1)
            entry = by_month.get(month)
            if automatic or month > open_until or (entry is not None and entry.is_reviewed):
                cell.fill = LOCKED_FILL
        for column in (2, 3, len(headers)):
            sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True, vertical="top")
    widths = [8, 34, 38, 11, 11, *([10] * 12), 40]
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.column_dimensions["A"].hidden = True
    sheet.freeze_panes = sheet.cell(row=2, column=4)
    if indicators:
        numbers = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Bukan angka"),
            error=_("Isi angka 0 atau lebih, atau kosongkan sel."),
        )
        last = get_column_letter(first_month + 11)
        numbers.add(f"{get_column_letter(first_month)}2:{last}{sheet.max_row}")
        sheet.add_data_validation(numbers)
        sheet.cell(row=1, column=1).comment = CellComment(
            _("Jangan ubah kolom ini: sistem mengenali indikator dari nomor ini."), "Kinerja"
        )
    name = plan.employee_snapshot.get("name", "")
    _guide_sheet(
        workbook,
        _("Petunjuk impor realisasi SKP %(y)d — %(n)s") % {"y": plan.year, "n": name},
        [
            _("1. Isi realisasi setiap indikator pada kolom bulan (Januari–Desember)."),
            _(
                "2. Sel yang dikosongkan diabaikan: isian yang sudah tersimpan tidak dihapus. "
                "Uraian singkat dan bukti tetap diisi di halaman realisasi bulanan."
            ),
            _(
                "3. Tulis angka saja, tanpa satuan. Desimal boleh dengan koma atau titik "
                "(7,5 atau 7.5); paling banyak 4 angka di belakang koma."
            ),
            _(
                "4. Sel berwarna abu-abu tidak dapat diisi: bulan yang belum dimulai, bulan yang "
                "sudah diperiksa atasan, dan indikator yang diisi otomatis oleh sistem."
            ),
            _(
                "5. Jangan mengubah atau menghapus kolom A yang tersembunyi (ID Indikator) dan "
                "jangan memakai templat SKP lain."
            ),
            _(
                "6. Impor dilakukan utuh: bila ada satu sel salah, tidak ada yang disimpan dan "
                "semua kesalahan ditampilkan beserta baris dan kolomnya."
            ),
            _("Templat dibuat %(t)s.") % {"t": timezone.localtime().strftime("%d-%m-%Y %H:%M")},
        ],
    )
    return _workbook_bytes(workbook)


def _month_columns(table: Table) -> dict[str, int]:
    return {h: MONTH_BY_HEADER[h] for h in table.headers if h in MONTH_BY_HEADER}


def realisation_import(*, plan: Plan, by: User, data: bytes, filename: str) -> ImportResult:
    """Save the months of a filled template: all cells or none."""
    result = ImportResult()
    if not realisations_open(plan):
        result.add(0, "", _("Realisasi dapat diisi setelah SKP disetujui."))
        return result
    table = _read(data, filename, result)
    if table is None:
        return result
    id_key = normalise_header(ID_HEADER)
    months = _month_columns(table)
    if id_key not in table.headers:
        result.add(
            0,
            ID_HEADER,
            _("Kolom “%(c)s” tidak ditemukan. Unduh templat dari halaman ini dan isi di sana.")
            % {"c": ID_HEADER},
        )
    if not months:
        result.add(0, "", _("Tidak ada kolom bulan (Januari–Desember) pada berkas."))
    if not result.ok:
        return result
    open_until = months_started(plan.year)
    indicators = {i.pk: i for i in _plan_indicators(plan)}
    existing = {
        (r.indicator_id, r.month): r for i in indicators.values() for r in i.realisations.all()
    }
    seen: dict[int, int] = {}
    by_month: dict[int, list[services.RealisationInput]] = defaultdict(list)
    for number, values in table.rows:
        filled = {h: values.get(h, "").strip() for h in months if values.get(h, "").strip()}
        raw_id = values.get(id_key, "").strip()
        if not raw_id:
            if filled:
                result.add(number, ID_HEADER, _("ID Indikator kosong; baris ini tidak dikenali."))
            continue
        result.rows += 1
        indicator_id = whole_number(raw_id)
        indicator = indicators.get(indicator_id) if indicator_id is not None else None
        if indicator is None:
            result.add(
                number,
                ID_HEADER,
                _(
                    "Indikator “%(id)s” bukan bagian dari SKP ini. Gunakan templat yang diunduh "
                    "dari SKP ini."
                )
                % {"id": raw_id},
            )
            continue
        if indicator.pk in seen:
            result.add(
                number,
                ID_HEADER,
                _("Indikator ini sudah ada di baris %(r)d; setiap indikator cukup satu baris.")
                % {"r": seen[indicator.pk]},
            )
            continue
        seen[indicator.pk] = number
        for header, raw in filled.items():
            month = months[header]
            column = MONTHS[month - 1]
            try:
                value = services.parse_value(raw)
            except ValidationError as exc:
                result.add(number, column, exc.messages[0])
                continue
            current = existing.get((indicator.pk, month))
            if current is not None and current.value == value:
                result.unchanged += 1
                continue
            if month > open_until:
                result.add(
                    number,
                    column,
                    _("Bulan %(m)s %(y)d belum dimulai; realisasinya belum dapat diisi.")
                    % {"m": column, "y": plan.year},
                )
                continue
            if indicator.source != IndicatorSource.MANUAL:
                result.add(
                    number,
                    column,
                    _("“%(n)s” diisi otomatis oleh sistem; kosongkan sel ini.")
                    % {"n": indicator.name},
                )
                continue
            if current is not None and current.is_reviewed:
                result.add(
                    number,
                    column,
                    _(
                        "Realisasi %(m)s sudah diperiksa atasan (tersimpan %(v)s); minta atasan "
                        "membukanya kembali untuk mengubahnya."
                    )
                    % {"m": column, "v": services.decimal_text(current.value)},
                )
                continue
            by_month[month].append(
                services.RealisationInput(
                    indicator=indicator,
                    value=value,
                    narrative=current.narrative if current is not None else "",
                    revision=current.revision if current is not None else None,
                )
            )
            if current is None:
                result.created += 1
            else:
                result.changed += 1
    if result.ok and not by_month and not result.unchanged and not result.rows:
        result.add(0, "", _("Berkas tidak berisi baris indikator."))
    if not result.ok:
        return result
    try:
        with transaction.atomic():
            for month in sorted(by_month):
                try:
                    services.realisation_save_month(
                        plan=plan, month=month, by=by, rows=by_month[month]
                    )
                except ValidationError as exc:
                    for message in exc.messages:
                        result.add(0, MONTHS[month - 1], message)
                    raise
    except ValidationError:
        result.created = result.changed = 0
    return result


# --- OPD goals ----------------------------------------------------------------------------

GOAL_HEADERS = ["Nomor", "Sasaran", "Indikator", "Satuan", "Target", "Polaritas"]
POLARITY_WORDS = {
    RulesPolarity.HIGHER_IS_BETTER: {"tinggi", "naik", "positif", "higher_is_better", "+"},
    RulesPolarity.LOWER_IS_BETTER: {"rendah", "turun", "negatif", "lower_is_better", "-"},
}


def parse_polarity(raw: str) -> str | None:
    """ "Semakin tinggi semakin baik", "tinggi", ... → the stored value; "" → higher is better."""
    text = " ".join(raw.lower().split())
    if not text:
        return RulesPolarity.HIGHER_IS_BETTER.value
    for polarity, words in POLARITY_WORDS.items():
        if text in words or text == polarity.label.lower():
            return polarity.value
    return None


def goal_template(opd: Unit, year: int) -> bytes:
    """The goals of `opd` for `year` (to edit), or an example row when there are none."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Sasaran OPD %(y)d") % {"y": year}
    sheet.append(GOAL_HEADERS)
    for i in range(1, len(GOAL_HEADERS) + 1):
        sheet.cell(row=1, column=i).font = Font(bold=True)
        sheet.cell(row=1, column=i).fill = HEADER_FILL
    for goal in OrgGoal.objects.filter(opd=opd, year=year).order_by("number"):
        sheet.append(
            [
                goal.number,
                goal.sasaran,
                goal.indicator,
                goal.unit_of_measure,
                goal.target.normalize(),
                RulesPolarity(goal.polarity).label,
            ]
        )
    for i, width in enumerate([9, 50, 50, 14, 12, 30], start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    choices = DataValidation(
        type="list",
        formula1='"{}"'.format(",".join(p.label for p in RulesPolarity)),
        allow_blank=True,
    )
    choices.add("F2:F200")
    sheet.add_data_validation(choices)
    sheet.freeze_panes = "B2"
    _guide_sheet(
        workbook,
        _("Petunjuk impor sasaran %(opd)s tahun %(y)d") % {"opd": opd.name, "y": year},
        [
            _(
                "Nomor: nomor urut sasaran (1, 2, 3, …). Sasaran dengan nomor yang sudah ada "
                "diperbarui; nomor baru ditambahkan; sasaran yang tidak ada di berkas tidak "
                "diubah."
            ),
            _("Sasaran, Indikator, Satuan: wajib diisi."),
            _("Target: angka 0 atau lebih, tanpa satuan; desimal boleh dengan koma."),
            _(
                "Polaritas: “Semakin tinggi semakin baik” atau “Semakin rendah semakin baik” "
                "(boleh ditulis singkat: tinggi/rendah). Kosong berarti semakin tinggi semakin "
                "baik."
            ),
            _("Impor dilakukan utuh: bila ada satu baris salah, tidak ada yang disimpan."),
        ],
    )
    return _workbook_bytes(workbook)


@dataclass
class _GoalRow:
    number: int
    fields: dict[str, Any]


def _required(
    values: dict[str, str], header: str, limit: int, row: int, result: ImportResult
) -> str:
    text = " ".join(values.get(header.lower(), "").split())
    if not text:
        result.add(row, header, _("%(c)s wajib diisi.") % {"c": header})
    elif len(text) > limit:
        result.add(
            row,
            header,
            _("%(c)s terlalu panjang (maksimal %(n)d karakter).") % {"c": header, "n": limit},
        )
    return text


def goal_import(*, opd: Unit, year: int, by: User, data: bytes, filename: str) -> ImportResult:
    """Add or update an OPD's goals of `year`, matched on their number: all rows or none."""
    result = ImportResult()
    table = _read(data, filename, result)
    if table is None:
        return result
    missing = [h for h in GOAL_HEADERS if h.lower() not in table.headers]
    if missing:
        result.add(
            0,
            ", ".join(missing),
            _("Kolom wajib tidak ditemukan: %(c)s. Gunakan templat dari halaman ini.")
            % {"c": ", ".join(missing)},
        )
        return result
    rows: list[_GoalRow] = []
    seen: dict[int, int] = {}
    for number, values in table.rows:
        result.rows += 1
        errors_before = len(result.errors)
        raw_number = values.get("nomor", "").strip()
        goal_number = whole_number(raw_number) or 0
        if not 1 <= goal_number <= 999:
            result.add(number, "Nomor", _("Nomor harus bilangan bulat 1 sampai 999."))
        elif goal_number in seen:
            result.add(
                number,
                "Nomor",
                _("Nomor %(n)d sudah dipakai di baris %(r)d.")
                % {"n": goal_number, "r": seen[goal_number]},
            )
        else:
            seen[goal_number] = number
        sasaran = _required(values, "Sasaran", 400, number, result)
        indicator = _required(values, "Indikator", 400, number, result)
        unit = _required(values, "Satuan", 50, number, result)
        raw_target = values.get("target", "").strip()
        target: Decimal | None = None
        if not raw_target:
            result.add(number, "Target", _("Target wajib diisi."))
        else:
            try:
                target = services.parse_value(raw_target)
            except ValidationError:
                result.add(
                    number,
                    "Target",
                    _("Target “%(v)s” harus angka 0 atau lebih (paling banyak 4 desimal).")
                    % {"v": raw_target},
                )
        polarity = parse_polarity(values.get("polaritas", ""))
        if polarity is None:
            result.add(
                number,
                "Polaritas",
                _(
                    "Polaritas “%(v)s” tidak dikenal. Tulis “Semakin tinggi semakin baik” atau "
                    "“Semakin rendah semakin baik”."
                )
                % {"v": values.get("polaritas", "")},
            )
        if len(result.errors) == errors_before:
            rows.append(
                _GoalRow(
                    goal_number,
                    {
                        "number": goal_number,
                        "sasaran": sasaran,
                        "indicator": indicator,
                        "unit_of_measure": unit,
                        "target": target,
                        "polarity": polarity,
                    },
                )
            )
    if result.ok and not rows:
        result.add(0, "", _("Berkas tidak berisi baris sasaran."))
    if not result.ok:
        return result
    existing = {g.number: g for g in OrgGoal.objects.filter(opd=opd, year=year)}
    try:
        with transaction.atomic():
            for item in rows:
                goal = existing.get(item.number)
                try:
                    if goal is None:
                        services.goal_save(by=by, opd=opd, year=year, **item.fields)
                        result.created += 1
                    elif any(getattr(goal, k) != v for k, v in item.fields.items()):
                        services.goal_save(by=by, goal=goal, **item.fields)
                        result.changed += 1
                    else:
                        result.unchanged += 1
                except ValidationError as exc:
                    for message in exc.messages:
                        result.add(seen[item.number], "", message)
                    raise
    except ValidationError:
        result.created = result.changed = 0
    return result
