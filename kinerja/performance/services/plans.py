"""The SKP plan's lifecycle: create (blank or copied), the assessing official following the
supervisor, submit, return, approve (an approved version), a new version, the lampiran and the
leader's expectations."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record, diff, snapshot
from kinerja.core.notifications import notify
from kinerja.core.text import trimmed
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User
from kinerja.rules import berakhlak

from ..choices import PlanStatus, RhkKind
from ..models import BehaviourExpectation, Indicator, Plan, PlanVersion, Rhk
from ._shared import (
    INDICATOR_FIELDS,
    check_editable,
    is_unit_head,
    lock_plan,
    person_snapshot,
    plan_url,
    require,
)
from .versions import plan_snapshot, snapshot_changes

# --- Plans -------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, employee: Employee, year: int, by: User, copy_from: Plan | None = None) -> Plan:
    """A new draft SKP for `year`, optionally copying the RHK and indicators of another plan
    (typically last year's). The assessing official is the direct supervisor."""
    require(
        access.is_plan_owner(by, Plan(employee=employee)) or access.is_regency_admin(by),
        _("Hanya pegawai yang bersangkutan yang dapat membuat SKP-nya."),
    )
    require(2000 <= year <= 2100, _("Tahun tidak valid."))
    require(
        not Plan.objects.filter(employee=employee, year=year).exists(),
        _("SKP tahun %(year)d sudah ada.") % {"year": year},
    )
    plan = Plan.objects.create(
        employee=employee,
        year=year,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        assessor=employee.supervisor,
        employee_snapshot=person_snapshot(employee),
        assessor_snapshot=person_snapshot(employee.supervisor),
    )
    BehaviourExpectation.objects.bulk_create(
        [BehaviourExpectation(plan=plan, value_code=value.code) for value in berakhlak.VALUES]
    )
    if copy_from is not None:
        require(
            copy_from.employee_id == employee.pk, _("Hanya SKP milik sendiri yang dapat disalin.")
        )
        _copy_content(copy_from, plan)
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=plan,
        changes={"year": [None, year], "copied_from": [None, copy_from and copy_from.pk]},
    )
    return plan


@transaction.atomic
def plan_assessor_follow(*, employee_id: int, by: User | None = None) -> list[Plan]:
    """After an employee's direct supervisor changed (mutasi, promotion, a new head): their
    plans still running (ending today or later) take the new supervisor as assessing official
    (pejabat penilai), who from now on approves, reviews and reopens. Periods already over keep
    the official who supervised them (organisation.access.is_period_assessor). Called through
    the "supervisor" event after the change commits."""
    employee = Employee.objects.select_related("supervisor__position", "supervisor__unit__opd").get(
        pk=employee_id
    )
    supervisor = employee.supervisor
    plans = list(
        Plan.objects.select_for_update(of=("self",))
        .filter(employee_id=employee_id, period_end__gte=timezone.localdate())
        .exclude(assessor_id=employee.supervisor_id)
    )
    for plan in plans:
        before = plan.assessor_id
        plan.assessor = supervisor
        plan.assessor_snapshot = person_snapshot(supervisor)
        plan.save(update_fields=["assessor", "assessor_snapshot", "updated_at"])
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            obj=plan,
            changes={"assessor": [before, plan.assessor_id]},
            note=_("Pejabat penilai mengikuti atasan langsung yang baru"),
        )
    return plans


def on_supervisor_changed(*, topic: str, employee_id: int, **data: Any) -> None:
    """The "supervisor" event (kinerja.core.events), subscribed in PerformanceConfig.ready()."""
    plan_assessor_follow(employee_id=employee_id)


def _copy_content(source: Plan, target: Plan) -> None:
    """Copy RHK and indicators; a parent RHK is re-linked to the supervisor's plan of the new
    year when an RHK with the same text exists there, otherwise left for the employee to pick."""
    parents = {
        rhk.text.strip().lower(): rhk
        for rhk in Rhk.objects.filter(plan__employee=target.assessor_id, plan__year=target.year)
    }
    for rhk in source.rhks.prefetch_related("indicators").select_related("parent"):
        parent = parents.get(rhk.parent.text.strip().lower()) if rhk.parent else None
        new = Rhk.objects.create(
            plan=target, kind=rhk.kind, order=rhk.order, text=rhk.text, parent=parent
        )
        Indicator.objects.bulk_create(
            [
                Indicator(
                    rhk=new, **{f: getattr(ind, f) for f in INDICATOR_FIELDS}, order=ind.order
                )
                for ind in rhk.indicators.all()
            ]
        )
    target.dukungan_sumber_daya = source.dukungan_sumber_daya
    target.skema_pertanggungjawaban = source.skema_pertanggungjawaban
    target.konsekuensi = source.konsekuensi
    target.save(update_fields=["dukungan_sumber_daya", "skema_pertanggungjawaban", "konsekuensi"])


def submission_problems(plan: Plan) -> list[str]:
    """What still stops a plan from being submitted (empty when it can be)."""
    problems = []
    rhks = list(plan.rhks.prefetch_related("indicators").select_related("parent__plan"))
    if not any(r.kind == RhkKind.UTAMA for r in rhks):
        problems.append(_("SKP belum memiliki RHK utama."))
    head = is_unit_head(plan.employee)
    for rhk in rhks:
        if not rhk.indicators.all():
            problems.append(_("RHK “%(rhk)s” belum memiliki indikator.") % {"rhk": rhk.text})
        if rhk.kind == RhkKind.UTAMA and rhk.parent_id is None and rhk.goal_id is None:
            problems.append(
                (
                    _("RHK “%(rhk)s” belum dikaitkan dengan sasaran OPD.")
                    if head
                    else _("RHK “%(rhk)s” belum dikaitkan dengan RHK atasan yang diintervensi.")
                )
                % {"rhk": rhk.text}
            )
    return problems


@transaction.atomic
def plan_submit(*, plan: Plan, by: User) -> Plan:
    plan = lock_plan(plan)
    check_editable(plan, by)
    problems = submission_problems(plan)
    if problems:
        raise ValidationError(problems)
    plan.status, plan.submitted_at, plan.return_note = PlanStatus.SUBMITTED, timezone.now(), ""
    _plan_changed(plan)
    plan.save(update_fields=["status", "submitted_at", "return_note", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=plan,
        changes={"status": [PlanStatus.DRAFT, PlanStatus.SUBMITTED]},
    )
    notify(
        recipient=plan.assessor,
        url=plan_url(plan),
        message=_("%(name)s mengajukan SKP %(year)d untuk disetujui.")
        % {"name": plan.employee.full_name, "year": plan.year},
    )
    return plan


@transaction.atomic
def plan_return(*, plan: Plan, by: User, note: str) -> Plan:
    plan = lock_plan(plan)
    require(
        access.is_plan_assessor(by, plan), _("Hanya pejabat penilai yang dapat mengembalikan SKP.")
    )
    require(
        plan.status == PlanStatus.SUBMITTED, _("Hanya SKP yang diajukan yang dapat dikembalikan.")
    )
    note = trimmed(note)
    require(bool(note), _("Tuliskan catatan apa yang perlu diperbaiki."))
    plan.status, plan.return_note = PlanStatus.RETURNED, note[:5000]
    _plan_changed(plan)
    plan.save(update_fields=["status", "return_note", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=plan,
        note=note[:500],
        changes={"status": [PlanStatus.SUBMITTED, PlanStatus.RETURNED]},
    )
    notify(
        recipient=plan.employee,
        url=plan_url(plan),
        message=_("SKP %(year)d Anda dikembalikan dengan catatan: %(note)s")
        % {"year": plan.year, "note": note[:150]},
    )
    return plan


@transaction.atomic
def plan_approve(*, plan: Plan, by: User) -> Plan:
    """Approve and lock; needs every intervened parent RHK to be in an approved plan
    (project rule: drafting against a draft is fine, approval is not)."""
    plan = lock_plan(plan)
    require(
        access.is_plan_assessor(by, plan), _("Hanya pejabat penilai yang dapat menyetujui SKP.")
    )
    require(plan.status == PlanStatus.SUBMITTED, _("Hanya SKP yang diajukan yang dapat disetujui."))
    pending = [
        rhk.text
        for rhk in plan.rhks.select_related("parent__plan")
        if rhk.parent and not rhk.parent.plan.has_been_approved
    ]
    if pending:
        raise ValidationError(
            [
                _(
                    "RHK atasan untuk “%(rhk)s” belum disetujui. SKP atasan harus disetujui lebih "
                    "dahulu."
                )
                % {"rhk": text}
                for text in pending
            ]
        )
    now = timezone.now()
    plan.status, plan.approved_at, plan.approved_by = PlanStatus.APPROVED, now, by
    _plan_changed(plan)
    plan.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    data = plan_snapshot(plan)
    previous = plan.versions.order_by("-number").first()
    PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        snapshot=data,
        approved_at=now,
        approved_by=by,
        changes=snapshot_changes(previous.snapshot if previous else None, data),
    )
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=plan,
        changes={
            "status": [PlanStatus.SUBMITTED, PlanStatus.APPROVED],
            "version": [None, plan.version],
        },
    )
    notify(
        recipient=plan.employee,
        url=plan_url(plan),
        message=_("SKP %(year)d Anda telah disetujui.") % {"year": plan.year},
    )
    return plan


@transaction.atomic
def plan_new_version(*, plan: Plan, by: User) -> Plan:
    """Reopen an approved plan for changes as the next version; the approved version stays
    readable and realisations stay with their indicators."""
    plan = lock_plan(plan)
    require(access.is_plan_owner(by, plan), _("Hanya pegawai pemilik SKP yang dapat mengubahnya."))
    require(
        plan.status == PlanStatus.APPROVED, _("Hanya SKP yang disetujui yang dibuat versi barunya.")
    )
    plan.status, plan.version = PlanStatus.DRAFT, plan.version + 1
    _plan_changed(plan)
    plan.save(update_fields=["status", "version", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=plan,
        changes={
            "status": [PlanStatus.APPROVED, PlanStatus.DRAFT],
            "version": [plan.version - 1, plan.version],
        },
    )
    return plan


@transaction.atomic
def plan_update_lampiran(*, plan: Plan, by: User, **fields: str) -> Plan:
    plan = lock_plan(plan)
    check_editable(plan, by)
    names = ("dukungan_sumber_daya", "skema_pertanggungjawaban", "konsekuensi")
    before = snapshot(plan, names)
    for name in names:
        if name in fields:
            setattr(plan, name, fields[name].strip()[:5000])
    plan.save(update_fields=[*names, "updated_at"])
    audit_record(
        actor=by, action=AuditAction.UPDATE, obj=plan, changes=diff(before, snapshot(plan, names))
    )
    return plan


@transaction.atomic
def behaviour_set_expectation(
    *, behaviour: BehaviourExpectation, by: User, expectation: str
) -> None:
    """The leader's specific expectation for one BerAKHLAK value (set by the assessor)."""
    plan = lock_plan(behaviour.plan)
    require(access.is_plan_assessor(by, plan), _("Ekspektasi khusus diisi oleh pejabat penilai."))
    require(
        plan.status != PlanStatus.APPROVED,
        _("SKP sudah disetujui; ekspektasi diubah melalui versi baru."),
    )
    before = behaviour.expectation
    behaviour.expectation = expectation.strip()[:2000]
    behaviour.save(update_fields=["expectation"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=behaviour,
        changes={"expectation": [before, behaviour.expectation]},
    )


def _plan_changed(plan: Plan) -> None:
    from kinerja.core import events

    employee_id, plan_id, status = plan.employee_id, plan.pk, plan.status
    transaction.on_commit(
        lambda: events.publish("plan", employee_id=employee_id, plan_id=plan_id, status=status)
    )
