"""The follow-up rules' "min_ikm" and the ASN Berprestasi ranking read the OPD's IKM through the
figures seam ("public.ikm"). Nothing registered that name, so every rule with an IKM minimum
came back "IKM unit belum tersedia" and the ranking never gave its IKM points, whatever the
citizens answered. The public app now provides it: the IKM (PermenPANRB 14/2017) of the services
of the OPD and its units over the year."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kinerja.core import figures
from kinerja.public import services as public_services
from kinerja.public.choices import Channel
from kinerja.rewards import selectors, services
from kinerja.rewards.models import FollowUpRule, Recommendation
from tests.conftest import Org
from tests.rewards.conftest import finalise

pytestmark = pytest.mark.django_db

JUNE = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def survey(org: Org, answers: list[int], times: int = 3) -> None:
    service = public_services.service_create(
        by=None, unit=org.puskesmas, code="PKM01-UMUM", name="Pemeriksaan Umum"
    )
    for _ in range(times):
        public_services.response_submit(service=service, answers=answers, channel=Channel.KIOSK)


def test_the_opds_ikm_is_provided_for_its_units_services(org: Org, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(JUNE, tick=False)
    assert figures.is_available("public.ikm")
    assert figures.value("public.ikm", opd_id=org.dinkes.pk, year=2026) is None
    survey(org, [4, 4, 4, 4, 3, 3, 3, 3, 3])
    expected = Decimal("86.11")  # (4×4 + 3×5) / 9 × 25 = 86.111… → 86.11
    assert figures.value("public.ikm", opd_id=org.dinkes.pk, year=2026) == expected
    assert figures.value("public.ikm", opd_id=org.dinkes.pk, year=2026, month=6) == expected
    assert figures.value("public.ikm", opd_id=org.dinkes.pk, year=2026, month=5) is None
    assert figures.value("public.ikm", opd_id=org.dinkes.pk, year=2025) is None
    assert figures.value("public.ikm", opd_id=org.disdik.pk, year=2026) is None
    assert figures.value("public.ikm", opd_id=0, year=2026) is None


@pytest.mark.parametrize(
    ("answers", "recommended", "told"),
    [
        ([4] * 9, True, "IKM unit 100.00 (minimal 88.31)."),
        ([3] * 9, False, "IKM unit 75.00 di bawah 88.31."),
    ],
)
def test_a_rule_with_an_ikm_minimum_is_evaluated_on_the_citizens_answers(  # type: ignore[no-untyped-def]
    org: Org, time_machine, answers: list[int], recommended: bool, told: str
) -> None:
    time_machine.move_to(JUNE, tick=False)
    survey(org, answers)
    rule = FollowUpRule.objects.get(action="piagam")
    # Only the IKM is in question here: the fixture's people have no training this year.
    rule.parameters = {**rule.parameters, "jp_compliant": False, "min_ikm": "88.31"}
    rule.save()
    finalise(org.employee, "2026-TH", "sangat_baik")
    report = services.rules_run(year=2026, by=org.users["bkpsdm"])
    assert rule.name not in report.not_evaluated, report.summary()
    made = Recommendation.objects.filter(employee=org.employee, action="piagam")
    assert made.exists() is recommended
    if recommended:
        assert told in made.get().facts


def test_the_ranking_gives_its_ikm_points_for_mutu_a(org: Org, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(JUNE, tick=False)
    survey(org, [4] * 9)
    rows = selectors.asn_berprestasi_ranking(org.dinkes, 2026)
    assert rows and all("IKM unit: 100.00 (+10)" in row.factors for row in rows)


@pytest.mark.parametrize(("ikm", "points"), [("88.31", 10), ("88.30", 5), ("25.00", 5)])
def test_the_rankings_ikm_points_turn_at_mutu_a(org: Org, ikm: str, points: int) -> None:
    """+10 from mutu A (88.31, PermenPANRB 14/2017), +5 below it."""
    with figures.replaced("public.ikm", lambda **_: Decimal(ikm)):
        rows = selectors.asn_berprestasi_ranking(org.dinkes, 2026)
    assert rows and all(f"IKM unit: {ikm} (+{points})" in row.factors for row in rows)
