"""Reads of the assessment app, scoped by kinerja.organisation.access, and the figures an assessment
shows (capaian, status, suggestions), computed by kinerja.rules from the stored realisations.

Project rules where the regulations are silent (see docs/PERFORMANCE.md and the module docs):

* Periods: ``settings.ASSESSMENT_PERIODICITY`` (quarterly by default) plus the annual one.
  An indicator's figure for a period aggregates the realisations of the period's months only,
  against the target for those months (kinerja.rules.realisation.target_for_months).
* The organisation whose curve applies is the OPD: the check runs over every assessment of the
  OPD's employees in one period that has a predikat (drafts and final ones: the live picture).
* Organisation capaian: the mean capaian, over the period, of the indicators of the RHK that
  hang directly from the organisation's own goals (OrgGoal of the OPD; for a unit inside an OPD,
  the RHK of that unit's head), mapped to a suggested predikat by
  kinerja.rules.assessment.suggest_org_predikat.
* A unit head (a structural official whose supervisor sits outside their unit, or who has none)
  gets as suggested rating hasil kerja their unit's performance (unit_rating) once the unit's
  predikat is set; otherwise the indicator majority rule.

Modules: `common` (periods, heads of units), `evaluation` (a plan's figures in a period, the
organisation's performance), `assessors` (the assessing official's team, the annual basis, the
distribution curve), `scoped` (what a user may see), `calibrating` (the regency's calibration
and an OPD's finalisations). Every public name is re-exported here."""

from __future__ import annotations

from .assessors import (
    AnnualBasis,
    Distribution,
    TeamMember,
    annual_basis,
    distributions,
    suggestion_for,
    team,
)
from .calibrating import (
    MIN_GROUP_FOR_FLAGS,
    OVERRIDE_SHARE,
    SANGAT_BAIK_GAP,
    AssessorFlag,
    Calibration,
    calibration,
    opd_assessments,
    opd_finalisations,
    returned_for_calibration,
)
from .common import (
    STRUCTURAL,
    default_period,
    heads_of,
    is_head,
    period_choices,
    period_from,
    periodicity,
    periods,
)
from .evaluation import (
    Evaluation,
    IndicatorRow,
    OrgRow,
    evaluate,
    org_capaian,
    org_predikat_of,
    org_rows,
    plan_evaluation,
    plans_evaluations,
)
from .scoped import (
    assessment_get_for_user,
    assessments_visible_to,
    my_results,
    objection_get_for_user,
    objections_to_decide,
    objections_visible_to,
)

__all__ = [
    "MIN_GROUP_FOR_FLAGS",
    "OVERRIDE_SHARE",
    "SANGAT_BAIK_GAP",
    "STRUCTURAL",
    "AnnualBasis",
    "AssessorFlag",
    "Calibration",
    "Distribution",
    "Evaluation",
    "IndicatorRow",
    "OrgRow",
    "TeamMember",
    "annual_basis",
    "assessment_get_for_user",
    "assessments_visible_to",
    "calibration",
    "default_period",
    "distributions",
    "evaluate",
    "heads_of",
    "is_head",
    "my_results",
    "objection_get_for_user",
    "objections_to_decide",
    "objections_visible_to",
    "opd_assessments",
    "opd_finalisations",
    "org_capaian",
    "org_predikat_of",
    "org_rows",
    "period_choices",
    "period_from",
    "periodicity",
    "periods",
    "plan_evaluation",
    "plans_evaluations",
    "returned_for_calibration",
    "suggestion_for",
    "team",
]
