"""The queue's health lists each background worker and when it last answered (issue 15.8): a
worker silent for three heartbeat intervals is shown as not answering, to BKPSDM on the
scheduled-jobs page and in /readyz. The worker writing its heartbeat: tests/core/test_db_worker.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse

from kinerja.core import readiness, taskqueue
from kinerja.core.models import WorkerHeartbeat
from tests.conftest import Org, client_for

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-11-20T10:00:00+07:00")


def beat(worker_id: str, seconds_ago: int, tasks: int = 0) -> None:
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname="app-1",
        pid=4000 + len(worker_id),
        started_at=NOW - timedelta(hours=1),
        last_seen_at=NOW - timedelta(seconds=seconds_ago),
        tasks_run=tasks,
    )


def test_a_worker_silent_for_three_intervals_is_not_answering(settings: Any) -> None:
    settings.TASKS_HEARTBEAT_SECONDS = 30
    beat("alive", 20, tasks=7)
    beat("hung", 91)
    seen = {w.worker_id: w for w in taskqueue.workers_seen(NOW)}
    assert seen["alive"].silent is False and seen["alive"].last_seen_seconds == 20
    assert seen["alive"].tasks_run == 7
    assert seen["hung"].silent is True and seen["hung"].last_seen_seconds == 91
    health = taskqueue.Health(workers=list(seen.values()))
    assert health.workers_alive == 1


def test_bkpsdm_sees_each_worker_on_the_scheduled_jobs_page(org: Org, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    now = datetime.now().astimezone()
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="app-1", pid=4242, started_at=now, last_seen_at=now, tasks_run=3
    )
    WorkerHeartbeat.objects.create(
        worker_id="w2",
        hostname="app-2",
        pid=4343,
        started_at=now,
        last_seen_at=now - timedelta(minutes=10),
    )
    page = client_for(org, "bkpsdm").get(reverse("adoption:jobs")).content.decode()
    assert "app-1 (PID 4242): aktif" in page
    assert "app-2 (PID 4343):" in page and "tidak menjawab" in page


def test_readiness_reports_the_live_workers(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    now = datetime.now().astimezone()
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="app-1", pid=1, started_at=now, last_seen_at=now
    )
    assert "1 pekerja aktif" in readiness.check_tasks()
