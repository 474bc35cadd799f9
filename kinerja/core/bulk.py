"""Many rows into one table, fast, on both databases.

Callers hand over tuples already adapted for the database (the values the ORM would send);
nothing here knows a model. The ORM's ``bulk_create`` compiles every value into SQL one by one
(about 10 µs a value), which is most of the time of a regency-sized write; these helpers skip
that:

* on SQLite, one prepared statement run for every row (``executemany``);
* on PostgreSQL, large batches go through ``COPY ... FROM STDIN`` (psycopg's ``Cursor.copy``):
  one statement streaming every row, several times faster than ``executemany`` of single-row
  INSERTs. An upsert copies into a temporary table, then runs one
  ``INSERT ... SELECT ... ON CONFLICT DO UPDATE``. Small batches keep ``executemany`` so that
  they show up, statement by statement, in Django's query log and execute wrappers.

Everything runs in the caller's transaction: all or nothing, like any other write.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from itertools import count
from operator import itemgetter
from typing import Any

from django.db import connection, models, transaction

__all__ = ["COPY_FROM", "RowWriter", "foreign_keys_checked_at_end", "insert_rows", "upsert_rows"]

BATCH = 5000
COPY_FROM = 500
"""Rows from which PostgreSQL uses COPY instead of executemany."""

_temp_names = count(1)


class _KeysSetAside:
    """The foreign keys of the tables a bulk load writes, dropped while it writes and added back
    (each checked once, in one query) when it ends: see foreign_keys_checked_at_end."""

    def __init__(self) -> None:
        self.tables: set[str] = set()
        self.dropped: list[tuple[str, str, str]] = []  # (quoted table, name, definition)


_set_aside: ContextVar[_KeysSetAside | None] = ContextVar("keys_set_aside", default=None)


@contextmanager
def foreign_keys_checked_at_end() -> Iterator[None]:
    """A bulk load in one transaction (a demo stage): on PostgreSQL, each table this module
    writes with COPY inside the block has its foreign keys dropped before its first rows, and
    the same constraints (their names and definitions from the catalog) added back when the
    block ends, each checked against the whole table in one query.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: each inserted row queues a check
    that runs at COMMIT, one look-up and one row lock on the referenced row per row and key (at
    10,000 employees, 11.6 s of the demo's 62.6 s were its COMMITs). Adding a key back checks
    every row in one join, as pg_restore does after loading data. Nothing is left unchecked: a
    row that references nothing fails the block with an IntegrityError, and the transaction
    (with the DDL, which PostgreSQL keeps in the transaction) rolls back.

    Must run inside a transaction (the ALTER TABLEs hold their tables' locks until it ends),
    and only where nobody else writes: the seed, never a request. Elsewhere, and on SQLite
    (its keys are checked at COMMIT without a look-up per row), it does nothing."""
    if connection.vendor != "postgresql" or _set_aside.get() is not None:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("foreign_keys_checked_at_end needs a transaction")
    quote = connection.ops.quote_name
    keys = _KeysSetAside()
    token = _set_aside.set(keys)
    try:
        yield
        if keys.dropped:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as in _set_keys_aside
                for table, name, definition in keys.dropped:
                    # A savepoint rolled back since (its error handled) undid its DROP.
                    cursor.execute(
                        "SELECT 1 FROM pg_constraint WHERE conrelid = %s::regclass AND "
                        "conname = %s",
                        [table, name],
                    )
                    if cursor.fetchone() is None:
                        cursor.execute(
                            f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}"
                        )
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    finally:
        _set_aside.reset(token)


def _set_keys_aside(cursor: Any, table: str) -> None:
    """Inside foreign_keys_checked_at_end: drop `table`'s foreign keys before its first COPY."""
    keys = _set_aside.get()
    if keys is None or table in keys.tables:
        return
    keys.tables.add(table)
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table],
    )
    found = cursor.fetchall()
    if not found:
        return
    quote = connection.ops.quote_name
    # Pending deferred checks on the table would refuse the ALTER TABLE: run them now. Then
    # back to deferred, the mode every deferrable constraint of this schema is declared with
    # (Django's foreign keys; tests/core/test_bulk.py checks that there are no others).
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for name, definition in found:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        keys.dropped.append((table, name, definition))
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _copy(cursor: Any, table: str, columns: str, rows: Sequence[Sequence[Any]]) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT ``rows`` (values of ``columns``, in order) into ``table``."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) >= COPY_FROM:
            _set_keys_aside(cursor, quote(table))
            _copy(cursor, quote(table), names, rows)
            return
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def upsert_rows(
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    conflict: Sequence[str],
    update: Sequence[str],
) -> None:
    """INSERT ``rows`` into ``table``; a row whose ``conflict`` columns match a stored one (a
    unique constraint) replaces that row's ``update`` columns instead. Of several rows with the
    same ``conflict`` values the last one wins, as if each row were upserted in turn."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    on_conflict = (
        f"ON CONFLICT ({', '.join(quote(c) for c in conflict)}) DO UPDATE SET "
        + ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in update)
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) >= COPY_FROM:
            # One INSERT may not update a row twice: keep the last row of each key.
            key = itemgetter(*[list(columns).index(c) for c in conflict])
            rows = list({key(row): row for row in rows}.values())
            staging = quote(f"bulk_upsert_{next(_temp_names)}")
            _set_keys_aside(cursor, quote(table))
            # In a savepoint: on an error the staging table goes with the rolled-back rows.
            with transaction.atomic():
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {staging} "
                    f"AS SELECT {names} FROM {quote(table)} WITH NO DATA"
                )
                _copy(cursor, staging, names, rows)
                cursor.execute(
                    f"INSERT INTO {quote(table)} ({names}) SELECT {names} FROM {staging} "
                    + on_conflict
                )
                cursor.execute(f"DROP TABLE {staging}")
            return
        sql = (
            f"INSERT INTO {quote(table)} ({names}) "
            f"VALUES ({', '.join(['%s'] * len(columns))}) {on_conflict}"
        )
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


class RowWriter:
    """Model instances straight into their table (:func:`insert_rows`).

    bulk_create spends most of its time compiling every value into SQL (about 10 µs a value):
    at 10,000 employees (300,000 realisations) that alone is most of a minute. Values are adapted
    here once per field kind (datetimes cached, few distinct), exactly as the ORM would store
    them; auto_now fields without a value get ``now``. Ids are not read back.
    """

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.datetimes: dict[datetime, Any] = {}

    def datetime(self, value: datetime | None) -> Any:
        if value is None:
            return None
        if value not in self.datetimes:
            self.datetimes[value] = connection.ops.adapt_datetimefield_value(value)
        return self.datetimes[value]

    def _adapter(self, f: models.Field) -> Any:
        if isinstance(f, models.DateTimeField):
            if f.auto_now or f.auto_now_add:
                return lambda v: self.datetime(v or self.now)
            return self.datetime
        if isinstance(f, models.DateField):
            return connection.ops.adapt_datefield_value
        if isinstance(f, models.TimeField):
            return connection.ops.adapt_timefield_value
        if isinstance(f, models.DecimalField):
            return lambda v: connection.ops.adapt_decimalfield_value(
                v, f.max_digits, f.decimal_places
            )
        if isinstance(f, models.JSONField):
            return lambda v: None if v is None else f.get_db_prep_save(v, connection)
        if isinstance(f, models.FileField):
            return lambda v: v.name if v else ""
        return None

    def insert(self, model: type[models.Model], names: Sequence[str], rows: list[tuple]) -> None:
        """`rows` hold the values of the fields `names`, already adapted."""
        columns = [model._meta.get_field(n).column for n in names]
        insert_rows(model._meta.db_table, columns, rows)

    def insert_objects(self, model: type[models.Model], objects: Sequence[models.Model]) -> None:
        """Unsaved instances, with their ids set or all without (the database numbers them)."""
        fields = list(model._meta.concrete_fields)
        if objects and all(obj.pk is None for obj in objects):
            fields = [f for f in fields if not f.primary_key]
        adapters = [(f.attname, self._adapter(f)) for f in fields]
        rows = [
            tuple(
                adapt(getattr(obj, name)) if adapt else getattr(obj, name)
                for name, adapt in adapters
            )
            for obj in objects
        ]
        self.insert(model, [f.name for f in fields], rows)
