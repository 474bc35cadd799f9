"""Writes of the competency app: enrolment (no overbooking under concurrency), waitlist,
approval, cancellation, attendance (sheet and QR), completion with JP credit and certificate,
external learning, ratings and development plans. Every change is validated first, audited,
and notifications run after commit. JP arithmetic comes from kinerja.rules.training.

Modules: `catalogue` (programmes, sessions), `enrolment` and `seats` (registration, waitlist,
approval, cancellation), `attendance` (check-in, the sheet, completion and certificates),
`learning` (ratings, external learning), `plans` (development plans from the assessment's gaps,
mandatory training); `rights` (who may manage, nominate, decide) and `common` (the JP staleness
mark, input checks) are shared. Every public name is re-exported here."""

from __future__ import annotations

from .attendance import (
    attendance_checkin,
    attendance_sheet_save,
    certificate_issue,
    checkin_code,
    checkin_code_valid,
    session_close,
)
from .catalogue import programme_save, session_save
from .common import AlreadyEnrolled, jp_changed
from .enrolment import enrolment_cancel, enrolment_create, enrolment_decide, registration_open
from .learning import external_review, external_submit, rating_submit
from .plans import (
    BEHAVIOUR_TAGS,
    assessment_gaps,
    on_training_required,
    plan_agree,
    plan_item_add,
    plan_refresh,
)
from .rights import (
    can_decide_enrolment,
    can_manage_programme,
    can_manage_session,
    can_nominate,
    can_open_approvals,
)
from .seats import session_url

__all__ = [
    "BEHAVIOUR_TAGS",
    "AlreadyEnrolled",
    "assessment_gaps",
    "attendance_checkin",
    "attendance_sheet_save",
    "can_decide_enrolment",
    "can_manage_programme",
    "can_manage_session",
    "can_nominate",
    "can_open_approvals",
    "certificate_issue",
    "checkin_code",
    "checkin_code_valid",
    "enrolment_cancel",
    "enrolment_create",
    "enrolment_decide",
    "external_review",
    "external_submit",
    "jp_changed",
    "on_training_required",
    "plan_agree",
    "plan_item_add",
    "plan_refresh",
    "programme_save",
    "rating_submit",
    "registration_open",
    "session_close",
    "session_save",
    "session_url",
]
