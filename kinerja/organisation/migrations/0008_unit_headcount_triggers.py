"""The active headcount of each unit (UnitHeadcount) is kept by the database itself: triggers on
`organisation_employee` add every inserted active employee to their unit, take every deleted
one away, and on an update of the unit or of `is_active` move the count, in the same statement
as the write. Every path that writes employees (the services, the SIASN import, the demo's bulk
loads, raw SQL) therefore keeps it exact. The employees already stored are counted here once.

- SQLite: row triggers (`AFTER INSERT`, `AFTER DELETE`, `AFTER UPDATE OF unit_id, is_active`).
- PostgreSQL: statement triggers over the transition tables (a bulk insert of 100,000 employees
  aggregates once); the units are written in key order, and an update that changes neither
  column (a name, a path after a reorganisation) writes nothing.

A later migration that makes Django rebuild `organisation_employee` on SQLite would drop the
SQLite triggers with the old table: it must recreate them (tests/organisation/test_headcount.py
fails without them).

The SQL is written out here (not imported from the app) so that this migration never changes.
"""

from django.db import migrations

TABLE = "organisation_unitheadcount"
UPSERT = "ON CONFLICT (unit_id) DO UPDATE SET active = {target}.active + excluded.active"


def _sqlite_add(row: str) -> str:
    return (
        f"INSERT INTO {TABLE} (unit_id, active) SELECT {row}.unit_id, 1 "
        f"WHERE {row}.is_active {UPSERT.format(target=TABLE)}"
    )


def _sqlite_take(row: str) -> str:
    """An UPDATE: never makes a row (a table emptied before the headcounts leaves none)."""
    return (
        f"UPDATE {TABLE} SET active = active - 1 WHERE {row}.is_active AND unit_id = {row}.unit_id"
    )


def _pg(source: str) -> str:
    return (
        f"INSERT INTO {TABLE} AS t (unit_id, active) SELECT r.unit_id, SUM(r.sign) "
        f"FROM ({source}) r WHERE r.is_active GROUP BY r.unit_id HAVING SUM(r.sign) <> 0 "
        f"ORDER BY r.unit_id {UPSERT.format(target='t')}"
    )


def _rows(table: str, sign: int) -> str:
    return f"SELECT {sign} AS sign, unit_id, is_active FROM {table}"


PG_FUNCTIONS = {
    "insert": _pg(_rows("new_rows", 1)),
    "delete": _pg(_rows("old_rows", -1)),
    "update": _pg(f"{_rows('new_rows', 1)} UNION ALL {_rows('old_rows', -1)}"),
}
PG_TRANSITIONS = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
    "update": "REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows",
}


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER employee_headcount_insert AFTER INSERT ON organisation_employee "
            f"BEGIN {_sqlite_add('NEW')}; END"
        )
        schema_editor.execute(
            "CREATE TRIGGER employee_headcount_delete AFTER DELETE ON organisation_employee "
            f"BEGIN {_sqlite_take('OLD')}; END"
        )
        schema_editor.execute(
            "CREATE TRIGGER employee_headcount_update AFTER UPDATE OF unit_id, is_active "
            f"ON organisation_employee BEGIN {_sqlite_take('OLD')}; {_sqlite_add('NEW')}; END"
        )
    elif vendor == "postgresql":
        for event, body in PG_FUNCTIONS.items():
            schema_editor.execute(
                f"CREATE FUNCTION employee_headcount_{event}() RETURNS trigger AS $$ BEGIN "
                f"{body}; RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            schema_editor.execute(
                f"CREATE TRIGGER employee_headcount_{event} AFTER {event.upper()} "
                f"ON organisation_employee {PG_TRANSITIONS[event]} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION employee_headcount_{event}()"
            )
    else:  # pragma: no cover - the project supports SQLite and PostgreSQL
        raise NotImplementedError(f"No headcount triggers for {vendor}.")
    schema_editor.execute(f"DELETE FROM {TABLE}")
    schema_editor.execute(
        f"INSERT INTO {TABLE} (unit_id, active) SELECT unit_id, COUNT(*) "
        "FROM organisation_employee WHERE is_active GROUP BY unit_id"
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    for event in PG_FUNCTIONS:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS employee_headcount_{event} ON organisation_employee"
            )
            schema_editor.execute(f"DROP FUNCTION IF EXISTS employee_headcount_{event}()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS employee_headcount_{event}")


class Migration(migrations.Migration):
    dependencies = [("organisation", "0007_unit_headcount")]

    operations = [migrations.RunPython(create, drop)]
