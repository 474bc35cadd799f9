"""Writes of the assessment app: every change is validated first, audited, and its side effects
(notifications) run after commit. Regulation arithmetic comes from kinerja.rules.

Modules: `rating` (the organisation's predikat, an employee's periodic or yearly assessment),
`finalisation` (a team's results finalised against the curve, returned for calibration),
`snapshots` (what the evaluation document freezes), `objections` (the employee's side: shown,
acknowledged, objected to, decided); `common` holds what they share. Every public name is
re-exported here."""

from __future__ import annotations

from .common import (
    ATTACHMENT_KINDS,
    MAX_ATTACHMENT_BYTES,
    VALUE_CODES,
    person_snapshot,
    result_url,
)
from .finalisation import assessment_return_for_calibration, counts_for_opd, team_finalise
from .objections import (
    assessment_acknowledge,
    assessment_show,
    decider_for,
    explanation_party,
    objection_decide,
    objection_explain,
    objection_request_explanations,
    objection_submit,
    objection_window_open,
)
from .rating import angka_kredit_for, assessment_save, org_predikat_set, perilaku_suggestion
from .snapshots import document_snapshot, document_snapshots

__all__ = [
    "ATTACHMENT_KINDS",
    "MAX_ATTACHMENT_BYTES",
    "VALUE_CODES",
    "angka_kredit_for",
    "assessment_acknowledge",
    "assessment_return_for_calibration",
    "assessment_save",
    "assessment_show",
    "counts_for_opd",
    "decider_for",
    "document_snapshot",
    "document_snapshots",
    "explanation_party",
    "objection_decide",
    "objection_explain",
    "objection_request_explanations",
    "objection_submit",
    "objection_window_open",
    "org_predikat_set",
    "perilaku_suggestion",
    "person_snapshot",
    "result_url",
    "team_finalise",
]
