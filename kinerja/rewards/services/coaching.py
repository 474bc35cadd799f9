"""Coaching plans (pembinaan): sessions during the 6-month period and its outcome."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.notifications import notify
from kinerja.organisation import access
from kinerja.organisation.models import User

from ..choices import CoachingStatus
from ..models import CoachingPlan, CoachingSession
from .checks import _require, _text

# --- Coaching (pembinaan) ---


@transaction.atomic
def coaching_session_add(
    *, plan: CoachingPlan, by: User, day: date, notes: str, is_checkpoint: bool = False
) -> CoachingSession:
    _require(access.can_manage_coaching(by, plan), "Anda tidak berwenang mencatat pembinaan ini.")
    _require(plan.status == CoachingStatus.RUNNING, "Pembinaan ini sudah selesai.")
    _require(plan.starts <= day <= plan.ends, "Tanggal sesi harus di dalam masa pembinaan.")
    session = CoachingSession.objects.create(
        plan=plan,
        day=day,
        notes=_text(notes, "Catatan", limit=4000),
        is_checkpoint=is_checkpoint,
        recorded_by=by,
    )
    audit_record(actor=by, action=AuditAction.CREATE, obj=session, changes={"day": str(day)})
    return session


@transaction.atomic
def coaching_outcome(*, plan: CoachingPlan, by: User, improved: bool, outcome: str) -> CoachingPlan:
    """At the end of the 6-month period the supervisor records the outcome; a failure feeds the
    reassignment rule (PP 30/2019 Pasal 56–58) at the next rules run."""
    _require(access.can_manage_coaching(by, plan), "Anda tidak berwenang mencatat pembinaan ini.")
    plan = CoachingPlan.objects.select_for_update().get(pk=plan.pk)
    _require(plan.status == CoachingStatus.RUNNING, "Hasil pembinaan ini sudah dicatat.")
    # Failure is judged at the end of the 6-month period (DOMAIN §1); improvement may be
    # recorded as soon as it shows.
    _require(
        improved or timezone.localdate() >= plan.ends,
        "Hasil “tidak berhasil” baru dapat dicatat pada akhir masa pembinaan "
        f"({plan.ends:%d-%m-%Y}).",
    )
    plan.status = CoachingStatus.IMPROVED if improved else CoachingStatus.FAILED
    plan.outcome = _text(outcome, "Hasil pembinaan", limit=4000)
    plan.outcome_at = timezone.now()
    plan.outcome_by = by
    plan.save()
    audit_record(actor=by, action=AuditAction.UPDATE, obj=plan, changes={"status": plan.status})
    notify(
        recipient=plan.employee,
        message=f"Hasil pembinaan dicatat: {plan.get_status_display()}.",
        url=reverse("rewards:coaching_detail", args=[plan.pk]),
    )
    return plan
