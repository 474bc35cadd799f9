"""Group commit of kiosk questionnaires (kinerja.public.commits, issue 16 item 6): a batch is
one transaction committed before any of its callers returns; a bad row is retried alone so the
others are kept and only its caller gets the error."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections

from kinerja.public.commits import GroupCommit, _Pending

SQL = "INSERT INTO django_content_type (app_label, model) VALUES (%s, %s) RETURNING id"


def _stored(app_label: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT model FROM django_content_type WHERE app_label = %s", [app_label])
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_one_insert_is_committed_and_returns_its_id() -> None:
    commits = GroupCommit()
    pk = commits.insert(SQL, ["gc_test", "one"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT model FROM django_content_type WHERE id = %s", [pk])
        assert cursor.fetchone() == ("one",)
    assert (commits.batches, commits.rows) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_a_bad_row_costs_only_its_own_caller() -> None:
    commits = GroupCommit()
    commits.insert(SQL, ["gc_test", "taken"])
    good, bad, other = (
        _Pending(SQL, ["gc_test", "a"]),
        _Pending(SQL, ["gc_test", "taken"]),  # the unique (app_label, model) refuses it
        _Pending(SQL, ["gc_test", "b"]),
    )
    commits._queue = [good, bad, other]
    commits._leading = True
    commits._lead()
    assert good.finished and bad.finished and other.finished
    assert good.pk and other.pk and good.error is None and other.error is None
    assert isinstance(bad.error, IntegrityError) and bad.pk is None
    assert _stored("gc_test") == {"taken", "a", "b"}
    assert not commits._leading  # the lead is put down when nobody waits


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_all_get_their_committed_row() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("threads with their own connections need a server database")
    commits = GroupCommit()
    barrier = threading.Barrier(8)
    ids: list[int] = []
    errors: list[BaseException] = []

    def submit(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                ids.append(commits.insert(SQL, ["gc_threads", f"m{n}_{i}"]))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(ids) == len(set(ids)) == 80
    assert len(_stored("gc_threads")) == 80
    assert commits.rows == 80 and commits.batches <= 80


@pytest.mark.django_db(transaction=True)
def test_a_batch_is_one_statement_and_each_caller_gets_its_own_id() -> None:
    from django.test.utils import CaptureQueriesContext

    commits = GroupCommit()
    batch = [_Pending(SQL, ["gc_rows", name]) for name in ("x", "y", "z")]
    commits._queue = list(batch)
    commits._leading = True
    with CaptureQueriesContext(connection) as queries:
        commits._lead()
    assert len(queries.captured_queries) == 1  # one INSERT … VALUES (…), (…), (…) RETURNING id
    assert (commits.batches, commits.rows) == (1, 3)
    with connection.cursor() as cursor:
        for item, name in zip(batch, ("x", "y", "z"), strict=True):
            assert item.error is None
            cursor.execute("SELECT model FROM django_content_type WHERE id = %s", [item.pk])
            assert cursor.fetchone() == (name,)


@pytest.mark.django_db(transaction=True)
def test_a_batch_keeps_every_value_exactly() -> None:
    """On PostgreSQL a batch's rows are bound client-side one by one (psycopg's mogrify) and
    sent as one statement without parameters: quotes, percent signs, backslashes, the words of
    the statement itself and NULL must come back unchanged, each to its own caller."""
    commits = GroupCommit()
    names = ["it's 100% %s", "a\\b RETURNING id", " VALUES (1), (2)", "%(x)s ';--"]
    batch = [_Pending(SQL, ["gc_values", name]) for name in names]
    batch.append(_Pending(SQL, [None, "no label"]))  # NOT NULL refuses it: the others stay
    commits._queue = list(batch)
    commits._leading = True
    commits._lead()
    with connection.cursor() as cursor:
        for item, name in zip(batch, names, strict=False):
            assert item.error is None
            cursor.execute("SELECT model FROM django_content_type WHERE id = %s", [item.pk])
            assert cursor.fetchone() == (name,)
    assert isinstance(batch[-1].error, IntegrityError)
    assert _stored("gc_values") == set(names)


def test_a_waiting_caller_gives_its_pooled_connection_back(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Callers parked behind a leader may outnumber the pool (kinerja.core.asgi): each gives
    back an idle pooled connection before it waits, so the leader never waits for one. A
    connection in a transaction, or one kept per thread (no pool), is left alone."""
    from django.db import DEFAULT_DB_ALIAS

    from kinerja.public import commits

    class Wrapper:
        def __init__(self, pool: object, atomic: bool) -> None:
            self.connection: object | None = object()
            self.pool, self.in_atomic_block = pool, atomic

        def close(self) -> None:
            self.connection = None

    for pool, atomic, given_back in (
        (object(), False, True),
        (object(), True, False),
        (None, False, False),
    ):
        wrapper = Wrapper(pool, atomic)
        monkeypatch.setattr(commits, "connections", {DEFAULT_DB_ALIAS: wrapper})
        commits._release_connection()
        assert (wrapper.connection is None) is given_back
