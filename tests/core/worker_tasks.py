"""Tasks the real-worker tests enqueue (importable by a `db_worker` started from the repo root)."""

from __future__ import annotations

from pathlib import Path

from django.db import OperationalError
from django_tasks import task


@task()
def touch(path: str) -> str:
    Path(path).write_text("ran")
    return "ran"


@task()
def fails() -> None:
    raise OperationalError("the task's own database error")
