"""A transfer (the direct supervisor changes) and the assessing official (issue 10, security 2).

A former supervisor kept the assessment page of the transferred nurse (indicators, evidence,
feedback, the rating form) while every other page answered 404, and the plan's assessor stayed
theirs. The rule (organisation.access.is_period_assessor): whoever supervised a period to its
end rates that period, and nothing else; the running plan follows the new supervisor.

Here the nurse moves, on 28 November 2026, from the Kepala Puskesmas (`supervisor`) to report
to the Kepala Dinas (`unit_head`): Triwulan I–III ended under the old supervisor, Triwulan IV
runs under the new one.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.assessment.models import Assessment
from kinerja.organisation import access
from kinerja.organisation import services as organisation
from kinerja.performance.models import Plan
from kinerja.rules.periods import Period, Periodicity
from tests.conftest import Org, client_for

from .conftest import Team, rate, team  # noqa: F401 (fixtures)

Q1 = Period(2026, Periodicity.QUARTERLY, 1)
Q4 = Period(2026, Periodicity.QUARTERLY, 4)


@pytest.fixture(autouse=True)
def clock(time_machine):  # type: ignore[no-untyped-def]
    """The organisation is recorded on 2 January 2026 (autouse: before `org` is built)."""
    time_machine.move_to("2026-01-02 08:00 +07:00")


@pytest.fixture
def moved(org: Org, team: Team, django_capture_on_commit_callbacks) -> Plan:  # noqa: F811  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        organisation.employee_update(
            employee=org.employee,
            by=org.users["bkpsdm"],
            reason="mutasi",
            supervisor=org.unit_head,
        )
    plan = team.plans.employee
    plan.refresh_from_db()
    return plan


def assess_url(plan: Plan, period: Period) -> str:
    return f"{reverse('assessment:assess', args=[plan.pk])}?periode={period.code}"


def test_the_running_plan_follows_the_new_supervisor(org: Org, moved: Plan) -> None:
    assert moved.assessor_id == org.unit_head.pk
    assert moved.assessor_snapshot["name"] == org.unit_head.full_name
    assert access.is_plan_assessor(org.users["unit_head"], moved)
    assert not access.is_plan_assessor(org.users["supervisor"], moved)


def test_the_former_supervisor_rates_only_the_periods_they_supervised(
    org: Org, moved: Plan
) -> None:
    former = client_for(org, "supervisor")
    assert former.get(assess_url(moved, Q1)).status_code == 200
    assert former.get(assess_url(moved, Q4)).status_code == 404
    # Nothing else: the nurse's record, plan and API stay closed to them.
    for url in (
        reverse("organisation:employee_detail", args=[org.employee.pk]),
        reverse("performance:plan_detail", args=[moved.pk]),
        f"/api/v1/plans/{moved.pk}",
    ):
        assert former.get(url).status_code == 404, url
    team_q1 = former.get(f"{reverse('assessment:team')}?periode={Q1.code}")
    team_q4 = former.get(f"{reverse('assessment:team')}?periode={Q4.code}")
    assert org.employee.full_name in team_q1.content.decode()
    assert org.employee.full_name not in team_q4.content.decode()


def test_the_new_supervisor_rates_the_running_period_only(org: Org, moved: Plan) -> None:
    new = client_for(org, "unit_head")
    assert new.get(assess_url(moved, Q4)).status_code == 200
    assert new.get(assess_url(moved, Q1)).status_code == 404
    team_q4 = new.get(f"{reverse('assessment:team')}?periode={Q4.code}").content.decode()
    assert org.employee.full_name in team_q4


def test_a_rating_records_the_periods_own_assessor(org: Org, moved: Plan) -> None:
    assessment = rate(org, moved, "di_atas", "sesuai", by="supervisor", period=Q1)
    assert assessment.assessor_id == org.supervisor.pk
    with pytest.raises(Exception, match="pejabat penilai"):
        rate(org, moved, "di_atas", "sesuai", by="supervisor", period=Q4)
    with pytest.raises(Exception, match="pejabat penilai"):
        rate(org, moved, "di_atas", "sesuai", by="unit_head", period=Q1)
    later = rate(org, moved, "sesuai", "sesuai", by="unit_head", period=Q4)
    assert later.assessor_id == org.unit_head.pk
    assert Assessment.objects.filter(employee=org.employee).count() == 2


def test_the_former_supervisor_cannot_post_a_rating_for_a_later_period(
    org: Org, moved: Plan
) -> None:
    response = client_for(org, "supervisor").post(
        assess_url(moved, Q4), {"hasil": "di_atas", "perilaku": "sesuai"}
    )
    assert response.status_code == 404
    assert not Assessment.objects.filter(employee=org.employee).exists()


def test_a_transfer_by_import_moves_the_running_plan_too(
    org: Org,
    team: Team,  # noqa: F811
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from kinerja.organisation import imports
    from tests.organisation.test_imports import HEADERS, csv, row

    data = csv(
        HEADERS,
        [row(org.employee.nip, "Siti Rahmawati", unit="DINKES", supervisor=org.unit_head.nip)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = imports.import_file(
            kind="employees", data=data, filename="mutasi.csv", by=org.users["bkpsdm"]
        )
    assert report.ok
    plan = team.plans.employee
    plan.refresh_from_db()
    assert plan.assessor_id == org.unit_head.pk
    assert access.period_assessor_id(plan, Q1) == org.supervisor.pk
    assert access.period_assessor_id(plan, Q4) == org.unit_head.pk
