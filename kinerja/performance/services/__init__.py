"""Writes of the performance app: plans and their workflow, the cascade, realisations,
evidence, feedback and dialogs. Every function validates first (ValidationError with an
Indonesian message, nothing changed), writes in one transaction, and records the audit trail.

One module per seam; this package re-exports their public names, so callers keep writing
`services.plan_submit(...)` or `from kinerja.performance.services import parse_value`:

  plans.py         the SKP's lifecycle: create or copy, submit, return, approve, new version,
                   lampiran, the leader's expectations, the assessor following the supervisor
  versions.py      a plan as plain data and what changed between two versions
  cascade.py       RHK and indicators, the cascade's links, handing an RHK to direct reports
  goals.py         the OPD's goals (the top of the cascade)
  realisations.py  monthly realisations (the grid's rules, shared with the bulk API), review,
                   reopening, evidence
  feedback.py      comments, performance dialogs, agreed actions
  automatic.py     realisations the system fills from the survey and the complaints
  _shared.py       what several of them need: the person snapshot, the plan lock and checks
"""

from ._shared import INDICATOR_FIELDS, decimal_text, is_unit_head, person_snapshot
from .automatic import SyncResult, automatic_realisations_sync, automatic_value
from .cascade import (
    RHK_FIELDS,
    DistributionResult,
    indicator_add,
    indicator_delete,
    indicator_update,
    rhk_add,
    rhk_delete,
    rhk_distribute,
    rhk_update,
)
from .feedback import action_update, comment_add, dialog_create
from .goals import GOAL_FIELDS, goal_delete, goal_save
from .plans import (
    behaviour_set_expectation,
    on_supervisor_changed,
    plan_approve,
    plan_assessor_follow,
    plan_create,
    plan_new_version,
    plan_return,
    plan_submit,
    plan_update_lampiran,
    submission_problems,
)
from .realisations import (
    NARRATIVE_MAX_LENGTH,
    RealisationInput,
    StaleRealisation,
    evidence_add_file,
    evidence_add_link,
    evidence_delete,
    parse_value,
    realisation_apply_update,
    realisation_input_problem,
    realisation_month_problem,
    realisation_reopen,
    realisation_review,
    realisation_row_decision,
    realisation_save_month,
    realisations_changed,
)
from .versions import plan_pending_changes, plan_snapshot, snapshot_changes

__all__ = [
    "GOAL_FIELDS",
    "INDICATOR_FIELDS",
    "NARRATIVE_MAX_LENGTH",
    "RHK_FIELDS",
    "DistributionResult",
    "RealisationInput",
    "StaleRealisation",
    "SyncResult",
    "action_update",
    "automatic_realisations_sync",
    "automatic_value",
    "behaviour_set_expectation",
    "comment_add",
    "decimal_text",
    "dialog_create",
    "evidence_add_file",
    "evidence_add_link",
    "evidence_delete",
    "goal_delete",
    "goal_save",
    "indicator_add",
    "indicator_delete",
    "indicator_update",
    "is_unit_head",
    "on_supervisor_changed",
    "parse_value",
    "person_snapshot",
    "plan_approve",
    "plan_assessor_follow",
    "plan_create",
    "plan_new_version",
    "plan_pending_changes",
    "plan_return",
    "plan_snapshot",
    "plan_submit",
    "plan_update_lampiran",
    "realisation_apply_update",
    "realisation_input_problem",
    "realisation_month_problem",
    "realisation_reopen",
    "realisation_review",
    "realisation_row_decision",
    "realisation_save_month",
    "realisations_changed",
    "rhk_add",
    "rhk_delete",
    "rhk_distribute",
    "rhk_update",
    "snapshot_changes",
    "submission_problems",
]
