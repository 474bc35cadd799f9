"""Writes of the assessment app: every change is validated first, audited, and its side effects
(notifications) run after commit. Regulation arithmetic comes from kinerja.rules."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.notifications import notify
from kinerja.organisation import access
from kinerja.organisation.choices import PositionKind
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance import evidence as evidence_rules
from kinerja.performance.choices import PlanStatus
from kinerja.performance.models import Comment, Evidence, Plan
from kinerja.rules import berakhlak, distribution
from kinerja.rules.assessment import predikat as matrix_predikat
from kinerja.rules.assessment import suggest_org_predikat, suggest_perilaku
from kinerja.rules.enums import OrgPredikat, Predikat, Rating
from kinerja.rules.incentives import JENJANG_COEFFICIENTS, angka_kredit
from kinerja.rules.numbers import round2
from kinerja.rules.objection import objection_open
from kinerja.rules.periods import Period, parse_period

from . import selectors
from .choices import AssessmentStatus, ObjectionStatus, Party
from .models import (
    Assessment,
    Explanation,
    Finalisation,
    Objection,
    ObjectionAttachment,
    OrgAssessment,
)

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ATTACHMENT_KINDS = {"pdf", "jpg", "png"}
VALUE_CODES = [v.code for v in berakhlak.VALUES]


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _rating(value: Any, label: str) -> Rating:
    try:
        return Rating(value)
    except ValueError:
        raise ValidationError(_("Pilih %(l)s.") % {"l": label}) from None


def person_snapshot(employee: Employee | None) -> dict[str, str]:
    """The employee's or assessor's header of an assessment (a snapshot: later mutasi keep it)."""
    if employee is None:
        return {}
    return {
        "name": employee.full_name,
        "nip": employee.nip_formatted,
        "golongan": employee.get_golongan_display(),
        "position": employee.position.name,
        "unit": employee.unit.name,
    }


def result_url(assessment: Assessment) -> str:
    return reverse("assessment:result", args=[assessment.pk])


# --- Organisation performance -------------------------------------------------------------------


@transaction.atomic
def org_predikat_set(
    *, unit: Unit, period: Period, predikat: str, reason: str, by: User
) -> OrgAssessment:
    """Set (or change) the predikat kinerja organisasi of a unit for a period (SE MenPANRB
    3/2023), by the official above it. Differing from the system's suggestion needs a reason."""
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
    reason = (reason or "").strip()
    _require(
        suggested is None or value == suggested or bool(reason),
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
    hasil_reason, perilaku_reason = (hasil_reason or "").strip(), (perilaku_reason or "").strip()
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


def _snapshot_row(
    row: selectors.IndicatorRow, evidence: int, feedback: list[str]
) -> dict[str, Any]:
    p = row.progress
    return {
        "kind": row.rhk.kind,
        "rhk": row.rhk.text,
        "indicator": row.indicator.name,
        "unit": row.indicator.unit_of_measure,
        "target": _num(p.target_to_date),
        "realisation": _num(p.value),
        "capaian": _num(round2(p.capaian_to_date) if p.capaian_to_date is not None else None),
        "status": p.status.label if p.status else "",
        "evidence": evidence,
        "feedback": feedback[-3:],
    }


def document_snapshot(assessment: Assessment, period: Period) -> dict[str, Any]:
    """What the evaluation document prints, frozen when the result is finalised: one row per
    indicator with the period's target, realisation, capaian and status, the number of
    evidence items and the last feedback."""
    rows = []
    if assessment.plan is not None:
        evaluation = selectors.plan_evaluation(assessment.plan, period, with_details=True)
        for row in evaluation.rows:
            evidence = sum(len(r.evidence.all()) for r in row.progress.by_month.values())
            rows.append(_snapshot_row(row, evidence, [c.body for c in row.comments]))
    return {"rows": rows}


def document_snapshots(
    plans: Sequence[Plan],
    period: Period,
    evaluations: Mapping[int, selectors.Evaluation] | None = None,
) -> dict[int, dict[str, Any]]:
    """:func:`document_snapshot` for many plans at once, by plan id, in a fixed number of
    queries (finalising a team; the demo's thousands of results). ``evaluations`` are the
    plans' figures when the caller already has them (selectors.plans_evaluations)."""
    plan_ids = [p.pk for p in plans]
    if evaluations is None:
        evaluations = selectors.plans_evaluations(plans, period)
    evidence: dict[int, int] = dict(
        Evidence.objects.filter(
            realisation__indicator__rhk__plan_id__in=plan_ids, realisation__month__in=period.months
        )
        .values_list("realisation_id")
        .annotate(n=Count("id"))
        .values_list("realisation_id", "n")
    )
    threads: dict[tuple[str, int], list[str]] = {}
    for comment in (
        Comment.objects.filter(plan_id__in=plan_ids)
        .filter(Q(rhk_id__isnull=False) | Q(realisation__month__in=period.months))
        .only("id", "rhk_id", "realisation_id", "body")
    ):
        if comment.rhk_id:
            key = ("rhk", comment.rhk_id)
        elif comment.realisation_id:
            key = ("r", comment.realisation_id)
        else:  # the filter above admits no other comment
            continue
        threads.setdefault(key, []).append(comment.body)
    result = {}
    for pk in plan_ids:
        rows = []
        for row in evaluations[pk].rows:
            realised = sorted(row.progress.by_month.values(), key=lambda r: r.month)
            feedback = list(threads.get(("rhk", row.rhk.pk), []))
            for r in realised:
                feedback += threads.get(("r", r.pk), [])
            count = sum(evidence.get(r.pk, 0) for r in realised)
            rows.append(_snapshot_row(row, count, feedback))
        result[pk] = {"rows": rows}
    return result


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def counts_for_opd(opd_id: int, period: Period) -> Counter[Predikat]:
    tally: Counter[Predikat] = Counter()
    for value in (
        Assessment.objects.filter(opd_id=opd_id, period=period.code)
        .exclude(predikat="")
        .values_list("predikat", flat=True)
    ):
        tally[Predikat(value)] += 1
    return tally


@transaction.atomic
def team_finalise(*, by: User, period: Period, justification: str = "") -> list[Finalisation]:
    """Finalise every rated draft the user assesses in the period (locking them). The
    distribution curve of each OPD concerned is checked (SE MenPANRB 3/2023) over all its
    rated assessments; a violation does not block, but needs a written justification, which is
    recorded. The employees are notified."""
    drafts = list(
        Assessment.objects.select_for_update(of=("self",))
        .filter(period=period.code, status=AssessmentStatus.DRAFT)
        .exclude(predikat="")
        .select_related("employee__position", "plan", "assessor")
    )
    # Rated by `by` and still theirs to rate: a draft left by a former supervisor for a period
    # that ended after the transfer waits for the period's assessing official to rate it.
    assessors = access.period_assessor_ids([a.employee_id for a in drafts], period)
    drafts = [
        a
        for a in drafts
        if access.is_assessment_assessor(by, a)
        and access.is_assessor_id(by, assessors.get(a.employee_id, a.assessor_id))
    ]
    _require(bool(drafts), _("Belum ada penilaian yang siap difinalkan."))
    justification = (justification or "").strip()
    by_opd: dict[int, list[Assessment]] = {}
    for a in drafts:
        by_opd.setdefault(a.opd_id, []).append(a)
    now = timezone.now()
    results = []
    for opd_id, group in by_opd.items():
        org = selectors.org_predikat_of(opd_id, period)
        opd = Unit.objects.get(pk=opd_id)
        _require(
            org is not None,
            _("Predikat kinerja organisasi %(o)s untuk %(p)s belum ditetapkan.")
            % {"o": opd.name, "p": period.label},
        )
        assert org is not None
        violations = distribution.check(org, counts_for_opd(opd_id, period))
        _require(
            not violations or bool(justification),
            _("Sebaran predikat melanggar kurva distribusi: tuliskan justifikasinya."),
        )
        finalisation = Finalisation.objects.create(
            opd_id=opd_id,
            period=period.code,
            assessor_id=group[0].assessor_id,
            org_predikat=org.value,
            count=len(group),
            violations=[v.message for v in violations],
            justification=justification if violations else "",
            by=by,
            at=now,
        )
        snapshots = document_snapshots([a.plan for a in group if a.plan is not None], period)
        for a in group:
            a.snapshot = snapshots.get(a.plan_id, {"rows": []}) if a.plan_id else {"rows": []}
            a.angka_kredit = angka_kredit_for(a.employee, a.predikat, period)
            a.status = AssessmentStatus.FINAL
            a.finalised_at = now
            a.finalisation = finalisation
            a.code = secrets.token_urlsafe(12)
            a.save()
            notify(
                recipient=a.employee,
                message=_("Hasil penilaian kinerja %(p)s Anda sudah final: %(k)s.")
                % {"p": period.label, "k": Predikat(a.predikat).label},
                url=result_url(a),
            )
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            obj=finalisation,
            changes={
                "status": ["draf", "final"],
                "assessments": [None, [a.pk for a in group]],
                "violations": [None, finalisation.violations],
            },
            note=finalisation.justification,
        )
        results.append(finalisation)
    return results


@transaction.atomic
def assessment_return_for_calibration(
    *, finalisation: Finalisation, by: User, note: str
) -> list[Assessment]:
    """BKPSDM returns an assessor's finalised results of one period to the assessor for
    calibration (SE MenPANRB 3/2023: the distribution curve), with a note. The results become
    drafts again — unlocked, withdrawn from the employees, their verification codes void —
    and the assessor re-rates and finalises them, with the curve checked again. Results under
    an objection stay final: the objection's decider rules on them (PP 30/2019 Pasal 59).
    The finalisation stays as history with the note; the assessor and the employees who had
    seen their result are notified."""
    _require(
        access.can_return_for_calibration(by),
        _("Hanya BKPSDM yang dapat mengembalikan hasil penilaian untuk kalibrasi."),
    )
    finalisation = Finalisation.objects.select_for_update(of=("self",)).get(pk=finalisation.pk)
    _require(
        not finalisation.is_returned,
        _("Hasil finalisasi ini sudah dikembalikan untuk kalibrasi."),
    )
    note = (note or "").strip()
    _require(
        len(note) >= 10,
        _("Tuliskan catatan kalibrasi untuk pejabat penilai (paling sedikit 10 karakter)."),
    )
    assessments = list(
        Assessment.objects.select_for_update(of=("self",))
        .filter(finalisation=finalisation, status=AssessmentStatus.FINAL)
        .select_related("employee", "assessor")
        .order_by("pk")
    )
    with_objection = set(
        Objection.objects.filter(assessment__in=assessments).values_list("assessment_id", flat=True)
    )
    returned = [a for a in assessments if a.pk not in with_objection]
    _require(
        bool(returned),
        _("Tidak ada hasil yang dapat dikembalikan: semuanya dalam proses keberatan."),
    )
    now = timezone.now()
    period = parse_period(finalisation.period)
    for a in returned:
        was_shown = a.shown_at is not None
        a.status = AssessmentStatus.DRAFT
        a.code = None
        a.finalised_at = None
        a.finalisation = None
        a.shown_at = None
        a.acknowledged_at = None
        a.snapshot = {}
        a.angka_kredit = None
        a.save()
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            obj=a,
            changes={"status": ["final", "draf"]},
            note=_("Dikembalikan BKPSDM untuk kalibrasi: %(n)s") % {"n": note[:400]},
        )
        if was_shown:
            notify(
                recipient=a.employee,
                message=_(
                    "Hasil penilaian %(p)s Anda ditarik kembali untuk kalibrasi; hasil baru "
                    "akan dikirim setelah difinalkan ulang."
                )
                % {"p": period.label},
            )
    finalisation.returned_at = now
    finalisation.returned_by = by
    finalisation.return_note = note
    finalisation.save(update_fields=["returned_at", "returned_by", "return_note"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=finalisation,
        changes={
            "status": ["final", "dikembalikan"],
            "assessments": [[a.pk for a in returned], None],
            "kept_for_objection": [None, sorted(with_objection)],
        },
        note=note,
    )
    message = _(
        "BKPSDM mengembalikan %(n)d hasil penilaian %(p)s (%(o)s) untuk kalibrasi: %(c)s"
    ) % {"n": len(returned), "p": period.label, "o": finalisation.opd.name, "c": note[:150]}
    url = f"{reverse('assessment:team')}?periode={period.code}"
    assessors = {a.assessor_id: a.assessor for a in returned if a.assessor_id}
    for assessor in assessors.values():
        notify(recipient=assessor, message=message, url=url)
    if not assessors:  # rated by the regent's office: the official who finalised
        notify(recipient=finalisation.by, message=message, url=url)
    return returned


# --- The employee's side ----------------------------------------------------------------------


@transaction.atomic
def assessment_show(*, assessment: Assessment, by: User) -> Assessment:
    """Record the moment the employee is first shown their final result: it starts the 14-day
    objection window (PP 30/2019 Pasal 59; project rule)."""
    if (
        not assessment.is_final
        or assessment.shown_at is not None
        or by.employee_id != assessment.employee_id
    ):
        return assessment
    assessment.shown_at = timezone.now()
    assessment.save(update_fields=["shown_at", "updated_at"])
    audit_record(
        actor=by, action=AuditAction.UPDATE, obj=assessment, changes={"shown_at": [None, "ya"]}
    )
    return assessment


@transaction.atomic
def assessment_acknowledge(*, assessment: Assessment, by: User) -> Assessment:
    _require(by.employee_id == assessment.employee_id, _("Hanya pegawai yang dinilai."))
    _require(assessment.is_final, _("Penilaian belum final."))
    _require(assessment.acknowledged_at is None, _("Hasil penilaian sudah Anda terima."))
    assessment.acknowledged_at = timezone.now()
    if assessment.shown_at is None:
        assessment.shown_at = assessment.acknowledged_at
    assessment.save(update_fields=["acknowledged_at", "shown_at", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=assessment,
        changes={"acknowledged_at": [None, assessment.acknowledged_at.isoformat()]},
    )
    return assessment


def objection_window_open(assessment: Assessment, now: datetime | None = None) -> bool:
    return objection_open(assessment.shown_at, now or timezone.now())


def decider_for(assessment: Assessment) -> Employee | None:
    """The assessing official's own superior (PP 30/2019 Pasal 59); None → Pimpinan Daerah."""
    if assessment.assessor is None:
        return None
    return assessment.assessor.supervisor


@transaction.atomic
def objection_submit(
    *,
    assessment: Assessment,
    by: User,
    reasons: str,
    files: Iterable[tuple[str, bytes]] = (),
) -> Objection:
    """File a keberatan within 14 days of being shown the final result (PP 30/2019 Pasal 59),
    with reasons and attachments (PDF/JPG/PNG up to 5 MB, checked by content)."""
    _require(by.employee_id == assessment.employee_id, _("Hanya pegawai yang dinilai."))
    _require(assessment.is_final, _("Penilaian belum final."))
    _require(
        objection_window_open(assessment),
        _("Batas waktu keberatan (14 hari sejak hasil diperlihatkan) sudah lewat."),
    )
    _require(
        not Objection.objects.filter(assessment=assessment).exists(),
        _("Keberatan atas penilaian ini sudah diajukan."),
    )
    reasons = (reasons or "").strip()
    _require(len(reasons) >= 20, _("Tuliskan alasan keberatan (paling sedikit 20 karakter)."))
    checked = []
    for name, data in files:
        _require(len(data) > 0, _("Berkas %(n)s kosong.") % {"n": name})
        _require(
            len(data) <= MAX_ATTACHMENT_BYTES,
            _("Berkas %(n)s terlalu besar (maksimal 5 MB).") % {"n": name},
        )
        kind = evidence_rules.detect_kind(data[:16])
        _require(
            kind in ATTACHMENT_KINDS,
            _("Berkas %(n)s bukan PDF, JPG, atau PNG.") % {"n": name},
        )
        checked.append((name, data, kind))
    now = timezone.now()
    decider = decider_for(assessment)
    objection = Objection.objects.create(
        assessment=assessment,
        decider=decider,
        reasons=reasons,
        submitted_at=now,
        before=_ratings(assessment),
    )
    for name, data, kind in checked:
        extension, content_type = evidence_rules.KINDS[kind]  # type: ignore[index]  # checked: a known kind
        item = ObjectionAttachment(
            objection=objection,
            original_name=evidence_rules.safe_display_name(name),
            content_type=content_type,
            size=len(data),
            uploaded_at=now,
        )
        item.file.save(f"{secrets.token_hex(16)}{extension}", ContentFile(data), save=False)
        item.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=objection,
        changes={"attachments": [None, len(checked)]},
        note=reasons[:500],
    )
    url = reverse("assessment:objection_detail", args=[objection.pk])
    message = _("Keberatan atas penilaian %(e)s (%(p)s) menunggu keputusan Anda.") % {
        "e": assessment.employee.full_name,
        "p": assessment.period_label,
    }
    if decider is not None:
        notify(recipient=decider, message=message, url=url)
    if assessment.assessor_id:
        notify(
            recipient=assessment.assessor,
            message=_("%(e)s mengajukan keberatan atas penilaian Anda.")
            % {"e": assessment.employee.full_name},
            url=url,
        )
    return objection


def _ratings(assessment: Assessment) -> dict[str, Any]:
    return {
        "hasil": assessment.hasil,
        "perilaku": assessment.perilaku,
        "predikat": assessment.predikat,
        "angka_kredit": str(assessment.angka_kredit) if assessment.angka_kredit else None,
    }


def _check_decider(objection: Objection, by: User) -> None:
    _require(
        access.is_objection_decider(by, objection),
        _("Hanya atasan pejabat penilai yang memutus keberatan ini."),
    )
    _require(objection.is_open, _("Keberatan ini sudah diputus; keputusan bersifat final."))


@transaction.atomic
def objection_request_explanations(*, objection: Objection, by: User) -> Objection:
    """The decider asks both the employee and the assessing official for explanations."""
    _check_decider(objection, by)
    _require(
        objection.status == ObjectionStatus.SUBMITTED, _("Penjelasan sudah diminta sebelumnya.")
    )
    now = timezone.now()
    for party in (Party.EMPLOYEE, Party.ASSESSOR):
        Explanation.objects.create(objection=objection, party=party, requested_at=now)
    objection.status = ObjectionStatus.CLARIFYING
    objection.explanations_requested_at = now
    objection.save(update_fields=["status", "explanations_requested_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=objection,
        changes={"status": ["diajukan", "klarifikasi"]},
    )
    url = reverse("assessment:objection_detail", args=[objection.pk])
    a = objection.assessment
    notify(recipient=a.employee, message=_("Atasan penilai meminta penjelasan Anda."), url=url)
    if a.assessor_id:
        notify(recipient=a.assessor, message=_("Diminta penjelasan atas keberatan."), url=url)
    return objection


def explanation_party(objection: Objection, by: User) -> str | None:
    a = objection.assessment
    if by.employee_id is not None and by.employee_id == a.employee_id:
        return Party.EMPLOYEE
    if access.is_assessment_assessor(by, a):
        return Party.ASSESSOR
    return None


@transaction.atomic
def objection_explain(*, objection: Objection, by: User, body: str) -> Explanation:
    """The employee or the assessing official answers the decider's request (recorded)."""
    party = explanation_party(objection, by)
    _require(party is not None, _("Anda bukan pihak dalam keberatan ini."))
    _require(objection.is_open, _("Keberatan ini sudah diputus."))
    item = Explanation.objects.filter(objection=objection, party=party).first()
    _require(item is not None, _("Penjelasan belum diminta."))
    assert item is not None
    _require(not item.answered_at, _("Penjelasan Anda sudah tercatat."))
    body = (body or "").strip()
    _require(len(body) >= 10, _("Tuliskan penjelasan (paling sedikit 10 karakter)."))
    item.body = body
    item.answered_at = timezone.now()
    item.answered_by = by
    item.save()
    audit_record(actor=by, action=AuditAction.UPDATE, obj=item, changes={"body": [None, "ya"]})
    return item


@transaction.atomic
def objection_decide(
    *,
    objection: Objection,
    by: User,
    outcome: str,
    reason: str,
    hasil: str = "",
    perilaku: str = "",
) -> Objection:
    """The superior's final decision (PP 30/2019 Pasal 59): uphold, or change the ratings (the
    predikat follows from the matrix; angka kredit is recomputed). The ratings it replaced are
    kept in ``before``. Explanations must have been requested first."""
    _check_decider(objection, by)
    _require(
        objection.status == ObjectionStatus.CLARIFYING,
        _("Mintalah penjelasan kedua pihak sebelum memutus."),
    )
    reason = (reason or "").strip()
    _require(bool(reason), _("Tuliskan alasan keputusan."))
    _require(outcome in {"uphold", "change"}, _("Pilih keputusan."))
    assessment = Assessment.objects.select_for_update(of=("self",)).get(pk=objection.assessment_id)
    before = _ratings(assessment)
    if outcome == "change":
        hasil_r = _rating(hasil, _("rating hasil kerja"))
        perilaku_r = _rating(perilaku, _("rating perilaku kerja"))
        _require(
            (hasil_r.value, perilaku_r.value) != (assessment.hasil, assessment.perilaku),
            _("Rating tidak berubah; pilih 'kuatkan' bila penilaian dipertahankan."),
        )
        decided = _("Diubah oleh keputusan keberatan: %(r)s") % {"r": reason}
        if hasil_r.value != assessment.hasil:
            assessment.hasil = hasil_r.value
            assessment.hasil_reason = decided[:2000] if assessment.hasil_overridden else ""
        if perilaku_r.value != assessment.perilaku:
            assessment.perilaku = perilaku_r.value
            assessment.perilaku_reason = decided[:2000] if assessment.perilaku_overridden else ""
        assessment.predikat = matrix_predikat(hasil_r, perilaku_r).value
        assessment.angka_kredit = angka_kredit_for(
            assessment.employee, assessment.predikat, assessment.period_obj
        )
        assessment.save()
        objection.status = ObjectionStatus.CHANGED
    else:
        objection.status = ObjectionStatus.UPHELD
    objection.before = before
    objection.after = _ratings(assessment)
    objection.decision_reason = reason
    objection.decided_at = timezone.now()
    objection.decided_by = by
    objection.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=objection,
        changes={"status": ["klarifikasi", objection.status], "ratings": [before, objection.after]},
        note=reason[:500],
    )
    if outcome == "change":
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            obj=assessment,
            changes={k: [before[k], objection.after[k]] for k in ("hasil", "perilaku", "predikat")},
            note=_("Diubah oleh keputusan keberatan."),
        )
    url = result_url(assessment)
    message = _("Keberatan atas penilaian %(p)s diputus: %(s)s.") % {
        "p": assessment.period_label,
        "s": objection.get_status_display(),
    }
    notify(recipient=assessment.employee, message=message, url=url)
    if assessment.assessor_id:
        notify(recipient=assessment.assessor, message=message, url=url)
    return objection
