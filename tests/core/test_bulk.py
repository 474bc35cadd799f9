"""kinerja.core.bulk on the database under test (SQLite in `make test`, PostgreSQL in CI's
second run): small batches through executemany, large ones through COPY on PostgreSQL, and the
same rows either way."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from kinerja.core import bulk
from kinerja.core.models import AuditLog
from kinerja.rewards.models import AttendanceDay
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db(transaction=True)

DAY_COLUMNS = ["employee_id", "day", "status", "late_minutes", "early_minutes", "no_record"]


def _days(employee_id, count, *, status="H", late=0):
    start = date(2026, 1, 1)
    return [
        (employee_id, (start + timedelta(days=n)).isoformat(), status, late, 0, False)
        for n in range(count)
    ]


def _stored(employee_id):
    return list(
        AttendanceDay.objects.filter(employee_id=employee_id)
        .order_by("day")
        .values_list("day", "status", "late_minutes")
    )


@pytest.mark.parametrize("count", [3, bulk.COPY_FROM + 7], ids=["executemany", "large"])
def test_insert_rows_writes_every_row_with_its_values(count):
    employee = EmployeeFactory()
    bulk.insert_rows(AttendanceDay._meta.db_table, DAY_COLUMNS, _days(employee.pk, count, late=4))
    stored = _stored(employee.pk)
    assert len(stored) == count
    assert stored[0] == (date(2026, 1, 1), "H", 4)
    assert stored[-1][0] == date(2026, 1, 1) + timedelta(days=count - 1)


def test_insert_rows_keeps_text_that_copy_must_escape():
    at = connection.ops.adapt_datetimefield_value(datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    rows = [
        (
            at,
            "",
            "update",
            "demo",
            "1",
            f"baris {n}\tdengan tab\\ garis miring\nbaris baru",
            json.dumps({"n": n}),
            "",
            None,
        )
        for n in range(bulk.COPY_FROM)
    ]
    bulk.insert_rows(
        AuditLog._meta.db_table,
        [
            "at",
            "actor_repr",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "note",
            "ip_address",
        ],
        rows,
    )
    reprs = set(AuditLog.objects.filter(object_type="demo").values_list("object_repr", flat=True))
    assert len(reprs) == bulk.COPY_FROM
    assert "baris 0\tdengan tab\\ garis miring\nbaris baru" in reprs
    assert AuditLog.objects.get(object_repr__startswith="baris 7\t").changes == {"n": 7}


@pytest.mark.parametrize("count", [3, bulk.COPY_FROM + 7], ids=["executemany", "large"])
def test_upsert_rows_replaces_stored_rows_and_the_last_duplicate_wins(count):
    employee = EmployeeFactory()
    table = AttendanceDay._meta.db_table
    bulk.insert_rows(table, DAY_COLUMNS, _days(employee.pk, 2, status="A"))
    rows = _days(employee.pk, count, status="H", late=5)
    rows.append((employee.pk, "2026-01-01", "S", 9, 0, False))  # the same day again: it wins
    bulk.upsert_rows(
        table, DAY_COLUMNS, rows, conflict=["employee_id", "day"], update=DAY_COLUMNS[2:]
    )
    stored = _stored(employee.pk)
    assert len(stored) == count
    assert stored[0] == (date(2026, 1, 1), "S", 9)
    assert stored[1] == (date(2026, 1, 2), "H", 5)


def test_a_failed_upsert_writes_nothing_and_leaves_no_staging_table():
    employee = EmployeeFactory()
    table = AttendanceDay._meta.db_table
    rows = _days(employee.pk, bulk.COPY_FROM + 1)
    rows[-1] = (employee.pk + 10_000, "2026-12-01", "H", 0, 0, False)  # no such employee
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.upsert_rows(
            table, DAY_COLUMNS, rows, conflict=["employee_id", "day"], update=DAY_COLUMNS[2:]
        )
    assert _stored(employee.pk) == []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'bulk_upsert_%%'")
            assert cursor.fetchone()[0] == 0


def test_empty_batches_do_nothing():
    bulk.insert_rows(AttendanceDay._meta.db_table, DAY_COLUMNS, [])
    bulk.upsert_rows(
        AttendanceDay._meta.db_table, DAY_COLUMNS, [], conflict=["employee_id"], update=["status"]
    )
    assert not AttendanceDay.objects.exists()


# --- foreign_keys_checked_at_end (the demo's stages) ----------------------------------------


def _foreign_keys(table):
    """The table's foreign keys as the catalog holds them (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), condeferrable, condeferred, convalidated "
            "FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [table],
        )
        return cursor.fetchall()


def test_keys_checked_at_end_store_the_rows_and_keep_every_constraint():
    employee = EmployeeFactory()
    table = AttendanceDay._meta.db_table
    before = _foreign_keys(table) if connection.vendor == "postgresql" else None
    with transaction.atomic(), bulk.foreign_keys_checked_at_end():
        # A row through the ORM first: its deferred key check is pending when COPY comes.
        AttendanceDay.objects.create(employee=employee, day=date(2025, 12, 31), status="H")
        bulk.insert_rows(table, DAY_COLUMNS, _days(employee.pk, bulk.COPY_FROM + 3))
        if before is not None:
            assert _foreign_keys(table) == []  # set aside while the rows are written
    assert len(_stored(employee.pk)) == bulk.COPY_FROM + 4
    if before is not None:
        assert before and _foreign_keys(table) == before  # the same names and definitions


@pytest.mark.parametrize("count", [3, bulk.COPY_FROM + 7], ids=["executemany", "copy"])
def test_keys_checked_at_end_still_refuse_a_row_that_references_nothing(count):
    employee = EmployeeFactory()
    table = AttendanceDay._meta.db_table
    before = _foreign_keys(table) if connection.vendor == "postgresql" else None
    rows = _days(employee.pk, count)
    rows[-1] = (employee.pk + 10_000, *rows[-1][1:])  # no such employee
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        bulk.foreign_keys_checked_at_end(),
    ):
        bulk.insert_rows(table, DAY_COLUMNS, rows)
    assert _stored(employee.pk) == []  # all or nothing
    if before is not None:
        assert _foreign_keys(table) == before  # the DROP rolled back with the rows


def test_keys_checked_at_end_after_a_savepoint_that_rolled_back_its_drop():
    """A COPY in a savepoint whose error was handled: the savepoint's rollback restored the
    keys it dropped; the rows after it are checked row by row, and the end adds nothing twice."""
    employee = EmployeeFactory()
    table = AttendanceDay._meta.db_table
    before = _foreign_keys(table) if connection.vendor == "postgresql" else None
    with transaction.atomic(), bulk.foreign_keys_checked_at_end():
        with pytest.raises(ValueError), transaction.atomic():
            bulk.insert_rows(table, DAY_COLUMNS, _days(employee.pk, bulk.COPY_FROM))
            raise ValueError("handled")
        if before is not None:
            assert _foreign_keys(table) == before  # the savepoint took its DROP back
        bulk.insert_rows(table, DAY_COLUMNS, _days(employee.pk, bulk.COPY_FROM + 1))
    assert len(_stored(employee.pk)) == bulk.COPY_FROM + 1
    if before is not None:
        assert _foreign_keys(table) == before


def test_keys_checked_at_end_need_a_transaction():
    if connection.vendor != "postgresql":
        pytest.skip("nothing is set aside on SQLite")
    with pytest.raises(RuntimeError, match="transaction"), bulk.foreign_keys_checked_at_end():
        pass


def test_every_deferrable_constraint_is_initially_deferred():
    """foreign_keys_checked_at_end returns the transaction to SET CONSTRAINTS ALL DEFERRED: the
    declared mode only while no constraint is DEFERRABLE INITIALLY IMMEDIATE."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's catalog")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE connamespace = "
            "current_schema()::regnamespace AND condeferrable AND NOT condeferred"
        )
        assert cursor.fetchall() == []
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE connamespace = "
            "current_schema()::regnamespace AND condeferrable AND condeferred"
        )
        assert cursor.fetchone()[0] > 100  # Django's foreign keys are there to be counted
