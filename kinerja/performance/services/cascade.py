"""The content of a plan and the cascade: RHK (linked to the supervisor's RHK or an OPD
goal), indicators, and handing one RHK to several direct reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record, diff, snapshot
from kinerja.core.notifications import notify
from kinerja.core.text import trimmed
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User
from kinerja.rules import berakhlak

from ..choices import IndicatorSource, RhkKind
from ..models import BehaviourExpectation, Indicator, OrgGoal, Plan, Realisation, Rhk
from ._shared import (
    INDICATOR_FIELDS,
    check_editable,
    is_unit_head,
    lock_plan,
    person_snapshot,
    plan_url,
    require,
)

RHK_FIELDS = ("kind", "text", "parent", "goal")

# --- RHK and indicators ------------------------------------------------------------------


def _check_rhk_links(plan: Plan, kind: str, parent: Rhk | None, goal: OrgGoal | None) -> None:
    """Cascade rule: the parent RHK must be in the direct supervisor's plan of the same year; a
    goal must be the employee's OPD's goal of that year and only for a unit head."""
    require(not (parent and goal), _("Pilih RHK atasan atau sasaran OPD, tidak keduanya."))
    if parent is not None:
        supervisor_id = plan.employee.supervisor_id
        require(
            parent.plan.employee_id == supervisor_id and parent.plan.year == plan.year,
            _("RHK yang diintervensi harus berasal dari SKP atasan langsung pada tahun yang sama."),
        )
    if goal is not None:
        require(
            is_unit_head(plan.employee),
            _("Hanya kepala unit yang mengaitkan RHK langsung ke sasaran OPD."),
        )
        require(
            goal.opd_id == plan.employee.unit.opd_id and goal.year == plan.year,
            _("Sasaran harus milik OPD pegawai pada tahun yang sama."),
        )


@transaction.atomic
def rhk_add(
    *,
    plan: Plan,
    by: User,
    kind: str,
    text: str,
    parent: Rhk | None = None,
    goal: OrgGoal | None = None,
) -> Rhk:
    plan = lock_plan(plan)
    check_editable(plan, by)
    text = " ".join(text.split())
    require(bool(trimmed(text)), _("Rencana hasil kerja wajib diisi."))
    require(kind in RhkKind.values, _("Jenis RHK tidak dikenal."))
    _check_rhk_links(plan, kind, parent, goal)
    order = (plan.rhks.aggregate(m=Max("order"))["m"] or 0) + 1
    rhk = Rhk.objects.create(
        plan=plan, kind=kind, text=text[:500], parent=parent, goal=goal, order=order
    )
    audit_record(
        actor=by, action=AuditAction.CREATE, obj=rhk, changes=diff({}, snapshot(rhk, RHK_FIELDS))
    )
    return rhk


@transaction.atomic
def rhk_update(*, rhk: Rhk, by: User, **fields: Any) -> Rhk:
    plan = lock_plan(rhk.plan)
    check_editable(plan, by)
    before = snapshot(rhk, RHK_FIELDS)
    if "text" in fields:
        fields["text"] = " ".join(fields["text"].split())[:500]
        require(bool(trimmed(fields["text"])), _("Rencana hasil kerja wajib diisi."))
    for name, value in fields.items():
        setattr(rhk, name, value)
    _check_rhk_links(plan, rhk.kind, rhk.parent, rhk.goal)
    rhk.save()
    changes = diff(before, snapshot(rhk, RHK_FIELDS))
    if changes:
        audit_record(actor=by, action=AuditAction.UPDATE, obj=rhk, changes=changes)
    return rhk


@transaction.atomic
def rhk_delete(*, rhk: Rhk, by: User) -> None:
    plan = lock_plan(rhk.plan)
    check_editable(plan, by)
    require(
        not Realisation.objects.filter(indicator__rhk=rhk).exists(),
        _("RHK ini sudah memiliki realisasi dan tidak dapat dihapus."),
    )
    require(
        not rhk.children.exists(),
        _("RHK ini sudah diintervensi oleh RHK bawahan dan tidak dapat dihapus."),
    )
    audit_record(
        actor=by, action=AuditAction.DELETE, obj=rhk, changes=diff(snapshot(rhk, RHK_FIELDS), {})
    )
    rhk.delete()


def _clean_indicator(indicator: Indicator) -> None:
    indicator.name = " ".join(indicator.name.split())[:400]
    require(bool(trimmed(indicator.name)), _("Nama indikator wajib diisi."))
    require(bool(trimmed(indicator.unit_of_measure)), _("Satuan wajib diisi."))
    targets = indicator.monthly_targets
    if targets:
        require(len(targets) == 12, _("Target bulanan harus 12 angka (Januari–Desember)."))
    if indicator.source != IndicatorSource.MANUAL:
        require(
            bool(indicator.source_ref) or indicator.source == IndicatorSource.COMPLAINTS,
            _("Indikator otomatis IKM memerlukan kode layanan."),
        )
    indicator.full_clean(exclude=["rhk"])


@transaction.atomic
def indicator_add(*, rhk: Rhk, by: User, **fields: Any) -> Indicator:
    plan = lock_plan(rhk.plan)
    check_editable(plan, by)
    order = (rhk.indicators.aggregate(m=Max("order"))["m"] or 0) + 1
    indicator = Indicator(rhk=rhk, order=order, **fields)
    _clean_indicator(indicator)
    indicator.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=indicator,
        changes=diff({}, snapshot(indicator, INDICATOR_FIELDS)),
    )
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, by: User, **fields: Any) -> Indicator:
    plan = lock_plan(indicator.rhk.plan)
    check_editable(plan, by)
    before = snapshot(indicator, INDICATOR_FIELDS)
    for name, value in fields.items():
        setattr(indicator, name, value)
    _clean_indicator(indicator)
    indicator.save()
    changes = diff(before, snapshot(indicator, INDICATOR_FIELDS))
    if changes:
        audit_record(actor=by, action=AuditAction.UPDATE, obj=indicator, changes=changes)
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by: User) -> None:
    plan = lock_plan(indicator.rhk.plan)
    check_editable(plan, by)
    require(
        not indicator.realisations.exists(),
        _("Indikator ini sudah memiliki realisasi dan tidak dapat dihapus."),
    )
    audit_record(
        actor=by,
        action=AuditAction.DELETE,
        obj=indicator,
        changes=diff(snapshot(indicator, INDICATOR_FIELDS), {}),
    )
    indicator.delete()


@dataclass
class DistributionResult:
    created: list[Employee]
    skipped: list[tuple[Employee, str]]


@transaction.atomic
def rhk_distribute(*, rhk: Rhk, by: User, employees: Iterable[Employee]) -> DistributionResult:
    """A supervisor hands the same RHK to several direct reports at once: each gets an Utama
    RHK intervening in it (a draft plan is created for whoever has none yet)."""
    require(access.is_plan_owner(by, rhk.plan), _("Hanya pemilik RHK yang dapat membagikannya."))
    result = DistributionResult([], [])
    for employee in employees:
        if employee.supervisor_id != rhk.plan.employee_id:
            result.skipped.append((employee, _("bukan bawahan langsung")))
            continue
        plan = Plan.objects.filter(employee=employee, year=rhk.plan.year).first()
        if plan is None:
            plan = Plan.objects.create(
                employee=employee,
                year=rhk.plan.year,
                period_start=rhk.plan.period_start,
                period_end=rhk.plan.period_end,
                assessor=employee.supervisor,
                employee_snapshot=person_snapshot(employee),
                assessor_snapshot=person_snapshot(employee.supervisor),
            )
            BehaviourExpectation.objects.bulk_create(
                [BehaviourExpectation(plan=plan, value_code=v.code) for v in berakhlak.VALUES]
            )
            audit_record(
                actor=by, action=AuditAction.CREATE, obj=plan, note=_("Dibuat saat RHK dibagikan")
            )
        if not plan.is_editable:
            result.skipped.append((employee, _("SKP sedang diajukan atau sudah disetujui")))
            continue
        if plan.rhks.filter(parent=rhk).exists():
            result.skipped.append((employee, _("sudah memiliki RHK dari RHK ini")))
            continue
        order = (plan.rhks.aggregate(m=Max("order"))["m"] or 0) + 1
        child = Rhk.objects.create(
            plan=plan, kind=RhkKind.UTAMA, text=rhk.text, parent=rhk, order=order
        )
        audit_record(
            actor=by, action=AuditAction.CREATE, obj=child, note=_("Dibagikan oleh atasan")
        )
        notify(
            recipient=employee,
            url=plan_url(plan),
            message=_(
                "Atasan Anda membagikan RHK “%(t)s” ke SKP %(y)d Anda. Lengkapi indikatornya."
            )
            % {"t": rhk.text[:120], "y": plan.year},
        )
        result.created.append(employee)
    return result
