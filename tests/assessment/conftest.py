"""The assessment team: the supervisor (Kepala Puskesmas) assesses the nurse (`employee`) and
the midwife (`peer`) in Triwulan I 2026; the unit head assesses the supervisor. Plans are
approved through the performance services and realisations recorded for Q1."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from kinerja.assessment import services
from kinerja.assessment.models import Assessment
from kinerja.performance import services as perf
from kinerja.performance.models import Plan
from kinerja.rules.periods import Period, Periodicity
from tests.conftest import Org
from tests.factories import make_user
from tests.performance.conftest import Plans, approved_plan, employee_plan, plans  # noqa: F401

Q1 = Period(2026, Periodicity.QUARTERLY, 1)
ALL = {
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
}


def values(rating: str, **overrides: str) -> dict[str, str]:
    data = dict.fromkeys(sorted(ALL), rating)
    data.update(overrides)
    return data


@dataclass
class Team:
    plans: Plans
    peer_plan: Plan
    period: Period


def record(org: Org, persona: str, plan: Plan, values_by_month: dict[int, list[Decimal]]) -> None:
    indicators = [i for r in plan.rhks.all() for i in r.indicators.all()]
    for month, numbers in values_by_month.items():
        perf.realisation_save_month(
            plan=plan,
            month=month,
            by=org.users[persona],
            rows=[perf.RealisationInput(i, v) for i, v in zip(indicators, numbers, strict=True)],
        )


@pytest.fixture
def team(org: Org, employee_plan: Plans, time_machine) -> Team:  # noqa: F811  # type: ignore[no-untyped-def]
    org.users["peer"] = make_user(employee=org.peer)
    peer_plan, _ = approved_plan(
        org,
        "peer",
        parent=employee_plan.supervisor_rhk,
        text="Terlayaninya ibu hamil",
        approver="supervisor",
    )
    # Q1: the nurse serves 330 of 300 patients (110%: di atas) and responds in 8 of 10 minutes
    # (120%: di atas) → suggestion Di Atas. The midwife does 2 of 3 (67%: di bawah).
    record(
        org,
        "employee",
        employee_plan.employee,
        {
            1: [Decimal(110), Decimal(8)],
            2: [Decimal(110), Decimal(8)],
            3: [Decimal(110), Decimal(8)],
        },
    )
    record(org, "peer", peer_plan, {1: [Decimal(1)], 2: [Decimal(0)], 3: [Decimal(1)]})
    time_machine.move_to("2026-11-28 09:00 +07:00")
    return Team(employee_plan, peer_plan, Q1)


def set_org(org: Org, predikat: str, period: Period = Q1) -> None:
    services.org_predikat_set(
        unit=org.dinkes,
        period=period,
        predikat=predikat,
        reason="Ditetapkan",
        by=org.users["pimpinan"],
    )


def rate(
    org: Org,
    plan: Plan,
    hasil: str,
    perilaku: str,
    *,
    by: str = "supervisor",
    period: Period = Q1,
    **kw: str,
) -> Assessment:
    return services.assessment_save(
        plan=plan,
        period=period,
        by=org.users[by],
        behaviour=values(perilaku),
        hasil=hasil,
        perilaku=perilaku,
        hasil_reason=kw.get("hasil_reason", "Alasan penilai yang jelas."),
        perilaku_reason=kw.get("perilaku_reason", "Alasan perilaku."),
    )
