"""The assessor tallies (AssessorTally) are kept by the database itself: triggers on
`assessment_assessment` add every inserted row with a predikat to its (period, OPD, assessor)
tally, take every deleted one away, and on an update take the old row away and add the new one,
in the same statement as the write. Every path that writes assessments (the rating and
finalisation services, the demo's bulk loads, raw SQL) therefore keeps them exact. The existing
assessments are tallied here once.

- SQLite: row triggers (`AFTER INSERT`, `AFTER DELETE`, and `AFTER UPDATE OF` the columns a
  tally reads).
- PostgreSQL: statement triggers over the transition tables, so a bulk insert of 100,000
  assessments aggregates once instead of 100,000 upserts; the groups are written in key order
  (two concurrent statements lock tallies in the same order), and an update that changes none
  of a tally's inputs (acknowledging, showing a result) writes nothing.

A later migration that makes Django rebuild `assessment_assessment` on SQLite (most AlterField
operations) would drop the SQLite triggers with the old table: such a migration must recreate
them (tests/assessment/test_tallies.py fails without them). `manage.py
assessment_rebuild_tallies` recomputes every tally from the assessments.

The SQL is written out here (not imported from the app) so that this migration never changes.
"""

from django.db import migrations

TABLE = "assessment_assessortally"
PREDIKAT = ["sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"]
COLUMNS = [*PREDIKAT, "overrides"]
# The columns of an assessment that a tally reads (an update of any other writes nothing).
INPUTS = [
    "period",
    "opd_id",
    "assessor_id",
    "predikat",
    "hasil",
    "perilaku",
    "suggested_hasil",
    "suggested_perilaku",
]


def _flags(row: str) -> list[str]:
    """One 0/1 expression per tally column for the assessment `row` (an alias or NEW/OLD)."""
    flags = [f"CASE WHEN {row}.predikat = '{p}' THEN 1 ELSE 0 END" for p in PREDIKAT]
    flags.append(
        f"CASE WHEN ({row}.suggested_hasil <> '' AND {row}.hasil <> {row}.suggested_hasil) "
        f"OR ({row}.suggested_perilaku <> '' AND {row}.perilaku <> {row}.suggested_perilaku) "
        "THEN 1 ELSE 0 END"
    )
    return flags


def _key(row: str) -> str:
    return f"{row}.period, {row}.opd_id, COALESCE({row}.assessor_id, 0)"


def _upsert(target: str) -> str:
    """ON CONFLICT clause adding `excluded` to the tally (`target`: the table or its alias)."""
    return "ON CONFLICT (period, opd_id, assessor_id) DO UPDATE SET " + ", ".join(
        f"{c} = {target}.{c} + excluded.{c}" for c in COLUMNS
    )


def _sqlite_add(row: str) -> str:
    """SQLite: add one assessment to its tally (made if missing)."""
    values = ", ".join(_flags(row))
    return (
        f"INSERT INTO {TABLE} (period, opd_id, assessor_id, {', '.join(COLUMNS)}) "
        f"SELECT {_key(row)}, {values} WHERE {row}.predikat <> '' {_upsert(TABLE)}"
    )


def _sqlite_take(row: str) -> str:
    """SQLite: take one assessment away from its tally (an UPDATE: never makes a row, so a
    table emptied before its tallies, as a test database's flush does, leaves none behind)."""
    sets = ", ".join(f"{c} = {c} - ({flag})" for c, flag in zip(COLUMNS, _flags(row), strict=True))
    return (
        f"UPDATE {TABLE} SET {sets} WHERE {row}.predikat <> '' AND period = {row}.period "
        f"AND opd_id = {row}.opd_id AND assessor_id = COALESCE({row}.assessor_id, 0)"
    )


def _pg_sums(source: str) -> str:
    """PostgreSQL: the grouped deltas of `source` rows (alias r, with a `sign` column)."""
    sums = ", ".join(f"SUM(r.sign * ({flag}))" for flag in _flags("r"))
    nonzero = " OR ".join(f"SUM(r.sign * ({flag})) <> 0" for flag in _flags("r"))
    return (
        f"INSERT INTO {TABLE} AS t (period, opd_id, assessor_id, {', '.join(COLUMNS)}) "
        f"SELECT {_key('r')}, {sums} FROM ({source}) r WHERE r.predikat <> '' "
        f"GROUP BY 1, 2, 3 HAVING {nonzero} ORDER BY 1, 2, 3 {_upsert('t')}"
    )


def _rows(table: str, sign: int) -> str:
    return f"SELECT {sign} AS sign, {', '.join(INPUTS)} FROM {table}"


PG_FUNCTIONS = {
    "insert": _pg_sums(_rows("new_rows", 1)),
    "delete": _pg_sums(_rows("old_rows", -1)),
    "update": _pg_sums(f"{_rows('new_rows', 1)} UNION ALL {_rows('old_rows', -1)}"),
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
            "CREATE TRIGGER assessment_tally_insert AFTER INSERT ON assessment_assessment "
            f"BEGIN {_sqlite_add('NEW')}; END"
        )
        schema_editor.execute(
            "CREATE TRIGGER assessment_tally_delete AFTER DELETE ON assessment_assessment "
            f"BEGIN {_sqlite_take('OLD')}; END"
        )
        schema_editor.execute(
            f"CREATE TRIGGER assessment_tally_update AFTER UPDATE OF {', '.join(INPUTS)} "
            f"ON assessment_assessment BEGIN {_sqlite_take('OLD')}; {_sqlite_add('NEW')}; END"
        )
    elif vendor == "postgresql":
        for event, body in PG_FUNCTIONS.items():
            schema_editor.execute(
                f"CREATE FUNCTION assessment_tally_{event}() RETURNS trigger AS $$ BEGIN "
                f"{body}; RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            schema_editor.execute(
                f"CREATE TRIGGER assessment_tally_{event} AFTER {event.upper()} "
                f"ON assessment_assessment {PG_TRANSITIONS[event]} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION assessment_tally_{event}()"
            )
    else:  # pragma: no cover - the project supports SQLite and PostgreSQL
        raise NotImplementedError(f"No assessor-tally triggers for {vendor}.")
    # The assessments already stored, tallied once.
    sums = ", ".join(f"SUM({flag})" for flag in _flags("a"))
    schema_editor.execute(f"DELETE FROM {TABLE}")
    schema_editor.execute(
        f"INSERT INTO {TABLE} (period, opd_id, assessor_id, {', '.join(COLUMNS)}) "
        f"SELECT {_key('a')}, {sums} FROM assessment_assessment a WHERE a.predikat <> '' "
        "GROUP BY 1, 2, 3"
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    for event in PG_FUNCTIONS:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS assessment_tally_{event} ON assessment_assessment"
            )
            schema_editor.execute(f"DROP FUNCTION IF EXISTS assessment_tally_{event}()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS assessment_tally_{event}")


class Migration(migrations.Migration):
    dependencies = [("assessment", "0003_assessor_tally")]

    operations = [migrations.RunPython(create, drop)]
