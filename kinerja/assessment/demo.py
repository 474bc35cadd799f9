"""Demo assessments for Kabupaten Bukitintan (seed_demo extension).

For the past quarters of 2026 (Triwulan I–III; the demo's today is 28 November 2026): each OPD's
predikat is set, every employee with an approved 2026 plan (or, without the performance demo,
every active employee) gets a finalised quarterly assessment with a realistic spread that mostly
keeps the OPD's curve, a few ratings differ from the suggestion with a reason, and one objection
exists in each state. Everything is written with bulk_create (seconds at 1,500 employees). The
demo "Pegawai" login's Triwulan III result is final but not yet shown, so the 14-day objection
window starts when they open it.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kinerja.organisation.choices import Role
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance.choices import PlanStatus
from kinerja.performance.models import Plan
from kinerja.rules import berakhlak, distribution
from kinerja.rules.assessment import PREDIKAT_MATRIX, suggest_org_predikat
from kinerja.rules.enums import OrgPredikat, Predikat, Rating
from kinerja.rules.periods import Period, Periodicity

from . import selectors
from .choices import AssessmentStatus, ObjectionStatus, Party
from .models import Assessment, Explanation, Finalisation, Objection, OrgAssessment
from .services import angka_kredit_for

YEAR = 2026
TZ = ZoneInfo("Asia/Jakarta")
QUARTERS = [Period(YEAR, Periodicity.QUARTERLY, n) for n in (1, 2, 3)]
FINALISED = {
    1: datetime(2026, 4, 14, 10, tzinfo=TZ),
    2: datetime(2026, 7, 14, 10, tzinfo=TZ),
    3: datetime(2026, 10, 14, 10, tzinfo=TZ),
}
SHOWN_Q3 = datetime(2026, 11, 20, 9, tzinfo=TZ)  # within 14 days of the demo's today
SPREAD = {
    OrgPredikat.ISTIMEWA: [
        (Predikat.SANGAT_BAIK, 35),
        (Predikat.BAIK, 58),
        (Predikat.BUTUH_PERBAIKAN, 7),
    ],
    OrgPredikat.BAIK: [
        (Predikat.SANGAT_BAIK, 12),
        (Predikat.BAIK, 66),
        (Predikat.BUTUH_PERBAIKAN, 14),
        (Predikat.KURANG, 6),
        (Predikat.SANGAT_KURANG, 2),
    ],
    OrgPredikat.BUTUH_PERBAIKAN: [
        (Predikat.SANGAT_BAIK, 5),
        (Predikat.BAIK, 25),
        (Predikat.BUTUH_PERBAIKAN, 65),
        (Predikat.KURANG, 5),
    ],
}
CELLS: dict[Predikat, list[tuple[Rating, Rating]]] = {}
for _cell, _predikat in PREDIKAT_MATRIX.items():
    CELLS.setdefault(_predikat, []).append(_cell)
VALUE_CODES = [v.code for v in berakhlak.VALUES]


def _person(e: Employee | None) -> dict[str, str]:
    if e is None:
        return {}
    return {
        "name": e.full_name,
        "nip": e.nip_formatted,
        "golongan": e.get_golongan_display(),
        "position": e.position.name,
        "unit": e.unit.name,
    }


def seed(*, seed: int, options: dict[str, Any]) -> str:
    rng = random.Random(seed + 5)
    admin = (
        User.objects.filter(role=Role.ADMIN_BKPSDM).first() or User.objects.order_by("pk").first()
    )
    regent = User.objects.filter(role=Role.PIMPINAN).first() or admin
    if admin is None:
        return "Penilaian: tidak ada akun untuk mencatat demo."
    opds = list(Unit.objects.filter(parent__isnull=True))
    plans = {p.employee_id: p for p in Plan.objects.filter(year=YEAR, status=PlanStatus.APPROVED)}
    employees = list(
        Employee.objects.filter(is_active=True).select_related(
            "position", "unit", "supervisor", "supervisor__position", "supervisor__unit"
        )
    )
    by_pk = {e.pk: e for e in employees}  # everyone: assessors come from here, not from queries
    if plans:
        employees = [e for e in employees if e.pk in plans]
    demo_staff = _demo_login_employee()
    org_rows, assessments, finalisations = [], [], []
    snapshots: dict[int, dict[str, str]] = {}

    def people(e: Employee | None) -> dict[str, str]:  # one snapshot per person, not per row
        if e is None:
            return {}
        if e.pk not in snapshots:
            snapshots[e.pk] = _person(e)
        return snapshots[e.pk]

    for period in QUARTERS:
        capaian = selectors.org_capaian(opds, period) if plans else {}
        # Suggestions from the real figures for the latest quarter only: the figures of every plan
        # cost ~1.5 ms a plan, and the older quarters need not be recomputed for a demo.
        latest = period.number == 3 and plans
        evaluations = selectors.plans_evaluations(list(plans.values()), period) if latest else {}
        org_of: dict[int, OrgPredikat] = {}
        for opd in opds:
            figure = capaian.get(opd.pk)
            suggested = suggest_org_predikat(figure) if figure is not None else None
            chosen = rng.choices(list(SPREAD), weights=[2, 7, 1])[0]
            org_of[opd.pk] = chosen
            org_rows.append(
                OrgAssessment(
                    unit=opd,
                    period=period.code,
                    year=YEAR,
                    predikat=chosen.value,
                    suggested=suggested.value if suggested else "",
                    capaian=figure,
                    reason=""
                    if suggested in (None, chosen)
                    else "Ditetapkan setelah rapat evaluasi kinerja daerah.",
                    set_by=regent,
                    set_at=FINALISED[period.number].replace(day=2),
                )
            )
        for e in employees:
            opd_id = e.unit.opd_id or e.unit_id
            predikat = _pick(rng, SPREAD[org_of[opd_id]])
            hasil, perilaku = rng.choice(CELLS[predikat])
            plan = plans.get(e.pk)
            evaluation = evaluations.get(plan.pk) if plan else None
            suggested_hasil = evaluation.suggested_hasil if evaluation else None
            override = rng.random() < 0.04
            if suggested_hasil is None or (suggested_hasil != hasil and not override):
                suggested_hasil = (
                    hasil if not override else rng.choice([r for r in Rating if r != hasil])
                )
            assessor_id = plan.assessor_id if plan and plan.assessor_id else e.supervisor_id
            assessor = by_pk.get(assessor_id) if assessor_id else None
            final = FINALISED[period.number]
            last = period.number == 3
            hidden = last and demo_staff is not None and e.pk == demo_staff
            assessments.append(
                Assessment(
                    employee=e,
                    plan=plan,
                    period=period.code,
                    year=YEAR,
                    opd_id=opd_id,
                    unit_id=e.unit_id,
                    assessor=assessor,
                    employee_snapshot=people(e),
                    assessor_snapshot=people(assessor),
                    status=AssessmentStatus.FINAL,
                    capaian=round(evaluation.capaian, 2)
                    if evaluation and evaluation.capaian is not None
                    else None,
                    suggested_hasil=suggested_hasil.value,
                    suggested_perilaku=perilaku.value,
                    hasil=hasil.value,
                    perilaku=perilaku.value,
                    behaviour=dict.fromkeys(VALUE_CODES, perilaku.value),
                    hasil_reason="Hasil kerja dinilai dari kualitas layanan, bukan hanya jumlah."
                    if hasil != suggested_hasil
                    else "",
                    predikat=predikat.value,
                    is_unit_head=selectors.is_head(e),
                    angka_kredit=angka_kredit_for(e, predikat.value, period),
                    snapshot={"rows": []},
                    finalised_at=final,
                    shown_at=None if hidden else (SHOWN_Q3 if last else final.replace(day=16)),
                    acknowledged_at=None if last else final.replace(day=17),
                    code=secrets.token_urlsafe(12),
                )
            )
    OrgAssessment.objects.bulk_create(org_rows, batch_size=500)
    Assessment.objects.bulk_create(assessments, batch_size=500)
    # One finalisation record per OPD and quarter, with the curve check and, where it fails,
    # the justification the heads wrote.
    counts: dict[tuple[int, str], dict[Predikat, int]] = {}
    for a in assessments:
        key = (a.opd_id, a.period)
        counts.setdefault(key, {}).setdefault(Predikat(a.predikat), 0)
        counts[key][Predikat(a.predikat)] += 1
    org_lookup = {(o.unit_id, o.period): OrgPredikat(o.predikat) for o in org_rows}
    for (opd_id, code), tally in counts.items():
        violations = distribution.check(org_lookup[(opd_id, code)], tally)
        finalisations.append(
            Finalisation(
                opd_id=opd_id,
                period=code,
                org_predikat=org_lookup[(opd_id, code)].value,
                count=sum(tally.values()),
                violations=[v.message for v in violations],
                justification="Unit kecil; sebaran mengikuti capaian nyata tiap pegawai."
                if violations
                else "",
                by=admin,
                at=FINALISED[int(code[-1])],
            )
        )
    Finalisation.objects.bulk_create(finalisations, batch_size=500)
    objections = _objections(rng, admin)
    return (
        f"Penilaian: {len(assessments)} penilaian final (Triwulan I–III {YEAR}), "
        f"{len(org_rows)} predikat organisasi, {objections} keberatan."
    )


def _pick(rng: random.Random, spread: list[tuple[Predikat, int]]) -> Predikat:
    return rng.choices([p for p, _w in spread], weights=[w for _p, w in spread])[0]


def _demo_login_employee() -> int | None:
    from kinerja.organisation.demo import demo_logins

    logins = demo_logins()
    nip = next((lg.username for lg in logins if lg.role == "Pegawai"), None)
    return Employee.objects.filter(nip=nip).values_list("pk", flat=True).first() if nip else None


def _objections(rng: random.Random, admin: User) -> int:
    """One objection in each state, on Triwulan III results of staff with an assessor who has
    a superior (so that the superior decides)."""
    candidates = list(
        Assessment.objects.filter(
            period=QUARTERS[2].code,
            shown_at__isnull=False,
            assessor__supervisor__isnull=False,
            predikat__in=[Predikat.BUTUH_PERBAIKAN, Predikat.BAIK],
        )
        .select_related("assessor", "assessor__supervisor", "employee")
        .order_by("pk")[:200]
    )
    if len(candidates) < 4:
        return 0
    picked = rng.sample(candidates, 4)
    submitted = datetime(2026, 11, 22, 10, tzinfo=TZ)
    decided = datetime(2026, 11, 26, 14, tzinfo=TZ)
    states = [
        ObjectionStatus.SUBMITTED,
        ObjectionStatus.CLARIFYING,
        ObjectionStatus.UPHELD,
        ObjectionStatus.CHANGED,
    ]
    made = []
    for a, state in zip(picked, states, strict=True):
        before = {
            "hasil": a.hasil,
            "perilaku": a.perilaku,
            "predikat": a.predikat,
            "angka_kredit": str(a.angka_kredit) if a.angka_kredit else None,
        }
        o = Objection(
            assessment=a,
            decider=a.assessor.supervisor,
            status=state,
            reasons="Realisasi bulan September belum dihitung; bukti sudah saya unggah.",
            submitted_at=submitted,
            before=before,
        )
        if state != ObjectionStatus.SUBMITTED:
            o.explanations_requested_at = submitted.replace(day=23)
        if state in (ObjectionStatus.UPHELD, ObjectionStatus.CHANGED):
            o.decided_at = decided
            o.decided_by = (
                admin if not hasattr(a.assessor.supervisor, "user") else a.assessor.supervisor.user
            )
            o.decision_reason = (
                "Penilaian dipertahankan: capaian sesuai bukti."
                if state == ObjectionStatus.UPHELD
                else "Bukti realisasi September sah; rating hasil kerja dinaikkan."
            )
            if state == ObjectionStatus.CHANGED:
                a.hasil, a.perilaku, a.predikat = "di_atas", "sesuai", Predikat.BAIK.value
                a.angka_kredit = angka_kredit_for(a.employee, a.predikat, QUARTERS[2])
                a.save(update_fields=["hasil", "perilaku", "predikat", "angka_kredit"])
            o.after = {
                "hasil": a.hasil,
                "perilaku": a.perilaku,
                "predikat": a.predikat,
                "angka_kredit": str(a.angka_kredit) if a.angka_kredit else None,
            }
        made.append(o)
    Objection.objects.bulk_create(made)
    explanations = []
    for o in made:
        if o.explanations_requested_at:
            for party, body in (
                (Party.EMPLOYEE, "Saya melampirkan daftar hadir kegiatan."),
                (Party.ASSESSOR, "Realisasi September masuk setelah batas waktu."),
            ):
                explanations.append(
                    Explanation(
                        objection=o,
                        party=party,
                        requested_at=o.explanations_requested_at,
                        body=body
                        if o.status != ObjectionStatus.CLARIFYING or party == Party.ASSESSOR
                        else "",
                        answered_at=o.explanations_requested_at
                        if o.status != ObjectionStatus.CLARIFYING or party == Party.ASSESSOR
                        else None,
                    )
                )
    Explanation.objects.bulk_create(explanations)
    return len(made)
