"""Two officials running the rules, or deciding one recommendation, at the same moment: no
duplicate recommendation, one decision (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from kinerja.rewards import services
from kinerja.rewards.models import Recommendation
from tests.conftest import Org
from tests.rewards.conftest import finalise
from tests.rewards.test_recommendations import pending

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency"),
]


def together(*calls):  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = []

    def run(call):  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            outcomes.append(call())
        except Exception as exc:  # the outcome is what the test checks
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_two_concurrent_runs_never_duplicate(org: Org) -> None:
    for e in (org.employee, org.peer, org.other_employee):
        finalise(e, "2026-T1", "butuh_perbaikan")
    by = org.users["bkpsdm"]
    outcomes = together(
        lambda: services.rules_run(year=2026, by=by), lambda: services.rules_run(year=2026, by=by)
    )
    assert all(isinstance(o, services.RunReport) for o in outcomes), outcomes
    assert Recommendation.objects.filter(action="pembinaan").count() == 3


def test_one_recommendation_is_decided_once(org: Org) -> None:
    rec = pending(org, "pembinaan")

    def decide(persona: str, accept: bool):  # type: ignore[no-untyped-def]
        return lambda: services.recommendation_decide(
            recommendation=rec,
            by=org.users[persona],
            accept=accept,
            reason="Alasan.",
            official=persona,
            effective_from=date(2026, 11, 2),
        )

    outcomes = together(decide("bkpsdm", True), decide("unit_head", False))
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1
    rec.refresh_from_db()
    assert rec.status in {"diterima", "ditolak"}
