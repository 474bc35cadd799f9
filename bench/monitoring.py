"""Monitoring benchmarks: the supervisor's team board at 10,000 and 50,000 employees (it must
not grow with the regency), the regency dashboard at 10,000, and the latency of a live update
from a saved realisation to an open board's Server-Sent Events stream served by TWO uvicorn
worker processes."""

from __future__ import annotations

import http.client
import json
import os
import queue
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.monitoring import services as monitoring
from kinerja.monitoring.models import PersonFigures, UnitFigures
from kinerja.organisation.models import Employee, User
from kinerja.performance import services
from kinerja.performance.choices import IndicatorSource, PlanStatus
from kinerja.performance.models import Indicator, Plan, Realisation

from . import pages
from .harness import Harness
from .organisation import percentile
from .registry import Result, benchmark

TEAM_SIZE = 40
WARMUP = 10
REQUESTS = 200
DASHBOARD_REQUESTS = 100
LIVE_SAVES = 50
LIVE_TIMEOUT_S = 5.0
# Benchmarks run in definition order: the 10k ones first, then the 50k one (which replaces the
# database; a later module that needs the 10k data seeds it again).
ROOT = Path(__file__).resolve().parent.parent


# --- Datasets -----------------------------------------------------------------------------------


def _performance_dataset(h: Harness, employees: int) -> dict[str, Any]:
    """The demo at `employees` with a year of plans and realisations (the performance and
    assessment benchmarks' datasets hold it too and are reused), and the monitoring figures
    rebuilt from it (timed, reported as monitoring_rebuild_s)."""
    tags = {
        f"skp:{employees}:{h.seed}",
        f"assessment:{employees}:{h.seed}",
        f"full:{employees}:{h.seed}",  # seed_demo: plans, realisations and figures all there
    }
    if h.dataset not in tags:
        h.demo(employees)
        from kinerja.demo import performance as demo

        print(f"  (seeding a year of plans and realisations for {employees}…)", flush=True)
        demo.seed(seed=h.seed, options={})
        h.dataset = f"skp:{employees}:{h.seed}"
        h.settle()
    key = f"monitoring:{h.dataset}"
    if key not in h.shared:
        started = time.perf_counter()
        result = monitoring.figures_rebuild()
        h.settle()
        h.shared[key] = {
            "monitoring_rebuild_s": round(time.perf_counter() - started, 2),
            "person_figures": result.people,
            "unit_figures": result.units,
        }
    return h.shared[key]


def _summary(timings: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(timings), 2),
        "mean_ms": round(statistics.fmean(timings), 2),
        "min_ms": round(min(timings), 2),
        "max_ms": round(max(timings), 2),
    }


def _measure_get(
    h: Harness, client: Client, url: str, marker: bytes, requests: int
) -> dict[str, Any]:
    def get() -> Any:
        response = client.get(url)
        if response.status_code != 200 or marker not in response.content:
            raise AssertionError(f"{url} answered {response.status_code}")
        return response

    for _ in range(WARMUP):
        get()
    with CaptureQueriesContext(connection) as captured:
        get()
    queries = list(captured.captured_queries)
    if any("performance_realisation" in q["sql"] for q in queries):
        raise AssertionError(f"{url} read the realisation table")
    timings = []
    for _ in range(requests):
        with h.measure() as timer:
            get()
        timings.append(timer.ms)
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    return {
        "p95": percentile(timings, 95),
        "extra": {
            **_summary(timings),
            "requests": requests,
            "warmup": WARMUP,
            "queries": len(queries),
            "sql_ms_one_request": round(sql_ms, 2),
        },
    }


BOARD = b"data-team-board"
BOARD_FILTERS = ("risiko", "menunggu", "terlambat")


def board_figures(h: Harness, user: User, team: int) -> Result:
    """GET /pantau/tim/ for `user`: the board cold and warm, and each filter cold (the filters
    of a large board page through the database, so a cold filter is the slowest case); the
    worst p95 is the figure."""
    client = Client()
    client.force_login(user)
    url = reverse("monitoring:team_board")
    board = pages.cold_warm(h, client, url, BOARD, forbid_table="performance_realisation")
    filters = {}
    for name in BOARD_FILTERS:
        measured = pages.cold_warm(h, client, f"{url}?saring={name}", BOARD, warm=False)
        filters[name] = measured["cold_p95_ms"]
    worst = max(board["value"], *filters.values())
    shown = ", ".join(f"{n} {v:.0f}" for n, v in filters.items())
    return Result(
        worst,
        {
            **{k: v for k, v in board.items() if k != "value"},
            **{f"filter_{n}_cold_p95_ms": v for n, v in filters.items()},
            "team": team,
            "employees": Employee.objects.count(),
            "person_figures_rows": PersonFigures.objects.count(),
        },
        note=f"team of {team}: cold {board['cold_p95_ms']:.0f}, warm "
        f"{board['warm_p95_ms']:.0f} ms, {board['queries']} queries; filters cold {shown} ms"
        + (
            f"; cold with a new connection {fresh:.0f} ms"
            if (fresh := board.get("cold_new_connection_p95_ms")) is not None
            else ""
        ),
    )


@benchmark("team_board_p95_ms_10k", unit="ms", target=50)
def team_board_10k(h: Harness) -> Result:
    """GET /pantau/tim/ for the supervisor whose subtree is closest to 40 people, at 10,000
    employees with a year of plans and realisations: cold and warm p95, each filter cold."""
    seeded = _performance_dataset(h, 10_000)
    result = board_figures(h, *pages.team_of_about(TEAM_SIZE))
    result.extra.update(seeded)
    return result


@benchmark("team_board_opd_p95_ms_10k", unit="ms", target=50)
def team_board_opd_10k(h: Harness) -> Result:
    """The same for the head of the largest OPD (about 1,400 people at 10,000 employees)."""
    seeded = _performance_dataset(h, 10_000)
    result = board_figures(h, *pages.largest_opd_head())
    result.extra.update(seeded)
    return result


@benchmark("team_board_top_p95_ms_10k", unit="ms", target=50)
def team_board_top_10k(h: Harness) -> Result:
    """The same for the regency's top supervisor (the Sekda, everyone below the regent's
    office)."""
    seeded = _performance_dataset(h, 10_000)
    result = board_figures(h, *pages.top_supervisor())
    result.extra.update(seeded)
    return result


@benchmark("regency_dashboard_p95_ms_10k", unit="ms", target=300)
def regency_dashboard_10k(h: Harness) -> Result:
    """Server time of GET /pantau/daerah/ (every OPD: capaian, approved plans, on-time entries,
    heatmap, IKM and complaints) for Pimpinan Daerah at 10,000 employees: p95 over 100
    requests after a warm-up; cold and warm, the worse counts."""
    seeded = _performance_dataset(h, 10_000)
    result = regency_dashboard_figures(h)
    result.extra.update(seeded)
    return result


def regency_dashboard_figures(h: Harness) -> Result:
    """The regency dashboard's figures on the database as it is (bench/scale.py at 100,000)."""
    client = Client()
    client.force_login(User.objects.get(username="pimpinan"))
    measured = pages.cold_warm(
        h,
        client,
        reverse("monitoring:regency_dashboard"),
        b"Peta capaian bulanan",
        forbid_table="performance_realisation",
    )
    return Result(
        measured.pop("value"),
        {
            **measured,
            "units": UnitFigures.objects.count(),
            "employees": Employee.objects.count(),
        },
        note=f"cold {measured['cold_p95_ms']:.0f}, warm {measured['warm_p95_ms']:.0f} ms, "
        f"{measured['queries']} queries",
    )


# --- Live updates -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SseClient(threading.Thread):
    """Reads a stream's events and puts (monotonic time, event, data) on a queue."""

    def __init__(self, port: int, path: str, cookie: str) -> None:
        super().__init__(daemon=True)
        self.port, self.path, self.cookie = port, path, cookie
        self.events: queue.Queue[tuple[float, str, Any]] = queue.Queue()
        self.connected = threading.Event()
        self.stop = False

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request(
            "GET", self.path, headers={"Cookie": self.cookie, "Accept": "text/event-stream"}
        )
        response = conn.getresponse()
        if response.status != 200:
            self.events.put((time.monotonic(), "error", response.status))
            return
        self.connected.set()
        event, data = "", ""
        while not self.stop:
            line = response.readline()
            if not line:
                break
            text = line.decode().rstrip("\n")
            if text.startswith("event: "):
                event = text[7:]
            elif text.startswith("data: "):
                data = text[6:]
            elif text == "" and event:
                self.events.put((time.monotonic(), event, json.loads(data)))
                event, data = "", ""
        conn.close()


def _live_subject() -> tuple[User, Plan, list[Indicator], int]:
    """A supervisor, and one of their reports' approved plans with manual indicators whose
    current month is open for entries."""
    year = timezone.localdate().year
    month = timezone.localdate().month
    reviewed = Realisation.objects.filter(month=month, reviewed_at__isnull=False).values(
        "indicator__rhk__plan_id"
    )
    plan = (
        Plan.objects.filter(
            year=year,
            status=PlanStatus.APPROVED,
            employee__supervisor__user__isnull=False,
            employee__user__isnull=False,
        )
        .exclude(pk__in=reviewed)
        .select_related("employee", "employee__supervisor")
        .order_by("pk")
        .first()
    )
    if plan is None:
        raise AssertionError("no approved plan with an open current month")
    indicators = list(
        Indicator.objects.filter(rhk__plan=plan, source=IndicatorSource.MANUAL).select_related(
            "rhk"
        )
    )
    return User.objects.get(employee=plan.employee.supervisor), plan, indicators, month


@benchmark("live_update_latency_ms", unit="ms", target=1000)
def live_update_latency(h: Harness) -> Result:
    """From a realisation saved (realisation_save_month, committed, subscriber run) to the
    "team" event naming the employee on a supervisor's open board stream, served by uvicorn with
    two worker processes on the same database: median over 50 saves (two streams open, so both
    workers usually serve one; the value is the median over every event received)."""
    seeded = _performance_dataset(h, 10_000)
    supervisor, plan, indicators, month = _live_subject()
    owner = User.objects.get(employee=plan.employee)
    client = Client()
    client.force_login(supervisor)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    port = _free_port()
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING"}
    log = open(Path(h.config.workdir) / "uvicorn-live.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("uvicorn")),
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--no-access-log",
            "--timeout-graceful-shutdown",
            "3",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    streams: list[SseClient] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("uvicorn did not start") from None
                time.sleep(0.3)
        for _ in range(2):
            stream = SseClient(port, "/pantau/langsung/?tim=1&belum=0", cookie)
            stream.start()
            if not stream.connected.wait(10):
                raise AssertionError("the stream did not open")
            streams.append(stream)
        time.sleep(1.5)  # both streams past their first poll
        for stream in streams:
            while not stream.events.empty():
                stream.events.get_nowait()
        latencies: list[float] = []
        missed = 0
        for i in range(LIVE_SAVES):
            revisions = dict(
                Realisation.objects.filter(indicator__in=indicators, month=month).values_list(
                    "indicator_id", "revision"
                )
            )
            rows = [
                services.RealisationInput(
                    indicator, Decimal(100 + i + n), revision=revisions.get(indicator.pk)
                )
                for n, indicator in enumerate(indicators)
            ]
            started = time.monotonic()
            services.realisation_save_month(plan=plan, month=month, by=owner, rows=rows)
            for stream in streams:
                try:
                    while True:
                        at, event, data = stream.events.get(
                            timeout=max(LIVE_TIMEOUT_S - (time.monotonic() - started), 0.01)
                        )
                        if event == "team" and plan.employee_id in data.get("employees", []):
                            latencies.append((at - started) * 1000)
                            break
                except queue.Empty:
                    missed += 1
            time.sleep(random.uniform(0.05, 0.4))  # saves at random moments of the poll cycle
    finally:
        for stream in streams:
            stream.stop = True
        os.killpg(server.pid, signal.SIGTERM)  # the server and the two workers started here
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    if not latencies:
        raise AssertionError("no live update arrived")
    return Result(
        statistics.median(latencies),
        {
            "p95_ms": round(percentile(latencies, 95), 1),
            "max_ms": round(max(latencies), 1),
            "min_ms": round(min(latencies), 1),
            "events": len(latencies),
            "missed": missed,
            "saves": LIVE_SAVES,
            "streams": len(streams),
            "workers": 2,
            "poll_interval_s": 1.0,
            **seeded,
        },
        note=f"p95 {percentile(latencies, 95):.0f} ms, {missed} missed",
    )
