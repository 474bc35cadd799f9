"""Finalising a team's results (the distribution curve of each OPD checked, a justification
recorded when it is not met) and returning a final result for calibration."""

from __future__ import annotations

import secrets
from collections import Counter

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.notifications import notify
from kinerja.core.text import trimmed, visible_length
from kinerja.organisation import access
from kinerja.organisation.models import Unit, User
from kinerja.rules import distribution
from kinerja.rules.enums import Predikat
from kinerja.rules.periods import Period, parse_period

from .. import selectors
from ..choices import AssessmentStatus
from ..models import Assessment, AssessorTally, Finalisation, Objection
from .common import _require, _require_period_in_force, result_url
from .rating import angka_kredit_for
from .snapshots import document_snapshots


def counts_for_opd(opd_id: int, period: Period) -> Counter[Predikat]:
    """The predikat of the OPD's rated assessments in the period (its assessor tallies, which
    the database keeps on every write, so within a transaction they include its own writes)."""
    tally: Counter[Predikat] = Counter()
    for row in AssessorTally.objects.filter(opd_id=opd_id, period=period.code):
        tally.update(row.counts())
    return tally


@transaction.atomic
def team_finalise(*, by: User, period: Period, justification: str = "") -> list[Finalisation]:
    """Finalise every rated draft the user assesses in the period (locking them). The
    distribution curve of each OPD concerned is checked (SE MenPANRB 3/2023) over all its
    rated assessments; a violation does not block, but needs a written justification, which is
    recorded. The employees are notified."""
    _require_period_in_force(period)
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
    justification = trimmed(justification)
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
    note = trimmed(note)
    _require(
        visible_length(note) >= 10,
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
