"""Bulk writing for the demo stages: rows with ids assigned in memory, straight into their
tables (kinerja.core.bulk: executemany on SQLite, COPY on PostgreSQL), and the PostgreSQL
sequences moved past those ids afterwards."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection, models

from kinerja.core.bulk import RowWriter

__all__ = ["RowWriter", "reset_sequences"]


def reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    """After inserting explicit ids, move PostgreSQL's sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
