"""Writes of the rewards app: discipline records, the TPP base table, the monthly TPP
(calculate → review per OPD → approve → lock), follow-up rules → recommendations → decisions,
coaching plans and recognitions. Keyword-only, atomic, audited; notifications and events after
commit. Every number comes from kinerja.rules (discipline, incentives, followup).

Notifications sent here (for kinerja.adoption's channels and reminders, by their message):
a decision on a recommendation (to the employee), a disciplinary record (to the employee), a
coaching plan started (to the supervisor) and its outcome (to the employee), a TPP month
locked ("Slip TPP … sudah final", to every employee in it). Event published:
"training.required" after an accepted mandatory training (BKPSDM brief, contract 2).

Modules: `tpp` (the base table and the monthly TPP), `discipline`, `recommendations` (follow-up
rules → recommendations → decisions), `recognition`, `coaching`; `checks` holds the input checks
they share. Every public name is re-exported here: `services.tpp_calculate(...)` keeps working."""

from __future__ import annotations

from .coaching import coaching_outcome, coaching_session_add
from .discipline import discipline_record_create, heavy_punishment_ids
from .recognition import piagam_issue, recognition_consent
from .recommendations import (
    COACHING_MONTHS,
    RunReport,
    condition_of,
    facts_for,
    jp_shortfalls,
    recommendation_decide,
    rule_update,
    rules_run,
    unit_ikm,
)
from .tpp import (
    PredikatBasis,
    bases_on,
    config_from_json,
    cuts_for_month,
    explain_line,
    format_rupiah,
    opds_with_lines,
    positions_on,
    predikat_for_month,
    recompute_line,
    tpp_approve,
    tpp_base_set,
    tpp_calculate,
    tpp_correction_add,
    tpp_lock,
    tpp_review_opd,
)

__all__ = [
    "COACHING_MONTHS",
    "PredikatBasis",
    "RunReport",
    "bases_on",
    "coaching_outcome",
    "coaching_session_add",
    "condition_of",
    "config_from_json",
    "cuts_for_month",
    "discipline_record_create",
    "explain_line",
    "facts_for",
    "format_rupiah",
    "heavy_punishment_ids",
    "jp_shortfalls",
    "opds_with_lines",
    "piagam_issue",
    "positions_on",
    "predikat_for_month",
    "recognition_consent",
    "recommendation_decide",
    "recompute_line",
    "rule_update",
    "rules_run",
    "tpp_approve",
    "tpp_base_set",
    "tpp_calculate",
    "tpp_correction_add",
    "tpp_lock",
    "tpp_review_opd",
    "unit_ikm",
]
