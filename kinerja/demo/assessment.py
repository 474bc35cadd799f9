"""Demo assessments for Kabupaten Bukitintan (seed_demo extension).

For the past quarters of 2026 (Triwulan I–III; the demo's today is 28 November 2026): each OPD's
predikat is set, and every employee with an approved 2026 plan (or, without the performance
demo, every active employee) gets a finalised quarterly assessment that holds together the way
the services would write it:

* the suggestions are the real ones — rating hasil kerja from the plan's figures for the quarter
  (kinerja.assessment.selectors.plans_evaluations; a unit head's from the OPD's predikat), rating
  perilaku from the majority of the seven values — and the frozen document rows are
  services.document_snapshots of the same figures, so every result shows its indicators;
* most assessors follow the suggestions; a few ratings differ, each with its reason, and the
  "≠ saran" flag shows; perilaku is leaned to the OPD's curve, which most OPDs then keep;
* every assessor's results are one finalisation, with the OPD's curve check and, where it
  fails, the justification the assessor wrote (shown to BKPSDM in calibration).

One objection exists in each state. Everything is written in bulk, the assessments with
executemany (kinerja.demo.bulk: seconds at 10,000 employees). The demo "Pegawai" login's
Triwulan III result is final but not yet shown, so the 14-day objection window starts when they
open it.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Max
from django.utils import timezone

from kinerja.assessment import selectors
from kinerja.assessment.choices import AssessmentStatus, ObjectionStatus, Party
from kinerja.assessment.models import (
    Assessment,
    Explanation,
    Finalisation,
    Objection,
    OrgAssessment,
)
from kinerja.assessment.services import angka_kredit_for, document_snapshots, person_snapshot
from kinerja.organisation.choices import Role
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance.choices import PlanStatus
from kinerja.performance.models import Plan
from kinerja.rules import berakhlak, distribution
from kinerja.rules.assessment import (
    PREDIKAT_MATRIX,
    suggest_org_predikat,
    suggest_perilaku,
    unit_rating,
)
from kinerja.rules.enums import OrgPredikat, Predikat, Rating
from kinerja.rules.periods import Period, Periodicity

from .bulk import RowWriter, reset_sequences
from .organisation import persona

YEAR = 2026
TZ = ZoneInfo("Asia/Jakarta")
QUARTERS = [Period(YEAR, Periodicity.QUARTERLY, n) for n in (1, 2, 3)]
FINALISED = {
    1: datetime(2026, 4, 14, 10, tzinfo=TZ),
    2: datetime(2026, 7, 14, 10, tzinfo=TZ),
    3: datetime(2026, 10, 14, 10, tzinfo=TZ),
}
SHOWN_Q3 = datetime(2026, 11, 20, 9, tzinfo=TZ)  # within 14 days of the demo's today
A, S, B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH
ORG_WEIGHTS = [(OrgPredikat.ISTIMEWA, 2), (OrgPredikat.BAIK, 7), (OrgPredikat.BUTUH_PERBAIKAN, 1)]
# The seven values' majority (the suggested rating perilaku), by the OPD's predikat and the
# suggested rating hasil kerja: assessors of an OPD rated Baik give Sangat Baik to those above
# expectation and tell a few apart below, so that most OPDs keep their curve.
PERILAKU_WEIGHTS: dict[OrgPredikat, dict[Rating | None, tuple[int, int, int]]] = {
    OrgPredikat.ISTIMEWA: {A: (85, 15, 0), S: (30, 68, 2), B: (10, 85, 5), None: (30, 68, 2)},
    OrgPredikat.BAIK: {A: (85, 15, 0), S: (14, 80, 6), B: (5, 85, 10), None: (14, 80, 6)},
    OrgPredikat.BUTUH_PERBAIKAN: {
        A: (50, 50, 0),
        S: (5, 85, 10),
        B: (2, 83, 15),
        None: (5, 85, 10),
    },
}
# Rating hasil kerja of a plan without a figure yet (nothing to suggest from), by OPD predikat.
HASIL_WEIGHTS = {
    OrgPredikat.ISTIMEWA: (30, 65, 5),
    OrgPredikat.BAIK: (10, 75, 15),
    OrgPredikat.BUTUH_PERBAIKAN: (5, 45, 50),
}
HASIL_OVERRIDE = 0.03  # share of ratings hasil kerja that differ from a suggestion
PERILAKU_OVERRIDE = 0.02
HASIL_REASONS = {
    "naik": [
        "Hasil kerja dinilai dari kualitas layanan, bukan hanya jumlah; keluhan pasien turun.",
        "Target bulan terakhir tertunda karena pengadaan; pekerjaan inti selesai tepat waktu.",
        "Menangani tambahan beban dari rekan yang cuti tanpa menurunkan mutu.",
    ],
    "turun": [
        "Capaian jumlah tinggi, tetapi mutu laporan perlu banyak perbaikan.",
        "Realisasi tercatat lengkap, tetapi sebagian bukti dukung tidak sah saat diperiksa.",
        "Indikator utama tercapai berkat bantuan tim; kontribusi pribadi di bawah harapan.",
    ],
}
PERILAKU_REASONS = {
    "naik": [
        "Memimpin perbaikan layanan di unit walau tidak tercermin di satu nilai pun.",
        "Konsisten membimbing pegawai baru sepanjang triwulan.",
    ],
    "turun": [
        "Dua kali tidak hadir pada rapat koordinasi tanpa pemberitahuan.",
        "Penyelesaian tugas bersama sering terlambat dan membebani rekan.",
    ],
}
JUSTIFICATIONS = [
    "Unit kecil; sebaran mengikuti capaian nyata tiap pegawai.",
    "Sebagian besar pegawai memenuhi target triwulan ini; menurunkan rating tanpa dasar bukti "
    "tidak adil bagi mereka.",
    "Pegawai dengan capaian rendah sudah dalam pembinaan; predikat mengikuti bukti kinerja.",
]
CELLS: dict[Predikat, list[tuple[Rating, Rating]]] = {}
for _cell, _predikat in PREDIKAT_MATRIX.items():
    CELLS.setdefault(_predikat, []).append(_cell)
VALUE_CODES = [v.code for v in berakhlak.VALUES]
STEPS = {A: [S], S: [A, B], B: [S]}  # a rating one step away


def _weighted(rng: random.Random, weights: tuple[int, int, int]) -> Rating:
    return rng.choices([A, S, B], weights=weights)[0]


def _values(rng: random.Random, majority: Rating) -> dict[str, str]:
    """Seven value ratings whose majority rule (suggest_perilaku) gives `majority`: five values
    carry it, two may differ."""
    values = dict.fromkeys(VALUE_CODES, majority.value)
    for code in rng.sample(VALUE_CODES, 2):
        values[code] = rng.choice(list(Rating)).value
    assert suggest_perilaku([Rating(v) for v in values.values()]) is majority
    return values


def _override(rng: random.Random, suggested: Rating, reasons: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    rating = rng.choice(STEPS[suggested])
    better = [B, S, A]
    way = "naik" if better.index(rating) > better.index(suggested) else "turun"
    return rating, rng.choice(reasons[way])


def seed(*, seed: int, options: dict[str, Any]) -> str:
    rng = random.Random(seed + 5)
    admin = (
        User.objects.filter(role=Role.ADMIN_BKPSDM).first() or User.objects.order_by("pk").first()
    )
    regent = User.objects.filter(role=Role.PIMPINAN).first() or admin
    if admin is None:
        return "Penilaian: tidak ada akun untuk mencatat demo."
    opds = list(Unit.objects.filter(parent__isnull=True))
    # Only the columns used (the plans' JSON headers are not), and one instance per person:
    # each employee's supervisor is the supervisor's own row, not a joined copy (at 100,000
    # employees the copies alone were hundreds of MB).
    plans = {
        p.employee_id: p
        for p in Plan.objects.filter(year=YEAR, status=PlanStatus.APPROVED).only(
            "id", "employee_id", "assessor_id", "year", "status"
        )
    }
    plan_list = list(plans.values())
    employees = list(Employee.objects.filter(is_active=True).select_related("position", "unit"))
    by_pk = {e.pk: e for e in employees}  # everyone: assessors come from here, not from queries
    for e in employees:
        if e.supervisor_id in by_pk:
            e.supervisor = by_pk[e.supervisor_id]
    if plans:
        employees = [e for e in employees if e.pk in plans]
    accounts = dict(User.objects.filter(employee__isnull=False).values_list("employee_id", "pk"))
    demo_staff = _demo_login_employee()
    org_rows: list[OrgAssessment] = []
    counts: Counter[str] = Counter()
    snapshots: dict[int, dict[str, str]] = {}
    overrides = 0
    # Ids assigned here and the rows written with executemany (bulk_create compiles every value
    # into SQL: most of this stage's time at 10,000 employees).
    writer = RowWriter(timezone.now())
    next_id = (Assessment.objects.aggregate(m=Max("id"))["m"] or 0) + 1

    def people(e: Employee | None) -> dict[str, str]:  # one snapshot per person, not per row
        if e is None:
            return {}
        if e.pk not in snapshots:
            snapshots[e.pk] = person_snapshot(e)
        return snapshots[e.pk]

    for period in QUARTERS:
        capaian = selectors.org_capaian(opds, period) if plans else {}
        evaluations, documents = _figures(plan_list, period)
        org_of: dict[int, OrgPredikat] = {}
        for opd in opds:
            figure = capaian.get(opd.pk)
            suggested = suggest_org_predikat(figure) if figure is not None else None
            chosen = rng.choices([o for o, _w in ORG_WEIGHTS], [w for _o, w in ORG_WEIGHTS])[0]
            org_of[opd.pk] = chosen
            org_rows.append(
                OrgAssessment(
                    unit=opd,
                    period=period.code,
                    year=YEAR,
                    predikat=chosen.value,
                    suggested=suggested.value if suggested else "",
                    capaian=round(figure, 2) if figure is not None else None,
                    reason=""
                    if suggested in (None, chosen)
                    else "Ditetapkan setelah rapat evaluasi kinerja daerah.",
                    set_by=regent,
                    set_at=FINALISED[period.number].replace(day=2),
                )
            )
        final = FINALISED[period.number]
        last = period.number == 3
        rows: list[Assessment] = []
        for e in employees:
            opd_id = e.unit.opd_id or e.unit_id
            org = org_of[opd_id]
            plan = plans.get(e.pk)
            suggested_hasil, figure = (
                evaluations.get(plan.pk, (None, None)) if plan else (None, None)
            )
            is_head = selectors.is_head(e)
            if is_head and e.unit_id in org_of:  # the OPD's head: the OPD's own performance
                suggested_hasil = unit_rating(org_of[e.unit_id])
            suggested_perilaku = _weighted(rng, PERILAKU_WEIGHTS[org][suggested_hasil])
            hasil = suggested_hasil or _weighted(rng, HASIL_WEIGHTS[org])
            hasil_reason = perilaku_reason = ""
            if suggested_hasil is not None and rng.random() < HASIL_OVERRIDE:
                hasil, hasil_reason = _override(rng, suggested_hasil, HASIL_REASONS)
            perilaku = suggested_perilaku
            if rng.random() < PERILAKU_OVERRIDE:
                perilaku, perilaku_reason = _override(rng, suggested_perilaku, PERILAKU_REASONS)
            overrides += bool(hasil_reason) + bool(perilaku_reason)
            predikat = PREDIKAT_MATRIX[(hasil, perilaku)]
            assessor_id = plan.assessor_id if plan and plan.assessor_id else e.supervisor_id
            assessor = by_pk.get(assessor_id) if assessor_id else None
            hidden = last and demo_staff is not None and e.pk == demo_staff
            rows.append(
                Assessment(
                    id=next_id + len(rows),
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
                    capaian=round(figure, 2) if figure is not None else None,
                    suggested_hasil=suggested_hasil.value if suggested_hasil else "",
                    suggested_perilaku=suggested_perilaku.value,
                    hasil=hasil.value,
                    perilaku=perilaku.value,
                    behaviour=_values(rng, suggested_perilaku),
                    hasil_reason=hasil_reason,
                    perilaku_reason=perilaku_reason,
                    predikat=predikat.value,
                    is_unit_head=is_head,
                    angka_kredit=angka_kredit_for(e, predikat.value, period),
                    snapshot=documents.get(plan.pk, {"rows": []}) if plan else {"rows": []},
                    finalised_at=final,
                    shown_at=None if hidden else (SHOWN_Q3 if last else final.replace(day=16)),
                    acknowledged_at=None if last else final.replace(day=17),
                    code=secrets.token_urlsafe(12),
                )
            )
        next_id += len(rows)
        overrides += _fit_curves(rng, rows, org_of, period)
        made = _finalisations(rng, rows, org_of, period, accounts, regent or admin)
        # Written quarter by quarter, and the quarter's rows and documents let go: at 100,000
        # employees a year's assessments with their frozen documents do not fit in memory.
        OrgAssessment.objects.bulk_create(org_rows, batch_size=500)
        Finalisation.objects.bulk_create(made, batch_size=500)
        for a in rows:
            a.finalisation_id = a.finalisation.pk  # type: ignore[union-attr]  # saved just now
        for start in range(0, len(rows), 2000):
            writer.insert_objects(Assessment, rows[start : start + 2000])
        counts["assessments"] += len(rows)
        counts["org"] += len(org_rows)
        counts["finalisations"] += len(made)
        counts["violating"] += sum(1 for f in made if f.violations)
        org_rows = []
        del rows, made, documents, evaluations
    reset_sequences([Assessment])
    objections = _objections(rng, admin)
    return (
        f"Penilaian: {counts['assessments']} penilaian final (Triwulan I–III {YEAR}), "
        f"{counts['org']} predikat organisasi, {overrides} rating berbeda dari saran "
        f"(beralasan), {counts['finalisations']} finalisasi ({counts['violating']} dengan "
        f"justifikasi kurva), {objections} keberatan."
    )


CHUNK = 20_000  # plans evaluated at once (below it, one batch)


def _figures(
    plans: list[Plan], period: Period
) -> tuple[dict[int, tuple[Rating | None, Decimal | None]], dict[int, dict[str, Any]]]:
    """Each plan's suggested rating hasil kerja and capaian for the period, and its frozen
    document (kinerja.assessment.services.document_snapshots), evaluated CHUNK plans at a time:
    the full evaluations (every indicator's progress) of 100,000 plans do not fit in memory."""
    figures: dict[int, tuple[Rating | None, Decimal | None]] = {}
    documents: dict[int, dict[str, Any]] = {}
    for start in range(0, len(plans), CHUNK):
        chunk = plans[start : start + CHUNK]
        evaluations = selectors.plans_evaluations(chunk, period)
        documents.update(document_snapshots(chunk, period, evaluations))
        for pk, evaluation in evaluations.items():
            figures[pk] = (evaluation.suggested_hasil, evaluation.capaian)
    return figures, documents


CURVE_KEPT = 0.75  # share of OPDs rated Baik whose assessors fit the curve before finalising
CURVE_REASON = (
    "Capaian terendah di unit pada triwulan ini; disesuaikan dengan kurva distribusi "
    "organisasi setelah rapat kalibrasi unit."
)


def _fit_curves(
    rng: random.Random, rows: list[Assessment], org_of: dict[int, OrgPredikat], period: Period
) -> int:
    """In most OPDs rated Baik the assessors fit the curve (Baik at most 70%; at least one Butuh
    Perbaikan or Kurang/Misconduct) the way assessors do: the Baik results with the lowest
    capaian are rated di bawah ekspektasi for hasil kerja, each with its written reason. The
    others finalise with the violation and a justification. Returns the ratings changed."""
    by_opd: dict[int, list[Assessment]] = {}
    for a in rows:
        by_opd.setdefault(a.opd_id, []).append(a)
    changed = 0
    for opd_id, group in sorted(by_opd.items()):
        if org_of[opd_id] is not OrgPredikat.BAIK or rng.random() >= CURVE_KEPT:
            continue
        counts = Counter(Predikat(a.predikat) for a in group)
        limit = dict(
            (c.code, bound) for c, bound in distribution.bounds(OrgPredikat.BAIK, len(group))
        )
        excess = counts[Predikat.BAIK] - limit["baik_max"]
        needed = max(
            0,
            limit["butuh_perbaikan_kurang_min"]
            - counts[Predikat.BUTUH_PERBAIKAN]
            - counts[Predikat.KURANG],
        )
        candidates = sorted(
            (
                a
                for a in group
                if a.predikat == Predikat.BAIK
                and a.hasil == S
                and not a.hasil_reason
                and a.perilaku != B
            ),
            key=lambda a: (a.capaian is not None, a.capaian or 0, a.employee_id),
        )
        for a in candidates[: max(excess, needed, 0)]:
            a.hasil, a.hasil_reason = B.value, CURVE_REASON
            a.predikat = PREDIKAT_MATRIX[(B, Rating(a.perilaku))].value
            a.angka_kredit = angka_kredit_for(a.employee, a.predikat, period)
            changed += 1
    return changed


def _finalisations(
    rng: random.Random,
    rows: list[Assessment],
    org_of: dict[int, OrgPredikat],
    period: Period,
    accounts: dict[int, int],
    fallback: User,
) -> list[Finalisation]:
    """One finalisation per assessor and OPD, as team_finalise records it: the OPD's curve
    checked over all its rated results (every assessor had rated before anyone finalised), and
    the assessor's justification where it fails."""
    tally: dict[int, Counter[Predikat]] = {}
    groups: dict[tuple[int, int | None], list[Assessment]] = {}
    for a in rows:
        tally.setdefault(a.opd_id, Counter())[Predikat(a.predikat)] += 1
        groups.setdefault((a.opd_id, a.assessor_id), []).append(a)
    violations = {
        opd_id: [v.message for v in distribution.check(org_of[opd_id], counts)]
        for opd_id, counts in tally.items()
    }
    made = []
    ordered = sorted(groups.items(), key=lambda item: (item[0][0], item[0][1] or 0))
    for n, ((opd_id, assessor_id), group) in enumerate(ordered):
        found = violations[opd_id]
        by_id = accounts.get(assessor_id) if assessor_id else None
        finalisation = Finalisation(
            opd_id=opd_id,
            period=period.code,
            assessor_id=assessor_id,
            org_predikat=org_of[opd_id].value,
            count=len(group),
            violations=found,
            justification=rng.choice(JUSTIFICATIONS) if found else "",
            by_id=by_id or fallback.pk,
            at=FINALISED[period.number] + timedelta(minutes=n % 240),
        )
        for a in group:
            a.finalisation = finalisation
            a.finalised_at = finalisation.at
        made.append(finalisation)
    return made


def _pick(rng: random.Random, spread: list[tuple[Predikat, int]]) -> Predikat:
    return rng.choices([p for p, _w in spread], weights=[w for _p, w in spread])[0]


def _demo_login_employee() -> int | None:
    staff = persona("Pegawai")
    return staff.pk if staff is not None else None


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
                # As objection_decide writes it: a rating that now differs from its
                # suggestion carries the decision as its reason.
                decided = f"Diubah oleh keputusan keberatan: {o.decision_reason}"
                if a.hasil != "di_atas":
                    a.hasil = "di_atas"
                    a.hasil_reason = decided if a.hasil_overridden else ""
                if a.perilaku != "sesuai":
                    a.perilaku = "sesuai"
                    a.perilaku_reason = decided if a.perilaku_overridden else ""
                a.predikat = Predikat.BAIK.value
                a.angka_kredit = angka_kredit_for(a.employee, a.predikat, QUARTERS[2])
                a.save(
                    update_fields=[
                        "hasil",
                        "perilaku",
                        "hasil_reason",
                        "perilaku_reason",
                        "predikat",
                        "angka_kredit",
                    ]
                )
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
