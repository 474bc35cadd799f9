"""Plans for the personas: the unit head's plan hangs from a Dinkes goal, the supervisor's
from the head's RHK, and the employee's from the supervisor's (the cascade of DOMAIN §1)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from kinerja.performance import services
from kinerja.performance.models import Indicator, OrgGoal, Plan, Rhk
from tests.conftest import Org

YEAR = 2026


@dataclass
class Plans:
    goal: OrgGoal
    head: Plan
    head_rhk: Rhk
    supervisor: Plan
    supervisor_rhk: Rhk
    employee: Plan | None = None
    employee_rhk: Rhk | None = None
    patients: Indicator | None = None
    response_time: Indicator | None = None


def approved_plan(
    org: Org,
    persona: str,
    parent: Rhk | None = None,
    goal: OrgGoal | None = None,
    text: str = "RHK contoh",
    approver: str | None = None,
) -> tuple[Plan, Rhk]:
    user = org.users[persona]
    plan = services.plan_create(employee=user.employee, year=YEAR, by=user)
    rhk = services.rhk_add(plan=plan, by=user, kind="utama", text=text, parent=parent, goal=goal)
    services.indicator_add(
        rhk=rhk,
        by=user,
        aspek="kuantitas",
        name=f"Indikator {text}",
        unit_of_measure="kegiatan",
        target=Decimal(12),
        polarity="higher_is_better",
        aggregation="sum",
    )
    services.plan_submit(plan=plan, by=user)
    if approver:
        services.plan_approve(plan=plan, by=org.users[approver])
    plan.refresh_from_db()
    return plan, rhk


@pytest.fixture
def plans(org: Org, time_machine) -> Plans:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-07-10 09:00 +07:00")
    goal = services.goal_save(
        by=org.users["bkpsdm"],
        opd=org.dinkes,
        year=YEAR,
        number=1,
        sasaran="Meningkatnya derajat kesehatan masyarakat",
        indicator="Angka kematian ibu",
        unit_of_measure="per 100.000",
        target=Decimal(80),
        polarity="lower_is_better",
    )
    from kinerja.organisation.choices import Role
    from tests.factories import make_user

    regent = make_user(username="bupati", role=Role.PIMPINAN)
    org.users["regent"] = regent
    head, head_rhk = approved_plan(
        org, "unit_head", goal=goal, text="Meningkatnya pelayanan kesehatan", approver="regent"
    )
    supervisor, supervisor_rhk = approved_plan(
        org,
        "supervisor",
        parent=head_rhk,
        text="Terlaksananya pelayanan Puskesmas",
        approver="unit_head",
    )
    return Plans(goal, head, head_rhk, supervisor, supervisor_rhk)


@pytest.fixture
def employee_plan(org: Org, plans: Plans) -> Plans:
    """The nurse's plan, approved, with a count and a lower-is-better indicator."""
    user = org.users["employee"]
    plan = services.plan_create(employee=user.employee, year=YEAR, by=user)
    rhk = services.rhk_add(
        plan=plan,
        by=user,
        kind="utama",
        text="Terlayaninya pasien rawat jalan",
        parent=plans.supervisor_rhk,
    )
    plans.patients = services.indicator_add(
        rhk=rhk,
        by=user,
        aspek="kuantitas",
        name="Jumlah pasien terlayani",
        unit_of_measure="pasien",
        target=Decimal(1200),
        polarity="higher_is_better",
        aggregation="sum",
    )
    plans.response_time = services.indicator_add(
        rhk=rhk,
        by=user,
        aspek="waktu",
        name="Waktu respons penanganan gawat darurat",
        unit_of_measure="menit",
        target=Decimal(10),
        polarity="lower_is_better",
        aggregation="average",
    )
    services.plan_submit(plan=plan, by=user)
    services.plan_approve(plan=plan, by=org.users["supervisor"])
    plan.refresh_from_db()
    plans.employee, plans.employee_rhk = plan, rhk
    return plans
