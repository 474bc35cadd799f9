"""Assessment benchmarks at 10,000 employees: the regency calibration view and the suggested
ratings of every employee for one period."""

from __future__ import annotations

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.assessment import selectors
from kinerja.assessment.models import Assessment
from kinerja.demo import assessment as assessment_demo
from kinerja.organisation.models import User
from kinerja.performance.models import Plan
from kinerja.rules.periods import Period, Periodicity

from .harness import Harness
from .organisation import percentile
from .registry import Result, benchmark

EMPLOYEES = 10_000
WARMUP = 5
REQUESTS = 50
PERIOD = Period(2026, Periodicity.QUARTERLY, 3)
CHUNK = 2_000


def _dataset(h: Harness) -> dict[str, float]:
    """The demo at 10k with plans, realisations and Q1–Q3 assessments (seeded untimed once)."""
    tag = f"assessment:{EMPLOYEES}:{h.seed}"
    if h.dataset == tag:
        return h.shared.get("assessment_seed", {})
    h.demo(EMPLOYEES)
    from kinerja.demo import performance as performance_demo

    print("  (seeding plans, realisations and assessments for 10k…)", flush=True)
    started = time.perf_counter()
    performance_demo.seed(seed=h.seed, options={})
    perf_s = time.perf_counter() - started
    started = time.perf_counter()
    assessment_demo.seed(seed=h.seed, options={})
    assess_s = time.perf_counter() - started
    h.dataset = tag
    h.settle()
    h.shared["assessment_seed"] = {"performance_seed_s": perf_s, "assessment_seed_s": assess_s}
    return h.shared["assessment_seed"]


@benchmark("calibration_p95_ms_10k", unit="ms", target=500)
def calibration_p95(h: Harness) -> Result:
    """Server time of the regency calibration view (Triwulan III) for Pimpinan Daerah at 10,000
    employees with three quarters of assessments: p95 over 50 requests after a warm-up."""
    seeded = _dataset(h)
    result = calibration_figures(h)
    result.extra.update({k: round(v, 2) for k, v in seeded.items()})
    return result


def calibration_figures(h: Harness) -> Result:
    """The calibration view's figures on the database as it is (bench/scale.py at 100,000)."""
    client = Client()
    client.force_login(User.objects.get(username="pimpinan"))
    url = f"{reverse('assessment:calibration')}?periode={PERIOD.code}"
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured.captured_queries)
    timings = []
    for _ in range(REQUESTS):
        with h.measure() as timer:
            response = client.get(url)
        timings.append(timer.ms)
        if response.status_code != 200:
            raise AssertionError(f"calibration answered {response.status_code}")
    p95 = percentile(timings, 95)
    return Result(
        p95,
        {
            "median_ms": round(statistics.median(timings), 2),
            "queries": queries,
            "assessments": Assessment.objects.filter(period=PERIOD.code).count(),
        },
        note=f"median {statistics.median(timings):.0f} ms, {queries} queries",
    )


@benchmark("assess_suggestions_10k_s", unit="s", target=30)
def assess_suggestions(h: Harness) -> Result:
    """Computing the suggested rating hasil kerja (capaian, status per indicator, majority rule)
    for every approved plan of the regency for one period, in chunks of 2,000 plans."""
    _dataset(h)
    plans = list(Plan.objects.filter(year=PERIOD.year).only("id", "employee_id"))
    with h.measure() as timer:
        suggested = 0
        for i in range(0, len(plans), CHUNK):
            evaluations = selectors.plans_evaluations(plans[i : i + CHUNK], PERIOD)
            suggested += sum(1 for e in evaluations.values() if e.suggested_hasil is not None)
    return Result(
        timer.seconds,
        {"plans": len(plans), "with_suggestion": suggested},
        note=f"{len(plans)} plans, {suggested} with a suggestion",
    )


def _siasn_mapping(h: Harness) -> None:
    """A mapping with every code set (bench codes, not national ones) so that the rows are
    built, not only rejected; the shipped file leaves every code empty."""
    from django.conf import settings

    from kinerja.assessment.siasn import mapping

    lines = []
    for table, (_field, _what, labels) in mapping.TABLES.items():
        lines.append(f"[{table}]")
        lines += [f'{key} = "BENCH-{table}-{key}"' for key in labels]
    lines += ["[pimpinan_daerah]", 'nama = "Bupati"', 'jabatan = "Bupati"']
    from pathlib import Path

    # In the run's own folder, which the harness removes at its end.
    path = Path(h.config.workdir) / "siasn_mapping.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings.SIASN_MAPPING_PATH = str(path)


@benchmark("siasn_dry_run_p95_ms_10k", unit="ms", target=3000)
def siasn_dry_run_p95(h: Harness) -> Result:
    """Server time of the SIASN export page (/penilaian/siasn/, Triwulan III, whole regency) for
    BKPSDM at 10,000 employees: the dry-run over every assessment and every employee without
    one, p95 over 10 requests after a warm-up; and the time to build the XLSX of the same."""
    _dataset(h)
    _siasn_mapping(h)
    from kinerja.assessment.siasn.mapping import load_mapping
    from kinerja.assessment.siasn.selectors import siasn_export
    from kinerja.assessment.siasn.services import siasn_export_build

    user = User.objects.get(username="admin.bkpsdm")  # the demo's Admin BKPSDM
    client = Client()
    client.force_login(user)
    url = f"{reverse('siasn:export')}?tahun={PERIOD.year}&periode=T{PERIOD.number}"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured.captured_queries)
    export = siasn_export(user=user, period=PERIOD, unit=None, mapping=load_mapping())
    timings = []
    for _ in range(10):
        with h.measure() as timer:
            response = client.get(url)
        timings.append(timer.ms)
        if response.status_code != 200:
            raise AssertionError(f"siasn page answered {response.status_code}")
    started = time.perf_counter()
    data, _name, _type = siasn_export_build(
        user=user, params={"tahun": PERIOD.year, "periode": f"T{PERIOD.number}"}, audit=False
    )
    xlsx_s = time.perf_counter() - started
    p95 = percentile(timings, 95)
    return Result(
        p95,
        {
            "median_ms": round(statistics.median(timings), 2),
            "queries": queries,
            "rows": len(export.rows),
            "rejected": len(export.rejected),
            "xlsx_build_s": round(xlsx_s, 2),
            "xlsx_bytes": len(data),
        },
        note=f"{len(export.rows)} rows, {len(export.rejected)} rejected, {queries} queries; "
        f"XLSX {xlsx_s:.1f} s",
    )
