"""Live-update benchmarks (kinerja.monitoring.hub), through real HTTP against uvicorn with two
worker processes on the bench database:

- what 1,000 idle open pages cost the server (CPU of the server's processes over a window in
  which nothing changes, in cores), and
- save-to-screen latency with 500 open boards: from the moment an employee's realisation-grid
  POST is sent to the moment the "team" event naming them arrives on each of 500 open Server-
  Sent Events streams of their supervisor's board.

Each runs on the database's own bus (the shared poll on SQLite, LISTEN/NOTIFY on PostgreSQL);
with BENCH_REDIS_URL set (e.g. redis://127.0.0.1:6379/5) the `_redis` variants run the same
with the server's REDIS_URL set (Redis pub/sub).
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import resource
import statistics
import time
from typing import Any

from django.db import connection

from kinerja.demo.organisation import DEMO_PASSWORD
from kinerja.organisation.models import User

from ._http import EventStream, Session, percentile
from ._server import Server
from .harness import Harness
from .monitoring import _live_subject, _performance_dataset
from .registry import Result, benchmark

EMPLOYEES = int(os.environ.get("BENCH_LIVE_EMPLOYEES", "10000"))  # smaller: a quick try
IDLE_STREAMS = int(os.environ.get("BENCH_LIVE_IDLE_STREAMS", "1000"))
IDLE_WINDOW_S = float(os.environ.get("BENCH_LIVE_IDLE_WINDOW_S", "30"))
LATENCY_STREAMS = int(os.environ.get("BENCH_LIVE_STREAMS", "500"))
LATENCY_SAVES = int(os.environ.get("BENCH_LIVE_SAVES", "30"))
EVENT_TIMEOUT_S = 5.0
STREAM_PATH = "/pantau/langsung/?tim=1&belum=0"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "").strip()
REVISION = re.compile(rb'name="revision-(\d+)" value="(\d*)"')


def _raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(needed, soft)), hard))


def _bus_env(redis: bool) -> tuple[dict[str, str], str]:
    if redis:
        return {"REDIS_URL": REDIS_URL, "MONITORING_LIVE_BACKEND": "redis"}, "redis"
    bus = "postgres" if connection.vendor == "postgresql" else "poll"
    return {"REDIS_URL": "", "MONITORING_LIVE_BACKEND": bus}, bus


async def _open_streams(port: int, cookie: str, count: int) -> list[EventStream]:
    streams = [EventStream(port, STREAM_PATH, cookie) for _ in range(count)]
    gate = asyncio.Semaphore(50)

    async def open_one(stream: EventStream) -> None:
        async with gate:
            await stream.open()

    await asyncio.gather(*(open_one(s) for s in streams))
    return streams


async def _idle(port: int, cookie: str, server: Server) -> dict[str, Any]:
    cpu_before_open = server.cpu_seconds()
    opened_at = time.monotonic()
    streams = await _open_streams(port, cookie, IDLE_STREAMS)
    open_s = time.monotonic() - opened_at
    await asyncio.sleep(5)  # every stream past its first query
    open_cpu = server.cpu_seconds() - cpu_before_open
    for s in streams:
        while not s.events.empty():
            s.events.get_nowait()
    before, started = server.cpu_seconds(), time.monotonic()
    await asyncio.sleep(IDLE_WINDOW_S)
    used, elapsed = server.cpu_seconds() - before, time.monotonic() - started
    alive = sum(1 for s in streams if s.task is not None and not s.task.done())
    events = sum(s.events.qsize() for s in streams)
    for s in streams:
        await s.close()
    return {
        "cores": used / elapsed,
        "cpu_s": round(used, 3),
        "window_s": round(elapsed, 1),
        "streams": IDLE_STREAMS,
        "streams_alive_at_end": alive,
        "events_while_idle": events,
        "open_s": round(open_s, 2),
        "open_cpu_s_per_stream_ms": round(open_cpu / IDLE_STREAMS * 1000, 2),
    }


def _idle_benchmark(h: Harness, redis: bool) -> Result:
    seeded = _performance_dataset(h, EMPLOYEES)
    supervisor, _plan, _indicators, _month = _live_subject()
    env, bus = _bus_env(redis)
    _raise_fd_limit(IDLE_STREAMS + 200)
    server = Server(h.config.workdir, workers=2, env=env, name=f"live-idle-{bus}")
    try:

        async def go() -> dict[str, Any]:
            session = Session(server.port)
            await session.login(supervisor.username, DEMO_PASSWORD)
            return await _idle(server.port, session.cookie_header(), server)

        data = asyncio.run(go())
    finally:
        server.stop()
    # A stream ends after MONITORING_STREAM_MAX_SECONDS (300 s) and the browser reconnects:
    # with 1,000 pages that is 3.3 reconnections a second, each costing what one opening did.
    reconnect_cores = data["open_cpu_s_per_stream_ms"] / 1000 * IDLE_STREAMS / 300
    data["steady_state_with_reconnects_cores"] = round(data["cores"] + reconnect_cores, 4)
    if data["streams_alive_at_end"] != IDLE_STREAMS:
        raise AssertionError(f"{data['streams_alive_at_end']} of {IDLE_STREAMS} streams alive")
    return Result(
        data["cores"],
        {**data, "bus": bus, "workers": 2, **seeded},
        note=f"{bus}: {data['cpu_s']} CPU s in {data['window_s']} s; with reconnections "
        f"every 300 s {data['steady_state_with_reconnects_cores']:.3f} cores",
    )


async def _latency(
    port: int, supervisor: User, owner: User, plan_id: int, month: int, employee_id: int
) -> dict[str, Any]:
    boss = Session(port)
    await boss.login(supervisor.username, DEMO_PASSWORD)
    streams = await _open_streams(port, boss.cookie_header(), LATENCY_STREAMS)
    await asyncio.sleep(3)
    for s in streams:
        while not s.events.empty():
            s.events.get_nowait()
    employee = Session(port)
    await employee.login(owner.username, DEMO_PASSWORD)
    grid = f"/skp/{plan_id}/realisasi/{month}/"
    latencies: list[float] = []
    last_stream: list[float] = []
    post_ms: list[float] = []
    missed = 0
    rng = random.Random(5)
    for i in range(LATENCY_SAVES):
        page = await employee.request("GET", grid)
        revisions = dict(REVISION.findall(page.body))
        form = {"csrfmiddlewaretoken": page.csrf()}
        for indicator_id, revision in revisions.items():
            form[f"value-{indicator_id.decode()}"] = str(100 + i)
            form[f"revision-{indicator_id.decode()}"] = revision.decode()
        started = time.monotonic()
        answer = await employee.request("POST", grid, form=form)
        if answer.status != 302:
            raise AssertionError(f"the save answered {answer.status}")
        post_ms.append(answer.ms)
        arrivals: list[float] = []

        async def arrival(stream: EventStream, started: float, arrivals: list[float]) -> None:
            nonlocal missed
            try:
                while True:
                    left = EVENT_TIMEOUT_S - (time.monotonic() - started)
                    at, event, data = await asyncio.wait_for(stream.events.get(), max(left, 0.01))
                    if event == "team" and str(employee_id) in data:
                        arrivals.append((at - started) * 1000)
                        return
            except TimeoutError:
                missed += 1

        await asyncio.gather(*(arrival(s, started, arrivals) for s in streams))
        latencies += arrivals
        if arrivals:
            last_stream.append(max(arrivals))
        await asyncio.sleep(rng.uniform(0.2, 0.6))  # saves at random moments of a poll cycle
    for s in streams:
        await s.close()
    return {
        "latencies": latencies,
        "last_stream_ms": last_stream,
        "post_ms": post_ms,
        "missed": missed,
    }


def _latency_benchmark(h: Harness, redis: bool) -> Result:
    seeded = _performance_dataset(h, EMPLOYEES)
    supervisor, plan, _indicators, month = _live_subject()
    owner = User.objects.get(employee=plan.employee)
    env, bus = _bus_env(redis)
    _raise_fd_limit(LATENCY_STREAMS + 200)
    server = Server(h.config.workdir, workers=2, env=env, name=f"live-latency-{bus}")
    try:
        data = asyncio.run(
            _latency(server.port, supervisor, owner, plan.pk, month, plan.employee_id)
        )
    finally:
        server.stop()
    # Like live_update_latency_ms: one plan's month changed, the dataset stays usable.
    latencies = data["latencies"]
    if not latencies:
        raise AssertionError("no live update arrived")
    median = statistics.median(latencies)
    return Result(
        median,
        {
            "p95_ms": round(percentile(latencies, 95), 1),
            "p99_ms": round(percentile(latencies, 99), 1),
            "max_ms": round(max(latencies), 1),
            "min_ms": round(min(latencies), 1),
            "last_stream_median_ms": round(statistics.median(data["last_stream_ms"]), 1),
            "save_post_median_ms": round(statistics.median(data["post_ms"]), 1),
            "events": len(latencies),
            "missed": data["missed"],
            "saves": LATENCY_SAVES,
            "streams": LATENCY_STREAMS,
            "bus": bus,
            "workers": 2,
            **seeded,
        },
        note=f"{bus}: p95 {percentile(latencies, 95):.0f} ms, save POST "
        f"{statistics.median(data['post_ms']):.0f} ms, {data['missed']} missed",
    )


@benchmark("live_idle_cpu_cores_1000", unit="cores", target=0.05)
def live_idle_cpu(h: Harness) -> Result:
    """CPU of the server's processes (uvicorn, 2 workers) while 1,000 supervisors' board
    streams stay open and nothing changes, over a 30 s window: the database's own bus (shared
    poll on SQLite, LISTEN/NOTIFY on PostgreSQL)."""
    return _idle_benchmark(h, redis=False)


@benchmark("live_save_to_screen_ms_500", unit="ms", target=250)
def live_save_to_screen(h: Harness) -> Result:
    """Median time from an employee's realisation-grid POST being sent to the "team" event
    naming them arriving on each of 500 open board streams of their supervisor (2 workers,
    30 saves at random moments; the database's own bus)."""
    return _latency_benchmark(h, redis=False)


if REDIS_URL:

    @benchmark("live_idle_cpu_cores_1000_redis", unit="cores", target=0.05)
    def live_idle_cpu_redis(h: Harness) -> Result:
        """live_idle_cpu_cores_1000 with the server on Redis pub/sub (BENCH_REDIS_URL)."""
        return _idle_benchmark(h, redis=True)

    @benchmark("live_save_to_screen_ms_500_redis", unit="ms", target=250)
    def live_save_to_screen_redis(h: Harness) -> Result:
        """live_save_to_screen_ms_500 with the server on Redis pub/sub (BENCH_REDIS_URL)."""
        return _latency_benchmark(h, redis=True)
