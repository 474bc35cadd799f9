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

from kinerja.core.calendar import months_closed
from kinerja.monitoring import services as monitoring
from kinerja.monitoring.models import PersonFigures, UnitFigures
from kinerja.organisation.models import Employee, User
from kinerja.performance import services
from kinerja.performance.choices import IndicatorSource, PlanStatus
from kinerja.performance.models import Indicator, Plan, Realisation

from .harness import Harness
from .organisation import percentile
from .registry import Result, benchmark

TEAM_SIZE = 40
WARMUP = 10
REQUESTS = 200
COLD_REQUESTS = 30
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
    tags = {f"skp:{employees}:{h.seed}", f"assessment:{employees}:{h.seed}"}
    if h.dataset not in tags:
        h.demo(employees)
        from kinerja.performance import demo

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


def _synthetic_dataset(h: Harness, employees: int) -> dict[str, Any]:
    """The organisation demo at `employees` with a monitoring figure for every active employee,
    copied from a realistic template: the board reads only Employee and PersonFigures, so this
    is what it reads at regency scale (a year of realisations for 50,000 people would take the
    performance demo far longer to seed than the measurement itself)."""
    tag = f"monitoring-synthetic:{employees}:{h.seed}"
    if h.dataset == tag:
        return h.shared[tag]
    h.demo(employees)
    started = time.perf_counter()
    rng = random.Random(h.seed)
    year = timezone.localdate().year
    closed = months_closed(year)
    ids = list(Employee.objects.filter(is_active=True).values_list("pk", "supervisor_id"))
    indicator = {
        "id": 0,
        "n": "Jumlah layanan",
        "u": "layanan",
        "t": "1200",
        "p": "higher_is_better",
        "a": "sum",
        "mt": None,
    }
    rows = []
    for n, (pk, supervisor_id) in enumerate(ids, start=1):
        factor = rng.uniform(0.7, 1.2)
        values = {
            str(m): str(round(100 * factor * rng.uniform(0.8, 1.2))) for m in range(1, closed + 1)
        }
        stored = [{**indicator, "id": n * 3 + i, "v": values} for i in range(3)]
        trend = [round(100 * factor, 1) if m < closed else None for m in range(12)]
        capaian = Decimal(str(round(100 * factor, 2)))
        rows.append(
            PersonFigures(
                employee_id=pk,
                year=year,
                plan_id=n,
                plan_status=PlanStatus.APPROVED,
                assessor_id=supervisor_id,
                indicator_count=3,
                capaian=capaian,
                trend=trend,
                indicators=stored,
                months=[
                    [3, 3 if m < closed else 0, 3 if m < closed else 0, 300.0 * factor, 3]
                    for m in range(12)
                ],
                risk_basis=closed,
                at_risk=(risks := monitoring.indicator_risks(stored, closed)),
                is_at_risk=bool(risks),
                first_missing_month=max(closed, 1),
                last_realisation_at=timezone.now(),
                waiting_review=rng.randint(0, 4),
                late_entries=rng.randint(0, 2),
                feedback_count=rng.randint(0, 5),
            )
        )
    PersonFigures.objects.filter(year=year).delete()
    PersonFigures.objects.bulk_create(rows, batch_size=2000)
    monitoring.team_figures_rebuild(year=year)
    h.dataset = tag
    h.settle()
    h.shared[tag] = {
        "synthetic_figures_s": round(time.perf_counter() - started, 2),
        "person_figures": len(rows),
    }
    return h.shared[tag]


def _supervisor_with_team(size: int) -> tuple[User, int]:
    """The account of the employee whose reporting subtree is closest to `size` people."""
    below: dict[int, int] = {}
    for path in Employee.objects.filter(is_active=True).values_list("path", flat=True):
        for ancestor in path.strip("/").split("/")[:-1]:
            below[int(ancestor)] = below.get(int(ancestor), 0) + 1
    employee_id, count = min(below.items(), key=lambda item: (abs(item[1] - size), item[0]))
    return User.objects.get(employee_id=employee_id), count


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


def _team_board(h: Harness, employees: int, seeded: dict[str, Any]) -> Result:
    user, team = _supervisor_with_team(TEAM_SIZE)
    client = Client()
    client.force_login(user)
    measured = _measure_get(
        h, client, reverse("monitoring:team_board"), b"data-team-board", REQUESTS
    )
    return Result(
        measured["p95"],
        {
            **measured["extra"],
            "team": team,
            "employees": Employee.objects.count(),
            "person_figures_rows": PersonFigures.objects.count(),
            **seeded,
        },
        note=f"team of {team}, {measured['extra']['queries']} queries "
        f"({measured['extra']['sql_ms_one_request']:.1f} ms SQL)",
    )


@benchmark("team_board_p95_ms_10k", unit="ms", target=50)
def team_board_10k(h: Harness) -> Result:
    """Server time of GET /pantau/tim/ for a supervisor with about 40 people in their subtree,
    at 10,000 employees with a year of plans and realisations (figures rebuilt from them):
    p95 over 200 requests through Django's test Client, after a warm-up."""
    seeded = _performance_dataset(h, 10_000)
    return _team_board(h, 10_000, seeded)


def _top_supervisor() -> tuple[User, int]:
    """The account of the employee with the largest reporting subtree (the Sekda: everyone
    below the regent's office), created if the demo gave them none."""
    below: dict[int, int] = {}
    for path in Employee.objects.filter(is_active=True).values_list("path", flat=True):
        for ancestor in path.strip("/").split("/")[:-1]:
            below[int(ancestor)] = below.get(int(ancestor), 0) + 1
    employee_id, count = max(below.items(), key=lambda item: (item[1], -item[0]))
    user = User.objects.filter(employee_id=employee_id).first()
    if user is None:
        user = User.objects.create_user(
            username=f"bench-top-{employee_id}", employee_id=employee_id
        )
    return user, count


def _measure_cold(client: Client, url: str, marker: bytes, requests: int) -> list[float]:
    """Each request with an empty cache and a new database connection (what the first visitor
    after a restart, or after the cache expired, meets)."""
    from django.core.cache import cache
    from django.db import connections

    timings = []
    for _ in range(requests):
        cache.clear()
        connections.close_all()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200 or marker not in response.content:
            raise AssertionError(f"{url} answered {response.status_code}")
    return timings


def _top_board(h: Harness, seeded: dict[str, Any]) -> Result:
    user, team = _top_supervisor()
    client = Client()
    client.force_login(user)
    url = reverse("monitoring:team_board")
    cold = _measure_cold(client, url, b"data-team-board", COLD_REQUESTS)
    warm = _measure_get(h, client, url, b"data-team-board", REQUESTS)
    filtered = _measure_cold(client, url + "?saring=terlambat", b"data-team-board", COLD_REQUESTS)
    p95 = max(percentile(cold, 95), warm["p95"], percentile(filtered, 95))
    return Result(
        p95,
        {
            "cold_p95_ms": round(percentile(cold, 95), 2),
            "cold_median_ms": round(statistics.median(cold), 2),
            "warm_p95_ms": round(warm["p95"], 2),
            "filtered_cold_p95_ms": round(percentile(filtered, 95), 2),
            **warm["extra"],
            "cold_requests": COLD_REQUESTS,
            "team": team,
            "employees": Employee.objects.count(),
            **seeded,
        },
        note=f"top supervisor, team of {team}: cold p95 {percentile(cold, 95):.0f} ms, warm "
        f"p95 {warm['p95']:.0f} ms, filtered cold p95 {percentile(filtered, 95):.0f} ms "
        "(the worst of the three is the figure)",
    )


@benchmark("team_board_top_p95_ms_10k", unit="ms", target=50)
def team_board_top_10k(h: Harness) -> Result:
    """GET /pantau/tim/ for the regency's top supervisor (the largest reporting subtree, about
    every employee) at 10,000 employees with a year of plans and realisations: cold (empty
    cache, new connection) and warm p95, and the "Terlambat" filter cold; the worst counts."""
    seeded = _performance_dataset(h, 10_000)
    return _top_board(h, seeded)


@benchmark("team_board_top_p95_ms_50k", unit="ms", target=50)
def team_board_top_50k(h: Harness) -> Result:
    """The top supervisor's board at 50,000 employees (synthetic figures for everyone)."""
    seeded = _synthetic_dataset(h, 50_000)
    return _top_board(h, seeded)


@benchmark("regency_dashboard_p95_ms_10k", unit="ms", target=300)
def regency_dashboard_10k(h: Harness) -> Result:
    """Server time of GET /pantau/daerah/ (every OPD: capaian, approved plans, on-time entries,
    heatmap, IKM and complaints) for Pimpinan Daerah at 10,000 employees: p95 over 100
    requests after a warm-up."""
    seeded = _performance_dataset(h, 10_000)
    client = Client()
    client.force_login(User.objects.get(username="pimpinan"))
    measured = _measure_get(
        h,
        client,
        reverse("monitoring:regency_dashboard"),
        b"Peta capaian bulanan",
        DASHBOARD_REQUESTS,
    )
    return Result(
        measured["p95"],
        {
            **measured["extra"],
            "units": UnitFigures.objects.count(),
            "employees": Employee.objects.count(),
            **seeded,
        },
        note=f"{measured['extra']['queries']} queries",
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


@benchmark("team_board_p95_ms_50k", unit="ms", target=50)
def team_board_50k(h: Harness) -> Result:
    """The same board at 50,000 employees, each with a monitoring figure (copied from a
    template: the board reads only employees and figures): it must not grow with the regency."""
    seeded = _synthetic_dataset(h, 50_000)
    return _team_board(h, 50_000, seeded)
