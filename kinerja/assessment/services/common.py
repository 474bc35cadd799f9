"""What the assessment services share: the attachment limits, the BerAKHLAK value codes, input
checks, the printed identity of a person and a result's URL (package-private helpers live
here)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.organisation.models import Employee
from kinerja.performance import services as performance_services
from kinerja.rules import berakhlak
from kinerja.rules.enums import Rating
from kinerja.rules.periods import Period

from .. import selectors
from ..models import Assessment

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ATTACHMENT_KINDS = {"pdf", "jpg", "png"}
VALUE_CODES = [v.code for v in berakhlak.VALUES]


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _require_period_in_force(period: Period) -> None:
    """A write names one of the regency's assessment periods for its year (the configured
    periodicity's periods and the year). A code that parses but is not one of them (a month,
    `2026-B12`, under quarterly assessment) is refused: its results would stand beside the
    real periods'. Reads stay lenient, so results of an earlier periodicity remain visible.
    The periodicity is a deployment setting (`ASSESSMENT_PERIODICITY`, DOMAIN.md "Periods"):
    changed in the middle of a year, the drafts of the old periods can no longer be rated or
    finalised, so it is changed between years."""
    _require(
        period.code in {p.code for p in selectors.periods(period.year)},
        _("Periode %(p)s bukan periode penilaian yang berlaku.") % {"p": period.label},
    )


def _rating(value: Any, label: str) -> Rating:
    try:
        return Rating(value)
    except ValueError:
        raise ValidationError(_("Pilih %(l)s.") % {"l": label}) from None


def person_snapshot(employee: Employee | None) -> dict[str, str]:
    """The employee's or assessor's header of an assessment (a snapshot: later mutasi keep it):
    the SKP form's header without the OPD."""
    return performance_services.person_snapshot(employee, opd=False)


def result_url(assessment: Assessment) -> str:
    return reverse("assessment:result", args=[assessment.pk])
