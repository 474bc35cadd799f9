"""Monitoring data on top of the performance fixtures: the nurse (employee) has entered January
to May, all but March on time, at a pace below target for the patients; June is missing; the
peer (the midwife, same supervisor) has an approved plan on pace. Today is 10 July 2026."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from kinerja.monitoring import services as monitoring
from kinerja.performance import services
from kinerja.performance.models import Indicator, Plan
from tests.conftest import Org
from tests.performance.conftest import Plans, employee_plan, plans  # noqa: F401 (fixtures)

YEAR = 2026


@dataclass
class Monitored:
    plans: Plans
    peer_plan: Plan
    peer_indicator: Indicator


def save_month(org: Org, persona: str, plan: Plan, month: int, values: dict[Indicator, int]):  # type: ignore[no-untyped-def]
    return services.realisation_save_month(
        plan=plan,
        month=month,
        by=org.users[persona],
        rows=[services.RealisationInput(ind, Decimal(v)) for ind, v in values.items()],
    )


def peer_plan(org: Org, base: Plans) -> tuple[Plan, Indicator]:
    user = org.users.get("peer")
    if user is None:
        from tests.factories import make_user

        user = make_user(employee=org.peer)
        org.users["peer"] = user
    plan = services.plan_create(employee=org.peer, year=YEAR, by=user)
    rhk = services.rhk_add(
        plan=plan, by=user, kind="utama", text="Terlayaninya ibu hamil", parent=base.supervisor_rhk
    )
    indicator = services.indicator_add(
        rhk=rhk,
        by=user,
        aspek="kuantitas",
        name="Jumlah kunjungan antenatal",
        unit_of_measure="kunjungan",
        target=Decimal(120),
        polarity="higher_is_better",
        aggregation="sum",
    )
    services.plan_submit(plan=plan, by=user)
    services.plan_approve(plan=plan, by=org.users["supervisor"])
    plan.refresh_from_db()
    return plan, indicator


@pytest.fixture
def monitored(org: Org, employee_plan: Plans, time_machine) -> Monitored:  # noqa: F811  # type: ignore[no-untyped-def]
    plan = employee_plan.employee
    assert plan is not None and employee_plan.patients and employee_plan.response_time
    time_machine.move_to("2026-02-01 08:00 +07:00")
    p_plan, p_indicator = peer_plan(org, employee_plan)
    for month in range(1, 7):
        # Entered on the 3rd of the next month (on time); the nurse enters March on the 9th
        # (late) and has not entered June.
        time_machine.move_to(f"2026-{month + 1:02d}-03 10:00 +07:00")
        save_month(org, "peer", p_plan, month, {p_indicator: 10})
        if month == 6:
            continue
        if month == 3:
            time_machine.move_to("2026-04-09 10:00 +07:00")
        save_month(
            org,
            "employee",
            plan,
            month,
            {employee_plan.patients: 70, employee_plan.response_time: 12},
        )
    time_machine.move_to("2026-07-10 09:00 +07:00")
    monitoring.figures_rebuild(year=YEAR)
    return Monitored(employee_plan, p_plan, p_indicator)
