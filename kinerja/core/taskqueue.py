"""The background task queue's health and recovery (the database backend, django-tasks-db).

- `health()`: what waits, what runs, what failed in the last hour — shown to BKPSDM on the
  scheduled-jobs page and summarised by /readyz.
- `recover()`: run every few minutes by the scheduler. A task left RUNNING by a worker that
  died (`kill -9`, a crash, a reboot) for longer than TASKS_STALE_MINUTES is marked failed
  ("pekerja hilang"); a failed task whose path is in TASKS_RETRY_PATHS (idempotent: running it
  twice does no harm) is queued again with exponential backoff (2, 4, 8 … minutes), at most
  TASKS_MAX_ATTEMPTS times for the same arguments. Nothing is retried that is not listed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

DEFAULT_RETRY_PATHS = (
    "kinerja.monitoring.tasks.refresh_person_figures",
    "kinerja.monitoring.tasks.refresh_unit_figures",
    "kinerja.monitoring.tasks.refresh_team_figures",
    "kinerja.monitoring.tasks.refresh_unit_and_team_figures",
    "kinerja.monitoring.tasks.rebuild_team_figures",
    "kinerja.monitoring.tasks.rebuild_figures",
    "kinerja.monitoring.tasks.prune_changes",
    "kinerja.competency.tasks.refresh_unit_jp",
    "kinerja.competency.tasks.rebuild_unit_jp",
    "kinerja.adoption.channels.send_email",
    "kinerja.adoption.tasks.scheduled_job",
    "kinerja.core.exports.run_export",
    # Safe twice: a finished job is left alone, a half-applied one is undone.
    "kinerja.core.importjobs.run_import",
)
WORKER_LOST = "kinerja.core.taskqueue.WorkerLost"


class WorkerLost(RuntimeError):
    """The worker running the task stopped before it finished."""


def _uses_database_backend() -> bool:
    return str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db")


@dataclass
class Health:
    ready: int = 0
    oldest_ready_seconds: int = 0
    running: int = 0
    oldest_running_seconds: int = 0
    failed_last_hour: int = 0
    failed_by_task: dict[str, int] = field(default_factory=dict)
    backend: str = ""
    # Each worker's last sign of life (db_worker, every TASKS_HEARTBEAT_SECONDS): a worker
    # silent for three intervals has hung or died without stopping cleanly.
    workers: list[WorkerSeen] = field(default_factory=list)

    @property
    def workers_alive(self) -> int:
        return sum(1 for w in self.workers if not w.silent)


@dataclass(frozen=True)
class WorkerSeen:
    worker_id: str
    hostname: str
    pid: int
    last_seen_seconds: int
    tasks_run: int
    silent: bool


def health(now: datetime | None = None) -> Health:
    now = now or timezone.now()
    result = Health(backend=str(settings.TASKS["default"]["BACKEND"]).rsplit(".", 1)[-1])
    if not _uses_database_backend():
        return result
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    result.ready = ready.count()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    result.oldest_ready_seconds = int((now - oldest).total_seconds()) if oldest else 0
    running = DBTaskResult.objects.running()
    result.running = running.count()
    started = running.order_by("started_at").values_list("started_at", flat=True).first()
    result.oldest_running_seconds = int((now - started).total_seconds()) if started else 0
    failed = DBTaskResult.objects.failed().filter(finished_at__gte=now - timedelta(hours=1))
    paths = Counter(failed.values_list("task_path", flat=True))
    result.failed_last_hour = sum(paths.values())
    result.failed_by_task = {p.rsplit(".", 1)[-1]: n for p, n in paths.most_common(10)}
    result.workers = workers_seen(now)
    return result


def workers_seen(now: datetime | None = None) -> list[WorkerSeen]:
    from .models import WorkerHeartbeat

    now = now or timezone.now()
    silent_after = 3 * int(getattr(settings, "TASKS_HEARTBEAT_SECONDS", 30))
    seen = []
    for row in WorkerHeartbeat.objects.order_by("-last_seen_at")[:20]:
        age = max(0, int((now - row.last_seen_at).total_seconds()))
        seen.append(
            WorkerSeen(row.worker_id, row.hostname, row.pid, age, row.tasks_run, age > silent_after)
        )
    return seen


@dataclass
class Recovery:
    lost: int = 0
    retried: int = 0
    given_up: int = 0


def _key(row: Any) -> tuple[str, str]:
    import json

    return row.task_path, json.dumps(row.args_kwargs, sort_keys=True)


def recover(now: datetime | None = None) -> Recovery:
    """Mark tasks of dead workers failed, then queue idempotent failures again (with backoff)."""
    outcome = Recovery()
    if not _uses_database_backend():
        return outcome
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stale_after = timedelta(minutes=int(getattr(settings, "TASKS_STALE_MINUTES", 30)))
    for row in DBTaskResult.objects.running().filter(started_at__lt=now - stale_after):
        row.status = TaskResultStatus.FAILED
        row.finished_at = now
        row.exception_class_path = WORKER_LOST
        row.traceback = (
            f"{WORKER_LOST}: pekerja {', '.join(row.worker_ids) or '?'} berhenti sebelum tugas "
            f"selesai (berjalan sejak {row.started_at:%Y-%m-%d %H:%M:%S})."
        )
        row.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
        outcome.lost += 1

    retry_paths = set(getattr(settings, "TASKS_RETRY_PATHS", DEFAULT_RETRY_PATHS))
    max_attempts = int(getattr(settings, "TASKS_MAX_ATTEMPTS", 3))
    recent = DBTaskResult.objects.filter(
        task_path__in=retry_paths, enqueued_at__gte=now - timedelta(days=1)
    ).order_by("enqueued_at")
    by_key: dict[tuple[str, str], list[Any]] = {}
    for row in recent:
        by_key.setdefault(_key(row), []).append(row)
    for (path, _args), rows in by_key.items():
        last = rows[-1]
        if last.status != TaskResultStatus.FAILED:
            continue  # it succeeded since, or another attempt is queued or running
        attempts = sum(1 for r in rows if r.status == TaskResultStatus.FAILED)
        if attempts >= max_attempts:
            outcome.given_up += 1
            continue
        task = import_string(path)
        when = max(now, (last.finished_at or now) + timedelta(minutes=2**attempts))
        arguments = last.args_kwargs or {}
        task.using(run_after=when).enqueue(
            *arguments.get("args", []), **arguments.get("kwargs", {})
        )
        outcome.retried += 1
    return outcome
