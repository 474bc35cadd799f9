"""`manage.py db_worker`: django-tasks-db's worker, made to survive database hiccups (issue 15.8).

The upstream worker exits when the database answers "database is locked" (SQLite past its busy
timeout) or drops the connection while it fetches or finishes a task: 44 tasks then sat READY
unnoticed. This command keeps the upstream name and every option (kinerja.core comes before
django_tasks_db in INSTALLED_APPS, so Django picks this one) and changes only the loop:

- an OperationalError/InterfaceError while fetching or claiming a task, or while recording its
  outcome, is logged, the connection closed, and the loop goes on after a bounded backoff
  (0.5 s doubling to 10 s; back to 0.5 s after the next good round trip);
- the outcome of a task that ran is recorded with the same backoff until the database answers
  (so a finished task is not left RUNNING for the recovery to call lost);
- a task's own exception — including a database error raised inside the task — is still recorded
  as that task's failure, as before (and retried by `kinerja.core.taskqueue.recover` when the task
  is idempotent);
- a task registered in `kinerja.core.taskbatch` is claimed together with the other calls of it
  already queued and run as one call; each task's outcome is the batch's (a call that cannot be
  read fails alone).
"""

from __future__ import annotations

import logging
import os
import random
import socket
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from kinerja.core import taskbatch
from kinerja.core.models import WorkerHeartbeat

logger = logging.getLogger("django_tasks_db")

DATABASE_HICCUPS = (OperationalError, InterfaceError)
BACKOFF_START = 0.5
BACKOFF_MAX = 10.0


class Backoff:
    """0.5 s, 1 s, 2 s … at most 10 s; `reset()` after a good round trip."""

    def __init__(self, start: float = BACKOFF_START, ceiling: float = BACKOFF_MAX) -> None:
        self.start, self.ceiling, self.delay = start, ceiling, start

    def next(self) -> float:
        delay, self.delay = self.delay, min(self.delay * 2, self.ceiling)
        return delay

    def reset(self) -> None:
        self.delay = self.start


def _drop_connections() -> None:
    """Close every connection so the next query opens a fresh one (a broken one stays broken)."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # closing a broken connection may itself fail; it is gone either way
            logger.debug("closing a broken connection failed", exc_info=True)


class ResilientWorker(upstream.Worker):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.backoff = Backoff()
        self.started_at = timezone.now()
        self.last_beat = 0.0

    def beat(self, *, force: bool = False) -> None:
        """Record this worker's sign of life at most every TASKS_HEARTBEAT_SECONDS (the queue's
        health lists it; kinerja.core.taskqueue). A database error here waits for the next."""
        every = int(getattr(settings, "TASKS_HEARTBEAT_SECONDS", 30))
        if not force and time.monotonic() - self.last_beat < every:
            return
        try:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=str(self.worker_id)[:64],
                defaults={
                    "hostname": socket.gethostname()[:255],
                    "pid": os.getpid(),
                    "started_at": self.started_at,
                    "last_seen_at": timezone.now(),
                    "tasks_run": self._run_tasks,
                },
            )
            self.last_beat = time.monotonic()
        except DATABASE_HICCUPS as exc:
            logger.warning("Heartbeat of worker_id=%s not recorded: %s", self.worker_id, exc)
            _drop_connections()

    def leave(self) -> None:
        """A worker that stops cleanly removes its heartbeat (a silent one means it died)."""
        try:
            WorkerHeartbeat.objects.filter(worker_id=str(self.worker_id)[:64]).delete()
        except DATABASE_HICCUPS:
            _drop_connections()

    def hiccup(self, during: str, exc: BaseException) -> None:
        delay = self.backoff.next()
        logger.warning(
            "Database error while %s (worker_id=%s): %s — retrying in %.1f s",
            during,
            self.worker_id,
            exc,
            delay,
        )
        _drop_connections()
        if self.running:
            time.sleep(delay)

    def fetch(self) -> DBTaskResult | None:
        """Claim the next ready task (None when there is none); a database error propagates.
        A task that runs in batches (kinerja.core.taskbatch) is claimed with the other calls of
        it already queued, held on it as `batch_companions`."""
        close_old_connections()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                # "claim" the task, so it isn't run by another worker process
                task_result.claim(self.worker_id)
                batch = taskbatch.batch_of(task_result.task_path)
                companions: list[DBTaskResult] = []
                if batch is not None and batch.size > 1:
                    companions = list(
                        tasks.filter(task_path=task_result.task_path)
                        .exclude(pk=task_result.pk)
                        .select_for_update(skip_locked=True)[: batch.size - 1]
                    )
                    for other in companions:
                        other.claim(self.worker_id)
                task_result.batch_companions = companions  # type: ignore[attr-defined]
        return task_result

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names)
        )
        if self.startup_delay and self.interval:
            time.sleep(random.random())

        self.beat(force=True)
        try:
            self.loop()
        finally:
            self.leave()

    def loop(self) -> None:
        while self.running:
            self.beat()
            try:
                task_result = self.fetch()
            except DATABASE_HICCUPS as exc:
                self.hiccup("fetching a task", exc)
                continue
            self.backoff.reset()

            if task_result is not None:
                self.run_task(task_result)

            if self.batch and task_result is None:
                logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
                return None
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Run maximum tasks (%d) on worker=%s - exiting.",
                    self._run_tasks,
                    self.worker_id,
                )
                return None

            try:
                close_old_connections()
            except DATABASE_HICCUPS:
                _drop_connections()
            if self.running and not task_result:
                time.sleep(self.interval)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task, then record its outcome — retrying the recording, not the task."""
        companions: list[DBTaskResult] = getattr(db_task_result, "batch_companions", [])
        if companions:
            self.run_batch([db_task_result, *companions])
            return
        self.running_task = True
        try:
            outcome: BaseException | None = None
            return_value: Any = None
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                task_started.send(sender=task.get_backend(), task_result=task_result)
                if task.takes_context:
                    return_value = task.call(
                        TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    return_value = task.call(*task_result.args, **task_result.kwargs)
            except BaseException as exc:  # the task's own failure: recorded below
                outcome = exc
            self.record(db_task_result, return_value, outcome)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def run_batch(self, claimed: list[DBTaskResult]) -> None:
        """Run several claimed calls of one batched task as one (kinerja.core.taskbatch), then
        record the outcome on each."""
        self.running_task = True
        try:
            outcome: BaseException | None = None
            return_value: Any = None
            batch = taskbatch.batch_of(claimed[0].task_path)
            calls: list[dict[str, Any]] = []
            runs: list[DBTaskResult] = []
            for db_task_result in claimed:
                try:
                    if batch is None:  # registered when claimed; cannot vanish, never guess
                        raise RuntimeError(f"no batch for {db_task_result.task_path}")
                    task_result = db_task_result.task_result
                    task_started.send(
                        sender=db_task_result.task.get_backend(), task_result=task_result
                    )
                    calls.append(batch.arguments(task_result.args, task_result.kwargs))
                except Exception as exc:  # a task that cannot be read fails alone
                    self.record(db_task_result, None, exc)
                else:
                    runs.append(db_task_result)
            if not runs:
                return
            try:
                assert batch is not None
                return_value = batch.run(calls)
            except BaseException as exc:  # the batch's failure is each task's: recorded below
                outcome = exc
            for db_task_result in runs:
                self.record(db_task_result, return_value, outcome)
        finally:
            self.running_task = False
            self._run_tasks += len(claimed)

    def record(
        self, db_task_result: DBTaskResult, value: Any, failure: BaseException | None
    ) -> None:
        attempts = 0
        while True:
            attempts += 1
            try:
                if failure is None:
                    try:
                        db_task_result.set_successful(value)
                    except DATABASE_HICCUPS:
                        raise
                    except Exception as exc:  # e.g. a return value JSON cannot hold
                        failure = exc
                        continue
                else:
                    db_task_result.set_failed(failure)
            except DATABASE_HICCUPS as exc:
                if not self.running and attempts >= 3:
                    logger.error(
                        "Shutting down: outcome of task id=%s not recorded (%s); the queue's "
                        "recovery will mark it lost",
                        db_task_result.id,
                        exc,
                    )
                    return
                self.hiccup(f"recording the outcome of task id={db_task_result.id}", exc)
                continue
            self.backoff.reset()
            break
        try:
            sender = type(db_task_result.task.get_backend())
            task_result = db_task_result.task_result
        except (ImportError, SuspiciousOperation):
            logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
        else:
            task_finished.send(sender=sender, task_result=task_result)


class Command(upstream.Command):
    help = (
        "Run the database background worker (django-tasks-db), surviving database hiccups: "
        "a locked or lost database is retried with backoff instead of ending the process."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        original = upstream.Worker
        upstream.Worker = ResilientWorker  # type: ignore[misc]  # upstream.handle builds it
        try:
            super().handle(*args, **options)
        finally:
            upstream.Worker = original  # type: ignore[misc]
