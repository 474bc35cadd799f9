"""The attendance import (all-or-nothing, row-by-row report) and the month summary."""

from __future__ import annotations

import io
from datetime import date, time
from decimal import Decimal

from django.db import transaction
from openpyxl import Workbook

from kinerja.rewards import imports
from kinerja.rewards.attendance_apply import DAY_COLUMNS, MONTH_FIGURES
from kinerja.rewards.models import AttendanceDay, AttendanceMonth
from tests.conftest import Org
from tests.rewards.conftest import csv_of, import_rows


def test_it_refuses_the_whole_file_and_reports_every_bad_row(org: Org) -> None:
    nip = org.employee.nip
    rows = [
        (nip, "2026-10-01", "07:30", "16:00", "H"),  # good
        ("199001012015011999", "2026-10-01", "07:30", "16:00", "H"),  # unknown NIP
        (nip, "2026-13-01", "07:30", "16:00", "H"),  # no such month
        (nip, "2026-10-02", "7.3x", "16:00", "H"),  # unreadable time
        (nip, "2026-10-03", "07:30", "16:00", "X"),  # unknown status
        (nip, "2026-10-01", "07:30", "16:00", "H"),  # the same day twice
        (nip, "2026-10-05", "16:00", "07:30", "H"),  # out before in
    ]
    report = imports.import_attendance(data=csv_of(rows), filename="a.csv", by=org.users["bkpsdm"])
    assert not report.ok
    assert sorted({e.row for e in report.errors}) == [3, 4, 5, 6, 7, 8]
    columns = {e.row: e.column for e in report.errors}
    assert columns[3] == "NIP" and columns[6] == "Status" and columns[7] == "Tanggal"
    assert "Tidak ada data yang diubah" in report.summary()
    assert not AttendanceDay.objects.exists() and not AttendanceMonth.objects.exists()


def test_it_refuses_a_file_without_the_required_columns_or_rows(org: Org) -> None:
    by = org.users["bkpsdm"]
    assert not imports.import_attendance(data=b"NIP,Tanggal\n1,2\n", filename="a.csv", by=by).ok
    assert not imports.import_attendance(data=csv_of([]), filename="a.csv", by=by).ok
    assert not imports.import_attendance(data=b"PK\x03\x04rusak", filename="a.xlsx", by=by).ok
    report = imports.import_attendance(data=csv_of([]), filename="a.csv", by=org.users["admin_opd"])
    assert not report.ok and "BKPSDM" in report.errors[0].message


def test_it_summarises_the_month_and_importing_again_changes_nothing(org: Org) -> None:
    nip = org.employee.nip
    rows = [
        (nip, "2026-10-01", "07:45", "16:00", "H"),  # 15 late
        (nip, "2026-10-02", "07:30", "15:00", "H"),  # 60 early
        (nip, "2026-10-05", "", "16:00", "H"),  # no check-in: no record
        (nip, "2026-10-06", "", "", "S"),
        (nip, "2026-10-07", "", "", "TK"),
    ]
    import_rows(org, rows)
    import_rows(org, rows)
    month = AttendanceMonth.objects.get(employee=org.employee, year=2026, month=10)
    assert (month.days_recorded, month.days_present, month.days_excused) == (5, 3, 1)
    assert (month.late_items, month.early_items) == ([15], [60])
    assert (month.missing_records, month.unexcused_days) == (1, 1)
    # 100 − 0,5 − 1 − 1,5 − 3
    assert month.discipline_factor == Decimal("94.00")
    assert AttendanceDay.objects.filter(employee=org.employee).count() == 5


def test_it_reads_xlsx_from_the_machines(org: Org) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["NIP", "Tanggal", "Jam Masuk", "Jam Pulang", "Status"])
    sheet.append([org.peer.nip, "02/10/2026", "07:20", "16:10", "h"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = imports.import_attendance(
        data=buffer.getvalue(), filename="x.xlsx", by=org.users["bkpsdm"]
    )
    assert report.ok, report.errors
    assert AttendanceMonth.objects.get(employee=org.peer).discipline_factor == Decimal("100.00")


def test_it_counts_consecutive_unexcused_working_days_across_a_weekend(org: Org) -> None:
    # Thursday 1 – Wednesday 14 October 2026: ten working days in a row.
    days = [1, 2, 5, 6, 7, 8, 9, 12, 13, 14]
    import_rows(org, [(org.employee.nip, f"2026-10-{d:02d}", "", "", "TK") for d in days])
    month = AttendanceMonth.objects.get(employee=org.employee)
    assert (month.unexcused_days, month.longest_unexcused_run) == (10, 10)
    import_rows(org, [(org.employee.nip, "2026-10-07", "07:30", "16:00", "H")])
    month.refresh_from_db()
    assert (month.unexcused_days, month.longest_unexcused_run) == (9, 5)


def _stored() -> tuple[list[tuple], list[tuple]]:
    days = list(AttendanceDay.objects.order_by("employee_id", "day").values_list(*DAY_COLUMNS))
    months = list(
        AttendanceMonth.objects.order_by("pk").values_list(
            "employee_id", "year", "month", *MONTH_FIGURES
        )
    )
    return days, months


def test_inserting_new_days_stores_what_writing_them_does(org: Org) -> None:
    """The demo's seeding path (insert_new_days: days inserted, summaries computed from the days
    in hand) stores the same days and month summaries, in the same order, as write_days (upsert,
    summaries read back from the table)."""
    people = [org.peer.pk, org.employee.pk]  # not in id order: summaries are written by id
    inputs = []
    for month in (10, 11):
        for pk in people:
            for n, d in enumerate([1, 2, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16]):
                status = ["H", "H", "TK", "TK", "H", "S", "H", "H"][(n + pk) % 8]
                present = status == "H"
                inputs.append(
                    imports.DayInput(
                        pk,
                        date(2026, month, d),
                        time(7, 30 + (n * 7 + pk) % 29) if present and n % 5 else None,
                        time(15, 20 + n * 3) if present else None,
                        status,
                    )
                )
    with transaction.atomic():
        assert imports.write_days(inputs, source=None) == len(inputs)
        written = _stored()
        transaction.set_rollback(True)
    assert not AttendanceDay.objects.exists()
    assert imports.insert_new_days(inputs, source=None) == len(inputs)
    assert _stored() == written
    assert any(m[5] for m in written[1]) and any(m[7] > 1 for m in written[1])
