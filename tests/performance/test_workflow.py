"""The SKP workflow: who may do each transition, the cascade rule, versions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kinerja.core.models import AuditLog, Notification
from kinerja.performance import services
from kinerja.performance.choices import PlanStatus
from kinerja.performance.models import BehaviourExpectation, Plan, PlanVersion
from tests.conftest import Org
from tests.performance.conftest import YEAR, Plans


def _draft(org: Org, plans: Plans) -> Plan:
    user = org.users["employee"]
    plan = services.plan_create(employee=user.employee, year=YEAR, by=user)
    rhk = services.rhk_add(
        plan=plan, by=user, kind="utama", text="Terlayaninya pasien", parent=plans.supervisor_rhk
    )
    services.indicator_add(
        rhk=rhk,
        by=user,
        aspek="kuantitas",
        name="Jumlah pasien",
        unit_of_measure="pasien",
        target=Decimal(100),
        polarity="higher_is_better",
        aggregation="sum",
    )
    return plan


def test_a_new_plan_snapshots_people_and_has_the_seven_values(org: Org, plans: Plans) -> None:
    plan = _draft(org, plans)
    assert plan.status == PlanStatus.DRAFT and plan.assessor == org.supervisor
    assert plan.employee_snapshot["nip"] == org.employee.nip_formatted
    assert plan.assessor_snapshot["name"] == org.supervisor.full_name
    assert BehaviourExpectation.objects.filter(plan=plan).count() == 7


def test_draft_submit_return_resubmit_approve(
    org: Org, plans: Plans, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    plan = _draft(org, plans)
    employee, supervisor = org.users["employee"], org.users["supervisor"]
    services.plan_submit(plan=plan, by=employee)
    with pytest.raises(ValidationError):
        services.rhk_add(plan=plan, by=employee, kind="utama", text="Terkunci")
    with pytest.raises(ValidationError, match="catatan"):
        services.plan_return(plan=plan, by=supervisor, note="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_return(plan=plan, by=supervisor, note="Target terlalu rendah")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.return_note == "Target terlalu rendah"
    assert Notification.objects.filter(
        recipient=employee, message__contains="dikembalikan"
    ).exists()
    indicator = plan.rhks.get().indicators.get()
    services.indicator_update(indicator=indicator, by=employee, target=Decimal(150))
    services.plan_submit(plan=plan, by=employee)
    services.plan_approve(plan=plan, by=supervisor)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == supervisor
    version = PlanVersion.objects.get(plan=plan)
    assert version.number == 1 and version.snapshot["rhk"][0]["indicators"][0]["target"] == "150"


@pytest.mark.parametrize(
    "persona", ["employee", "peer", "unit_head", "admin_opd", "bkpsdm", "other"]
)
def test_only_the_assessor_approves_or_returns(org: Org, plans: Plans, persona: str) -> None:
    plan = _draft(org, plans)
    services.plan_submit(plan=plan, by=org.users["employee"])
    from tests.factories import make_user

    user = org.users.get(persona) or make_user(employee=org.peer)
    with pytest.raises(ValidationError):
        services.plan_approve(plan=plan, by=user)
    with pytest.raises(ValidationError):
        services.plan_return(plan=plan, by=user, note="x")
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


@pytest.mark.parametrize("persona", ["supervisor", "admin_opd", "bkpsdm"])
def test_only_the_owner_edits_and_submits(org: Org, plans: Plans, persona: str) -> None:
    plan = _draft(org, plans)
    with pytest.raises(ValidationError):
        services.rhk_add(plan=plan, by=org.users[persona], kind="utama", text="Bukan milik saya")
    with pytest.raises(ValidationError):
        services.plan_submit(plan=plan, by=org.users[persona])


def test_the_parent_rhk_must_come_from_the_direct_supervisors_plan(org: Org, plans: Plans) -> None:
    user = org.users["employee"]
    plan = services.plan_create(employee=user.employee, year=YEAR, by=user)
    with pytest.raises(ValidationError, match="atasan langsung"):
        services.rhk_add(plan=plan, by=user, kind="utama", text="Lompat", parent=plans.head_rhk)
    with pytest.raises(ValidationError, match="kepala unit"):
        services.rhk_add(plan=plan, by=user, kind="utama", text="Sasaran", goal=plans.goal)
    # Same supervisor, wrong year.
    other_year = services.plan_create(
        employee=org.supervisor, year=YEAR + 1, by=org.users["supervisor"]
    )
    parent = services.rhk_add(
        plan=other_year, by=org.users["supervisor"], kind="utama", text="2027"
    )
    with pytest.raises(ValidationError, match="tahun yang sama"):
        services.rhk_add(plan=plan, by=user, kind="utama", text="Tahun salah", parent=parent)


def test_a_subordinate_drafts_against_a_draft_but_approval_waits(org: Org, plans: Plans) -> None:
    supervisor = org.users["supervisor"]
    # The supervisor reopens their plan: its RHK is now in a draft, but was approved before.
    next_year = YEAR + 1
    sup_plan = services.plan_create(employee=org.supervisor, year=next_year, by=supervisor)
    sup_rhk = services.rhk_add(plan=sup_plan, by=supervisor, kind="utama", text="Draf atasan")
    user = org.users["employee"]
    plan = services.plan_create(employee=user.employee, year=next_year, by=user)
    rhk = services.rhk_add(plan=plan, by=user, kind="utama", text="Ikut draf", parent=sup_rhk)
    services.indicator_add(
        rhk=rhk,
        by=user,
        aspek="kuantitas",
        name="Jumlah",
        unit_of_measure="x",
        target=Decimal(1),
        polarity="higher_is_better",
        aggregation="sum",
    )
    services.plan_submit(plan=plan, by=user)
    with pytest.raises(ValidationError, match="belum disetujui"):
        services.plan_approve(plan=plan, by=supervisor)


def test_submission_lists_what_is_missing(org: Org, plans: Plans) -> None:
    user = org.users["employee"]
    plan = services.plan_create(employee=user.employee, year=YEAR, by=user)
    with pytest.raises(ValidationError) as exc:
        services.plan_submit(plan=plan, by=user)
    assert "RHK utama" in str(exc.value)
    services.rhk_add(plan=plan, by=user, kind="utama", text="Tanpa induk")
    with pytest.raises(ValidationError) as exc:
        services.plan_submit(plan=plan, by=user)
    text = " ".join(exc.value.messages)
    assert "belum memiliki indikator" in text and "RHK atasan" in text


def test_a_change_after_approval_is_a_new_version_with_what_changed(
    org: Org, employee_plan: Plans
) -> None:
    plan, user = employee_plan.employee, org.users["employee"]
    services.plan_new_version(plan=plan, by=user)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.version == 2
    services.indicator_update(indicator=employee_plan.patients, by=user, target=Decimal(1500))
    services.plan_submit(plan=plan, by=user)
    services.plan_approve(plan=plan, by=org.users["supervisor"])
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].snapshot["rhk"][0]["indicators"][0]["target"] == "1200"
    assert any("target 1.200 → 1.500" in change for change in versions[1].changes)


def test_the_regent_approves_the_top_plan(org: Org, plans: Plans) -> None:
    assert plans.head.status == PlanStatus.APPROVED
    assert plans.head.approved_by == org.users["regent"]


def test_copying_last_years_plan_relinks_parents_by_text(org: Org, employee_plan: Plans) -> None:
    supervisor = org.users["supervisor"]
    sup_next = services.plan_create(
        employee=org.supervisor, year=YEAR + 1, by=supervisor, copy_from=employee_plan.supervisor
    )
    assert sup_next.rhks.get().text == "Terlaksananya pelayanan Puskesmas"
    user = org.users["employee"]
    copied = services.plan_create(
        employee=org.employee, year=YEAR + 1, by=user, copy_from=employee_plan.employee
    )
    rhk = copied.rhks.get()
    assert rhk.parent == sup_next.rhks.get()
    assert [i.name for i in rhk.indicators.all()] == [
        "Jumlah pasien terlayani",
        "Waktu respons penanganan gawat darurat",
    ]


def test_a_supervisor_hands_one_rhk_to_several_reports(org: Org, plans: Plans) -> None:
    result = services.rhk_distribute(
        rhk=plans.supervisor_rhk,
        by=org.users["supervisor"],
        employees=[org.employee, org.peer, org.other_employee],
    )
    assert {e.pk for e in result.created} == {org.employee.pk, org.peer.pk}
    assert [e.pk for e, _ in result.skipped] == [org.other_employee.pk]
    for employee in (org.employee, org.peer):
        plan = Plan.objects.get(employee=employee, year=YEAR)
        assert plan.rhks.get().parent == plans.supervisor_rhk
    again = services.rhk_distribute(
        rhk=plans.supervisor_rhk, by=org.users["supervisor"], employees=[org.employee]
    )
    assert not again.created and "sudah memiliki" in again.skipped[0][1]


def test_every_transition_is_audited(org: Org, employee_plan: Plans) -> None:
    actions = AuditLog.objects.filter(
        object_type="performance.plan", object_id=str(employee_plan.employee.pk)
    )
    assert actions.count() >= 3
