"""Dashboard and report reads from a PostgreSQL streaming replica, read-your-writes held.

With `DATABASE_REPLICA_URL` set (config/settings.py), the database alias `replica` points at a
hot standby of the primary. Only code that asks for it reads there: views decorated with
`@replica_view` (the regency dashboards and reports, the public transparency pages) run their
queries inside `replica_reads()`, and `ReplicaRouter` sends those reads to the replica. Writes,
sessions, logins, the grid, the team board and everything else stay on the primary.

Read-your-writes: after any request of a user that changed data (an unsafe method answered
below 400), `ReadYourWritesMiddleware` records the primary's WAL position in a cookie. A later
replica-routed request of that user reads from the replica only when the replica has replayed
at least that far (`pg_last_wal_replay_lsn() >= cookie`); otherwise from the primary. A replica
that cannot be reached is left alone for `REPLICA_RETRY_SECONDS` and the primary answers. Without
`DATABASE_REPLICA_URL` all of this is a no-op.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
LSN_COOKIE = "kinerja_lsn"
_LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")

_replica_reads: ContextVar[bool] = ContextVar("kinerja_replica_reads", default=False)
_down_until = 0.0  # per process: monotonic time before which the replica is not tried again


def configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside this block go to the replica (when one is configured)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside this block stay on the primary, even within `replica_reads()`."""
    token = _replica_reads.set(False)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    """Reads to the replica only inside `replica_reads()`; writes and migrations never."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _replica_reads.get() and configured():
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both: objects read from either may be related

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


def caught_up(required_lsn: str | None) -> bool:
    """Whether the replica answers and has replayed at least `required_lsn`."""
    global _down_until
    if not configured() or time.monotonic() < _down_until:
        return False
    try:
        with connections[REPLICA].cursor() as cursor:
            if required_lsn:
                cursor.execute(
                    "SELECT pg_is_in_recovery(), "
                    "coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, false)",
                    [required_lsn],
                )
                in_recovery, replayed = cursor.fetchone()
                # A "replica" that is not in recovery is the primary itself: always current.
                return bool(replayed) or not in_recovery
            cursor.execute("SELECT 1")
            return True
    except DatabaseError:
        logger.warning("replica unreachable; dashboards read from the primary", exc_info=True)
        _down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        connections[REPLICA].close()
        return False


def _required_lsn(request: HttpRequest) -> str | None:
    value = request.COOKIES.get(LSN_COOKIE, "")
    return value if _LSN.match(value) else None


def use_replica(request: HttpRequest) -> bool:
    """Whether this request's dashboard reads may go to the replica (read-your-writes)."""
    return configured() and caught_up(_required_lsn(request))


def replica_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run a read-only (dashboard or report) view's queries on the replica when it is current
    for this user. The view must not write what it then reads back in the same request."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not use_replica(request):
            return view(request, *args, **kwargs)
        with replica_reads():
            response = view(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                render()  # lazy template responses query while rendering
            return response

    return wrapped


def primary_lsn() -> str | None:
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        row = cursor.fetchone()
    return str(row[0]) if row else None


class ReadYourWritesMiddleware:
    """After a successful change, remember how far the primary's WAL had gone for this browser."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if configured() and request.method not in self.SAFE and response.status_code < 400:
            try:
                lsn = primary_lsn()
            except DatabaseError:
                logger.warning("could not read the primary's WAL position", exc_info=True)
                lsn = None
            if lsn:
                response.set_cookie(
                    LSN_COOKIE,
                    lsn,
                    max_age=settings.REPLICA_PIN_SECONDS,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
        return response
