"""Writes of the performance app: plans and their workflow, the cascade, realisations,
evidence, feedback and dialogs. Every function validates first (ValidationError with an
Indonesian message, nothing changed), writes in one transaction, and records the audit trail.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, cast

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kinerja.core import figures
from kinerja.core.audit import (
    AuditAction,
    audit_entry,
    audit_record,
    audit_write_many,
    diff,
    snapshot,
)
from kinerja.core.calendar import month_deadline
from kinerja.core.notifications import notify
from kinerja.core.numbers import format_number
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User
from kinerja.rules import berakhlak
from kinerja.rules.calendar import MONTHS, month_has_started
from kinerja.rules.realisation import MAX_TIMES_TARGET, is_plausible

from . import evidence as evidence_rules
from .choices import (
    Aggregation,
    Aspek,
    EvidenceKind,
    IndicatorSource,
    PlanStatus,
    Polarity,
    RhkKind,
)
from .models import (
    AgreedAction,
    BehaviourExpectation,
    Comment,
    Dialog,
    Evidence,
    Indicator,
    OrgGoal,
    Plan,
    PlanVersion,
    Realisation,
    Rhk,
)

logger = logging.getLogger(__name__)

RHK_FIELDS = ("kind", "text", "parent", "goal")
INDICATOR_FIELDS = (
    "aspek",
    "name",
    "unit_of_measure",
    "target",
    "polarity",
    "aggregation",
    "monthly_targets",
    "source",
    "source_ref",
)
GOAL_FIELDS = ("number", "sasaran", "indicator", "unit_of_measure", "target", "polarity")


def person_snapshot(employee: Employee | None) -> dict[str, str]:
    """The header fields of the SKP form for one person (a snapshot: later mutasi keep it)."""
    if employee is None:
        return {}
    return {
        "name": employee.full_name,
        "nip": employee.nip_formatted,
        "golongan": employee.get_golongan_display(),
        "position": employee.position.name,
        "unit": employee.unit.name,
        "opd": (employee.unit.opd or employee.unit).name,
    }


def decimal_text(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 150.0000 → "150", 2.5000 → "2.5"."""
    return format(value.normalize(), "f")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _plan_url(plan: Plan) -> str:
    return reverse("performance:plan_detail", args=[plan.pk])


def is_unit_head(employee: Employee) -> bool:
    """The head of an organisation: nobody above them inside their OPD. Their RHK hang from the
    OPD's goals (PermenPANRB 6/2022: the top of the cascade)."""
    supervisor = employee.supervisor
    return supervisor is None or supervisor.unit.opd_id != employee.unit.opd_id


# --- Plans -------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, employee: Employee, year: int, by: User, copy_from: Plan | None = None) -> Plan:
    """A new draft SKP for `year`, optionally copying the RHK and indicators of another plan
    (typically last year's). The assessing official is the direct supervisor."""
    _require(
        access.is_plan_owner(by, Plan(employee=employee)) or access.is_regency_admin(by),
        _("Hanya pegawai yang bersangkutan yang dapat membuat SKP-nya."),
    )
    _require(2000 <= year <= 2100, _("Tahun tidak valid."))
    _require(
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
        _require(
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


def _lock(plan: Plan) -> Plan:
    # PostgreSQL cannot lock the nullable side of an outer join: lock the plan row only.
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("employee", "assessor")
        .get(pk=plan.pk)
    )


def _check_editable(plan: Plan, by: User) -> None:
    _require(access.is_plan_owner(by, plan), _("Hanya pegawai pemilik SKP yang dapat mengubahnya."))
    _require(
        plan.is_editable,
        _(
            "SKP yang sedang diajukan atau sudah disetujui tidak dapat "
            "diubah. Untuk mengubah SKP yang disetujui, buat versi baru."
        ),
    )


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
    plan = _lock(plan)
    _check_editable(plan, by)
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
        url=_plan_url(plan),
        message=_("%(name)s mengajukan SKP %(year)d untuk disetujui.")
        % {"name": plan.employee.full_name, "year": plan.year},
    )
    return plan


@transaction.atomic
def plan_return(*, plan: Plan, by: User, note: str) -> Plan:
    plan = _lock(plan)
    _require(
        access.is_plan_assessor(by, plan), _("Hanya pejabat penilai yang dapat mengembalikan SKP.")
    )
    _require(
        plan.status == PlanStatus.SUBMITTED, _("Hanya SKP yang diajukan yang dapat dikembalikan.")
    )
    note = note.strip()
    _require(bool(note), _("Tuliskan catatan apa yang perlu diperbaiki."))
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
        url=_plan_url(plan),
        message=_("SKP %(year)d Anda dikembalikan dengan catatan: %(note)s")
        % {"year": plan.year, "note": note[:150]},
    )
    return plan


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The whole plan as plain data, for versions and documents."""
    return {
        "employee": plan.employee_snapshot,
        "assessor": plan.assessor_snapshot,
        "rhk": [
            {
                "id": rhk.pk,
                "kind": rhk.kind,
                "text": rhk.text,
                "parent": rhk.parent.text if rhk.parent else None,
                "goal": str(rhk.goal) if rhk.goal_id else None,
                "indicators": [
                    {
                        "id": i.pk,
                        "aspek": i.aspek,
                        "name": i.name,
                        "unit": i.unit_of_measure,
                        "target": decimal_text(i.target),
                        "polarity": i.polarity,
                        "aggregation": i.aggregation,
                    }
                    for i in rhk.indicators.all()
                ],
            }
            for rhk in plan.rhks.select_related("parent", "goal").prefetch_related("indicators")
        ],
        "behaviours": {b.value_code: b.expectation for b in plan.behaviours.all()},
        "lampiran": {
            "dukungan_sumber_daya": plan.dukungan_sumber_daya,
            "skema_pertanggungjawaban": plan.skema_pertanggungjawaban,
            "konsekuensi": plan.konsekuensi,
        },
    }


_INDICATOR_FIELDS = {
    "name": _lazy("nama"),
    "aspek": _lazy("aspek"),
    "target": _lazy("target"),
    "unit": _lazy("satuan"),
    "polarity": _lazy("arah"),
    "aggregation": _lazy("cara menghitung"),
}


def _indicator_value(field: str, value: Any) -> str:
    """A value of an indicator snapshot as people read it (labels, Indonesian numbers)."""
    if value in (None, ""):
        return "—"
    choices = {"aspek": Aspek, "polarity": Polarity, "aggregation": Aggregation}.get(field)
    if choices is not None:
        try:
            return str(choices(value).label)
        except ValueError:
            return str(value)
    if field == "target":
        return format_number(value)
    return str(value)


def snapshot_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """What changed between two versions (RHK and indicators added, removed or changed, with
    the old and new values), as sentences for people: stored with every approved version and
    shown to the approver while a changed plan waits."""
    if before is None:
        return [_("Versi pertama.")]
    changes: list[str] = []
    old_rhk = {r["id"]: r for r in before["rhk"]}
    new_rhk = {r["id"]: r for r in after["rhk"]}
    for pk in [r["id"] for r in after["rhk"] if r["id"] not in old_rhk]:
        rhk = new_rhk[pk]
        changes.append(_("RHK baru: %(t)s") % {"t": rhk["text"]})
        for ind in rhk["indicators"]:
            changes.append(
                _("Indikator baru: %(n)s (target %(t)s %(u)s)")
                % {"n": ind["name"], "t": format_number(ind["target"]), "u": ind["unit"]}
            )
    for pk in [r["id"] for r in before["rhk"] if r["id"] not in new_rhk]:
        changes.append(_("RHK dihapus: %(t)s") % {"t": old_rhk[pk]["text"]})
    for pk in [r["id"] for r in after["rhk"] if r["id"] in old_rhk]:
        old, new = old_rhk[pk], new_rhk[pk]
        if old["text"] != new["text"]:
            changes.append(
                _("RHK diubah: “%(a)s” menjadi “%(b)s”") % {"a": old["text"], "b": new["text"]}
            )
        if old.get("kind") != new.get("kind"):
            changes.append(
                _("RHK “%(t)s” dipindah dari %(a)s ke %(b)s")
                % {
                    "t": new["text"],
                    "a": RhkKind(old["kind"]).label if old.get("kind") else "—",
                    "b": RhkKind(new["kind"]).label if new.get("kind") else "—",
                }
            )
        if (old.get("parent"), old.get("goal")) != (new.get("parent"), new.get("goal")):
            changes.append(
                _("RHK “%(t)s” kini mengintervensi: %(p)s")
                % {"t": new["text"], "p": new.get("parent") or new.get("goal") or "—"}
            )
        old_ind = {i["id"]: i for i in old["indicators"]}
        for ind in new["indicators"]:
            prev = old_ind.pop(ind["id"], None)
            if prev is None:
                changes.append(
                    _("Indikator baru: %(n)s (target %(t)s %(u)s)")
                    % {"n": ind["name"], "t": format_number(ind["target"]), "u": ind["unit"]}
                )
            elif prev != ind:
                detail = "; ".join(
                    f"{label} {_indicator_value(key, prev.get(key))} → "
                    f"{_indicator_value(key, ind.get(key))}"
                    for key, label in _INDICATOR_FIELDS.items()
                    if prev.get(key) != ind.get(key)
                )
                changes.append(
                    _("Indikator diubah: %(n)s (%(d)s)") % {"n": ind["name"], "d": detail}
                )
        for ind in old_ind.values():
            changes.append(_("Indikator dihapus: %(n)s") % {"n": ind["name"]})
    if before["behaviours"] != after["behaviours"]:
        changes.append(_("Ekspektasi khusus pimpinan diubah."))
    if before["lampiran"] != after["lampiran"]:
        changes.append(_("Lampiran diubah."))
    return changes or [_("Tidak ada perubahan isi.")]


def plan_pending_changes(plan: Plan) -> tuple[PlanVersion, list[str]] | None:
    """While a plan that was approved before is being changed (draft, submitted or returned):
    the last approved version and what changed since, for the approver and the employee.
    None for a plan that was never approved, or that is approved as it stands."""
    if plan.status == PlanStatus.APPROVED:
        return None
    previous = plan.versions.order_by("-number").first()
    if previous is None:
        return None
    return previous, snapshot_changes(previous.snapshot, plan_snapshot(plan))


@transaction.atomic
def plan_approve(*, plan: Plan, by: User) -> Plan:
    """Approve and lock; needs every intervened parent RHK to be in an approved plan
    (project rule: drafting against a draft is fine, approval is not)."""
    plan = _lock(plan)
    _require(
        access.is_plan_assessor(by, plan), _("Hanya pejabat penilai yang dapat menyetujui SKP.")
    )
    _require(
        plan.status == PlanStatus.SUBMITTED, _("Hanya SKP yang diajukan yang dapat disetujui.")
    )
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
        url=_plan_url(plan),
        message=_("SKP %(year)d Anda telah disetujui.") % {"year": plan.year},
    )
    return plan


@transaction.atomic
def plan_new_version(*, plan: Plan, by: User) -> Plan:
    """Reopen an approved plan for changes as the next version; the approved version stays
    readable and realisations stay with their indicators."""
    plan = _lock(plan)
    _require(access.is_plan_owner(by, plan), _("Hanya pegawai pemilik SKP yang dapat mengubahnya."))
    _require(
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
    plan = _lock(plan)
    _check_editable(plan, by)
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
    plan = _lock(behaviour.plan)
    _require(access.is_plan_assessor(by, plan), _("Ekspektasi khusus diisi oleh pejabat penilai."))
    _require(
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


# --- RHK and indicators ------------------------------------------------------------------


def _check_rhk_links(plan: Plan, kind: str, parent: Rhk | None, goal: OrgGoal | None) -> None:
    """Cascade rule: the parent RHK must be in the direct supervisor's plan of the same year; a
    goal must be the employee's OPD's goal of that year and only for a unit head."""
    _require(not (parent and goal), _("Pilih RHK atasan atau sasaran OPD, tidak keduanya."))
    if parent is not None:
        supervisor_id = plan.employee.supervisor_id
        _require(
            parent.plan.employee_id == supervisor_id and parent.plan.year == plan.year,
            _("RHK yang diintervensi harus berasal dari SKP atasan langsung pada tahun yang sama."),
        )
    if goal is not None:
        _require(
            is_unit_head(plan.employee),
            _("Hanya kepala unit yang mengaitkan RHK langsung ke sasaran OPD."),
        )
        _require(
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
    plan = _lock(plan)
    _check_editable(plan, by)
    text = " ".join(text.split())
    _require(bool(text), _("Rencana hasil kerja wajib diisi."))
    _require(kind in RhkKind.values, _("Jenis RHK tidak dikenal."))
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
    plan = _lock(rhk.plan)
    _check_editable(plan, by)
    before = snapshot(rhk, RHK_FIELDS)
    if "text" in fields:
        fields["text"] = " ".join(fields["text"].split())[:500]
        _require(bool(fields["text"]), _("Rencana hasil kerja wajib diisi."))
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
    plan = _lock(rhk.plan)
    _check_editable(plan, by)
    _require(
        not Realisation.objects.filter(indicator__rhk=rhk).exists(),
        _("RHK ini sudah memiliki realisasi dan tidak dapat dihapus."),
    )
    _require(
        not rhk.children.exists(),
        _("RHK ini sudah diintervensi oleh RHK bawahan dan tidak dapat dihapus."),
    )
    audit_record(
        actor=by, action=AuditAction.DELETE, obj=rhk, changes=diff(snapshot(rhk, RHK_FIELDS), {})
    )
    rhk.delete()


def _clean_indicator(indicator: Indicator) -> None:
    indicator.name = " ".join(indicator.name.split())[:400]
    _require(bool(indicator.name), _("Nama indikator wajib diisi."))
    _require(bool(indicator.unit_of_measure.strip()), _("Satuan wajib diisi."))
    targets = indicator.monthly_targets
    if targets:
        _require(len(targets) == 12, _("Target bulanan harus 12 angka (Januari–Desember)."))
    if indicator.source != IndicatorSource.MANUAL:
        _require(
            bool(indicator.source_ref) or indicator.source == IndicatorSource.COMPLAINTS,
            _("Indikator otomatis IKM memerlukan kode layanan."),
        )
    indicator.full_clean(exclude=["rhk"])


@transaction.atomic
def indicator_add(*, rhk: Rhk, by: User, **fields: Any) -> Indicator:
    plan = _lock(rhk.plan)
    _check_editable(plan, by)
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
    plan = _lock(indicator.rhk.plan)
    _check_editable(plan, by)
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
    plan = _lock(indicator.rhk.plan)
    _check_editable(plan, by)
    _require(
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
    _require(access.is_plan_owner(by, rhk.plan), _("Hanya pemilik RHK yang dapat membagikannya."))
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
            url=_plan_url(plan),
            message=_(
                "Atasan Anda membagikan RHK “%(t)s” ke SKP %(y)d Anda. Lengkapi indikatornya."
            )
            % {"t": rhk.text[:120], "y": plan.year},
        )
        result.created.append(employee)
    return result


# --- Realisations ------------------------------------------------------------------------


def parse_value(raw: Any) -> Decimal:
    text = str(raw).strip().replace(" ", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")  # 1.234,5 (Indonesian grouping)
    elif "," in text:
        text = text.replace(",", ".")  # Indonesian decimal comma: 7,5
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")  # 1.200 is twelve hundred in Indonesian writing
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(v)s” bukan angka.") % {"v": raw}) from None
    if not value.is_finite():
        raise ValidationError(_("“%(v)s” bukan angka.") % {"v": raw})
    if value < 0:
        raise ValidationError(_("Angka tidak boleh negatif."))
    exponent = value.as_tuple().exponent  # an int: the value is finite (checked above)
    if not isinstance(exponent, int) or exponent < -4 or abs(value) >= Decimal("1e14"):
        raise ValidationError(_("Angka terlalu panjang (paling banyak 4 angka di belakang koma)."))
    return value


def _check_month_open(plan: Plan, month: int) -> None:
    _require(1 <= month <= 12, _("Bulan tidak valid."))
    _require(
        plan.accepts_realisations,
        _("Realisasi dapat diisi setelah SKP disetujui."),
    )
    _require(
        month_has_started(plan.year, month, timezone.localdate()),
        _("Realisasi bulan %(m)s %(y)d belum dapat diisi.")
        % {"m": MONTHS[month - 1], "y": plan.year},
    )


@dataclass(frozen=True)
class RealisationInput:
    indicator: Indicator
    value: Decimal | None  # None: leave the month empty (or unchanged)
    narrative: str = ""
    revision: int | None = None  # the revision the form showed; None: the form showed no entry
    overwrite: bool = False  # bulk imports: the file is the source of truth, no revision check


class StaleRealisation(ValidationError):
    """Another save happened since the form was opened (no lost update)."""


NARRATIVE_MAX_LENGTH = 2000  # Realisation.narrative


def realisation_input_problem(indicator: Indicator, value: Decimal, narrative: str) -> str:
    """Why one month's input cannot be stored as typed ("" when it can): never cut or stored
    out of what the derived figures can hold (kinerja.rules.realisation.is_plausible)."""
    length = len(narrative.strip())
    if length > NARRATIVE_MAX_LENGTH:
        return _(
            "Uraian “%(n)s” terlalu panjang: %(len)s karakter, maksimal %(max)s. Belum ada yang "
            "disimpan."
        ) % {
            "n": indicator.name,
            "len": format_number(length),
            "max": format_number(NARRATIVE_MAX_LENGTH),
        }
    if not is_plausible(
        value, indicator.target, higher_is_better=indicator.polarity == Polarity.HIGHER_IS_BETTER
    ):
        return _(
            "Realisasi “%(n)s” (%(v)s) lebih dari %(x)s kali target tahunan (%(t)s). Periksa "
            "angka dan satuannya."
        ) % {
            "n": indicator.name,
            "v": format_number(value),
            "x": format_number(MAX_TIMES_TARGET),
            "t": format_number(indicator.target),
        }
    return ""


def realisation_month_problem(plan: Plan, month: int, by: User) -> None:
    """Whether `by` may write `month` of `plan` now (ValidationError when not): the writer, the
    plan approved, the month begun. `plan` must be locked by the caller."""
    _require(
        access.can_enter_realisations(by, plan),
        _("Hanya pegawai pemilik SKP yang mengisi realisasinya."),
    )
    _check_month_open(plan, month)


def realisation_row_decision(
    plan: Plan, row: RealisationInput, current: Realisation | None
) -> tuple[str, str]:
    """The grid's rule for one indicator's month: ("skip" | "keep" | "update" | "create", "")
    or ("error", why). A stale revision raises StaleRealisation (the whole save stops)."""
    indicator = row.indicator
    if indicator.rhk.plan_id != plan.pk:
        return "error", _("Indikator bukan bagian dari SKP ini.")
    if row.value is None:
        return "skip", ""
    if indicator.source != IndicatorSource.MANUAL:
        return "error", _("“%(n)s” diisi otomatis oleh sistem.") % {"n": indicator.name}
    problem = realisation_input_problem(indicator, row.value, row.narrative)
    if problem:
        return "error", problem
    if current is None:
        return "create", ""
    unchanged = current.value == row.value and current.narrative == row.narrative.strip()
    if current.is_reviewed:
        if not unchanged:
            return "error", _(
                "“%(n)s” bulan ini sudah diperiksa atasan; minta atasan membuka kembali untuk "
                "mengubahnya."
            ) % {"n": indicator.name}
        return "skip", ""
    if not row.overwrite and row.revision != current.revision and not unchanged:
        raise StaleRealisation(
            _(
                "Realisasi “%(n)s” telah diubah di tempat lain sejak halaman ini dibuka. Muat "
                "ulang halaman; perubahan Anda belum disimpan."
            )
            % {"n": indicator.name}
        )
    return ("keep" if unchanged else "update"), ""


def realisation_apply_update(
    current: Realisation, row: RealisationInput, *, by: User, now: datetime
) -> dict[str, str]:
    """Apply an "update" decision to a stored realisation in memory (its caller saves it, the
    grid one by one, the bulk API in one statement); returns the old values for the audit."""
    assert row.value is not None  # "update" is decided only for a value
    before = {"value": str(current.value), "narrative": current.narrative}
    current.value, current.narrative = row.value, row.narrative.strip()[:2000]
    current.revision += 1
    current.entered_by = by
    current.updated_at = now
    return before


@transaction.atomic
def realisation_save_month(
    *, plan: Plan, month: int, by: User, rows: Sequence[RealisationInput]
) -> list[Realisation]:
    """Save a month of realisations at once (the grid): all rows or none."""
    plan = _lock(plan)
    realisation_month_problem(plan, month, by)
    existing = {
        r.indicator_id: r
        for r in Realisation.objects.select_for_update(of=("self",)).filter(
            indicator__rhk__plan=plan, month=month
        )
    }
    now = timezone.now()
    late = now > month_deadline(plan.year, month)
    saved: list[Realisation] = []
    errors: list[str] = []
    creates: list[Realisation] = []
    updates: list[tuple[Realisation, dict[str, str]]] = []
    written: list[tuple[Realisation, dict[str, str] | None]] = []  # in row order, for the audit
    for row in rows:
        current = existing.get(row.indicator.pk)
        if current is not None:
            current.indicator = row.indicator  # loaded already: the audit entry names it
        decision, message = realisation_row_decision(plan, row, current)
        if decision == "error":
            errors.append(message)
        elif decision == "keep":
            saved.append(current)  # type: ignore[arg-type]
        elif decision == "update":
            assert current is not None
            before = realisation_apply_update(current, row, by=by, now=now)
            updates.append((current, before))
            written.append((current, before))
            saved.append(current)
        elif decision == "create":
            assert row.value is not None  # "create" is decided only for a value
            created = Realisation(
                indicator=row.indicator,
                month=month,
                value=row.value,
                narrative=row.narrative.strip()[:2000],
                is_late=late,
                entered_by=by,
            )
            creates.append(created)
            written.append((created, None))
            saved.append(created)
    if errors:
        raise ValidationError(errors)
    # Every row was decided before anything is written: the new rows are one query, the audit
    # records of every written row another. Changed rows are saved one by one, only their
    # changed fields: bulk_update's CASE took 57 ms on SQLite for a 10-row grid (at 300,000
    # realisations), ten single-row UPDATEs about 1 ms.
    Realisation.objects.bulk_create(creates)
    for changed, _before in updates:
        changed.save(update_fields=["value", "narrative", "revision", "entered_by", "updated_at"])
    audit_write_many(
        [
            audit_entry(
                actor=by,
                action=AuditAction.CREATE,
                obj=r,
                changes={"value": [None, str(r.value)], "late": [None, late]},
            )
            if before is None
            else audit_entry(
                actor=by,
                action=AuditAction.UPDATE,
                obj=r,
                changes=diff(before, {"value": str(r.value), "narrative": r.narrative}),
            )
            for r, before in written
        ]
    )
    if saved:
        transaction.on_commit(lambda: realisations_changed(plan, month))
    return saved


def _plan_changed(plan: Plan) -> None:
    from kinerja.core import events

    employee_id, plan_id, status = plan.employee_id, plan.pk, plan.status
    transaction.on_commit(
        lambda: events.publish("plan", employee_id=employee_id, plan_id=plan_id, status=status)
    )


def realisations_changed(plan: Plan, month: int) -> None:
    """Side effects after commit: the live team board and dashboards listen here."""
    from kinerja.core import events

    events.publish("realisation", employee_id=plan.employee_id, plan_id=plan.pk, month=month)


@transaction.atomic
def realisation_review(*, plan: Plan, month: int, by: User) -> int:
    """The assessor marks a month's entries as reviewed; they lock for the employee."""
    plan = _lock(plan)
    _require(
        access.is_plan_assessor(by, plan), _("Hanya pejabat penilai yang memeriksa realisasi.")
    )
    count = Realisation.objects.filter(
        indicator__rhk__plan=plan, month=month, reviewed_at__isnull=True
    ).update(reviewed_at=timezone.now(), reviewed_by=by)
    transaction.on_commit(lambda: realisations_changed(plan, month))
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=plan,
        note=_("Realisasi %(m)s diperiksa (%(n)d entri)") % {"m": MONTHS[month - 1], "n": count},
    )
    if count:
        notify(
            recipient=plan.employee,
            url=reverse("performance:realisation_grid", args=[plan.pk, month]),
            message=_("Atasan telah memeriksa realisasi %(m)s %(y)d Anda.")
            % {"m": MONTHS[month - 1], "y": plan.year},
        )
    return count


@transaction.atomic
def realisation_reopen(*, realisation: Realisation, by: User) -> Realisation:
    plan = _lock(realisation.indicator.rhk.plan)
    _require(
        access.is_plan_assessor(by, plan), _("Hanya pejabat penilai yang dapat membuka kembali.")
    )
    realisation = Realisation.objects.select_for_update(of=("self",)).get(pk=realisation.pk)
    _require(realisation.is_reviewed, _("Realisasi ini belum diperiksa."))
    realisation.reviewed_at = None
    realisation.reviewed_by = None
    realisation.revision += 1
    realisation.save(update_fields=["reviewed_at", "reviewed_by", "revision", "updated_at"])
    month = realisation.month
    transaction.on_commit(lambda: realisations_changed(plan, month))
    audit_record(
        actor=by, action=AuditAction.UPDATE, obj=realisation, note=_("Dibuka kembali untuk diubah")
    )
    notify(
        recipient=plan.employee,
        url=reverse("performance:realisation_grid", args=[plan.pk, realisation.month]),
        message=_("Atasan membuka kembali realisasi “%(n)s” bulan %(m)s untuk Anda ubah.")
        % {"n": realisation.indicator.name[:80], "m": MONTHS[realisation.month - 1]},
    )
    return realisation


# --- Evidence ----------------------------------------------------------------------------


def _check_evidence_open(realisation: Realisation, by: User) -> None:
    plan = realisation.indicator.rhk.plan
    _require(access.is_plan_owner(by, plan), _("Hanya pegawai pemilik SKP yang mengunggah bukti."))
    _require(
        not realisation.is_reviewed,
        _("Realisasi sudah diperiksa atasan; bukti tidak dapat diubah."),
    )


@transaction.atomic
def evidence_add_file(*, realisation: Realisation, by: User, name: str, data: bytes) -> Evidence:
    """Store a file under a random name after checking its type by content and its size."""
    _check_evidence_open(realisation, by)
    _require(len(data) > 0, _("Berkas kosong."))
    _require(
        len(data) <= evidence_rules.MAX_EVIDENCE_BYTES, _("Berkas terlalu besar (maksimal 10 MB).")
    )
    try:
        kind = evidence_rules.detect_kind(data[:16], data)
    except evidence_rules.ArchiveTooLarge as exc:
        raise ValidationError(str(exc)) from None
    _require(
        kind is not None,
        _("Jenis berkas tidak diizinkan. Unggah %(k)s.") % {"k": evidence_rules.ALLOWED_LABEL},
    )
    extension, content_type = evidence_rules.KINDS[kind]  # type: ignore[index]  # checked: a known kind
    item = Evidence(
        realisation=realisation,
        kind=EvidenceKind.FILE,
        uploaded_by=by,
        original_name=evidence_rules.safe_display_name(name),
        content_type=content_type,
        size=len(data),
        uploaded_at=timezone.now(),
    )
    wanted = item.file.field.generate_filename(item, f"{secrets.token_hex(16)}{extension}")
    storage = item.file.storage
    try:
        item.file.save(wanted.rsplit("/", 1)[-1], ContentFile(data), save=False)
        item.save()
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            obj=item,
            changes={"file": [None, item.original_name], "size": [None, item.size]},
        )
    except Exception as exc:
        # Never an orphan: a file written (even partly, e.g. on a full disk) before the failure
        # is removed, and the database write is rolled back with the transaction.
        for name in {wanted, item.file.name or wanted}:
            try:
                if storage.exists(name):
                    storage.delete(name)
            except OSError:
                logger.exception("could not remove the partial evidence file %s", name)
        if isinstance(exc, OSError):
            raise ValidationError(
                _(
                    "Berkas belum tersimpan: ruang penyimpanan server penuh atau tidak dapat "
                    "ditulis. Coba lagi nanti, atau hubungi admin kepegawaian."
                )
            ) from exc
        raise
    return item


@transaction.atomic
def evidence_add_link(*, realisation: Realisation, by: User, url: str) -> Evidence:
    _check_evidence_open(realisation, by)
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            _("Tautan harus alamat web yang lengkap (diawali http:// atau https://).")
        ) from None
    item = Evidence.objects.create(
        realisation=realisation,
        kind=EvidenceKind.LINK,
        url=url[:500],
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    audit_record(actor=by, action=AuditAction.CREATE, obj=item, changes={"url": [None, item.url]})
    return item


@transaction.atomic
def evidence_delete(*, item: Evidence, by: User) -> None:
    _check_evidence_open(item.realisation, by)
    audit_record(
        actor=by,
        action=AuditAction.DELETE,
        obj=item,
        changes={"file": [item.original_name or item.url, None]},
    )
    stored = item.file.name if item.file else ""
    item.delete()
    if stored:
        storage = Evidence._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(stored))


# --- Feedback and dialog -----------------------------------------------------------------


@transaction.atomic
def comment_add(
    *,
    plan: Plan,
    by: User,
    body: str,
    realisation: Realisation | None = None,
    rhk: Rhk | None = None,
    behaviour: BehaviourExpectation | None = None,
) -> Comment:
    """Feedback from anyone above the employee, or the employee's reply; the other side is
    notified."""
    _require(
        access.can_comment_on_plan(by, plan),
        _("Anda tidak dapat memberi umpan balik pada SKP ini."),
    )
    body = body.strip()
    _require(bool(body), _("Tulis umpan balik terlebih dahulu."))
    _require(len(body) <= 2000, _("Umpan balik terlalu panjang (maksimal 2.000 karakter)."))
    targets = [t for t in (realisation, rhk, behaviour) if t is not None]
    _require(len(targets) == 1, _("Pilih satu hal yang diberi umpan balik."))
    target = targets[0]
    owner_plan_id = (
        target.indicator.rhk.plan_id if isinstance(target, Realisation) else target.plan_id
    )
    _require(owner_plan_id == plan.pk, _("Umpan balik harus untuk bagian dari SKP ini."))
    comment = Comment.objects.create(
        plan=plan, realisation=realisation, rhk=rhk, behaviour=behaviour, author=by, body=body
    )
    audit_record(actor=by, action=AuditAction.CREATE, obj=comment)
    url = f"{_plan_url(plan)}#umpan-balik"
    if access.is_plan_owner(by, plan):
        notify(
            recipient=plan.assessor,
            url=url,
            message=_("%(name)s membalas umpan balik: %(b)s")
            % {"name": plan.employee.full_name, "b": body[:120]},
        )
    else:
        notify(
            recipient=plan.employee,
            url=url,
            message=_("Umpan balik dari %(name)s: %(b)s")
            % {"name": by.get_full_name(), "b": body[:120]},
        )
    transaction.on_commit(lambda: _feedback_changed(plan))
    return comment


def _feedback_changed(plan: Plan) -> None:
    from kinerja.core import events

    events.publish("feedback", employee_id=plan.employee_id, plan_id=plan.pk)


@transaction.atomic
def dialog_create(
    *,
    plan: Plan,
    by: User,
    held_on: date,
    participants: str,
    notes: str,
    actions: Sequence[tuple[str, date]] = (),
) -> Dialog:
    _require(
        access.is_plan_owner(by, plan)
        or access.is_plan_assessor(by, plan)
        or access.is_above(by, plan.employee),
        _("Dialog kinerja dicatat oleh pegawai atau atasannya."),
    )
    _require(
        held_on <= timezone.localdate() + timedelta(days=1),
        _("Tanggal dialog tidak boleh di masa depan."),
    )
    _require(bool(notes.strip()), _("Catatan pembicaraan wajib diisi."))
    dialog = Dialog.objects.create(
        plan=plan,
        held_on=held_on,
        participants=participants.strip()[:300],
        notes=notes.strip()[:5000],
        created_by=by,
    )
    for description, due in actions:
        if description.strip():
            AgreedAction.objects.create(
                dialog=dialog, description=description.strip()[:500], due_date=due
            )
    audit_record(actor=by, action=AuditAction.CREATE, obj=dialog)
    other = plan.assessor if access.is_plan_owner(by, plan) else plan.employee
    notify(
        recipient=other,
        url=reverse("performance:dialog_list", args=[plan.pk]),
        message=_("Dialog kinerja %(d)s dicatat.") % {"d": held_on.strftime("%d-%m-%Y")},
    )
    return dialog


@transaction.atomic
def action_update(*, action: AgreedAction, by: User, status: str, follow_up: str) -> AgreedAction:
    plan = action.dialog.plan
    _require(
        access.is_plan_owner(by, plan)
        or access.is_plan_assessor(by, plan)
        or access.is_above(by, plan.employee),
        _("Tindak lanjut diperbarui oleh pegawai atau atasannya."),
    )
    before = snapshot(action, ("status", "follow_up"))
    action.status, action.follow_up = status, follow_up.strip()[:2000]
    action.full_clean(exclude=["dialog"])
    action.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=action,
        changes=diff(before, snapshot(action, ("status", "follow_up"))),
    )
    return action


# --- OPD goals ---------------------------------------------------------------------------


@transaction.atomic
def goal_save(*, by: User, goal: OrgGoal | None = None, **fields: Any) -> OrgGoal:
    opd = fields.get("opd") or (goal.opd if goal else None)
    _require(
        opd is not None and access.can_manage_goals(by, opd),
        _("Anda tidak dapat mengelola sasaran OPD ini."),
    )
    before = snapshot(goal, GOAL_FIELDS) if goal else {}
    goal = goal or OrgGoal()
    for name, value in fields.items():
        setattr(goal, name, value)
    goal.full_clean()
    goal.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=goal,
        changes=diff(before, snapshot(goal, GOAL_FIELDS)),
    )
    return goal


@transaction.atomic
def goal_delete(*, goal: OrgGoal, by: User) -> None:
    _require(
        access.can_manage_goals(by, goal.opd), _("Anda tidak dapat mengelola sasaran OPD ini.")
    )
    _require(
        not goal.rhks.exists(), _("Sasaran ini sudah menjadi induk RHK dan tidak dapat dihapus.")
    )
    audit_record(
        actor=by, action=AuditAction.DELETE, obj=goal, changes=diff(snapshot(goal, GOAL_FIELDS), {})
    )
    goal.delete()


# --- Automatic realisations (community participation back into performance) ---------------


@dataclass
class SyncResult:
    written: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def automatic_value(indicator: Indicator, year: int, month: int) -> Decimal | None:
    """The system's realisation of an automatic indicator for a month, or None when the month
    has no figure yet: the converted IKM of a service (PermenPANRB 14/2017, from the survey) or
    the share of the unit's complaints answered within the service level (from complaints).
    Both come through the figures seam (kinerja.public registers them), so this app does not
    import the citizens' app; without it the month has no figure."""
    if indicator.source == IndicatorSource.IKM:
        return cast(
            "Decimal | None",
            figures.value(
                "public.service_ikm", service_code=indicator.source_ref, year=year, month=month
            ),
        )
    if indicator.source == IndicatorSource.COMPLAINTS:
        unit_id = indicator.rhk.plan.employee.unit_id
        return cast(
            "Decimal | None",
            figures.value("public.complaints_on_time", unit_id=unit_id, year=year, month=month),
        )
    return None


@transaction.atomic
def automatic_realisations_sync(*, year: int, month: int) -> SyncResult:
    """Fill the realisations of every automatic indicator for one month from the survey and
    complaint data. They are marked `is_automatic` and cannot be edited by hand (the grid and
    the imports refuse them); a later run replaces the figure when the data changes."""
    result = SyncResult(skipped=[])
    indicators = (
        Indicator.objects.exclude(source=IndicatorSource.MANUAL)
        .filter(rhk__plan__year=year)
        .select_related("rhk__plan__employee")
    )
    existing = {
        r.indicator_id: r for r in Realisation.objects.filter(indicator__in=indicators, month=month)
    }
    changed_plans: set[tuple[int, int]] = set()
    for indicator in indicators:
        try:
            value = automatic_value(indicator, year, month)
        except (ObjectDoesNotExist, ValueError) as exc:
            result.skipped.append(f"{indicator.pk}: {exc}")
            continue
        if value is None:
            continue
        current = existing.get(indicator.pk)
        if current is not None and current.value == value:
            result.unchanged += 1
            continue
        if current is None:
            Realisation.objects.create(
                indicator=indicator,
                month=month,
                value=value,
                is_automatic=True,
                narrative=_("Diisi otomatis oleh sistem."),
            )
        else:
            current.value, current.is_automatic = value, True
            current.revision += 1
            current.save(update_fields=["value", "is_automatic", "revision", "updated_at"])
        result.written += 1
        changed_plans.add((indicator.rhk.plan.employee_id, indicator.rhk.plan_id))
    if result.written:
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="performance.realisation",
            object_repr=f"Realisasi otomatis {MONTHS[month - 1]} {year}",
            changes={"written": result.written},
        )
    for employee_id, plan_id in changed_plans:
        transaction.on_commit(partial(_publish_realisation, employee_id, plan_id, month))
    return result


def _publish_realisation(employee_id: int, plan_id: int, month: int) -> None:
    from kinerja.core import events

    events.publish("realisation", employee_id=employee_id, plan_id=plan_id, month=month)
