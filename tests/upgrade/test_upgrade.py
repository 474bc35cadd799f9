"""An upgrade keeps every row (issue 15 item 12): a database made by the previous release, with
data in every table, migrated to this release.

The previous release is a list of migration nodes (previous_release.json). In a database of
its own (a file on SQLite, a `<test database>_upgrade` database on PostgreSQL — whichever
DATABASE_URL names) Django's MigrationExecutor builds that schema; every table of it gets a
row, made generically from the historical models (a value for every field that satisfies the
table's check constraints); then the executor migrates to today's leaves — whatever
migrations have been added since — and every row must still be there (the primary keys of
every table), and every current model must read its table.
"""

from __future__ import annotations

import copy
import itertools
import json
import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as current_apps
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import CheckConstraint, F, Q
from django.utils import timezone

RELEASE = json.loads((Path(__file__).parent / "previous_release.json").read_text())
ALIAS = "upgrade"


@pytest.fixture
def upgrade_db(tmp_path: Path, django_db_blocker: Any) -> Iterator[Any]:
    """A connection to an empty database beside the test database, dropped afterwards."""
    default = connections["default"]
    settings = copy.deepcopy(default.settings_dict)
    postgres = default.vendor == "postgresql"
    with django_db_blocker.unblock():
        if postgres:
            settings["NAME"] = f"{default.settings_dict['NAME']}_upgrade"[:63]
            _pg_admin(default, f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
            _pg_admin(default, f'CREATE DATABASE "{settings["NAME"]}"')
        else:
            settings["NAME"] = str(tmp_path / "previous-release.sqlite3")
        connections.settings[ALIAS] = settings
        try:
            yield connections[ALIAS]
        finally:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]
            if postgres:
                _pg_admin(default, f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')


def _pg_admin(connection: Any, sql: str) -> None:
    with connection._nodb_cursor() as cursor:  # the "postgres" database, autocommit
        cursor.execute(sql)


class ToUpgradeDatabase:
    """Some data migrations (django-tasks-db's among them) query through the default manager
    without `.using(alias)`: route every query of the test to the upgrade database."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return ALIAS

    def allow_relation(self, *args: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, *args: Any, **hints: Any) -> bool:
        return True


def test_a_database_of_the_previous_release_keeps_every_row_when_migrated(
    upgrade_db: Any, django_db_blocker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import router

    monkeypatch.setattr(router, "routers", [ToUpgradeDatabase()])
    with django_db_blocker.unblock():
        executor = MigrationExecutor(upgrade_db)
        previous = [(app, name) for app, name in RELEASE["nodes"].items()]
        unknown = [node for node in previous if node not in executor.loader.graph.nodes]
        assert not unknown, f"previous_release.json names migrations that are gone: {unknown}"
        executor.migrate(previous)
        old_apps = executor.loader.project_state(previous).apps
        fill_every_table(old_apps, upgrade_db)
        before = table_keys(upgrade_db)
        empty = sorted(t for t, keys in before.items() if not keys)
        assert not empty, f"tables left empty at the previous release: {empty}"

        executor = MigrationExecutor(upgrade_db)
        latest = executor.loader.graph.leaf_nodes()
        assert set(latest) != set(previous) or not executor.migration_plan(latest)
        executor.migrate(latest)
        assert not MigrationExecutor(upgrade_db).migration_plan(latest)

        after = table_keys(upgrade_db)
        dropped = set(RELEASE.get("dropped_tables", []))
        for table, keys in before.items():
            if table in dropped:
                continue
            assert table in after, f"table {table} disappeared in the upgrade"
            lost = keys - after[table]
            assert not lost, f"{table} lost rows {sorted(lost)[:5]} in the upgrade"
        for model in current_apps.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                list(model._base_manager.using(ALIAS).all()[:1])  # every column is there
        # Kept aggregates start from the rows already there (assessment 0004).
        from kinerja.assessment.models import AssessorTally
        from kinerja.assessment.services.tallies import tallies_computed

        def tally(t: AssessorTally) -> tuple[Any, ...]:
            return (t.period, t.opd_id, t.assessor_id, t.total, t.overrides)

        kept = sorted(map(tally, AssessorTally.objects.using(ALIAS).all()))
        assert kept and kept == sorted(map(tally, tallies_computed()))
        from kinerja.organisation.models import Employee, UnitHeadcount

        active = Employee.objects.using(ALIAS).filter(is_active=True)
        headcounts = dict(UnitHeadcount.objects.using(ALIAS).values_list("unit_id", "active"))
        assert headcounts == {
            unit_id: active.filter(unit_id=unit_id).count()
            for unit_id in set(active.values_list("unit_id", flat=True))
        }


# --- Keys of every table -------------------------------------------------------------------


def table_keys(connection: Any) -> dict[str, set[Any]]:
    """Each table's primary keys (or, without one, its row numbers) — what must survive."""
    keys: dict[str, set[Any]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table == "django_migrations":
                continue
            columns = connection.introspection.get_primary_key_columns(cursor, table) or []
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns) or "1"
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            rows = cursor.fetchall()
            keys[table] = set(rows) if columns else set(range(len(rows)))
    return keys


# --- One row in every table, from the historical models -------------------------------------


def fill_every_table(apps: Any, connection: Any) -> None:
    todo = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]
    made: dict[str, Any] = {}
    while todo:
        # Rows whose every link (optional ones too) can point somewhere first, then the rest.
        ready = [m for m in todo if all(d in made for d in _needs(m, optional=True))]
        ready = ready or [m for m in todo if all(d in made for d in _needs(m))]
        assert ready, f"no order to fill {[m._meta.label for m in todo]} (a required FK loop)"
        for model in ready:
            made[model._meta.label_lower] = _one_row(model, made, connection)
            todo.remove(model)
    if connection.vendor == "postgresql":  # rows given a primary key by hand
        sql = connection.ops.sequence_reset_sql(no_style(), list(apps.get_models()))
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


def _needs(model: Any, optional: bool = False) -> set[str]:
    return {
        f.related_model._meta.label_lower
        for f in model._meta.concrete_fields
        if f.is_relation and (optional or not f.null) and f.related_model is not model
    }


def _one_row(model: Any, made: dict[str, Any], connection: Any) -> Any:
    manager = model._base_manager.using(ALIAS)
    existing = manager.first()  # a data migration filled it already
    if existing is not None:
        return existing
    choices = {f.attname: _candidates(f, made, model) for f in _fields(model)}
    for literal_field, value in _literals(model):
        if literal_field in choices and value not in choices[literal_field]:
            choices[literal_field].insert(0, value)
    values = {name: options[0] for name, options in choices.items()}
    values = _satisfy(model, values, choices)
    instance = model(**values)
    try:
        with transaction.atomic(using=ALIAS):
            instance.save(using=ALIAS, force_insert=True)
    except Exception as exc:  # name the table: a generic value this filler must learn
        raise AssertionError(f"cannot fill {model._meta.db_table}: {exc!r} with {values}") from exc
    return instance


def _fields(model: Any) -> list[Any]:
    fields = []
    for f in model._meta.concrete_fields:
        if getattr(f, "generated", False):
            continue
        if f.primary_key and isinstance(f, models.AutoField):
            continue
        fields.append(f)
    return fields


def _candidates(field: Any, made: dict[str, Any], model: Any) -> list[Any]:
    """Values to try for a field, the likeliest first."""
    now = timezone.now()
    out: list[Any] = []
    if field.is_relation:
        target = made.get(field.related_model._meta.label_lower)
        if field.related_model is model or target is None:
            return [None]
        out = [getattr(target, field.target_field.attname)]
    elif field.choices:
        out = [key for key, _label in field.flatchoices]
    elif field.has_default() and not callable(field.default):
        out = [field.default]
    if not field.is_relation:
        out += _by_type(field, now)
    if field.null:
        out.append(None)
    return out


def _by_type(field: Any, now: datetime) -> list[Any]:
    if isinstance(field, models.BooleanField):
        return [False, True]
    if isinstance(field, models.DecimalField):
        return [Decimal(v) for v in ("1", "0", "2", "5", "12", "100")]
    if isinstance(field, models.FloatField):
        return [1.0, 0.0, 2.0]
    if isinstance(field, models.DurationField):
        return [timedelta(hours=1), timedelta(days=1)]
    if isinstance(field, models.IntegerField):
        return [1, 0, 2, 5, 12, 100]
    if isinstance(field, models.DateTimeField):
        return [now, now + timedelta(days=1), now - timedelta(days=1)]
    if isinstance(field, models.DateField):
        return [date(2026, 1, 5), date(2026, 1, 6), date(2025, 12, 31)]
    if isinstance(field, models.TimeField):
        return [time(8), time(16)]
    if isinstance(field, models.UUIDField):
        return [uuid.uuid4()]
    if isinstance(field, models.JSONField):
        return [{}, [], {"a": 1}]
    if isinstance(field, models.BinaryField):
        return [b"x"]
    if isinstance(field, models.GenericIPAddressField):
        return ["127.0.0.1"]
    if isinstance(field, models.FileField):
        return ["upgrade/berkas.pdf", ""]
    if isinstance(field, models.EmailField):
        return ["upgrade@example.id", ""]
    if isinstance(field, models.URLField):
        return ["https://example.id/", ""]
    if isinstance(field, models.CharField | models.TextField):
        limit = field.max_length or 30
        return [v[:limit] for v in ("upgrade", "x", "alasan uji", "")]
    return [None]


def _conditions(model: Any) -> list[CheckConstraint]:
    return [c for c in model._meta.constraints if isinstance(c, CheckConstraint)]


def _attname(model: Any, name: str) -> str:
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    return str(field.attname)


def _walk(model: Any, node: Any) -> Iterator[tuple[str, Any]]:
    """(attname, value) of every comparison in a check constraint's condition."""
    if isinstance(node, Q):
        for child in node.children:
            yield from _walk(model, child)
    elif isinstance(node, tuple):
        lookup, value = node
        if lookup.endswith("__isnull"):
            value = None  # a None or a value, which the candidates hold already
        yield _attname(model, lookup.split("__")[0]), value
        if isinstance(value, F):
            yield _attname(model, value.name), None


def _literals(model: Any) -> Iterator[tuple[str, Any]]:
    """Values written in the check constraints: the best guesses for their fields."""
    for constraint in _conditions(model):
        for name, value in _walk(model, constraint.condition):
            if isinstance(value, list | tuple | set):
                yield from ((name, v) for v in value)
            elif isinstance(value, bool | str | int | Decimal) and value != []:
                yield name, value
                if isinstance(value, int) and not isinstance(value, bool):
                    yield name, value + 1


def _failing(model: Any, values: dict[str, Any]) -> list[CheckConstraint]:
    instance = model(**values)
    failing = []
    for constraint in _conditions(model):
        try:
            constraint.validate(model, instance, using=ALIAS)
        except ValidationError:
            failing.append(constraint)
    return failing


def _satisfy(model: Any, values: dict[str, Any], choices: dict[str, list[Any]]) -> dict[str, Any]:
    """Change the fields the failing check constraints name until none fails."""
    pk = model._meta.pk
    for _round in range(5):
        failing = _failing(model, values)
        if not failing:
            return values
        names = sorted({name for c in failing for name, _v in _walk(model, c.condition)})
        options = [
            choices.get(n) or ([None, 1] if n == pk.attname else [values.get(n)]) for n in names
        ]
        for combination in itertools.islice(itertools.product(*options), 5000):
            trial = {**values, **dict(zip(names, combination, strict=True))}
            if not any(c in failing for c in _failing(model, trial)):
                values = trial
                break
        else:
            raise AssertionError(
                f"no values satisfy {[c.name for c in failing]} of {model._meta.db_table}"
            )
    assert not _failing(model, values), model._meta.db_table
    return values
