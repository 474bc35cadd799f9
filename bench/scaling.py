"""Throughput with 1, 2 and 4 uvicorn workers, and the regency dashboard with and without the
replica (docs/SCALING.md). Real HTTP against real server processes on this machine.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kinerja_scaling \\
    [BENCH_REPLICA_URL=postgres://postgres@127.0.0.1:5433/kinerja_scaling] \\
    .venv/bin/python bench/scaling.py [--workers 1 2 4] [--requests 3000] [--employees 1500]

The database is migrated and seeded with the demo when empty (`seed_demo --if-empty`). Each
configuration serves /healthz (the floor: one `SELECT 1`) and the regency dashboard
(/pantau/daerah/, the heaviest read, for the demo's Pimpinan Daerah) to the same asyncio load
generator (bench/public.py), 32 connections for /healthz and 16 for the dashboard, after a
warm-up. The load generator runs on the same two cores as the servers: the figures are this
machine's, not a cluster's. Results: bench/results/scaling-<database>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _server_class() -> Any:
    from bench._server import Server

    return Server


def _load_generator() -> tuple[Any, Any, Any]:
    """bench/public.py's asyncio HTTP load generator (that module needs Django set up)."""
    import django

    os.environ.update(_env(os.environ.get("BENCH_DATABASE_URL", "")))
    django.setup()
    from bench.public import _Connections, _http_request, _load

    return _Connections, _http_request, _load


def _env(database_url: str, replica_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "KINERJA_TESTING"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "DATABASE_REPLICA_URL": replica_url,
            "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "KINERJA_VAR_DIR": str(Path(os.environ.get("TMPDIR", "/tmp")) / "kinerja-scaling"),
        }
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    )
    return done.stdout


def _session_cookie(env: dict[str, str]) -> str:
    """A logged-in session of the demo's Pimpinan Daerah, made in the database directly."""
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from kinerja.organisation.choices import Role\n"
        "from kinerja.organisation.models import User\n"
        "user = User.objects.filter(role=Role.PIMPINAN, is_active=True).order_by('pk').first()\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(user.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'kinerja.organisation.auth.NipOrUsernameBackend'\n"
        "s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "s.create()\n"
        "print(s.session_key)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def _run(port: int, path: str, cookie: str, total: int, connections: int) -> dict[str, Any]:
    pool_class, http_request, load = _load_generator()
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    request = http_request("GET", path, port, headers)

    async def warm_then_measure() -> dict[str, Any]:
        pool = pool_class(port, connections)
        try:
            await load(pool, [request], max(connections * 5, total // 10), 30)  # warm-up
            return dict(await load(pool, [request], total, 120))
        finally:
            pool.close()

    result = asyncio.run(warm_then_measure())
    latencies = sorted(result["latencies_ms"])
    count = len(latencies)

    def pct(p: float) -> float:
        return round(latencies[min(count - 1, int(p * count))], 1) if count else 0.0

    return {
        "path": path,
        "connections": connections,
        "requests": count,
        "per_s": round(count / result["elapsed_s"], 1) if result["elapsed_s"] else 0.0,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else 0.0,
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "statuses": result["statuses"],
        "transport_errors": len(result["transport_errors"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--requests", type=int, default=3000, help="per /healthz phase")
    parser.add_argument("--employees", type=int, default=1500)
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("Set BENCH_DATABASE_URL to a PostgreSQL database (docs/SCALING.md).")
    replica_url = os.environ.get("BENCH_REPLICA_URL", "")
    # One key for every server of the run: the session made below must stay valid in each.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    env = _env(database_url)
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "seed_demo", "--if-empty", "--employees", str(args.employees))
    static = Path(env["KINERJA_VAR_DIR"]) / "static"
    env["STATIC_ROOT"] = str(static)
    _manage(env, "collectstatic", "--no-input", "-v", "0")
    cookie = _session_cookie(env)
    Server = _server_class()
    dashboard = "/pantau/daerah/"
    rows: list[dict[str, Any]] = []
    for workers in args.workers:
        server = Server(static.parent, workers=workers, env=env, name=f"scaling-{workers}")
        try:
            health = _run(server.port, "/healthz", "", args.requests, 32)
            board = _run(server.port, dashboard, cookie, args.requests // 10, 16)
        finally:
            server.stop()
        rows.append({"workers": workers, "replica": False, "healthz": health, "dashboard": board})
        print(json.dumps(rows[-1]), flush=True)
    if replica_url:
        workers = 2
        server = Server(
            static.parent,
            workers=workers,
            env={**_env(database_url, replica_url), "STATIC_ROOT": str(static)},
            name="scaling-replica",
        )
        try:
            board = _run(server.port, dashboard, cookie, args.requests // 10, 16)
        finally:
            server.stop()
        assert board["statuses"] == {"200": board["requests"]}, board  # not a login redirect
        rows.append({"workers": workers, "replica": True, "dashboard": board})
        print(json.dumps(rows[-1]), flush=True)
    out = ROOT / "bench" / "results" / "scaling-postgresql.json"
    out.write_text(
        json.dumps(
            {
                "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "employees": args.employees,
                "cpus": os.cpu_count(),
                "load_average": os.getloadavg(),
                "rows": rows,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
