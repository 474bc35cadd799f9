"""The triggers the database has on a table (SQLite or PostgreSQL): tests of the figures that
triggers keep check that theirs exist, since Django drops a table's triggers on SQLite when a
migration rebuilds the table."""

from __future__ import annotations

from django.db import connection


def trigger_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
        return {row[0] for row in cursor.fetchall()}
