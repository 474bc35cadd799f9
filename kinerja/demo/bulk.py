"""Bulk writing for the demo stages: rows with ids assigned in memory, straight into their
tables (kinerja.core.bulk: executemany on SQLite, COPY on PostgreSQL), and the PostgreSQL
sequences moved past those ids afterwards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

from kinerja.core.bulk import insert_rows


def reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    """After inserting explicit ids, move PostgreSQL's sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class RowWriter:
    """Rows straight into their table (kinerja.core.bulk.insert_rows).

    bulk_create spends most of its time compiling every value into SQL (about 10 µs a value):
    at 10,000 employees (300,000 realisations) that alone is most of a minute. Values are adapted
    here once per field kind (datetimes cached, few distinct), exactly as the ORM would store
    them; auto_now fields without a value get the seeding time.
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
        """Unsaved instances with their ids set."""
        fields = list(model._meta.concrete_fields)
        adapters = [(f.attname, self._adapter(f)) for f in fields]
        rows = [
            tuple(
                adapt(getattr(obj, name)) if adapt else getattr(obj, name)
                for name, adapt in adapters
            )
            for obj in objects
        ]
        self.insert(model, [f.name for f in fields], rows)
