"""Past one machine (issue 16, item 7): the settings that let several app servers share a
pooled PostgreSQL, a replica and a Redis task queue — checked in real processes, since settings
are read at start-up. The replica router itself: tests/core/test_replica.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB_URL = "redis://127.0.0.1:6379/8"  # a database of its own: flushed by these tests


def _plain(env: dict[str, str]) -> dict[str, str]:
    """These processes read no date: they run on the real clock, whatever the suite's (the
    frozen-clock site hook would make them look like tests, with the immediate task backend)."""
    return {k: v for k, v in env.items() if k not in {"KINERJA_TESTING", "KINERJA_TEST_NOW"}}


def run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"KINERJA_TESTING", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_plain({**base, "DEBUG": "1", **env}),
        capture_output=True,
        text=True,
        timeout=300,
    )


SHOW_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({a: {k: d.get(k) for k in ('PORT', 'CONN_MAX_AGE', "
    "'DISABLE_SERVER_SIDE_CURSORS', 'OPTIONS', 'TEST')} for a, d in settings.DATABASES.items()}))"
)


def settings_with(**env: str) -> dict[str, dict[str, object]]:
    done = run(
        f"import os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; {SHOW_SETTINGS}", **env
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_behind_pgbouncer_in_transaction_mode_no_state_outlives_a_transaction() -> None:
    databases = settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1:6432/kinerja", DB_POOLER="transaction"
    )
    default = databases["default"]
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert default["CONN_MAX_AGE"] == 0
    assert "options" not in default["OPTIONS"]  # pgbouncer refuses that startup parameter
    direct = settings_with(DATABASE_URL="postgres://postgres@127.0.0.1:5432/kinerja")["default"]
    assert "statement_timeout" in direct["OPTIONS"]["options"]
    assert not direct.get("DISABLE_SERVER_SIDE_CURSORS")


def test_a_replica_url_adds_a_mirrored_replica_alias() -> None:
    databases = settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/kinerja",
        DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:5433/kinerja",
    )
    assert databases["replica"]["PORT"] == 5433
    assert databases["replica"]["TEST"]["MIRROR"] == "default"  # type: ignore[index]
    assert "statement_timeout" in databases["replica"]["OPTIONS"]["options"]
    assert "replica" not in settings_with()  # SQLite, no replica: one database


def test_the_redis_task_queue_needs_redis() -> None:
    done = run(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup()",
        TASKS_BACKEND="django_tasks_rq.RQBackend",
        REDIS_URL="",
    )
    assert done.returncode != 0
    assert "needs REDIS_URL" in done.stderr


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_DB_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.mark.skipif(not _redis_up(), reason="needs Redis at 127.0.0.1:6379")
def test_tasks_run_on_an_rq_worker_through_redis(tmp_path: Path) -> None:
    """Enqueued by one process, run by `rqworker` in another, result read by a third."""
    import redis

    redis.Redis.from_url(REDIS_DB_URL).flushdb()
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "REDIS_URL": REDIS_DB_URL,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=_plain({**os.environ, "DEBUG": "1", **env}),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    marker = uuid.uuid4().hex
    enqueued = run(
        "import django; django.setup(); "
        "from kinerja.monitoring.tasks import prune_changes; "
        "print(prune_changes.enqueue().id)",
        **env,
    )
    assert enqueued.returncode == 0, enqueued.stderr
    result_id = enqueued.stdout.strip().splitlines()[-1]
    worker = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "rqworker",
            "--burst",
            "--job-class",
            "django_tasks_rq.Job",
            "--name",
            f"test-{marker}",
            "default",
        ],
        cwd=ROOT,
        env=_plain({**os.environ, "DEBUG": "1", **env}),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert worker.returncode == 0, worker.stderr
    status = run(
        "import django; django.setup(); "
        "from django_tasks import default_task_backend as b; "
        f"r = b.get_result({result_id!r}); print(r.status, r.return_value)",
        **env,
    )
    assert status.returncode == 0, status.stderr
    assert status.stdout.strip().splitlines()[-1] == "SUCCESSFUL 0"
