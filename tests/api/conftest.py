"""The API's world, built through the real services on top of the personas (tests/conftest.py):
the nurse's approved plan (tests/performance/conftest.py), a final assessment with an objection,
a complaint at the Puskesmas, and October's TPP lines (tests/rewards/conftest.py). Every
persona holds a personal token with the `admin` scope (its owner's full rights)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from kinerja.assessment import services as assessment_services
from kinerja.assessment.models import Assessment, Objection
from kinerja.organisation.models import Employee
from kinerja.organisation.tokens import token_create
from kinerja.public import services as public_services
from kinerja.public.models import Complaint
from kinerja.rewards import services as rewards_services
from kinerja.rewards.models import TppLine
from tests.conftest import Org
from tests.performance.conftest import Plans, employee_plan, plans  # noqa: F401
from tests.public.conftest import Pub, pub  # noqa: F401
from tests.rewards.conftest import (  # noqa: F401
    bases,
    default_rules,
    finalise,
    import_rows,
    on_time_days,
)


@dataclass
class World:
    org: Org
    plans: Plans
    assessment: Assessment
    objection: Objection
    complaint: Complaint
    line: TppLine
    tokens: dict[str, str]


def bearer(token: str | None) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}


@pytest.fixture
def world(  # type: ignore[no-untyped-def]
    org: Org,
    regional: Employee,
    employee_plan: Plans,  # noqa: F811
    pub: Pub,  # noqa: F811
    bases,  # noqa: F811
    time_machine,
) -> World:
    time_machine.move_to("2026-11-10 09:00 +07:00")
    assessment = finalise(org.employee, "2026-T3", "baik")
    Assessment.objects.filter(pk=assessment.pk).update(shown_at=timezone.now())
    assessment.refresh_from_db()
    objection = assessment_services.objection_submit(
        assessment=assessment,
        by=org.users["employee"],
        reasons="Capaian triwulan ini belum memperhitungkan kegiatan posyandu.",
    )
    complaint = public_services.complaint_file(
        unit=org.puskesmas,
        service=pub.pkm,
        kind="pengaduan",
        category="waktu",
        description="Antrean sangat lama di loket pendaftaran.",
    )
    import_rows(org, on_time_days(org.employee, 2026, 10))
    rewards_services.tpp_calculate(year=2026, month=10, by=org.users["bkpsdm"])
    tokens = {
        persona: token_create(user=user, name="uji", scopes=["admin"])[1]
        for persona, user in org.users.items()
    }
    return World(
        org=org,
        plans=employee_plan,
        assessment=assessment,
        objection=objection,
        complaint=complaint,
        line=TppLine.objects.get(employee=org.employee),
        tokens=tokens,
    )
