"""Development plans: gaps from the assessment (ratings below expectation, BerAKHLAK values),
the programmes suggested for them, the items, the supervisor's agreement, and the mandatory
training that a follow-up decision requires ("training.required")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.notifications import notify
from kinerja.core.text import trimmed
from kinerja.organisation.models import Employee, User
from kinerja.rules import berakhlak
from kinerja.rules.enums import Rating

from ..choices import GapSource, PlanItemStatus
from ..models import DevelopmentItem, DevelopmentPlan, Programme
from .common import _require
from .rights import can_nominate

# --- Development plans ------------------------------------------------------------------------

BEHAVIOUR_TAGS = {v.code: v.name for v in berakhlak.VALUES}


def assessment_gaps(employee: Employee, year: int) -> list[tuple[str, str, str]]:
    """(tag, gap, origin) from the employee's finalised assessments of `year` and the year
    before: BerAKHLAK values rated Di Bawah Ekspektasi and indicators whose status is di bawah.
    Read through kinerja.assessment (below this app)."""
    from kinerja.assessment.choices import AssessmentStatus
    from kinerja.assessment.models import Assessment

    gaps: dict[tuple[str, str], tuple[str, str, str]] = {}
    below_label = str(Rating.DI_BAWAH.label)
    for a in Assessment.objects.filter(
        employee=employee, status=AssessmentStatus.FINAL, year__in=[year, year - 1]
    ).order_by("-year", "-period"):
        for code, rating in (a.behaviour or {}).items():
            if rating == Rating.DI_BAWAH.value and code in BEHAVIOUR_TAGS:
                tag = BEHAVIOUR_TAGS[code]
                gaps.setdefault(
                    (tag, GapSource.BEHAVIOUR),
                    (
                        tag,
                        _("Perilaku %(v)s di bawah ekspektasi (%(p)s)")
                        % {"v": tag, "p": a.period_label},
                        GapSource.BEHAVIOUR,
                    ),
                )
        for row in (a.snapshot or {}).get("rows", []):
            if row.get("status") == below_label:
                gaps.setdefault(
                    ("Kompeten", GapSource.INDICATOR),
                    (
                        "Kompeten",
                        _("Indikator di bawah target: %(i)s (%(p)s)")
                        % {"i": row.get("indicator", ""), "p": a.period_label},
                        GapSource.INDICATOR,
                    ),
                )
    return list(gaps.values())


def _plan_for(employee: Employee, year: int) -> DevelopmentPlan:
    plan, _created = DevelopmentPlan.objects.get_or_create(employee=employee, year=year)
    return plan


def _suggested_programme(tag: str) -> Programme | None:
    return (
        Programme.objects.filter(is_active=True, tags__contains=tag).order_by("title").first()
        if connection.vendor == "postgresql"
        else next(
            (
                p
                for p in Programme.objects.filter(is_active=True).order_by("title")
                if tag in p.tags
            ),
            None,
        )
    )


@transaction.atomic
def plan_refresh(*, employee: Employee, year: int, by: User) -> DevelopmentPlan:
    """Create the year's plan if needed and add the gaps found in finalised assessments, each
    with a suggested programme of the same tag (existing items are left alone)."""
    _require(
        by.employee_id == employee.pk or can_nominate(by, employee),
        _("Anda tidak berwenang menyusun rencana pegawai ini."),
    )
    plan = _plan_for(employee, year)
    known = set(plan.items.values_list("tag", "origin"))
    added = 0
    for tag, gap, origin in assessment_gaps(employee, year):
        if (tag, origin) in known:
            continue
        DevelopmentItem.objects.create(
            plan=plan, tag=tag, gap=gap[:500], origin=origin, programme=_suggested_programme(tag)
        )
        added += 1
    if added:
        audit_record(actor=by, action=AuditAction.UPDATE, obj=plan, changes={"gaps_added": added})
    return plan


@transaction.atomic
def plan_item_add(
    *, plan: DevelopmentPlan, by: User, tag: str, gap: str, programme: Programme | None = None
) -> DevelopmentItem:
    """The employee or the supervisor adds a gap (supervisor's note or the employee's wish)."""
    employee = plan.employee
    own = by.employee_id == employee.pk
    _require(own or can_nominate(by, employee), _("Anda tidak berwenang mengubah rencana ini."))
    tag = trimmed(tag)
    gap = trimmed(gap)
    _require(bool(tag), _("Pilih kompetensi yang akan dikembangkan."))
    _require(bool(gap), _("Tuliskan kesenjangan kompetensinya."))
    origin = GapSource.SELF if own else GapSource.SUPERVISOR
    _require(
        not plan.items.filter(tag=tag, origin=origin, source="").exists(),
        _("Kompetensi ini sudah ada di rencana."),
    )
    item = DevelopmentItem.objects.create(
        plan=plan,
        tag=tag[:100],
        gap=gap[:500],
        origin=origin,
        programme=programme or _suggested_programme(tag),
    )
    plan.employee_agreed_at = plan.supervisor_agreed_at = None
    plan.save(update_fields=["employee_agreed_at", "supervisor_agreed_at"])
    audit_record(actor=by, action=AuditAction.CREATE, obj=item, changes={"tag": tag})
    return item


@transaction.atomic
def plan_agree(*, plan: DevelopmentPlan, by: User) -> DevelopmentPlan:
    """The employee and the supervisor each agree the plan; its proposed items become agreed
    once both have."""
    employee = plan.employee
    now = timezone.now()
    if by.employee_id == employee.pk:
        plan.employee_agreed_at = now
    elif can_nominate(by, employee):
        plan.supervisor_agreed_at = now
    else:
        raise ValidationError(_("Anda tidak berwenang menyetujui rencana ini."))
    plan.save(update_fields=["employee_agreed_at", "supervisor_agreed_at"])
    if plan.employee_agreed_at and plan.supervisor_agreed_at:
        plan.items.filter(status=PlanItemStatus.PROPOSED).update(status=PlanItemStatus.AGREED)
    other = employee.supervisor if by.employee_id == employee.pk else employee
    notify(
        recipient=other,
        message=_("Rencana pengembangan kompetensi %(n)s %(y)s disetujui oleh %(b)s.")
        % {"n": employee.full_name, "y": plan.year, "b": by.get_full_name()},
        url=reverse("competency:plan_employee", args=[employee.pk]),
    )
    audit_record(actor=by, action=AuditAction.UPDATE, obj=plan, changes={"agreed": str(now)})
    return plan


def on_training_required(
    *,
    topic: str,
    employee_id: int,
    year: int,
    tag: str,
    reason: str,
    source: str,
    **_extra: Any,
) -> None:
    """Subscriber of "training.required" (rewards' "pelatihan wajib", BRIEF-PILLARS §2): a
    mandatory item in the employee's development plan, idempotent by `source`."""
    del topic
    employee = Employee.objects.filter(pk=employee_id).first()
    if employee is None:
        return
    with transaction.atomic():
        plan = _plan_for(employee, int(year))
        if plan.items.filter(source=source[:100]).exists():
            return
        item = DevelopmentItem.objects.create(
            plan=plan,
            tag=(tag or "Kompeten")[:100],
            gap=(reason or _("Pelatihan wajib"))[:500],
            origin=GapSource.MANDATORY,
            source=source[:100],
            status=PlanItemStatus.AGREED,
            programme=_suggested_programme(tag or ""),
        )
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            obj=item,
            changes={"tag": item.tag, "source": source},
            note="pelatihan wajib",
        )
        notify(
            recipient=employee,
            message=_("Pelatihan wajib ditambahkan ke rencana pengembangan Anda: %(t)s.")
            % {"t": item.tag},
            url=reverse("competency:plan"),
        )
