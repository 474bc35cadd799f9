"""Pages of the competency app (/kompetensi/). Access decisions come from organisation.access
through the selectors and services (404 outside scope); writes go through the services.

Modules: `programmes` (the catalogue, programmes, sessions, enrolment, rating, certificate),
`attendance`, `learning` (one's learning, JP, external learning), `plans` (approvals,
compliance, development plan, needs analysis); `common` holds the request helpers they share.
Every view is re-exported here for kinerja.competency.urls."""

from __future__ import annotations

from .attendance import attendance_sheet, checkin, checkin_display, session_close
from .learning import (
    external_create,
    external_detail,
    external_evidence,
    my_learning,
    person_jp,
    person_jp_card,
)
from .plans import approvals, compliance, needs_view, needs_xlsx, plan_view
from .programmes import (
    catalogue,
    certificate_pdf,
    enrolment_cancel,
    enrolment_decide,
    programme_detail,
    programme_edit,
    rating_submit,
    session_create,
    session_detail,
    session_edit,
    session_enrol,
    session_nominate,
)

__all__ = [
    "approvals",
    "attendance_sheet",
    "catalogue",
    "certificate_pdf",
    "checkin",
    "checkin_display",
    "compliance",
    "enrolment_cancel",
    "enrolment_decide",
    "external_create",
    "external_detail",
    "external_evidence",
    "my_learning",
    "needs_view",
    "needs_xlsx",
    "person_jp",
    "person_jp_card",
    "plan_view",
    "programme_detail",
    "programme_edit",
    "rating_submit",
    "session_close",
    "session_create",
    "session_detail",
    "session_edit",
    "session_enrol",
    "session_nominate",
]
