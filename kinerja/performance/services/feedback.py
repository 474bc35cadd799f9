"""Feedback on a plan (comments and replies), performance dialogs and their agreed actions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record, diff, snapshot
from kinerja.core.notifications import notify
from kinerja.core.text import trimmed
from kinerja.organisation import access
from kinerja.organisation.models import User

from ..models import AgreedAction, BehaviourExpectation, Comment, Dialog, Plan, Realisation, Rhk
from ._shared import plan_url, require

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
    require(
        access.can_comment_on_plan(by, plan),
        _("Anda tidak dapat memberi umpan balik pada SKP ini."),
    )
    body = body.strip()
    require(bool(body), _("Tulis umpan balik terlebih dahulu."))
    require(len(body) <= 2000, _("Umpan balik terlalu panjang (maksimal 2.000 karakter)."))
    targets = [t for t in (realisation, rhk, behaviour) if t is not None]
    require(len(targets) == 1, _("Pilih satu hal yang diberi umpan balik."))
    target = targets[0]
    owner_plan_id = (
        target.indicator.rhk.plan_id if isinstance(target, Realisation) else target.plan_id
    )
    require(owner_plan_id == plan.pk, _("Umpan balik harus untuk bagian dari SKP ini."))
    comment = Comment.objects.create(
        plan=plan, realisation=realisation, rhk=rhk, behaviour=behaviour, author=by, body=body
    )
    audit_record(actor=by, action=AuditAction.CREATE, obj=comment)
    url = f"{plan_url(plan)}#umpan-balik"
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
    require(
        access.is_plan_owner(by, plan)
        or access.is_plan_assessor(by, plan)
        or access.is_above(by, plan.employee),
        _("Dialog kinerja dicatat oleh pegawai atau atasannya."),
    )
    require(
        held_on <= timezone.localdate() + timedelta(days=1),
        _("Tanggal dialog tidak boleh di masa depan."),
    )
    require(bool(trimmed(notes)), _("Catatan pembicaraan wajib diisi."))
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
    require(
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
