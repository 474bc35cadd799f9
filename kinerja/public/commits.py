"""Group commit for kiosk questionnaires on PostgreSQL (issue 16, item 6).

Every questionnaire must be durable before its 201: committed with the server's normal
durability (`synchronous_commit` untouched). On PostgreSQL each commit waits for its WAL flush,
and every submission for one service also updates the same daily-totals row (the trigger of
migration 0002), so commits of one service are serialised on that row lock and throughput is
one flush per questionnaire. Here the threads of a worker process that insert at the same time
share one transaction: the first to arrive while no commit is under way leads, takes every
questionnaire queued so far, inserts them and commits once, then wakes the others; those that
arrive meanwhile form the next batch. No waiting is added: a batch is whatever queued while the
previous commit was flushing. Each caller returns only after the commit that holds its row.
A thread waiting here is *parked* (kinerja.core.asgi): under uvicorn the worker starts further
requests on extra threads meanwhile, so a batch can hold more than ASGI_THREADS questionnaires.

A batch is written by one statement in autocommit: `INSERT … VALUES (…), (…), … RETURNING id`,
atomic and committed by the server before it answers, so a batch costs one round trip (a single
questionnaire too), where BEGIN, an INSERT per row and COMMIT cost two more round trips and one
more per row, all while the batch holds the daily-totals row lock. The ids come back in the
order of the VALUES rows, as Django's bulk_create relies on for PostgreSQL.

If the batch fails (a constraint on one row), nothing of it is stored, and each of its rows is
inserted again on its own, so one bad row never costs the others their questionnaire and its
caller gets its own error.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from kinerja.core.asgi import parked


@dataclass
class _Pending:
    sql: str
    params: list[Any]
    wake: threading.Event = field(default_factory=threading.Event)
    finished: bool = False
    pk: int | None = None
    error: BaseException | None = None


class GroupCommit:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[_Pending] = []
        self._leading = False
        self.batches = 0  # commits made (tests read them)
        self.rows = 0

    def insert(self, sql: str, params: list[Any]) -> int:
        """Run `INSERT … RETURNING id` in a shared transaction; returns the id once committed."""
        item = _Pending(sql, params)
        with self._lock:
            self._queue.append(item)
            lead = not self._leading
            self._leading = True
        # Waiting for a commit, ours or a leader's, uses no CPU: under uvicorn the worker may
        # start more requests meanwhile (kinerja.core.asgi.parked), whose questionnaires then
        # join the next batch.
        with parked():
            if not lead:
                _release_connection()
                item.wake.wait()  # committed by a leader, or handed the lead
            if not item.finished:
                self._lead()
        if item.error is not None:
            raise item.error
        assert item.pk is not None
        return item.pk

    def _lead(self) -> None:
        """Commit everything queued (the leader's own row included), then hand the lead to the
        first of those who queued meanwhile, or put it down."""
        with self._lock:
            batch, self._queue = self._queue, []
        try:
            self._commit(batch)
        finally:
            for item in batch:
                if item.pk is None and item.error is None:
                    item.error = RuntimeError("questionnaire not stored")
                item.finished = True
                item.wake.set()
            with self._lock:
                if self._queue:
                    self._queue[0].wake.set()  # not finished: it leads the next batch
                else:
                    self._leading = False

    def _commit(self, batch: list[_Pending]) -> None:
        db = connections[DEFAULT_DB_ALIAS]
        try:
            with db.cursor() as cursor:
                statement = _rows_statement(batch, cursor)
                if statement is not None:  # one statement in autocommit: atomic, one round trip
                    cursor.execute(*statement)
                    pks = [row[0] for row in cursor.fetchall()]
            if statement is not None:
                if len(pks) != len(batch):  # pragma: no cover - RETURNING gives one id per row
                    raise RuntimeError(f"RETURNING gave {len(pks)} ids for {len(batch)} rows")
                for item, pk in zip(batch, pks, strict=True):
                    item.pk = pk
            else:
                with transaction.atomic(), db.cursor() as cursor:
                    for item in batch:
                        cursor.execute(item.sql, item.params)
                        item.pk = cursor.fetchone()[0]
            self.batches += 1
            self.rows += len(batch)
            return
        except Exception:
            for item in batch:
                item.pk = None
        for item in batch:  # one by one, each in its own autocommit statement
            try:
                with db.cursor() as cursor:
                    cursor.execute(item.sql, item.params)
                    item.pk = cursor.fetchone()[0]
            except Exception as exc:  # handed to the caller whose row it is
                item.error = exc


def _release_connection() -> None:
    """A caller about to wait for a leader gives its pooled connection back first (it holds one
    if it queried before, e.g. a kiosk device not yet remembered): parked callers may outnumber
    the pool (kinerja.core.asgi), and the leader must never wait for a connection held by the
    callers that wait for it. Only an idle connection in autocommit is given back (the group
    commit runs only outside transactions); without a pool connections stay per thread."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.connection is not None and not db.in_atomic_block and getattr(db, "pool", None):
        db.close()


MAX_ROWS = 500  # rows of one statement (PostgreSQL takes up to 65,535 parameters)


def _rows_statement(batch: list[_Pending], cursor: Any) -> tuple[str, list[Any] | None] | None:
    """`INSERT INTO t (…) VALUES (…), (…), … RETURNING id` for the whole batch and its
    parameters, or None when its rows do not share one single-row `INSERT … VALUES (…)
    RETURNING …` statement.

    On PostgreSQL each row's values are merged into its `(…)` by psycopg (`mogrify`, the same
    client-side binding and quoting as any of Django's queries) and the statement is sent
    without parameters: psycopg caches its parsing of a query only up to 50 parameters, so a
    batch statement with parameters (26 a questionnaire) was parsed again for every batch
    (about 40% of the Python time of a kiosk submission's view), while the one-row template
    is parsed once."""
    sql = batch[0].sql
    if len(batch) == 1:
        return sql, batch[0].params
    if len(batch) > MAX_ROWS or any(item.sql != sql for item in batch):
        return None
    head, values, rest = sql.partition(" VALUES ")
    row, returning, tail = rest.rpartition(" RETURNING ")
    if not values or not returning or not (row.startswith("(") and row.endswith(")")):
        return None
    mogrify = getattr(cursor, "mogrify", None)  # psycopg's client-side binding
    if mogrify is None:  # SQLite: the parameters as usual
        rows, params = ", ".join([row] * len(batch)), [p for item in batch for p in item.params]
        return f"{head} VALUES {rows} RETURNING {tail}", params
    rows = ", ".join(mogrify(row, item.params) for item in batch)
    return f"{head} VALUES {rows} RETURNING {tail}", None


group_commit = GroupCommit()  # one per worker process
