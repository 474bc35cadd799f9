"""Monthly attendance import from the fingerprint machines (CSV/XLSX: NIP, date, in time, out
time, status code). All-or-nothing per file with a row-by-row report, like every import
(kinerja.organisation.imports); importing the same file again changes nothing. The month
summary per person (kinerja.rules.discipline: days, unexcused absences, minutes late and left
early, the TPP discipline factor of DOMAIN §5) is rebuilt for every month the file touches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import connection, transaction
from django.utils import timezone

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.tabular import TableError, read_table
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User
from kinerja.rules.calendar import month_bounds
from kinerja.rules.discipline import (
    DEFAULT_ATTENDANCE,
    AttendanceConfig,
    day_minutes,
    discipline_factor,
)
from kinerja.rules.workdays import add_working_days

from .choices import AttendanceStatus, TppStatus
from .models import AttendanceDay, AttendanceImport, AttendanceMonth, TppMonth

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


@dataclass(frozen=True)
class DayInput:
    employee_id: int
    day: date
    check_in: time | None
    check_out: time | None
    status: str


def import_attendance(*, data: bytes, filename: str, by: User) -> AttendanceReport:
    """Validate every row, then write the whole file or nothing."""
    report = AttendanceReport(filename=filename)
    if not access.can_manage_rewards(by):
        report.add(0, "", "Hanya BKPSDM yang mengimpor data kehadiran.")
        return report
    if len(data) > MAX_BYTES:
        report.add(0, "", "Berkas terlalu besar (maksimal 25 MB).")
        return report
    try:
        table = read_table(data, filename)
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
    with transaction.atomic():
        source = AttendanceImport.objects.create(
            filename=filename[:200],
            rows=len(inputs),
            employees=len({d.employee_id for d in inputs}),
            months=[f"{y}-{m:02d}" for y, m in months],
            uploaded_by=by,
            uploaded_at=timezone.now(),
        )
        write_days(inputs, source=source)
        audit_record(
            actor=by,
            action=AuditAction.IMPORT,
            obj=source,
            changes={"rows": source.rows, "employees": source.employees, "months": source.months},
        )
    report.source = source
    report.employees = source.employees
    report.months = [f"{m:02d}/{y}" for y, m in months]
    return report


def write_days(
    inputs: Sequence[DayInput],
    *,
    source: AttendanceImport | None,
    config: AttendanceConfig = DEFAULT_ATTENDANCE,
) -> int:
    """Upsert the days (one row per employee and date) and rebuild the touched months."""
    rows = []
    source_id = source.pk if source is not None else None
    for d in inputs:
        late = early = 0
        no_record = False
        if d.status == AttendanceStatus.HADIR:
            late, early, no_record = day_minutes(d.check_in, d.check_out, config)
        rows.append(
            (
                d.employee_id,
                d.day.isoformat(),
                d.check_in.isoformat() if d.check_in else None,
                d.check_out.isoformat() if d.check_out else None,
                d.status,
                min(late, 32000),
                min(early, 32000),
                no_record,
                source_id,
            )
        )
    # One upsert statement executed for every row: the ORM's bulk_create builds each row's SQL
    # in Python, several times slower at a month of a regency (≈ 220k rows; bench/rewards.py).
    # ON CONFLICT ... DO UPDATE is the same on PostgreSQL and SQLite (≥ 3.24).
    table = connection.ops.quote_name(AttendanceDay._meta.db_table)
    columns = [
        "employee_id",
        "day",
        "check_in",
        "check_out",
        "status",
        "late_minutes",
        "early_minutes",
        "no_record",
        "source_id",
    ]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[2:])
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT (employee_id, day) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[start : start + 10_000])
    touched: dict[tuple[int, int], set[int]] = defaultdict(set)
    for d in inputs:
        touched[(d.day.year, d.day.month)].add(d.employee_id)
    for (year, month), employee_ids in touched.items():
        month_rebuild(year=year, month=month, employee_ids=employee_ids, config=config)
    return len(rows)


def month_rebuild(
    *,
    year: int,
    month: int,
    employee_ids: Iterable[int],
    config: AttendanceConfig = DEFAULT_ATTENDANCE,
) -> int:
    """Rebuild the month summaries of these employees from their stored days."""
    ids = list(employee_ids)
    first, last = month_bounds(year, month)
    days: dict[int, list[tuple[date, str, int, int, bool]]] = defaultdict(list)
    for start in range(0, len(ids), 5000):
        for row in (
            AttendanceDay.objects.filter(
                employee_id__in=ids[start : start + 5000], day__range=(first, last)
            )
            .order_by("employee_id", "day")
            .values_list(
                "employee_id", "day", "status", "late_minutes", "early_minutes", "no_record"
            )
        ):
            days[row[0]].append(row[1:])
    summaries = []
    excused = AttendanceStatus.excused()
    for employee_id, items in days.items():
        late = [m[2] for m in items if m[1] == AttendanceStatus.HADIR and m[2]]
        early = [m[3] for m in items if m[1] == AttendanceStatus.HADIR and m[3]]
        missing = sum(1 for m in items if m[1] == AttendanceStatus.HADIR and m[4])
        unexcused = 0
        run = longest = 0
        previous: date | None = None
        for item in items:
            if item[1] == AttendanceStatus.TANPA_KETERANGAN:
                unexcused += 1
                # Consecutive working days (PP 94/2021 Pasal 11): the next working day after
                # the previous unexcused one; a gap without records breaks the run.
                follows = previous is not None and add_working_days(previous, 1) >= item[0]
                run = run + 1 if follows else 1
                longest = max(longest, run)
                previous = item[0]
            else:
                run = 0
                previous = None
        summaries.append(
            AttendanceMonth(
                employee_id=employee_id,
                year=year,
                month=month,
                days_recorded=len(items),
                days_present=sum(1 for m in items if m[1] == AttendanceStatus.HADIR),
                days_excused=sum(1 for m in items if m[1] in excused),
                unexcused_days=unexcused,
                longest_unexcused_run=longest,
                missing_records=missing,
                late_items=late,
                early_items=early,
                discipline_factor=discipline_factor(
                    late_minutes=late,
                    early_minutes=early,
                    missing_records=missing,
                    unexcused_days=unexcused,
                    config=config,
                ),
            )
        )
    AttendanceMonth.objects.bulk_create(
        summaries,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["employee", "year", "month"],
        update_fields=[
            "days_recorded",
            "days_present",
            "days_excused",
            "unexcused_days",
            "longest_unexcused_run",
            "missing_records",
            "late_items",
            "early_items",
            "discipline_factor",
        ],
    )
    return len(summaries)


def template_rows() -> tuple[list[str], list[list[str]]]:
    headers = [c[0] for c in COLUMNS]
    return headers, [[c[3] for c in COLUMNS], ["198609262015051001", "2026-09-02", "", "", "S"]]
