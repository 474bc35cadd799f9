"""The evaluation documents' codes, answered for the one public verification page
(kinerja.core.verification): the person's name, the period and the predikat; nothing more."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kinerja.core.verification import VerifiedDocument
from kinerja.rules.enums import Predikat

from .choices import AssessmentStatus
from .models import Assessment


def resolve(code: str) -> VerifiedDocument | None:
    assessment = (
        Assessment.objects.filter(code=code, status=AssessmentStatus.FINAL)
        .only("code", "period", "predikat", "employee_snapshot", "finalised_at")
        .first()
    )
    if assessment is None:
        return None
    predikat = Predikat(assessment.predikat).label if assessment.predikat else "-"
    return VerifiedDocument(
        code=assessment.code or code,
        kind=_("Dokumen evaluasi kinerja"),
        title=_("Evaluasi kinerja %(p)s") % {"p": assessment.period_label},
        holder_name=(assessment.employee_snapshot or {}).get("name", ""),
        facts=((_("Periode"), assessment.period_label), (_("Predikat"), predikat)),
        issued_at=assessment.finalised_at,
    )
