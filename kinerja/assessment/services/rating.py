"""Rating: the organisation's predikat (set by the regency head) and an employee's periodic or
yearly assessment (hasil kerja, perilaku kerja, predikat from the matrix), with the suggested
perilaku and the angka kredit of a jabatan fungsional."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.text import trimmed, visible_length
from kinerja.organisation import access
from kinerja.organisation.choices import PositionKind
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance.choices import PlanStatus
from kinerja.performance.models import Plan
from kinerja.rules import berakhlak
from kinerja.rules.assessment import predikat as matrix_predikat
from kinerja.rules.assessment import suggest_org_predikat, suggest_perilaku
from kinerja.rules.enums import OrgPredikat, Predikat, Rating
from kinerja.rules.incentives import JENJANG_COEFFICIENTS, angka_kredit
from kinerja.rules.numbers import round2
from kinerja.rules.periods import Period

from .. import selectors
from ..models import Assessment, OrgAssessment
from .common import VALUE_CODES, _rating, _require, _require_period_in_force, person_snapshot

# --- Organisation performance -------------------------------------------------------------------


@transaction.atomic
def org_predikat_set(
    *, unit: Unit, period: Period, predikat: str, reason: str, by: User
) -> OrgAssessment:
    """Set (or change) the predikat kinerja organisasi of a unit for a period (SE MenPANRB
    3/2023), by the official above it. Differing from the system's suggestion needs a reason."""
    _require_period_in_force(period)
    opd_head = selectors.heads_of([unit.opd or unit]).get((unit.opd or unit).pk)
    _require(
        access.can_set_org_predikat(by, unit, opd_head.pk if opd_head else None),
        _("Anda tidak berwenang menetapkan predikat organisasi ini."),
    )
    try:
        value = OrgPredikat(predikat)
    except ValueError:
        raise ValidationError(_("Pilih predikat organisasi.")) from None
    capaian = selectors.org_capaian([unit], period).get(unit.pk)
    suggested = suggest_org_predikat(capaian) if capaian is not None else None
    reason = trimmed(reason)
    _require(
        suggested is None or value == suggested or visible_length(reason) > 0,
        _("Predikat berbeda dari saran sistem (%(s)s): tuliskan alasannya.")
        % {"s": suggested.label if suggested else ""},
    )
    obj = OrgAssessment.objects.filter(unit=unit, period=period.code).first()
    before = obj.predikat if obj else None
    obj = obj or OrgAssessment(unit=unit, period=period.code, year=period.year)
    obj.predikat = value
    obj.suggested = suggested.value if suggested else ""
    obj.capaian = round2(capaian) if capaian is not None else None
    obj.reason = reason
    obj.set_by = by
    obj.set_at = timezone.now()
    obj.full_clean()
    obj.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=obj,
        changes={"predikat": [before, value.value]},
        note=reason,
    )
    return obj


# --- Rating an employee -----------------------------------------------------------------------


def _check_rateable(plan: Plan, period: Period, by: User) -> None:
    _require_period_in_force(period)
    _require(
        access.is_period_assessor(by, plan, period),
        _("Hanya pejabat penilai pegawai ini yang dapat menilai."),
    )
    _require(plan.status == PlanStatus.APPROVED, _("SKP pegawai belum disetujui."))
    _require(plan.year == period.year, _("Periode tidak sesuai dengan tahun SKP."))


@transaction.atomic
def assessment_save(
    *,
    plan: Plan,
    period: Period,
    by: User,
    behaviour: Mapping[str, str],
    hasil: str,
    perilaku: str,
    hasil_reason: str = "",
    perilaku_reason: str = "",
) -> Assessment:
    """Record the assessing official's ratings (PermenPANRB 6/2022): the seven BerAKHLAK values,
    rating hasil kerja and rating perilaku kerja; the predikat follows from the matrix. A
    rating that differs from the system's suggestion needs a written reason. Only drafts change.
    """
    _check_rateable(plan, period, by)
    existing = (
        Assessment.objects.select_for_update(of=("self",)).filter(
            employee=plan.employee, period=period.code
        )
    ).first()
    _require(
        existing is None or not existing.is_final,
        _("Penilaian sudah final dan terkunci; perubahan hanya melalui keberatan."),
    )
    values = {}
    for code in VALUE_CODES:
        values[code] = _rating(behaviour.get(code), berakhlak.value_by_code(code).name).value
    hasil_r = _rating(hasil, _("rating hasil kerja"))
    perilaku_r = _rating(perilaku, _("rating perilaku kerja"))
    evaluation = selectors.plan_evaluation(plan, period)
    suggested_hasil = selectors.suggestion_for(plan, period, evaluation)
    suggested_perilaku = perilaku_suggestion(plan.employee, period, values)
    hasil_reason, perilaku_reason = trimmed(hasil_reason), trimmed(perilaku_reason)
    if suggested_hasil is not None and hasil_r != suggested_hasil:
        _require(
            bool(hasil_reason),
            _("Rating hasil kerja berbeda dari saran (%(s)s): tuliskan alasannya.")
            % {"s": suggested_hasil.label},
        )
    if perilaku_r != suggested_perilaku:
        _require(
            bool(perilaku_reason),
            _("Rating perilaku kerja berbeda dari saran (%(s)s): tuliskan alasannya.")
            % {"s": suggested_perilaku.label},
        )
    employee = plan.employee
    assessment = existing or Assessment(
        employee=employee,
        period=period.code,
        year=period.year,
    )
    before = {"hasil": assessment.hasil, "perilaku": assessment.perilaku}
    assessment.plan = plan
    assessment.opd_id = employee.unit.opd_id or employee.unit_id
    assessment.unit_id = employee.unit_id
    # The period's assessing official (who may differ from the plan's current one after a
    # transfer): `by` itself, or nobody for Pimpinan Daerah.
    assessor = by.employee if access.period_assessor_id(plan, period) is not None else None
    assessment.assessor_id = assessor.pk if assessor is not None else None
    assessment.employee_snapshot = person_snapshot(employee)
    assessment.assessor_snapshot = person_snapshot(assessor) if assessor is not None else {}
    assessment.is_unit_head = selectors.is_head(employee)
    assessment.capaian = round2(evaluation.capaian) if evaluation.capaian is not None else None
    assessment.suggested_hasil = suggested_hasil.value if suggested_hasil else ""
    assessment.suggested_perilaku = suggested_perilaku.value
    assessment.behaviour = values
    assessment.hasil = hasil_r.value
    assessment.perilaku = perilaku_r.value
    assessment.hasil_reason = hasil_reason if assessment.hasil_overridden else ""
    assessment.perilaku_reason = perilaku_reason if assessment.perilaku_overridden else ""
    assessment.predikat = matrix_predikat(hasil_r, perilaku_r).value
    assessment.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE if existing else AuditAction.CREATE,
        obj=assessment,
        changes={
            "hasil": [before["hasil"] or None, assessment.hasil],
            "perilaku": [before["perilaku"] or None, assessment.perilaku],
            "predikat": [None, assessment.predikat],
        },
    )
    return assessment


def perilaku_suggestion(employee: Employee, period: Period, values: Mapping[str, str]) -> Rating:
    """The suggested rating perilaku kerja: for a period, the majority of the seven values
    (PermenPANRB 6/2022); for the annual assessment, the rating given most often in the year's
    finalised periods, a tie going to the latest (DOMAIN §1, "annual from periodic"), or the
    values' majority while no period is final."""
    if period.is_annual:
        basis = selectors.annual_basis(employee, period.year)
        if basis.suggested_perilaku is not None:
            return basis.suggested_perilaku
    return suggest_perilaku([Rating(v) for v in values.values()])


def angka_kredit_for(employee: Employee, predikat: str, period: Period) -> Decimal | None:
    """Angka kredit of a jabatan fungsional for the period (PerBKN 3/2023)."""
    position = employee.position
    if position.kind != PositionKind.FUNGSIONAL or position.jenjang not in JENJANG_COEFFICIENTS:
        return None
    return angka_kredit(Predikat(predikat), position.jenjang, len(period.months))
