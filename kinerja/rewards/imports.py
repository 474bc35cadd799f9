"""Monthly attendance import from the fingerprint machines (CSV/XLSX: NIP, date, in time, out
time, status code). All-or-nothing per file with a row-by-row report, like every import
(kinerja.organisation.imports); importing the same file again changes nothing. The month
summary per person (kinerja.rules.discipline: days, unexcused absences, minutes late and left
early, the TPP discipline factor of DOMAIN §5) is rebuilt for every month the file touches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings

from kinerja.core.tabular import TableError, read_table
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User

from .attendance_apply import (
    DayInput,
    apply_attendance,
    insert_new_days,
    month_rebuild,
    write_days,
)
from .choices import AttendanceStatus, TppStatus
from .models import AttendanceImport, TppMonth

__all__ = [
    "DayInput",
    "import_attendance",
    "insert_new_days",
    "month_rebuild",
    "template_rows",
    "write_days",
]

COLUMNS = [
    ("NIP", True, "18 digit NIP pegawai", "198609262015051001"),
    ("Tanggal", True, "Tanggal hari kerja, TTTT-BB-HH atau HH/BB/TTTT", "2026-09-01"),
    ("Jam Masuk", False, "Jam rekam masuk JJ:MM; kosong bila tidak ada rekam", "07:25"),
    ("Jam Pulang", False, "Jam rekam pulang JJ:MM; kosong bila tidak ada rekam", "16:05"),
    (
        "Status",
        True,
        "Kode status: " + ", ".join(f"{c.value} = {c.label}" for c in AttendanceStatus),
        "H",
    ),
]
MAX_BYTES = 25 * 1024 * 1024
MAX_ERRORS_SHOWN = 200


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class AttendanceReport:
    filename: str = ""
    rows: int = 0
    employees: int = 0
    months: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    source: AttendanceImport | None = None
    # What kinerja.core.importjobs records on the job: days new, days replaced.
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    more_errors: int = 0
    failed: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def summary(self) -> str:
        if not self.ok:
            return (
                f"Impor dibatalkan: {len(self.errors)} kesalahan pada "
                f"{len({e.row for e in self.errors})} baris. Tidak ada data yang diubah."
            )
        return (
            f"Impor berhasil: {self.rows} baris kehadiran untuk {self.employees} pegawai "
            f"(bulan {', '.join(self.months)})."
        )


def _parse_date(text: str) -> date | None:
    text = text.strip().split(" ")[0].split("T")[0]
    if len(text) == 10 and text[4] == "-" and text[7] == "-":  # the machines' own format, fast
        try:
            return date(int(text[:4]), int(text[5:7]), int(text[8:]))
        except ValueError:
            return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _parse_time(text: str) -> time | bool | None:
    """A time, None when empty, False when unreadable."""
    text = text.strip()
    if not text:
        return None
    if " " in text:  # "1900-01-01 07:25:00" from a spreadsheet cell
        text = text.split(" ")[-1]
    if len(text) == 5 and text[2] == ":" and text[:2].isdecimal() and text[3:].isdecimal():
        hour, minute = int(text[:2]), int(text[3:])
        return time(hour, minute) if hour < 24 and minute < 60 else False
    for fmt in ("%H:%M", "%H:%M:%S", "%H.%M"):
        try:
            return datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    return False


def import_attendance(
    *,
    data: bytes,
    filename: str,
    by: User,
    on_apply: Callable[[dict[str, Any]], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> AttendanceReport:
    """Validate every row with no write, then write the whole file in short transactions
    (kinerja.rewards.attendance_apply; undone whole if a batch fails). Run by the task worker
    as the "rewards.attendance" import job; `on_apply(journal)` is called before the first
    write so that the job can undo a half-applied file."""
    report = AttendanceReport(filename=filename)
    if by is None or not access.can_manage_rewards(by):
        report.add(0, "", "Hanya BKPSDM yang mengimpor data kehadiran.")
        return report
    if len(data) > MAX_BYTES:
        report.add(0, "", "Berkas terlalu besar (maksimal 25 MB).")
        return report
    try:
        table = read_table(data, filename, max_rows=settings.ATTENDANCE_IMPORT_MAX_ROWS)
    except TableError as exc:
        report.add(0, "", str(exc))
        return report
    missing = [
        name for name, required, *_r in COLUMNS if required and name.lower() not in table.headers
    ]
    if missing:
        report.add(
            1,
            "",
            "Kolom wajib tidak ditemukan: "
            + ", ".join(missing)
            + ". Unduh templat untuk melihat judul kolom yang benar.",
        )
        return report
    report.rows = len(table.rows)
    if not table.rows:
        report.add(0, "", "Berkas tidak berisi baris data.")
        return report
    nips = {row.get("nip", "").replace(" ", "") for _n, row in table.rows}
    employee_of = dict(
        Employee.objects.filter(nip__in=nips, is_active=True).values_list("nip", "pk")
    )
    statuses = {c.value for c in AttendanceStatus}
    seen: dict[tuple[int, date], int] = {}
    inputs: list[DayInput] = []
    for number, row in table.rows:
        nip = row.get("nip", "").replace(" ", "")
        employee_id = employee_of.get(nip)
        if employee_id is None:
            report.add(
                number, "NIP", f"NIP {nip or '(kosong)'} tidak ditemukan di antara pegawai aktif."
            )
        day = _parse_date(row.get("tanggal", ""))
        if day is None:
            report.add(
                number,
                "Tanggal",
                f"Tanggal “{row.get('tanggal', '')}” tidak dikenali (TTTT-BB-HH).",
            )
        status = row.get("status", "").strip().upper()
        if status not in statuses:
            report.add(
                number,
                "Status",
                f"Kode status “{row.get('status', '')}” tidak dikenal "
                f"({', '.join(sorted(statuses))}).",
            )
        check_in = _parse_time(row.get("jam masuk", ""))
        check_out = _parse_time(row.get("jam pulang", ""))
        if check_in is False:
            report.add(
                number, "Jam Masuk", f"Jam “{row.get('jam masuk', '')}” tidak dikenali (JJ:MM)."
            )
        if check_out is False:
            report.add(
                number, "Jam Pulang", f"Jam “{row.get('jam pulang', '')}” tidak dikenali (JJ:MM)."
            )
        if isinstance(check_in, time) and isinstance(check_out, time) and check_out < check_in:
            report.add(number, "Jam Pulang", "Jam pulang lebih awal dari jam masuk.")
        if employee_id is not None and day is not None:
            earlier = seen.get((employee_id, day))
            if earlier is not None:
                report.add(
                    number,
                    "Tanggal",
                    f"Pegawai dan tanggal yang sama sudah ada di baris {earlier}.",
                )
            else:
                seen[(employee_id, day)] = number
        if len(report.errors) >= MAX_ERRORS_SHOWN:
            report.add(number, "", "Terlalu banyak kesalahan; pemeriksaan dihentikan.")
            return report
        if report.ok:
            assert employee_id is not None and day is not None
            inputs.append(
                DayInput(
                    employee_id,
                    day,
                    check_in if isinstance(check_in, time) else None,
                    check_out if isinstance(check_out, time) else None,
                    status,
                )
            )
    if not report.ok:
        return report
    months = sorted({(d.day.year, d.day.month) for d in inputs})
    closed = list(
        TppMonth.objects.filter(status__in=[TppStatus.APPROVED, TppStatus.LOCKED]).values_list(
            "year", "month"
        )
    )
    for year, month in months:
        if (year, month) in closed:
            report.add(
                0,
                "Tanggal",
                f"TPP bulan {month:02d}/{year} sudah disetujui atau dikunci; kehadiran bulan itu "
                "tidak dapat diubah lagi.",
            )
    if not report.ok:
        return report
    source, replaced = apply_attendance(
        inputs,
        months=[f"{y}-{m:02d}" for y, m in months],
        filename=filename,
        by=by,
        on_apply=on_apply,
        progress=progress,
    )
    report.created, report.updated = len(inputs) - replaced, replaced
    report.source = source
    report.employees = source.employees
    report.months = [f"{m:02d}/{y}" for y, m in months]
    return report


def template_rows() -> tuple[list[str], list[list[str]]]:
    headers = [c[0] for c in COLUMNS]
    return headers, [[c[3] for c in COLUMNS], ["198609262015051001", "2026-09-02", "", "", "S"]]
