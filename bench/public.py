"""Community participation benchmarks: kiosk survey submissions under load on a real uvicorn
server with two workers (compared with /healthz on the same server), and the IKM of one service
over a year of 200,000 questionnaires in a table of 1,000,000.

The load generator is this module run as a separate process (`python -m bench.public loadgen
…`): asyncio, HTTP/1.1 keep-alive, a fixed number of connections, bounded in requests and time,
and only ever to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = 32
ROUNDS = 3  # health and submit phases alternate, so that a slow spell hits both
HEALTH_REQUESTS = 1500  # per round
SUBMIT_REQUESTS = 1500  # per round
PHASE_MAX_S = 40.0
IKM_RESPONSES = 1_000_000
IKM_SERVICE_RESPONSES = 200_000
IKM_REPEATS = 50


# --- Load generator (separate process, standard library only) ---------------------------------


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response (Content-Length or chunked); returns (status, keep-alive)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, headers.get("connection", "").lower() != "close"


class _Connections:
    """The load generator's keep-alive connections, opened once and kept for every phase, so
    that /healthz and the submissions travel over the very same connections (and so reach the
    server's workers in the same proportions). A connection the server closes is reopened in
    its slot."""

    def __init__(self, port: int, count: int) -> None:
        self.port = port
        self.slots: list[tuple[asyncio.StreamReader, asyncio.StreamWriter] | None] = [None] * count

    async def get(self, n: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        slot = self.slots[n]
        if slot is None:
            slot = self.slots[n] = await asyncio.open_connection("127.0.0.1", self.port)
        return slot

    def drop(self, n: int) -> None:
        slot = self.slots[n]
        if slot is not None:
            slot[1].close()
        self.slots[n] = None

    def close(self) -> None:
        for n in range(len(self.slots)):
            self.drop(n)


async def _load(
    pool: _Connections, requests: list[bytes], total: int, max_s: float
) -> dict[str, Any]:
    """One phase: `total` requests (cycling through `requests`) over every connection of the
    pool at once, bounded to `max_s` seconds."""
    left = [total]
    results: list[tuple[int, float]] = []
    errors: list[str] = []
    deadline = time.monotonic() + max_s
    connections = len(pool.slots)

    async def worker(n: int) -> None:
        i = n
        while left[0] > 0 and time.monotonic() < deadline:
            left[0] -= 1
            request = requests[i % len(requests)]
            i += connections
            started = time.perf_counter()
            try:
                reader, writer = await pool.get(n)
                writer.write(request)
                await writer.drain()
                status, keep = await _read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                errors.append(type(exc).__name__)
                pool.drop(n)
                continue
            results.append((status, (time.perf_counter() - started) * 1000))
            if not keep:
                pool.drop(n)

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(connections)))
    elapsed = time.perf_counter() - started
    statuses: dict[str, int] = {}
    for status, _ms in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {
        "elapsed_s": elapsed,
        "requests": len(results),
        "statuses": statuses,
        "transport_errors": errors,
        "latencies_ms": [ms for _status, ms in results],
    }


async def _run_plan(
    port: int, plan: list[tuple[str, int]], kinds: dict[str, list[bytes]], connections: int
) -> list[dict[str, Any]]:
    """Every phase of `plan` ((kind, requests) in order) on one pool of connections; prints a
    line per finished phase to stderr as it goes."""
    pool = _Connections(port, connections)
    done = []
    try:
        for kind, total in plan:
            phase = await _load(pool, kinds[kind], total, PHASE_MAX_S)
            phase["kind"] = kind
            done.append(phase)
            rps = phase["requests"] / phase["elapsed_s"] if phase["elapsed_s"] else 0.0
            print(
                f"    {kind:<7} {phase['requests']:>5} in {phase['elapsed_s']:.2f} s = "
                f"{rps:,.0f}/s",
                file=sys.stderr,
                flush=True,
            )
    finally:
        pool.close()
    return done


def _http_request(
    method: str, path: str, port: int, headers: dict[str, str], body: bytes = b""
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: keep-alive"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def loadgen_main(argv: list[str]) -> None:
    """`python -m bench.public loadgen --port P --plan health:400,submit:200,… --code C --token
    T`: run the phases in order over ONE set of keep-alive connections to 127.0.0.1 and print
    their results as a JSON list."""
    parser = argparse.ArgumentParser(prog="bench.public loadgen")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--plan", required=True, help="kind:requests,… (kind: health, submit)")
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument("--code", default="")
    parser.add_argument("--token", default="")
    args = parser.parse_args(argv)
    plan = []
    for item in args.plan.split(","):
        kind, _, count = item.partition(":")
        if kind not in ("health", "submit"):
            parser.error(f"unknown phase kind {kind!r}")
        plan.append((kind, int(count)))
    rng = random.Random(7)
    submissions = []
    for _ in range(64):
        body = json.dumps(
            {
                "answers": [rng.choice([2, 3, 3, 4, 4]) for _ in range(9)],
                "profile": {"sex": rng.choice("LP"), "age": rng.randint(18, 70)},
                "suggestion": "" if rng.random() < 0.8 else "Antrean perlu diperbaiki.",
            }
        ).encode()
        submissions.append(
            _http_request(
                "POST",
                f"/api/v1/public/surveys/{args.code}/responses",
                args.port,
                {"Authorization": f"Bearer {args.token}", "Content-Type": "application/json"},
                body,
            )
        )
    kinds = {"health": [_http_request("GET", "/healthz", args.port, {})], "submit": submissions}
    print(json.dumps(asyncio.run(_run_plan(args.port, plan, kinds, args.connections))))


# --- Benchmarks ----------------------------------------------------------------------------

if __name__ != "__main__":
    from .harness import Harness
    from .organisation import percentile
    from .registry import Result, benchmark


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _phases(port: int, plan: list[tuple[str, int]], code: str, token: str) -> list[dict[str, Any]]:
    """Run `plan` in one load-generator process (one set of connections for every phase)."""
    command = [
        sys.executable,
        "-m",
        "bench.public",
        "loadgen",
        "--port",
        str(port),
        "--plan",
        ",".join(f"{kind}:{n}" for kind, n in plan),
        "--code",
        code,
        "--token",
        token,
    ]
    done = subprocess.run(
        command, cwd=ROOT, stdout=subprocess.PIPE, text=True, timeout=600, check=True
    )
    return list(json.loads(done.stdout))


def _totals_trigger(*, enabled: bool) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER TABLE public_surveyresponse {'ENABLE' if enabled else 'DISABLE'} "
                "TRIGGER public_surveyresponse_totals"
            )


def _merge(phases: list[dict[str, Any]]) -> dict[str, Any]:
    statuses: dict[str, int] = {}
    for phase in phases:
        for status, n in phase["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    return {
        "elapsed_s": sum(p["elapsed_s"] for p in phases),
        "requests": sum(p["requests"] for p in phases),
        "statuses": statuses,
        "transport_errors": [e for p in phases for e in p["transport_errors"]],
        "latencies_ms": [ms for p in phases for ms in p["latencies_ms"]],
    }


def _kiosk_fixture() -> tuple[str, str, int]:
    """A public unit, one service and a kiosk device token in an empty database."""
    from kinerja.organisation import services as organisation
    from kinerja.organisation.choices import UnitKind
    from kinerja.public import services

    opd = organisation.unit_create(
        by=None, code="DINKES", name="Dinas Kesehatan", kind=UnitKind.DINAS
    )
    unit = organisation.unit_create(
        by=None,
        code="DINKES-PKM-01",
        name="UPT Puskesmas Bukitintan",
        kind=UnitKind.PUSKESMAS,
        parent=opd,
        serves_public=True,
    )
    service = services.service_create(
        by=None, unit=unit, code="PKM01-UMUM", name="Pemeriksaan Umum"
    )
    _device, token = services.device_issue(service=service, name="Tablet bench", by=None)
    return service.code, token, service.pk


def _survey_load(h: Harness) -> dict[str, Any]:
    """Run the server and both load phases once; both survey metrics read this."""
    if "survey_load" in h.shared:
        return h.shared["survey_load"]
    from django.db import connections
    from django.db.models import Sum

    from kinerja.public.models import SurveyDay, SurveyResponse

    h.fresh_database()
    code, token, service_id = _kiosk_fixture()
    connections.close_all()  # the server's workers are the only writers from here on
    port = _free_port()
    env = {
        **os.environ,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        # The benchmark drives one device far beyond a real counter: no per-device limit.
        "PUBLIC_KIOSK_RATE_LIMIT": "0/60",
        # Nor the API's per-address limit (600 a minute per worker since the API's throttles):
        # every request comes from 127.0.0.1. A limit far above the load keeps its counting in
        # the measured cost.
        "API_RATE_LIMIT_ADDRESS": "100000000/60",
    }
    env.pop("DEBUG", None)
    log = open(Path(h.config.workdir) / "uvicorn-survey.log", "w")  # noqa: SIM115
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
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
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
        # One load generator, one set of 32 connections for everything: warm-up, then health
        # and submit phases interleaved, so both meet the same connections spread over the same
        # workers, and a slow spell of the shared machine hits both.
        plan = [("health", 400), ("submit", 200)]
        plan += [("health", HEALTH_REQUESTS), ("submit", SUBMIT_REQUESTS)] * ROUNDS
        phases = _phases(port, plan, code, token)
        warm, warm_submit = phases[0], phases[1]
        rounds = [(phases[i], phases[i + 1]) for i in range(2, len(phases), 2)]
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and the two workers started here
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    health = _merge([h for h, _s in rounds])
    submit = _merge([s for _h, s in rounds])
    ratios = [
        (s["requests"] / s["elapsed_s"]) / (h["requests"] / h["elapsed_s"]) for h, s in rounds
    ]
    created = warm_submit["statuses"].get("201", 0) + submit["statuses"].get("201", 0)
    stored = SurveyResponse.objects.filter(service_id=service_id).count()
    counted = SurveyDay.objects.filter(service_id=service_id).aggregate(n=Sum("respondents"))["n"]
    h.invalidate()
    health_rps = health["requests"] / health["elapsed_s"]
    submit_rps = submit["requests"] / submit["elapsed_s"]
    errors = (
        sum(n for status, n in submit["statuses"].items() if status != "201")
        + len(submit["transport_errors"])
        + sum(n for status, n in health["statuses"].items() if status != "200")
        + len(health["transport_errors"])
        + sum(n for status, n in warm_submit["statuses"].items() if status != "201")
        + sum(n for status, n in warm["statuses"].items() if status != "200")
    )
    latencies = submit["latencies_ms"]
    h.shared["survey_load"] = data = {
        "health_rps": round(health_rps, 1),
        "submit_rps": round(submit_rps, 1),
        "ratio": statistics.median(ratios),
        "round_ratios": [round(r, 3) for r in ratios],
        "rounds": [
            {
                "health_rps": round(hp["requests"] / hp["elapsed_s"], 1),
                "submit_rps": round(sp["requests"] / sp["elapsed_s"], 1),
                "ratio": round(r, 3),
            }
            for (hp, sp), r in zip(rounds, ratios, strict=True)
        ],
        "one_load_generator": True,
        "submit_p50_ms": round(statistics.median(latencies), 1),
        "submit_p95_ms": round(percentile(latencies, 95), 1),
        "submit_p99_ms": percentile(latencies, 99),
        "health_p99_ms": round(percentile(health["latencies_ms"], 99), 1),
        "submissions": submit["requests"],
        "health_requests": health["requests"],
        "errors": errors,
        "created": created,
        "stored_rows": stored,
        "aggregated_respondents": counted,
        "connections": CONNECTIONS,
        "workers": 2,
    }
    if errors or stored != created or counted != created:
        raise AssertionError(
            f"errors {errors}, {created} accepted, {stored} stored, {counted} in the daily totals"
        )
    return data


if __name__ != "__main__":

    @benchmark("survey_submit_ratio", unit="x", target=0.6, lower_is_better=False)
    def survey_submit_ratio(h: Harness) -> Result:
        """Kiosk-API questionnaires per second ÷ /healthz requests per second, both on the same
        uvicorn server (2 workers, DEBUG off) under the same 32 keep-alive connections of one
        load-generator process, health and submit phases interleaved (median of the rounds);
        zero errors and stored rows = accepted submissions required."""
        data = _survey_load(h)
        return Result(
            data["ratio"],
            {k: v for k, v in data.items() if k != "ratio"},
            note=f"{data['submit_rps']:.0f} vs {data['health_rps']:.0f} req/s; rounds "
            + ", ".join(f"{r:.2f}" for r in data["round_ratios"]),
        )

    @benchmark("survey_submit_p99_ms", unit="ms", target=250)
    def survey_submit_p99(h: Harness) -> Result:
        """p99 latency of a kiosk-API submission under the same load (32 connections)."""
        data = _survey_load(h)
        return Result(
            data["submit_p99_ms"],
            {"p50_ms": data["submit_p50_ms"], "p95_ms": data["submit_p95_ms"]},
            note=f"p50 {data['submit_p50_ms']} ms, p95 {data['submit_p95_ms']} ms",
        )

    @benchmark("ikm_200k_ms", unit="ms", target=20)
    def ikm_200k(h: Harness) -> Result:
        """IKM of one service over a year of 200,000 questionnaires in a table of 1,000,000
        (selectors.survey_result over the daily totals); median of 50, checked equal to the
        IKM computed from the raw rows."""
        from django.db import connection, transaction
        from django.db.models import Count, Q, Sum

        from kinerja.public import selectors, services
        from kinerja.public.models import Service, SurveyResponse
        from kinerja.public.selectors import result_from_totals

        h.fresh_database()
        code, _token, service_id = _kiosk_fixture()
        unit_id = Service.objects.get(pk=service_id).unit_id
        others = [
            services.service_create(
                by=None, unit_id=unit_id, code=f"BENCH-{n}", name=f"Layanan {n}"
            ).pk
            for n in range(4)
        ]
        rng = random.Random(h.seed)
        year = date.today().year - 1
        days = [date(year, 1, 1) + timedelta(days=n) for n in range(365)]
        columns = (
            "service_id, submitted_at, survey_date, time_slot, channel, "
            + ", ".join(SurveyResponse.ANSWER_FIELDS)
            + ", sex, age, education, occupation, suggestion, counter, ip_hash, browser_hash"
        )
        sql = (
            f"INSERT INTO {SurveyResponse._meta.db_table} ({columns}) VALUES "
            f"({', '.join(['%s'] * len(columns.split(',')))})"
        )
        adapt_day = connection.ops.adapt_datefield_value
        adapt_moment = connection.ops.adapt_datetimefield_value
        from django.utils import timezone

        # On PostgreSQL, a bulk load as an operator would run it: the totals trigger off, the
        # totals rebuilt once afterwards (on SQLite the trigger is cheap enough to leave on).
        _totals_trigger(enabled=False)
        started = time.perf_counter()
        # In time order, as questionnaires arrive: each day, the same number for each of the
        # five services (200,000 a year for the measured one), with a varied mix of answers.
        all_services = [service_id, *others]
        per_day, extra = divmod(IKM_RESPONSES, len(days))
        answer_sets = [[rng.choice((1, 2, 3, 3, 4, 4, 4)) for _ in range(9)] for _ in range(997)]
        n = 0
        with transaction.atomic(), connection.cursor() as cursor:  # one transaction, not 1M
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB, for the load only
            for d, day in enumerate(days):
                moment = adapt_moment(
                    timezone.make_aware(datetime(day.year, day.month, day.day, 9))
                )
                stamp = adapt_day(day)
                rows = []
                for _ in range(per_day + (1 if d < extra else 0)):
                    rows.append(
                        (all_services[n % 5], moment, stamp, "pagi", "web", *answer_sets[n % 997],
                         "LP"[n % 2], 20 + n % 50, "sma", "swasta", "", "", "", "")
                    )  # fmt: skip
                    n += 1
                cursor.executemany(sql, rows)
        _totals_trigger(enabled=True)
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        services.aggregates_rebuild()  # on SQLite the trigger kept them already: same result
        rebuild_s = time.perf_counter() - started
        h.invalidate()
        h.settle()
        total = SurveyResponse.objects.count()
        ours = SurveyResponse.objects.filter(service_id=service_id).count()
        if total != IKM_RESPONSES or ours != IKM_SERVICE_RESPONSES:
            raise AssertionError(f"{total} rows, {ours} for the service")
        start, end = date(year, 1, 1), date(year, 12, 31)
        scope = Q(service_id=service_id)
        for _ in range(5):
            selectors.survey_result(scope=scope, start=start, end=end)
        timings = []
        for _ in range(IKM_REPEATS):
            with h.measure() as timer:
                result = selectors.survey_result(scope=scope, start=start, end=end)
            timings.append(timer.ms)
        # The same IKM from the raw rows: a plain aggregate over the 200,000 questionnaires.
        raw_timings = []
        for _ in range(3):
            began = time.perf_counter()
            raw = SurveyResponse.objects.filter(
                service_id=service_id, survey_date__gte=start, survey_date__lte=end
            ).aggregate(
                respondents=Count("id"),
                **{f"s{i}": Sum(f"u{i}") for i in range(1, 10)},
                **{f"c{i}": Count(f"u{i}") for i in range(1, 10)},
            )
            raw_timings.append((time.perf_counter() - began) * 1000)
        expected = result_from_totals(raw).ikm
        if result.ikm != expected or result.respondents != IKM_SERVICE_RESPONSES:
            raise AssertionError(f"IKM from the daily totals {result.ikm} != raw rows {expected}")
        median = statistics.median(timings)
        return Result(
            median,
            {
                "p95_ms": round(percentile(timings, 95), 2),
                "raw_rows_aggregate_ms": round(statistics.median(raw_timings), 1),
                "ikm": str(result.ikm.converted),
                "respondents": result.respondents,
                "rows_in_table": total,
                "daily_rows_read": 365,
                "load_s": round(load_s, 1),
                "aggregates_rebuild_s": round(rebuild_s, 1),
                "service": code,
            },
            note=f"raw rows {statistics.median(raw_timings):.0f} ms; IKM {result.ikm.converted}",
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["loadgen"]:
        loadgen_main(sys.argv[2:])
    else:
        raise SystemExit("usage: python -m bench.public loadgen --port P --kind health|submit …")
