"""The OPD's goals (sasaran, Perjanjian Kinerja): the top of the cascade."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record, diff, snapshot
from kinerja.organisation import access
from kinerja.organisation.models import User

from ..models import OrgGoal
from ._shared import require

GOAL_FIELDS = ("number", "sasaran", "indicator", "unit_of_measure", "target", "polarity")

# --- OPD goals ---------------------------------------------------------------------------


@transaction.atomic
def goal_save(*, by: User, goal: OrgGoal | None = None, **fields: Any) -> OrgGoal:
    opd = fields.get("opd") or (goal.opd if goal else None)
    require(
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
    require(access.can_manage_goals(by, goal.opd), _("Anda tidak dapat mengelola sasaran OPD ini."))
    require(
        not goal.rhks.exists(), _("Sasaran ini sudah menjadi induk RHK dan tidak dapat dihapus.")
    )
    audit_record(
        actor=by, action=AuditAction.DELETE, obj=goal, changes=diff(snapshot(goal, GOAL_FIELDS), {})
    )
    goal.delete()
