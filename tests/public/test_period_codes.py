"""Follow-up plans stored with the survey pages' earlier period keys ("2026", "2026-11") read
as the one period code after `migrate` (public 0006), and back after a rollback; the pages
still take the old keys in their links."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kinerja.public.models import FollowUpPlan
from kinerja.rules.periods import parse_period_key
from tests.factories import UnitFactory

BEFORE = [("public", "0005_admin_labels")]
AFTER = [("public", "0006_follow_up_period_codes")]
OLD_KEYS = {"2026": "2026-TH", "2026-11": "2026-B11", "2026-3": "2026-B03", "2026-S2": "2026-S2"}


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_stored_keys_become_codes_and_come_back() -> None:
    units = [UnitFactory() for _ in OLD_KEYS]
    try:
        _migrate(BEFORE)
        for unit, key in zip(units, OLD_KEYS, strict=True):
            FollowUpPlan.objects.create(unit=unit, period=key, text=f"Rencana {key}")
        _migrate(AFTER)
        stored = dict(FollowUpPlan.objects.values_list("text", "period"))
        assert stored == {f"Rencana {key}": code for key, code in OLD_KEYS.items()}
        for code in stored.values():
            assert parse_period_key(code).code == code
        _migrate(BEFORE)
        back = dict(FollowUpPlan.objects.values_list("text", "period"))
        assert back["Rencana 2026"] == "2026" and back["Rencana 2026-11"] == "2026-11"
        assert back["Rencana 2026-3"] == "2026-03"  # one digit more, the same month
    finally:  # every app at its latest migration again, as the tests after this one expect
        _migrate(_latest())


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db
def test_old_links_still_open_the_same_period(client) -> None:  # type: ignore[no-untyped-def]
    """/transparansi/?periode=2026-11 (a link made before) shows November 2026."""
    page = client.get("/transparansi/", {"periode": "2026-11"}).content.decode()
    assert "November 2026" in page
    page = client.get("/transparansi/", {"periode": "2026"}).content.decode()
    assert "Tahun 2026" in page
