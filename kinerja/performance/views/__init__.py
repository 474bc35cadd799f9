"""The performance app's pages, one module per seam (urls.py names each view where it lives):

  plans.py         my plans, a plan, lampiran and expectations, the workflow, versions, documents
  cascade.py       RHK and indicators, handing an RHK to direct reports, the team and its cascade
  realisations.py  the month grid, review and reopening, evidence, the XLSX import of a year
  feedback.py      comments, performance dialogs, agreed actions
  goals.py         the OPD's goals and their XLSX import
  _shared.py       messages from a service's errors, the way back to the plan, the plan's owner
                   or assessor, the `?tahun` of a page

The views are re-exported here, so `kinerja.performance.views.evidence_download` still names one.
"""

from .cascade import (
    indicator_create,
    indicator_delete,
    indicator_edit,
    rhk_create,
    rhk_delete,
    rhk_distribute,
    rhk_edit,
    team_cascade,
    team_plans,
)
from .feedback import action_update, comment_add, dialog_list
from .goals import goal_delete, goal_import, goal_list, goal_template
from .plans import (
    approval_inbox,
    behaviour_edit,
    plan_approve,
    plan_detail,
    plan_lampiran,
    plan_list,
    plan_new_version,
    plan_pdf,
    plan_return,
    plan_submit,
    plan_versions,
    plan_xlsx,
)
from .realisations import (
    evidence_add,
    evidence_delete,
    evidence_download,
    realisation_grid,
    realisation_import,
    realisation_reopen,
    realisation_review,
    realisation_template,
)

__all__ = [
    "action_update",
    "approval_inbox",
    "behaviour_edit",
    "comment_add",
    "dialog_list",
    "evidence_add",
    "evidence_delete",
    "evidence_download",
    "goal_delete",
    "goal_import",
    "goal_list",
    "goal_template",
    "indicator_create",
    "indicator_delete",
    "indicator_edit",
    "plan_approve",
    "plan_detail",
    "plan_lampiran",
    "plan_list",
    "plan_new_version",
    "plan_pdf",
    "plan_return",
    "plan_submit",
    "plan_versions",
    "plan_xlsx",
    "realisation_grid",
    "realisation_import",
    "realisation_reopen",
    "realisation_review",
    "realisation_template",
    "rhk_create",
    "rhk_delete",
    "rhk_distribute",
    "rhk_edit",
    "team_cascade",
    "team_plans",
]
