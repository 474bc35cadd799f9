"""The task queue's recovery and health (issue 15, item 8): a task left RUNNING by a dead worker
is marked failed, idempotent failures are queued again with backoff and a limit, anything else
is left alone; BKPSDM sees the queue on the scheduled-jobs page."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from kinerja.core import taskqueue
from tests.conftest import Org, client_for

PRUNE = "kinerja.monitoring.tasks.prune_changes"


@pytest.fixture(autouse=True)
def database_backend(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def task_row(path: str, status: str, *, minutes_ago: int, args: list[int] | None = None):  # type: ignore[no-untyped-def]
    at = timezone.now() - timedelta(minutes=minutes_ago)
    row = DBTaskResult.objects.create(
        task_path=path,
        args_kwargs={"args": args or [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after=get_date_max(),
        status=status,
        worker_ids=["w1"],
        exception_class_path="",
        traceback="",
    )
    DBTaskResult.objects.filter(pk=row.pk).update(
        enqueued_at=at, started_at=at, finished_at=at if status == "FAILED" else None
    )
    return row


@pytest.mark.django_db
def test_a_task_of_a_dead_worker_is_marked_failed_then_retried() -> None:
    row = task_row(PRUNE, TaskResultStatus.RUNNING, minutes_ago=45)
    fresh = task_row(PRUNE, TaskResultStatus.RUNNING, minutes_ago=5, args=[1])
    with mock.patch("django_tasks.base.Task.enqueue") as enqueue:
        done = taskqueue.recover()
    row.refresh_from_db()
    fresh.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == taskqueue.WORKER_LOST and "w1" in row.traceback
    assert fresh.status == TaskResultStatus.RUNNING  # still within TASKS_STALE_MINUTES
    assert (done.lost, done.retried) == (1, 1)
    enqueue.assert_called_once_with()


@pytest.mark.django_db
def test_retries_stop_at_the_limit_and_only_listed_tasks_are_retried(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS_MAX_ATTEMPTS = 2
    for minutes in (30, 20):
        task_row(PRUNE, TaskResultStatus.FAILED, minutes_ago=minutes)
    task_row("kinerja.somewhere.not_idempotent", TaskResultStatus.FAILED, minutes_ago=10)
    with mock.patch("django_tasks.base.Task.enqueue") as enqueue:
        done = taskqueue.recover()
    assert (done.retried, done.given_up) == (0, 1)
    enqueue.assert_not_called()


@pytest.mark.django_db
def test_a_failure_followed_by_a_success_is_not_retried() -> None:
    task_row(PRUNE, TaskResultStatus.FAILED, minutes_ago=30)
    task_row(PRUNE, TaskResultStatus.SUCCESSFUL, minutes_ago=10)
    assert taskqueue.recover().retried == 0


def test_bkpsdm_sees_the_queue_on_the_jobs_page(org: Org) -> None:
    task_row(PRUNE, TaskResultStatus.FAILED, minutes_ago=5)
    page = client_for(org, "bkpsdm").get("/adopsi/jadwal/").content.decode()
    assert "Antrean tugas latar belakang" in page and "prune_changes: 1" in page
