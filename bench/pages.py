"""Helpers of the page benchmarks: who is measured (a 40-person team, the largest OPD head, the
regency's top supervisor) and how (cold and warm, through Django's test Client).

Cold: every request with an empty cache and a new database connection, what the first visitor
after a restart, a deploy or a cache expiry meets. Warm: the same connection and a filled cache,
after 10 warm-up requests. A page metric's value is the worse of the p95s it measures.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache import cache
from django.db import connection, connections
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.organisation.models import Employee, User

from .organisation import percentile

WARMUP = 10
WARM_REQUESTS = 200
COLD_REQUESTS = 30


def _subtree_sizes() -> Counter[int]:
    below: Counter[int] = Counter()
    for path in Employee.objects.filter(is_active=True).values_list("path", flat=True).order_by():
        for ancestor in path.strip("/").split("/")[:-1]:
            below[int(ancestor)] += 1
    return below


def _account(employee_id: int) -> User:
    user = User.objects.filter(employee_id=employee_id).first()
    if user is None:  # the demo gives most heads an account; the bench makes one if not
        user = User.objects.create_user(username=f"bench-{employee_id}", employee_id=employee_id)
    return user


def team_of_about(size: int) -> tuple[User, int]:
    """The account of the employee whose reporting subtree is closest to `size` people."""
    below = _subtree_sizes()
    employee_id, count = min(below.items(), key=lambda item: (abs(item[1] - size), item[0]))
    return _account(employee_id), count


def top_supervisor() -> tuple[User, int]:
    """The employee with the largest reporting subtree (the Sekda: everyone below the regent's
    office)."""
    below = _subtree_sizes()
    employee_id, count = max(below.items(), key=lambda item: (item[1], -item[0]))
    return _account(employee_id), count


def largest_opd_head() -> tuple[User, int]:
    """The head of the largest OPD: among the people whose supervisor works in another OPD
    (the heads of an OPD report to the Sekda or an assistant), the one with the largest
    subtree, the top supervisor excluded."""
    below = _subtree_sizes()
    top = max(below.items(), key=lambda item: (item[1], -item[0]))[0]
    heads = (
        Employee.objects.filter(is_active=True, supervisor__isnull=False)
        .exclude(pk=top)
        .exclude(unit__opd_id=F("supervisor__unit__opd_id"))
        .values_list("pk", flat=True)
        .order_by()
    )
    employee_id, count = max(
        ((pk, below.get(pk, 0)) for pk in heads), key=lambda item: (item[1], -item[0])
    )
    return _account(employee_id), count


def _check(url: str, response: Any, marker: bytes) -> None:
    if response.status_code != 200 or marker not in response.content:
        raise AssertionError(f"{url} answered {response.status_code} without {marker!r}")


def cold_timings(client: Client, url: str, marker: bytes, requests: int) -> list[float]:
    """Each request after emptying the cache and closing the database connections. With the
    PostgreSQL pool (config/settings.py) closing gives the connection back to the pool, as
    the end of every request does in production: the next request takes it back warm."""
    # The garbage that this process's own set-up left (an in-process seed, a rebuild) is
    # collected first: a server worker does not carry it into its requests, so collecting it
    # must not land in a timed request (a full collection of 59,000 objects, 61 ms, in the
    # first series after the performance seed). The requests' own garbage, and the
    # collections it causes, stay in the figures.
    gc.collect()
    timings = []
    for _ in range(requests):
        cache.clear()
        connections.close_all()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        _check(url, response, marker)
    return timings


def pooled() -> bool:
    return getattr(connection, "pool", None) is not None


@contextmanager
def without_pool() -> Iterator[None]:
    """Requests that each open a new database connection although the pool is configured (the
    cold method before the pool, kept as an extra): Django reads OPTIONS["pool"] at each
    connect and close, so without it a connection is opened and closed for real."""
    connections.close_all()  # the pooled connection goes back to the pool first
    options = connection.settings_dict["OPTIONS"]
    saved = options.pop("pool")
    try:
        yield
    finally:
        connections.close_all()
        options["pool"] = saved


def cold_warm(
    h: Any,
    client: Client,
    url: str,
    marker: bytes,
    *,
    warm: bool = True,
    forbid_table: str | None = None,
) -> dict[str, Any]:
    """Cold p95 (30 requests) and, unless `warm` is False, warm p95 (200 after 10) of `url`,
    with the query count of one warm request. `value` is the worse p95. With the PostgreSQL
    pool, also (an extra, not in `value`) the cold p95 when each request opens a new
    connection."""
    cold = cold_timings(client, url, marker, COLD_REQUESTS)
    out: dict[str, Any] = {
        "cold_p95_ms": round(percentile(cold, 95), 2),
        "cold_median_ms": round(statistics.median(cold), 2),
    }
    if pooled():
        with without_pool():
            fresh = cold_timings(client, url, marker, COLD_REQUESTS)
        out["cold_new_connection_p95_ms"] = round(percentile(fresh, 95), 2)
    if warm:
        for _ in range(WARMUP):
            _check(url, client.get(url), marker)
        with CaptureQueriesContext(connection) as captured:
            _check(url, client.get(url), marker)
        queries = list(captured.captured_queries)
        if forbid_table and any(forbid_table in q["sql"] for q in queries):
            raise AssertionError(f"{url} read {forbid_table}")
        timings = []
        for _ in range(WARM_REQUESTS):
            with h.measure():
                started = time.perf_counter()
                _check(url, client.get(url), marker)
                timings.append((time.perf_counter() - started) * 1000)
        out.update(
            {
                "warm_p95_ms": round(percentile(timings, 95), 2),
                "warm_median_ms": round(statistics.median(timings), 2),
                "queries": len(queries),
                "sql_ms_one_request": round(sum(float(q["time"]) for q in queries) * 1000, 2),
            }
        )
    out["value"] = max(out["cold_p95_ms"], out.get("warm_p95_ms", 0.0))
    return out
