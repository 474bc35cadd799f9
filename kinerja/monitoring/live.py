"""Live updates: the events subscriber, and the one query a stream runs when it opens.

How a change reaches an open board, whatever the number of server processes:

1. A service commits (e.g. `realisation_save_month`) and publishes a "realisation", "feedback"
   or "plan" event from `transaction.on_commit` (kinerja.core.events); kinerja.core.notifications
   publishes "notifications" when accounts' unread counts change.
2. :func:`on_change`, subscribed in MonitoringConfig.ready(), recomputes that person's figures
   and appends a ChangeEvent row (topic, employee id, the employee's reporting path), in the
   process that served the write, then announces it on the live bus (kinerja.monitoring.hub:
   Redis pub/sub, PostgreSQL NOTIFY, or nothing on SQLite, where each process polls the feed).
3. Every open page holds one Server-Sent Events stream (kinerja.monitoring.views.stream, an
   async view under uvicorn). When it opens it runs :func:`poll`: ONE small query that answers
   both "how many unread notifications?" and "which employees under my path changed since the
   last id I saw?". Then it waits on its worker's hub, which hands it the changes under its
   path from the worker's one listener; nothing changes, nothing is sent (a comment line every
   15 s keeps proxies open) and nothing is queried.
4. The page's script re-fetches the rows of the employees named, and updates the header count.

The queries run in a worker thread (sync_to_async, not thread-sensitive) and close their
database connection afterwards according to CONN_MAX_AGE, so a waiting stream holds no
connection.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from kinerja.core import notifications
from kinerja.core.models import Notification
from kinerja.organisation.models import Employee
from kinerja.performance.models import Plan
from kinerja.performance.selectors import PlanYear

from . import hub, services, tasks
from .models import ChangeEvent

logger = logging.getLogger(__name__)

MAX_CHANGES = 500  # per poll; more than this many people changed → the page reloads its rows


def on_change(
    *,
    topic: str,
    employee_id: int,
    plan_id: int | None = None,
    year: int | None = None,
    **data: Any,
) -> None:
    """The events subscriber: runs after the change committed (kinerja.core.events.publish)."""
    rows = data.get("rows")
    employee_changed(
        topic=topic,
        employee_id=employee_id,
        plan_id=plan_id,
        year=year,
        rows=rows if isinstance(rows, PlanYear) else None,
    )


def employee_changed(
    *,
    topic: str,
    employee_id: int,
    plan_id: int | None = None,
    year: int | None = None,
    rows: PlanYear | None = None,
) -> None:
    """After a committed change of one employee's plan data: refresh their figures, announce the
    change to open boards, and queue the refresh of their unit's figures. `year` is the plan's
    (read from `plan_id` when the event does not carry it). `rows`, the plan's indicators and
    year of realisations as the write committed them (the grid's save: its plan holds the
    employee too), are not read again."""
    if rows is not None and rows.plan.employee_id == employee_id:
        path, unit_id = rows.plan.employee.path, rows.plan.employee.unit_id
    else:
        rows = None
        employee = Employee.objects.filter(pk=employee_id).values_list("path", "unit_id").first()
        if employee is None:
            return
        path, unit_id = employee
    if year is None and plan_id:
        year = Plan.objects.filter(pk=plan_id).order_by().values_list("year", flat=True).first()
    year = year or timezone.localdate().year
    # The person's figures are computed first, outside any transaction (reads only); then what
    # the change leaves behind is written in ONE short transaction: the figures, the queued
    # unit and team refresh, and last the feed row (announced at the end of the transaction:
    # PostgreSQL delivers its NOTIFY at the commit). On SQLite that is one short turn of the
    # database's write lock instead of three, which the other writers of a month-end rush queue
    # for; on PostgreSQL one commit (one WAL flush) instead of three. Nothing usually fails, so
    # the transaction has no savepoints; when something does, it is rolled back and written
    # again part by part, each in a savepoint, so that a failure keeps the others, as separate
    # writes did.
    # A change that hands over its rows (the grid's save) wrote realisations, not comments: the
    # stored feedback counts stay, unread.
    feedback = rows is None
    try:
        figures = services.person_figures_compute(
            employee_id=employee_id, year=year, rows=rows, feedback=feedback
        )
    except Exception:
        figures = None
        logger.exception("computing the figures of %s failed; queued for a retry", employee_id)
    stored = False
    try:
        with transaction.atomic():
            if figures is not None:
                services.person_figures_store(figures, feedback=feedback)
                stored = True
            else:
                tasks.refresh_person_figures.enqueue(employee_id=employee_id, year=year)
            tasks.refresh_unit_and_team_figures.enqueue(
                unit_id=unit_id, employee_id=employee_id, year=year
            )
            services.change_record(topic=topic, employee_id=employee_id, path=path)
        return
    except Exception:
        if figures is not None and not stored:  # the store failed: not tried twice
            figures = None
            logger.exception("storing the figures of %s failed; queued for a retry", employee_id)
        else:
            logger.warning(
                "the after-commit writes of %s failed; written again part by part",
                employee_id,
                exc_info=True,
            )
    with transaction.atomic():
        if figures is not None:
            try:
                with transaction.atomic():
                    services.person_figures_store(figures, feedback=feedback)
            except Exception:
                figures = None
                logger.exception(
                    "storing the figures of %s failed; queued for a retry", employee_id
                )
        if figures is None:
            # Never stale in silence: queued as a task that the worker runs and the queue's
            # recovery retries (kinerja/core/taskqueue.py) until the figures are right.
            tasks.refresh_person_figures.enqueue(employee_id=employee_id, year=year)
        try:
            with transaction.atomic():
                tasks.refresh_unit_and_team_figures.enqueue(
                    unit_id=unit_id, employee_id=employee_id, year=year
                )
        except Exception:  # the dashboard catches up at the next rebuild; the board is right
            logger.exception("could not queue the unit and team figures refresh of %s", employee_id)
        services.change_record(topic=topic, employee_id=employee_id, path=path)


def on_unread_changed(*, topic: str, employee_id: int, user_ids: Any = (), **data: Any) -> None:
    """Accounts' unread notification counts changed (kinerja.core.notifications): their open
    pages update the header count."""
    services.unread_changed_record(user_ids=[int(pk) for pk in user_ids])


def on_account_changed(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """post_save of an account: when its password or its active flag may have changed, wake its
    open streams, which then check that their viewer is still signed in (views._signed_in) and
    end if not. A stream is not checked on a timer: this, and the logout view, are what end it
    at once (a feed row of the "notifications" topic, as a new notification would write)."""
    fields = kwargs.get("update_fields")
    if created or (fields is not None and not {"password", "is_active"} & set(fields)):
        return
    notifications.unread_changed([instance.pk])


def on_bulk_change(*, topic: str, employee_ids: list[int], year: int, **data: Any) -> None:
    """A bulk write of many people's realisations (topic "realisations"): their figures are
    refreshed by one background task, not one by one inside the request that wrote them."""
    try:
        tasks.refresh_people_figures.enqueue(employee_ids=list(employee_ids), year=year)
    except Exception:  # the nightly rebuild catches up; the write itself stands
        logger.exception("could not queue the figures refresh of %d people", len(employee_ids))


def on_reporting_lines_changed(*, topic: str, employee_id: int, **data: Any) -> None:
    """A supervisor changed (a transfer), or an import changed people: the teams above both the
    old and the new place differ, and units gained or lost people, so the team and unit figures
    of the year are rebuilt in the background — once for a burst of changes (an import moving a
    thousand people queues one rebuild, not a thousand)."""
    year = timezone.localdate().year
    # Shared by the processes when the cache is (Redis); a per-process cache only shortens the
    # window: at most a minute of changes waits for the next rebuild.
    if not cache.add(tasks.team_rebuild_pending_key(year), 1, timeout=60):
        return
    try:
        tasks.rebuild_team_figures.enqueue(year=year)
    except Exception:
        logger.exception("could not queue the team figures rebuild after %s", topic)


@dataclass
class PollResult:
    unread: int
    last_id: int  # the newest feed id when the query ran (the stream's next cursor)
    changes: list[tuple[int, int]] = field(default_factory=list)  # (feed id, employee id)
    overflow: bool = False
    # (feed id, head id): heads whose team figures were recomputed (topic "team")
    teams: list[tuple[int, int]] = field(default_factory=list)


def _sql(with_team: bool) -> str:
    notification = connection.ops.quote_name(Notification._meta.db_table)
    change = connection.ops.quote_name(ChangeEvent._meta.db_table)
    parts = [
        f"SELECT 'u' AS k, COUNT(*) AS a, 0 AS b FROM {notification} "
        "WHERE recipient_id = %s AND read_at IS NULL"
    ]
    if with_team:
        parts.append(f"SELECT 'm' AS k, COALESCE(MAX(id), 0) AS a, 0 AS b FROM {change}")
        parts.append(
            f"SELECT * FROM (SELECT CASE WHEN topic = '{hub.TEAM_TOPIC}' THEN 't' ELSE 'c' END "
            f"AS k, id AS a, employee_id AS b FROM {change} "
            f"WHERE id > %s AND path LIKE %s ORDER BY id LIMIT {MAX_CHANGES + 1}) AS changes"
        )
    return " UNION ALL ".join(parts)


def poll(*, user_id: int, path: str | None, after: int) -> PollResult:
    """ONE query: the user's unread notifications and, when `path` is given, the newest feed id
    and the changes after feed id `after` of the employees at or below `path`.

    Every part is an index lookup: the unread count on (recipient, read_at), the newest id on the
    primary key, the changes as a primary-key range scan of the rows after `after` (the caller
    keeps that a few rows: its cursor follows the newest id).
    """
    with_team = path is not None
    params: list[Any] = [user_id]
    if with_team:
        params += [after, f"{path}%"]
    try:
        with connection.cursor() as cursor:
            cursor.execute(_sql(with_team), params)
            rows = cursor.fetchall()
    finally:
        if not connection.in_atomic_block:
            close_old_connections()
    result = PollResult(unread=0, last_id=after)
    for kind, a, b in rows:
        if kind == "u":
            result.unread = int(a)
        elif kind == "m":
            result.last_id = int(a)
        elif kind == "t":
            result.teams.append((int(a), int(b)))
        else:
            result.changes.append((int(a), int(b)))
    result.overflow = len(result.changes) + len(result.teams) > MAX_CHANGES
    return result


class Cursor:
    """Where a stream is in the feed. On PostgreSQL a row with a smaller id can commit a moment
    after a larger one, so each poll looks back OVERLAP ids and skips the ids already seen."""

    OVERLAP = 100

    def __init__(self, since: int | None) -> None:
        self.position = since
        self.seen: set[int] = set()
        self.first = True

    @property
    def after(self) -> int:
        if self.position is None:
            return 2**62  # the first poll of a new stream only learns the newest id
        if self.first:
            return self.position  # resuming (Last-Event-ID): nothing before it is re-sent
        return max(self.position - self.OVERLAP, 0)

    def advance(self, result: PollResult) -> list[int]:
        """The employees named by changes not seen before, in order; moves the cursor."""
        return self.advance_with_teams(result)[0]

    def advance_with_teams(self, result: PollResult) -> tuple[list[int], list[int]]:
        """(the employees named by changes not seen before, the heads whose team figures were
        recomputed since), each in order; moves the cursor."""
        employees: list[int] = []
        heads: list[int] = []
        for changes, named in ((result.changes, employees), (result.teams, heads)):
            for change_id, employee_id in changes:
                if change_id in self.seen:
                    continue
                self.seen.add(change_id)
                if employee_id not in named:
                    named.append(employee_id)
        self.position = (
            result.last_id if self.position is None else max(self.position, result.last_id)
        )
        floor = self.position - self.OVERLAP
        self.seen = {i for i in self.seen if i > floor}
        self.first = False
        return employees, heads
