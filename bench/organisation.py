"""Organisation benchmarks: seeding, the employee directory and the employee import at 10k."""

from __future__ import annotations

import math
import random
import re
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.core.tabular import read_table
from kinerja.demo import regency as demo
from kinerja.organisation.choices import PositionKind, Role
from kinerja.organisation.imports import EMPLOYEE_COLUMNS, import_file
from kinerja.organisation.models import Employee, User
from kinerja.rules.nip import format_nip

from .datagen import NipFactory, xlsx_file
from .harness import Harness
from .registry import Result, benchmark

EMPLOYEES = 10_000
DIRECTORY_WARMUP = 10
DIRECTORY_REQUESTS = 200
ADMIN_BKPSDM = "admin.bkpsdm"  # created by the demo


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least pct % of values at or below."""
    ordered = sorted(values)
    return ordered[max(math.ceil(pct / 100 * len(ordered)) - 1, 0)]


def _seed_demo(h: Harness, employees: int) -> Result:
    h.empty_database()
    seeded = h.full_demo(employees)
    stored = Employee.objects.count()
    if stored != employees:
        raise AssertionError(f"seed_demo stored {stored} employees, expected {employees}")
    from kinerja.monitoring.models import PersonFigures
    from kinerja.performance.models import Plan, Realisation

    counts = {
        "employees": stored,
        "accounts": User.objects.count(),
        "plans": Plan.objects.count(),
        "realisations": Realisation.objects.count(),
        "person_figures": PersonFigures.objects.count(),
    }
    if not counts["plans"] or not counts["realisations"] or not counts["person_figures"]:
        raise AssertionError(f"seed_demo left part of the demo out: {counts}")
    return Result(
        seeded["seed_demo_s"],
        {
            **counts,
            "peak_rss_mib": seeded["seed_demo_peak_rss_mib"],
            "seed": h.seed,
            "migrate_s": round(h.migrate_s or 0.0, 3),
            "output": seeded["seed_demo_output"],
        },
        note=f"whole seed_demo, peak RSS {seeded['seed_demo_peak_rss_mib']:.0f} MiB, "
        f"{counts['realisations']:,} realisations; migrate {h.migrate_s or 0:.1f} s (excluded)",
    )


@benchmark("seed_demo_10k_s", unit="s", target=60)
def seed_demo_10k(h: Harness) -> Result:
    """Wall time of `manage.py seed_demo --employees 10000` (the whole demo: organisation,
    plans, realisations, assessments, the other apps' demos, the monitoring rebuild) in its own
    process into an empty migrated database (migration excluded, reported as migrate_s)."""
    return _seed_demo(h, EMPLOYEES)


def _directory_ok(response) -> None:  # type: ignore[no-untyped-def]
    """The answer is the directory's first page: 200 and links to (at least) 25 employees."""
    if response.status_code != 200:
        raise AssertionError(f"directory answered {response.status_code}, not the employee list")
    detail = reverse("organisation:employee_detail", args=[987654321])
    pattern = re.escape(detail).replace("987654321", r"\d+").encode()
    shown = len(set(re.findall(b'href="' + pattern + b'"', response.content)))
    if shown < 25:
        raise AssertionError(f"directory's first page links {shown} employees, expected 25")


@benchmark("directory_p95_ms_10k", unit="ms", target=50)
def directory_p95(h: Harness) -> Result:
    """Server time of GET /pegawai/ (first page) for an Admin BKPSDM at 10,000 employees:
    cold p95 (30 requests, empty cache, new connection) and warm p95 (200 after a warm-up)
    through Django's test Client; the worse counts."""
    h.demo(EMPLOYEES)
    return directory_figures(h)


def directory_figures(h: Harness) -> Result:
    """The directory's figures on the database as it is (bench/scale.py at 100,000)."""
    from .pages import COLD_REQUESTS, cold_timings

    user = User.objects.get(username=ADMIN_BKPSDM)
    if user.role != Role.ADMIN_BKPSDM:
        raise AssertionError(f"{ADMIN_BKPSDM} has role {user.role!r}")
    client = Client()
    client.force_login(user)
    url = reverse("organisation:employee_list")
    cold = cold_timings(client, url, b"", COLD_REQUESTS)
    for _ in range(DIRECTORY_WARMUP):
        _directory_ok(client.get(url))
    with CaptureQueriesContext(connection) as captured:
        _directory_ok(client.get(url))
    # captured_queries is read lazily from connection.queries, which every later request resets.
    queries = list(captured.captured_queries)
    timings: list[float] = []
    for _ in range(DIRECTORY_REQUESTS):
        with h.measure() as timer:
            response = client.get(url)
        timings.append(timer.ms)
        if response.status_code != 200:
            raise AssertionError(f"directory answered {response.status_code}")
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    slowest = max(queries, key=lambda q: float(q["time"]))
    p95 = percentile(timings, 95)
    cold_p95 = percentile(cold, 95)
    median = statistics.median(timings)
    return Result(
        max(p95, cold_p95),
        {
            "cold_p95_ms": round(cold_p95, 2),
            "warm_p95_ms": round(p95, 2),
            "median_ms": round(median, 2),
            "mean_ms": round(statistics.fmean(timings), 2),
            "min_ms": round(min(timings), 2),
            "max_ms": round(max(timings), 2),
            "requests": DIRECTORY_REQUESTS,
            "warmup": DIRECTORY_WARMUP,
            "queries": len(queries),
            "sql_ms_one_request": round(sql_ms, 2),
            "slowest_query_ms": round(float(slowest["time"]) * 1000, 2),
            "slowest_query": slowest["sql"][:500],
            "employees": Employee.objects.count(),
        },
        note=f"cold {cold_p95:.0f}, warm {p95:.0f} ms (median {median:.1f}), "
        f"{len(queries)} queries ({sql_ms:.1f} ms SQL)",
    )


def _new_employee_rows(rng: random.Random) -> tuple[list[list[str]], int]:
    """10,000 new employees mirroring the seeded ones (same units, positions, golongan and
    span of control) under new unique NIPs. A new employee's supervisor is the EXISTING
    structural head (JPT/administrator) when the mirrored employee reports to one, otherwise
    the new employee mirroring that supervisor, who is a row of the same file; rows are
    shuffled so that many supervisors come after their reports. Also returns how many rows
    name a supervisor from the file itself."""
    seeded = list(
        Employee.objects.order_by("pk").values_list(
            "pk",
            "nip",
            "status",
            "golongan",
            "position__name",
            "unit__code",
            "supervisor_id",
            "supervisor__position__kind",
        )
    )
    nips = NipFactory(rng, taken=Employee.objects.values_list("nip", flat=True))
    new_nip = {pk: nips(sex="L" if nip[14] == "1" else "P") for pk, nip, *_ in seeded}
    existing_nip = {pk: nip for pk, nip, *_ in seeded}
    structural = {PositionKind.JPT, PositionKind.ADMINISTRATOR}
    rows: list[list[str]] = []
    in_file = 0
    for i, (pk, nip, status, golongan, position, unit, sup, sup_kind) in enumerate(seeded):
        sex = nip[14]
        first = rng.choice(demo.MALE if sex == "1" else demo.FEMALE)
        family = rng.choice(demo.FAMILY)
        if sup is None:
            sup_nip = ""
        elif sup_kind in structural:
            sup_nip = existing_nip[sup]
        else:
            sup_nip = new_nip[sup]
            in_file += 1
        own = new_nip[pk]
        rows.append(
            [
                format_nip(own) if i % 3 == 0 else own,  # as typed: some grouped with spaces
                f"{first} {family}",
                "",
                rng.choice(demo.DEGREES),
                status.upper(),
                golongan.removeprefix("PPPK-"),
                position,
                unit,
                sup_nip,
                f"{first.lower()}.{family.lower()}.{i}@bukitintan.go.id",
                f"08{rng.randint(10**9, 10**10 - 1)}" if i % 2 else "",
                "Ya",
            ]
        )
    rng.shuffle(rows)
    return rows, in_file


@benchmark("import_10k_s", unit="s", target=30)
def import_10k(h: Harness) -> Result:
    """End-to-end time of `import_file(kind="employees")` (parse + validate + write) of a
    10,000-row XLSX of new employees into the seeded 10k database."""
    h.demo(EMPLOYEES)
    rng = random.Random(h.seed + 1)
    rows, in_file = _new_employee_rows(rng)
    data = xlsx_file([c.header for c in EMPLOYEE_COLUMNS], rows, title="Pegawai")
    filename = "bench-pegawai-10k.xlsx"
    started = time.perf_counter()
    parsed = read_table(data, filename)  # parse alone, for the breakdown (not in the metric)
    parse_s = time.perf_counter() - started
    if len(parsed.rows) != EMPLOYEES:
        raise AssertionError(f"the generated file has {len(parsed.rows)} rows")
    admin = User.objects.get(username=ADMIN_BKPSDM)
    before = Employee.objects.count()
    h.invalidate()  # from here on the database no longer holds the plain demo
    with h.measure() as timer:
        report = import_file(kind="employees", data=data, filename=filename, by=admin)
    elapsed = timer.seconds
    if not report.ok:
        sample = "; ".join(f"row {e.row} {e.column}: {e.message}" for e in report.errors[:5])
        raise AssertionError(f"import rejected with {len(report.errors)} errors: {sample}")
    grown = Employee.objects.count() - before
    if report.created != EMPLOYEES or grown != EMPLOYEES:
        raise AssertionError(
            f"import created {report.created} (count grew by {grown}), expected {EMPLOYEES}"
        )
    return Result(
        elapsed,
        {
            "rows": report.rows,
            "created": report.created,
            "file_bytes": len(data),
            "parse_only_s": round(parse_s, 3),
            "supervisors_in_file": in_file,
            "employees_after": before + grown,
        },
        note=f"parse alone {parse_s:.1f} s, {len(data) // 1024} KiB",
    )
