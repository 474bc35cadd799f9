"""`manage.py db_worker` survives a locked database (issue 15, item 8).

A real worker process runs against a SQLite file while another process holds SQLite's write
lock well past the worker's busy timeout (SQLITE_BUSY_TIMEOUT_MS, short here): the worker meets
"database is locked", logs it, backs off and stays alive; once the lock is released it runs the
next task. A task's own database error is still recorded as that task's failure.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kinerja.core.management.commands.db_worker import Backoff

ROOT = Path(__file__).resolve().parents[2]


def test_the_backoff_doubles_from_half_a_second_to_at_most_ten() -> None:
    backoff = Backoff()
    assert [backoff.next() for _ in range(7)] == [0.5, 1, 2, 4, 8, 10, 10]
    backoff.reset()
    assert backoff.next() == 0.5


def test_the_project_worker_replaces_the_upstream_command() -> None:
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "kinerja.core"


@pytest.fixture
def site(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "TASKS_BACKEND", "REDIS_URL", "KINERJA_TESTING"}
        and not k.startswith("PYTEST")
    }
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        SQLITE_BUSY_TIMEOUT_MS="300",
        PYTHONPATH=str(ROOT),
    )
    manage(env, "migrate", "--noinput", "-v", "0")
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def enqueue(env: dict[str, str], call: str) -> str:
    out = manage(env, "shell", "-c", f"from tests.core import worker_tasks as t; print({call}.id)")
    return out.strip().splitlines()[-1]


def wait_for_status(db: str, task_id: str, timeout: float = 30) -> tuple[str, str]:
    deadline = time.monotonic() + timeout
    row: tuple[str, str] = ("", "")
    while time.monotonic() < deadline:
        with sqlite3.connect(db, timeout=5) as conn:
            found = conn.execute(
                "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult "
                "WHERE id IN (?, ?)",
                (task_id, task_id.replace("-", "")),
            ).fetchone()
        row = found or row
        if row[0] in ("SUCCESSFUL", "FAILED"):
            return row
        time.sleep(0.2)
    return row


def _heartbeats(db: str) -> int:
    with sqlite3.connect(db, timeout=5) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM core_workerheartbeat").fetchone()[0])


def test_the_worker_survives_a_lock_held_past_its_busy_timeout(
    site: dict[str, str], tmp_path: Path
) -> None:
    db = site["DATABASE_URL"].removeprefix("sqlite:///")
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0.1",
        ],
        cwd=ROOT,
        env=site,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # Started and polling: its first heartbeat is written just before the polling loop.
        # (A fixed pause of 3 s was too short for a slow machine: the worker then wrote that
        # heartbeat only as the lock below ended, and never met the lock while polling.)
        deadline = time.monotonic() + 60
        while not _heartbeats(db):
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.1)
        holder = sqlite3.connect(db, timeout=5, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        time.sleep(4)  # > 10 × the 300 ms busy timeout: every claim meets "database is locked"
        holder.execute("COMMIT")
        holder.close()
        text = (tmp_path / "worker.log").read_text()
        assert worker.poll() is None, text[-3000:]
        assert "database is locked" in text and "retrying in" in text, text[-3000:]

        marker = tmp_path / "ran.txt"
        task_id = enqueue(site, f"t.touch.enqueue({str(marker)!r})")
        assert wait_for_status(db, task_id) == ("SUCCESSFUL", "")
        assert marker.read_text() == "ran"

        # A task's own database error is the task's failure, not the worker's end.
        failing = enqueue(site, "t.fails.enqueue()")
        assert wait_for_status(db, failing) == ("FAILED", "django.db.utils.OperationalError")
        assert worker.poll() is None

        # Its heartbeat: one row for this process, which a clean stop removes.
        with sqlite3.connect(db, timeout=5) as conn:
            beats = conn.execute("SELECT pid, tasks_run FROM core_workerheartbeat").fetchall()
        assert [pid for pid, _n in beats] == [worker.pid]
        worker.terminate()
        worker.wait(timeout=30)
        with sqlite3.connect(db, timeout=5) as conn:
            assert conn.execute("SELECT COUNT(*) FROM core_workerheartbeat").fetchone()[0] == 0
    finally:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
        log.close()


def test_the_upstream_options_still_work(site: dict[str, str], tmp_path: Path) -> None:
    """--batch runs what is queued and exits (as django-tasks-db's own command does)."""
    marker = tmp_path / "batch.txt"
    task_id = enqueue(site, f"t.touch.enqueue({str(marker)!r})")
    manage(site, "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--queue-name", "*")
    db = site["DATABASE_URL"].removeprefix("sqlite:///")
    assert wait_for_status(db, task_id, timeout=1) == ("SUCCESSFUL", "")
    assert marker.read_text() == "ran"
