"""Writing a checked attendance file in short transactions, and undoing it (issue 15 item 6).

A month of the regency's fingerprint rows (≈ 220,000 days) written in one transaction holds
SQLite's write lock long enough for kiosk answers and logins to fail. The file is checked whole
first with no write (kinerja.rewards.imports.import_attendance); then, the same way as employee
files (kinerja.organisation.import_apply):

1. the *journal* is taken and handed to `on_apply` before the first write: a stamp (the
   AttendanceImport's `uploaded_at`), every day of the file that already exists as it is now,
   and the employees per month the file touches;
2. the days are upserted ATTENDANCE_IMPORT_BATCH_ROWS at a time, each batch its own transaction,
   with a pause of IMPORT_BATCH_PAUSE_MS in which other writers take the lock; then the month
   summaries are rebuilt in batches of employees;
3. on any failure `undo_attendance(journal)` deletes the days the import wrote, puts the
   replaced days back, rebuilds the touched months (removing those left without days) and
   deletes the import's AttendanceImport — in short transactions too. A worker killed half-way
   is undone the same way by kinerja.core.importjobs (its retry, or `recover_stale`).

While a file is being applied its first days are visible to others; TPP months that are
approved or locked are refused by the check, so no approved figure reads them.
"""

from __future__ import annotations

import time as clock
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.bulk import RowWriter, insert_rows, upsert_rows
from kinerja.core.calendar import holidays
from kinerja.rules.calendar import month_bounds
from kinerja.rules.discipline import (
    DEFAULT_ATTENDANCE,
    AttendanceConfig,
    day_minutes,
    discipline_factor,
    longest_run,
)

from .choices import AttendanceStatus
from .models import AttendanceDay, AttendanceImport, AttendanceMonth

Journal = dict[str, Any]
EMPLOYEES_PER_REBUILD = 500


@dataclass(frozen=True)
class DayInput:
    employee_id: int
    day: date
    check_in: time | None
    check_out: time | None
    status: str


# An AttendanceMonth's figures (what a month rebuild replaces), after its key.
MONTH_FIGURES = [
    "days_recorded",
    "days_present",
    "days_excused",
    "unexcused_days",
    "longest_unexcused_run",
    "missing_records",
    "late_items",
    "early_items",
    "discipline_factor",
]

DAY_COLUMNS = [
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


def upsert_days(rows: Sequence[Sequence[Any]]) -> None:
    """Insert or replace days, each a tuple in DAY_COLUMNS order (one row per employee and date).

    kinerja.core.bulk.upsert_rows (executemany on SQLite, COPY and one INSERT ... ON CONFLICT
    on PostgreSQL): the ORM's bulk_create builds each row's SQL in Python, several times slower
    at a month of a regency (≈ 220k rows; bench/rewards.py)."""
    upsert_rows(
        AttendanceDay._meta.db_table,
        DAY_COLUMNS,
        rows,
        conflict=["employee_id", "day"],
        update=DAY_COLUMNS[2:],
    )


def day_rows(
    inputs: Sequence[DayInput],
    *,
    source_id: int | None,
    config: AttendanceConfig = DEFAULT_ATTENDANCE,
) -> list[tuple[Any, ...]]:
    """The rows `upsert_days` writes, with the minutes late and left early measured."""
    rows = []
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
    return rows


def write_days(
    inputs: Sequence[DayInput],
    *,
    source: AttendanceImport | None,
    config: AttendanceConfig = DEFAULT_ATTENDANCE,
) -> int:
    """Upsert the days in one go and rebuild the touched months (the demo's seeding)."""
    rows = day_rows(inputs, source_id=source.pk if source is not None else None, config=config)
    upsert_days(rows)
    touched: dict[tuple[int, int], set[int]] = defaultdict(set)
    for d in inputs:
        touched[(d.day.year, d.day.month)].add(d.employee_id)
    for (year, month), employee_ids in touched.items():
        month_rebuild(year=year, month=month, employee_ids=employee_ids, config=config)
    return len(rows)


def insert_new_days(
    inputs: Sequence[DayInput],
    *,
    source: AttendanceImport | None,
    config: AttendanceConfig = DEFAULT_ATTENDANCE,
) -> int:
    """:func:`write_days` for days never stored, each employee's whole month at once (seeding
    an empty database): the days and their month summaries are inserted, the summaries
    computed from `inputs` instead of read back. None of these employees may have a day or a
    summary stored for these months (the insert fails on the unique constraints otherwise)."""
    rows = day_rows(inputs, source_id=source.pk if source is not None else None, config=config)
    insert_rows(AttendanceDay._meta.db_table, DAY_COLUMNS, rows)
    months: dict[tuple[int, int], dict[int, list[DayItem]]] = {}
    for d, row in zip(inputs, rows, strict=True):
        months.setdefault((d.day.year, d.day.month), {}).setdefault(d.employee_id, []).append(
            (d.day, d.status, row[5], row[6], row[7])
        )
    excused = AttendanceStatus.excused()
    summaries = []
    for (year, month), by_employee in months.items():
        for employee_id in sorted(by_employee):  # the order month_rebuild writes them in
            items = sorted(by_employee[employee_id], key=lambda item: item[0])
            summaries.append(
                month_summary(employee_id, year, month, items, config=config, excused=excused)
            )
    RowWriter(timezone.now()).insert_objects(AttendanceMonth, summaries)
    return len(rows)


DayItem = tuple[date, str, int, int, bool]
"""A stored day as a month summary reads it: day, status, minutes late, minutes left early,
no record."""


def month_summary(
    employee_id: int,
    year: int,
    month: int,
    items: Sequence[DayItem],
    *,
    config: AttendanceConfig = DEFAULT_ATTENDANCE,
    excused: Any = None,
) -> AttendanceMonth:
    """An employee's month summary (unsaved) from all their stored days of the month, in date
    order."""
    if excused is None:
        excused = AttendanceStatus.excused()
    late = [m[2] for m in items if m[1] == AttendanceStatus.HADIR and m[2]]
    early = [m[3] for m in items if m[1] == AttendanceStatus.HADIR and m[3]]
    missing = sum(1 for m in items if m[1] == AttendanceStatus.HADIR and m[4])
    absent = [item[0] for item in items if item[1] == AttendanceStatus.TANPA_KETERANGAN]
    unexcused = len(absent)
    # Consecutive working days (PP 94/2021 Pasal 11), holidays skipped; the year's run, across
    # months, is counted from the days by the follow-up rules (recommendations.facts_for).
    longest = longest_run(absent, holidays())
    return AttendanceMonth(
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
    days: dict[int, list[DayItem]] = defaultdict(list)
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
    excused = AttendanceStatus.excused()
    summaries = [
        month_summary(employee_id, year, month, items, config=config, excused=excused)
        for employee_id, items in days.items()
    ]
    AttendanceMonth.objects.bulk_create(
        summaries,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["employee", "year", "month"],
        update_fields=MONTH_FIGURES,
    )
    return len(summaries)


def batch_rows() -> int:
    return max(1, int(getattr(settings, "ATTENDANCE_IMPORT_BATCH_ROWS", 5000)))


def _pause() -> None:
    # Let writers waiting on the lock (kiosk answers, logins, saves) in between two batches.
    ms = int(getattr(settings, "IMPORT_BATCH_PAUSE_MS", 150))
    if ms > 0:
        clock.sleep(ms / 1000)


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(inputs: Sequence[DayInput]) -> list[list[Any]]:
    """The stored days the file will replace, as JSON-ready rows in DAY_COLUMNS order."""
    keys = {(d.employee_id, d.day) for d in inputs}
    first, last = min(d.day for d in inputs), max(d.day for d in inputs)
    ids = sorted({d.employee_id for d in inputs})
    found: list[list[Any]] = []
    for chunk in _chunks(ids, 5000):
        for row in AttendanceDay.objects.filter(
            employee_id__in=chunk, day__range=(first, last)
        ).values_list(*DAY_COLUMNS):
            if (row[0], row[1]) in keys:
                found.append(
                    [
                        row[0],
                        row[1].isoformat(),
                        row[2].isoformat() if row[2] else None,
                        row[3].isoformat() if row[3] else None,
                        *row[4:],
                    ]
                )
    return found


def _touched(inputs: Sequence[DayInput]) -> dict[str, list[int]]:
    months: dict[str, set[int]] = {}
    for d in inputs:
        months.setdefault(f"{d.day.year}-{d.day.month:02d}", set()).add(d.employee_id)
    return {key: sorted(ids) for key, ids in sorted(months.items())}


def _rebuild(touched: dict[str, list[int]], step: Callable[[], None] | None = None) -> None:
    """Rebuild the month summaries of the touched employees, EMPLOYEES_PER_REBUILD per
    transaction; a summary whose employee has no day left that month is removed."""
    for key, ids in touched.items():
        year, month = int(key[:4]), int(key[5:])
        first, last = month_bounds(year, month)
        for chunk in _chunks(ids, EMPLOYEES_PER_REBUILD):
            with transaction.atomic():
                month_rebuild(year=year, month=month, employee_ids=chunk)
                with_days = set(
                    AttendanceDay.objects.filter(
                        employee_id__in=chunk, day__range=(first, last)
                    ).values_list("employee_id", flat=True)
                )
                AttendanceMonth.objects.filter(
                    year=year, month=month, employee_id__in=set(chunk) - with_days
                ).delete()
            if step is not None:
                step()
            _pause()


def apply_attendance(
    inputs: Sequence[DayInput],
    *,
    months: list[str],
    filename: str,
    by: Any,  # the User importing
    on_apply: Callable[[Journal], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[AttendanceImport, int]:
    """Write checked days in batches; returns the import and how many stored days it replaced.
    Without a job (`on_apply` None) a failure is undone here; with one, the job undoes it."""
    stamp = timezone.now()
    touched = _touched(inputs)
    before = _existing(inputs)
    journal: Journal = {
        "stamp": stamp.isoformat(),
        "filename": filename[:200],
        "before": before,
        "touched": touched,
    }
    if on_apply is not None:
        on_apply(journal)
    size = batch_rows()
    rebuilds = sum(-(-len(ids) // EMPLOYEES_PER_REBUILD) for ids in touched.values())
    total = -(-len(inputs) // size) + rebuilds + 1
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(5 + int(90 * done / total))

    try:
        source = AttendanceImport.objects.create(
            filename=filename[:200],
            rows=len(inputs),
            employees=len({d.employee_id for d in inputs}),
            months=months,
            uploaded_by=by,
            uploaded_at=stamp,
        )
        for chunk in _chunks(inputs, size):
            with transaction.atomic():
                upsert_days(day_rows(chunk, source_id=source.pk))
            step()
            _pause()
        _rebuild(touched, step)
        audit_record(
            actor=by,
            action=AuditAction.IMPORT,
            obj=source,
            changes={"rows": source.rows, "employees": source.employees, "months": source.months},
        )
        step()
    except Exception:
        if on_apply is None:
            undo_attendance(journal)
        raise
    return source, len(before)


def undo_attendance(journal: Journal) -> int:
    """Put back what a half-applied attendance file wrote; returns how many days it removed.
    Safe to run twice (a retry after a crash in the undo itself)."""
    if not journal.get("stamp"):
        return 0
    stamp = datetime.fromisoformat(journal["stamp"])
    source = AttendanceImport.objects.filter(
        uploaded_at=stamp, filename=journal.get("filename", "")
    ).first()
    removed = 0
    size = batch_rows()
    if source is not None:
        while True:
            with transaction.atomic():
                ids = list(
                    AttendanceDay.objects.filter(source=source).values_list("pk", flat=True)[:size]
                )
                if not ids:
                    break
                AttendanceDay.objects.filter(pk__in=ids).delete()
            removed += len(ids)
            _pause()
    for chunk in _chunks(journal.get("before", []), size):
        with transaction.atomic():
            upsert_days([tuple(row) for row in chunk])  # ISO texts, as day_rows writes
        _pause()
    _rebuild(journal.get("touched", {}))
    if source is not None:
        source.delete()
    return removed
