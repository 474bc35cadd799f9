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


def test_a_direct_postgresql_connection_is_pooled_in_each_process() -> None:
    """psycopg_pool through Django's OPTIONS["pool"] (it requires CONN_MAX_AGE = 0: closing a
    connection gives it back to the pool), sized from the environment; not for SQLite, not
    behind pgbouncer (which pools instead), off when DB_POOL_MAX_SIZE=0."""
    direct = settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/kinerja", ASGI_THREADS="3"
    )["default"]
    pool = direct["OPTIONS"]["pool"]  # type: ignore[index]
    assert direct["CONN_MAX_AGE"] == 0
    assert pool["min_size"] == 3 and pool["max_size"] >= 3 + 1 + 4 and pool["timeout"] > 0
    assert "statement_timeout" in direct["OPTIONS"]["options"]  # type: ignore[index]
    sized = settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/kinerja",
        DB_POOL_MAX_SIZE="6",
        DB_POOL_MIN_SIZE="9",
        DB_POOL_TIMEOUT="3",
    )["default"]["OPTIONS"]
    assert sized["pool"] == {"min_size": 6, "max_size": 6, "timeout": 3}  # type: ignore[index]
    off = settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/kinerja", DB_POOL_MAX_SIZE="0"
    )["default"]
    assert "pool" not in off["OPTIONS"] and off["CONN_MAX_AGE"] == 300  # type: ignore[operator]
    bounced = settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1:6432/kinerja", DB_POOLER="transaction"
    )["default"]
    assert "pool" not in bounced["OPTIONS"]  # type: ignore[operator]
    assert "pool" not in (settings_with()["default"]["OPTIONS"] or {})  # type: ignore[operator]
    replica = settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/kinerja",
        DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:5433/kinerja",
    )["replica"]
    assert replica["CONN_MAX_AGE"] == 0 and "pool" in replica["OPTIONS"]  # type: ignore[operator]


def test_tests_connect_without_a_pool(settings) -> None:  # type: ignore[no-untyped-def]
    """Tests open and close a connection per test as Django expects (unless DB_POOL_MAX_SIZE
    is set for the run)."""
    if "DB_POOL_MAX_SIZE" not in os.environ:
        assert "pool" not in settings.DATABASES["default"].get("OPTIONS", {})


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL only (DATABASE_URL)",
)
def test_a_pooled_connection_closed_by_django_is_reused() -> None:
    """In a real process against the server: `connections.close_all()` (what the end of each
    request does with CONN_MAX_AGE = 0) gives the connection back to the pool, and the next
    query takes the same server backend instead of opening a new one."""
    from urllib.parse import urlsplit, urlunsplit

    server = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres"))
    done = run(
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; import django; "
        "django.setup(); from django.db import connection, connections\n"
        "def pid():\n"
        "    with connection.cursor() as c:\n"
        "        c.execute('SELECT pg_backend_pid()'); return c.fetchone()[0]\n"
        "first = pid(); connections.close_all(); second = pid(); connections.close_all()\n"
        "print(first == second, connection.pool is not None)",
        DATABASE_URL=server,
        DB_POOL_MAX_SIZE="1",
        DB_POOL_MIN_SIZE="1",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


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
