"""Writes of community participation, for importers outside kinerja.public (tests, bench, the
demo): each product keeps its own in its sub-package (survey, complaints, forum), the IP-hash
purge is in kinerja.public.retention.

The product sub-packages never import this module (it imports them)."""

from .common import (
    holidays,
)
from .complaints.services import (
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    Upload,
    can_reopen,
    complaint_file,
    complaint_rate,
    complaint_remove,
    complaint_reopen,
    complaint_respond,
    response_due,
)
from .forum.services import (
    CONFIRM_HOURS,
    HIDE_AFTER_REPORTS,
    NICKNAME,
    check_words,
    confirmation_link,
    participant_confirm,
    participant_erase,
    participant_signup,
    post_moderate,
    post_official,
    post_reply,
    post_report,
    topic_start,
)
from .retention import (
    hashes_purge,
)
from .survey.responses import (
    PROFILE_KEYS,
    SUGGESTION_MAX,
    PaperRow,
    Profile,
    aggregates_rebuild,
    response_submit,
    responses_enter,
    slot_of,
    validate_answers,
    validate_profile,
)
from .survey.services import (
    SERVICE_FIELDS,
    device_issue,
    device_revoke,
    follow_up_save,
    population_set,
    question_reset,
    question_update,
    service_create,
    service_update,
)

__all__ = [
    "CONFIRM_HOURS",
    "DESCRIPTION_MAX",
    "DESCRIPTION_MIN",
    "HIDE_AFTER_REPORTS",
    "NICKNAME",
    "PROFILE_KEYS",
    "SERVICE_FIELDS",
    "SUGGESTION_MAX",
    "PaperRow",
    "Profile",
    "Upload",
    "aggregates_rebuild",
    "can_reopen",
    "check_words",
    "complaint_file",
    "complaint_rate",
    "complaint_remove",
    "complaint_reopen",
    "complaint_respond",
    "confirmation_link",
    "device_issue",
    "device_revoke",
    "follow_up_save",
    "hashes_purge",
    "holidays",
    "participant_confirm",
    "participant_erase",
    "participant_signup",
    "population_set",
    "post_moderate",
    "post_official",
    "post_reply",
    "post_report",
    "question_reset",
    "question_update",
    "response_due",
    "response_submit",
    "responses_enter",
    "service_create",
    "service_update",
    "slot_of",
    "topic_start",
    "validate_answers",
    "validate_profile",
]
