"""Readiness (`/readyz`): whether this instance can serve real work now, each check bounded to
about a second so that a hung database is reported, not waited for.

- database: answers a write (an UPDATE rolled back), with a one-second lock/statement budget;
- migrations: every migration is applied (a missing or fresh SQLite file fails here, where a
  bare `SELECT 1` would pass);
- media: MEDIA_ROOT is writable and has at least READY_MIN_FREE_MB free;
- tasks: the oldest task waiting to run has waited less than READY_MAX_QUEUE_AGE_SECONDS
  (the worker is moving), with the failures of the last hour reported.

`/healthz` stays the cheap liveness check (the process answers and the database answers a
read); a load balancer routes on `/readyz`.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BUDGET_MS = 1000


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    ms: int

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail, "ms": self.ms}


class _Rollback(Exception):
    pass


def check_database() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            try:
                with transaction.atomic():
                    cursor.execute(f"SET LOCAL statement_timeout = {BUDGET_MS}")
                    cursor.execute(f"SET LOCAL lock_timeout = {BUDGET_MS}")
                    cursor.execute(
                        "UPDATE django_migrations SET app = app "
                        "WHERE id = (SELECT MIN(id) FROM django_migrations)"
                    )
                    raise _Rollback
            except _Rollback:
                pass
            return "menerima tulisan"
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA busy_timeout")
            (previous,) = cursor.fetchone()
            cursor.execute(f"PRAGMA busy_timeout = {BUDGET_MS}")
            try:
                with transaction.atomic():
                    cursor.execute(
                        "UPDATE django_migrations SET app = app "
                        "WHERE id = (SELECT MIN(id) FROM django_migrations)"
                    )
                    raise _Rollback
            except _Rollback:
                pass
            finally:
                cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")
            return "menerima tulisan"
        cursor.execute("SELECT 1")
        return "menjawab"


def check_migrations() -> str:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in pending[:5])
        raise RuntimeError(f"{len(pending)} migrasi belum diterapkan: {names}")
    return "semua migrasi diterapkan"


def check_media() -> str:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=root, prefix=".readyz-", delete=True) as probe:
        probe.write(b"ok")
        probe.flush()
    free_mb = shutil.disk_usage(root).free // (1024 * 1024)
    minimum = int(getattr(settings, "READY_MIN_FREE_MB", 200))
    if free_mb < minimum:
        raise RuntimeError(f"ruang kosong {free_mb} MB, di bawah batas {minimum} MB")
    return f"dapat ditulis, ruang kosong {free_mb} MB"


def check_tasks() -> str:
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        return f"antrean {backend.rsplit('.', 1)[-1]}"
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)[:1]
    )
    failed = DBTaskResult.objects.failed().filter(finished_at__gte=now - timedelta(hours=1))
    failures = failed.count()
    waited = (now - oldest[0]).total_seconds() if oldest else 0.0
    limit = int(getattr(settings, "READY_MAX_QUEUE_AGE_SECONDS", 900))
    if waited > limit:
        raise RuntimeError(
            f"tugas tertua menunggu {int(waited)} detik (batas {limit}); pekerja latar tidak "
            f"berjalan? {failures} gagal dalam satu jam terakhir"
        )
    from .taskqueue import workers_seen

    workers = workers_seen(now)
    alive = sum(1 for w in workers if not w.silent)
    last = f", detak terakhir {workers[0].last_seen_seconds} detik lalu" if workers else ""
    return (
        f"tugas tertua menunggu {int(waited)} detik; {failures} gagal dalam satu jam terakhir; "
        f"{alive} pekerja aktif{last}"
    )


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "migrations": check_migrations,
    "media": check_media,
    "tasks": check_tasks,
}


def run_checks() -> list[Check]:
    results = []
    database_ok = True
    for name, check in CHECKS.items():
        started = time.monotonic()
        if name != "database" and name != "media" and not database_ok:
            results.append(Check(name, False, "dilewati: basis data tidak menjawab", 0))
            continue
        try:
            detail, ok = check(), True
        except Exception as exc:  # every failure is a finding, never a 500
            detail, ok = f"{type(exc).__name__}: {exc}"[:300], False
        if name == "database":
            database_ok = ok
        results.append(Check(name, ok, detail, int((time.monotonic() - started) * 1000)))
    return results
