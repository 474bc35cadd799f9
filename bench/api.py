"""API benchmarks (issue 17): one all-or-nothing bulk request that writes a month's
realisations for 1,000 people, at 10,000 employees with a year of realisations."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.organisation.choices import Role
from kinerja.organisation.models import User
from kinerja.organisation.tokens import token_create
from kinerja.performance.models import Indicator, Plan, Realisation

from .harness import Harness
from .performance import _dataset
from .registry import Result, benchmark

PEOPLE = 1_000


def _bulk_body(year: int, month: int) -> tuple[dict[str, Any], int]:
    """A month for 1,000 approved plans of this year, every manual indicator with a plausible
    value (a twelfth of the annual target), by NIP as an integration would send it."""
    plans = list(
        Plan.objects.filter(year=year, status="disetujui")
        .select_related("employee")
        .order_by("pk")[:PEOPLE]
    )
    if len(plans) < PEOPLE:
        raise AssertionError(f"only {len(plans)} approved plans of {year}")
    indicators: dict[int, list[Indicator]] = {p.pk: [] for p in plans}
    for indicator in Indicator.objects.filter(rhk__plan__in=plans, source="manual").select_related(
        "rhk"
    ):
        indicators[indicator.rhk.plan_id].append(indicator)
    Realisation.objects.filter(indicator__rhk__plan__in=plans, month=month).delete()
    items = [
        {
            "nip": p.employee.nip,
            "rows": [
                {
                    "indicator_id": i.pk,
                    "value": str(max(i.target / 12, Decimal(1)).quantize(Decimal("0.01"))),
                    "narrative": "Dikirim dari aplikasi layanan",
                }
                for i in indicators[p.pk]
            ],
        }
        for p in plans
    ]
    return {"year": year, "month": month, "items": items}, sum(len(i["rows"]) for i in items)


@benchmark("api_realisation_bulk_1000", unit="s", target=5)
def api_realisation_bulk_1000(h: Harness) -> Result:
    """Server time of one POST /api/v1/realisations/bulk that writes this month's realisations
    for 1,000 people (every manual indicator of their plan, all new; each plan through the
    grid's service with its checks, audit records and late marking; all or nothing), sent by
    a BKPSDM integration token at 10,000 employees with a year of realisations."""
    seeded = _dataset(h)
    h.dataset = f"{h.dataset}:bulk"  # realisations of 1,000 plans replaced: the next run reseeds
    today = timezone.localdate()
    body, rows = _bulk_body(today.year, today.month)
    admin = User.objects.filter(role=Role.ADMIN_BKPSDM, is_active=True).order_by("pk").first()
    if admin is None:
        raise AssertionError("the demo has no BKPSDM account")
    _row, token = token_create(user=admin, name="bench", scopes=["realisations"])
    payload = json.dumps(body)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    with CaptureQueriesContext(connection) as captured, h.measure() as timer:
        response = client.post(
            "/api/v1/realisations/bulk", payload, content_type="application/json"
        )
    if response.status_code != 200:
        raise AssertionError(
            f"the bulk request answered {response.status_code}: {response.content[:500]!r}"
        )
    answer = response.json()
    if answer["plans"] != PEOPLE or answer["realisations"] != rows:
        raise AssertionError(f"wrote {answer['plans']} plans / {answer['realisations']} rows")
    return Result(
        timer.seconds,
        {
            "people": PEOPLE,
            "realisations": rows,
            "request_bytes": len(payload),
            "queries": len(captured.captured_queries),
            **seeded,
        },
        note=f"{rows} realisations, {len(captured.captured_queries)} queries",
    )
