"""The employee's side: the result shown and acknowledged, and the objection (keberatan) — its
submission with attachments inside the window, the parties' explanations, the decision."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.notifications import notify
from kinerja.core.text import trimmed, visible_length
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User
from kinerja.performance import evidence as evidence_rules
from kinerja.rules.assessment import predikat as matrix_predikat
from kinerja.rules.objection import objection_open

from ..choices import ObjectionStatus, Party
from ..models import Assessment, Explanation, Objection, ObjectionAttachment
from .common import ATTACHMENT_KINDS, MAX_ATTACHMENT_BYTES, _rating, _require, result_url
from .rating import angka_kredit_for

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
    reasons = trimmed(reasons)
    _require(
        visible_length(reasons) >= 20, _("Tuliskan alasan keberatan (paling sedikit 20 karakter).")
    )
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
        assert kind is not None
        mismatch = evidence_rules.extension_mismatch(name, kind)
        _require(mismatch is None, f"{evidence_rules.safe_display_name(name)}: {mismatch}")
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
        extension, content_type = evidence_rules.KINDS[kind]
        item = ObjectionAttachment(
            objection=objection,
            original_name=evidence_rules.safe_display_name(name, kind),
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
    body = trimmed(body)
    _require(visible_length(body) >= 10, _("Tuliskan penjelasan (paling sedikit 10 karakter)."))
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
    reason = trimmed(reason)
    _require(visible_length(reason) > 0, _("Tuliskan alasan keputusan."))
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
