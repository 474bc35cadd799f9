"""Bukitintan demo for the rewards app, written through its services: the TPP base table, two
months of fingerprint attendance (October and November 2026), discipline records, October's TPP
locked and November's calculated, the follow-up rules run over 2026 with recommendations in every
state, a coaching plan under way and Piagam on the recognition wall. Deterministic per seed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q

from kinerja.organisation.choices import Role
from kinerja.organisation.models import Employee, Unit, User
from kinerja.rewards import services
from kinerja.rewards.choices import AttendanceStatus, RecommendationStatus
from kinerja.rewards.imports import DayInput, insert_new_days, write_days
from kinerja.rewards.models import (
    AttendanceDay,
    AttendanceMonth,
    FollowUpRule,
    Recognition,
    Recommendation,
)
from kinerja.rules.calendar import month_bounds

from .organisation import persona

YEAR = 2026
MONTHS = (10, 11)
LOCKED_MONTH = 10
ATTENDANCE_BATCH = 50_000  # days written (and months rebuilt) per batch
BASE_FROM = date(2026, 1, 1)
# Perbup Bukitintan (demo): the base amount rises with the kelas jabatan.
BASE_BY_KELAS = {k: 1_250_000 + (k - 1) * 575_000 + max(0, k - 9) * 600_000 for k in range(1, 18)}
HOLIDAYS = {date(2026, 12, 25)}
DEMO_RULE = {
    "code": "piagam-tiga-triwulan",
    "name": "Piagam Penghargaan: Sangat Baik tiga triwulan berturut-turut",
    "condition": "predikat_berturut",
    "parameters": {"predikat": ["sangat_baik"], "periods": 3, "no_punishment": True},
    "action": "piagam",
    "explanation": (
        "Kebijakan Bupati Bukitintan 2026: pegawai dengan predikat Sangat Baik pada tiga triwulan "
        "berturut-turut dan tanpa hukuman disiplin menerima Piagam Penghargaan tanpa menunggu "
        "penilaian tahunan."
    ),
    "order": 15,
}

# The two discipline records (a Sedang cut running from October, a written reprimand).
DISCIPLINE: list[dict[str, Any]] = [
    {
        "kind": "potongan_tpp_6_bulan",
        "reason": "Tidak masuk kerja tanpa alasan yang sah 12 hari kerja pada 2026.",
        "decree_number": "800.1.6/041/BKPSDM/2026",
        "decree_date": date(2026, 9, 22),
        "effective_from": date(2026, 10, 1),
        "official": "Bupati Bukitintan",
    },
    {
        "kind": "teguran_tertulis",
        "reason": "Tidak masuk kerja tanpa alasan yang sah 5 hari kerja.",
        "decree_number": "800.1.6/057/DINAS/2026",
        "decree_date": date(2026, 11, 3),
        "effective_from": date(2026, 11, 3),
        "official": "Kepala OPD",
    },
]


def _working_days(year: int, month: int) -> list[date]:
    first, last = month_bounds(year, month)
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in HOLIDAYS:
            days.append(day)
        day += timedelta(days=1)
    return days


_TIMES = [time(m // 60, m % 60) for m in range(24 * 60)]  # one instance per minute of a day


def _at(minutes_from_midnight: int) -> time:
    return _TIMES[minutes_from_midnight]


def _attendance(
    rng: random.Random, employees: list[int], staff_id: int | None
) -> Iterator[list[DayInput]]:
    """Every employee's working days of MONTHS, one employee's month at a time (at 100,000
    employees they are 4 million days: the demo writes them in batches instead of holding them
    all)."""
    late = _working_days(YEAR, 11)[2:4]  # the demo's Pegawai login: late twice in November
    n = 0
    truants = set(rng.sample(employees, max(1, len(employees) // 60)))
    hadir = AttendanceStatus.HADIR
    for month in MONTHS:
        days = _working_days(YEAR, month)
        for pk in employees:
            truant_days = set(rng.sample(days, 3)) if pk in truants else set()
            month_days = []
            for day in days:
                roll = rng.random()
                start, end = 7 * 60 + rng.randint(5, 29), 16 * 60 + rng.randint(0, 40)
                status = hadir
                check_in: time | None = _TIMES[start]
                check_out: time | None = _TIMES[end]
                if day in truant_days:
                    status, check_in, check_out = AttendanceStatus.TANPA_KETERANGAN, None, None
                elif roll < 0.05:
                    check_in = _at(7 * 60 + 30 + rng.choice([5, 12, 25, 40, 75, 100]))
                elif roll < 0.065:
                    check_out = _at(16 * 60 - rng.choice([10, 35, 70]))
                elif roll < 0.075:
                    check_in = None
                elif roll < 0.1:
                    status = rng.choice(
                        [AttendanceStatus.CUTI, AttendanceStatus.SAKIT, AttendanceStatus.DINAS_LUAR]
                    )
                    check_in = check_out = None
                if pk == staff_id and day in late:
                    n += 1
                    month_days.append(
                        DayInput(pk, day, time(7, 40) if n == 1 else time(8, 15), time(16, 5), "H")
                    )
                elif pk == staff_id and day.month == 11:
                    month_days.append(DayInput(pk, day, time(7, 20), time(16, 10), "H"))
                else:
                    month_days.append(DayInput(pk, day, check_in, check_out, status))
            yield month_days


def seed(*, seed: int, options: dict[str, Any]) -> str:
    rng = random.Random(seed + 13)
    admin = User.objects.filter(role=Role.ADMIN_BKPSDM, employee__isnull=True).first()
    if admin is None:
        return "Tindak lanjut: tidak ada akun BKPSDM untuk mencatat demo."
    for kelas, amount in BASE_BY_KELAS.items():
        services.tpp_base_set(
            kelas=kelas,
            amount=Decimal(amount),
            effective_from=BASE_FROM,
            by=admin,
            note="Perbup Bukitintan Nomor 7 Tahun 2026 (demo)",
        )
    employees = list(
        Employee.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    )
    staff = persona("Pegawai")
    staff_id = staff.pk if staff is not None else None
    # Into an empty table (the seed's case) the days and their month summaries are inserted,
    # the summaries computed from the days in hand; else upserted and summed from the table.
    fresh = not (AttendanceDay.objects.exists() or AttendanceMonth.objects.exists())
    write = insert_new_days if fresh else write_days
    written = 0
    batch: list[DayInput] = []
    for month_days in _attendance(rng, employees, staff_id):  # whole months per batch
        batch += month_days
        if len(batch) >= ATTENDANCE_BATCH:
            written += write(batch, source=None)
            batch = []
    written += write(batch, source=None) if batch else 0

    # Discipline: a Sedang cut running from October, a written reprimand.
    candidates = list(
        Employee.objects.filter(is_active=True, direct_reports__isnull=True)
        .exclude(pk=staff_id or 0)
        .order_by("pk")[:400]
    )
    if len(candidates) >= 2:
        for employee, record in zip(rng.sample(candidates, 2), DISCIPLINE, strict=True):
            services.discipline_record_create(employee=employee, by=admin, **record)

    # TPP: October calculated, reviewed by every OPD, approved and locked; November calculated.
    october = services.tpp_calculate(year=YEAR, month=LOCKED_MONTH, by=admin)
    for opd in Unit.objects.filter(pk__in=services.opds_with_lines(october)):
        services.tpp_review_opd(tpp_month=october, opd=opd, by=admin, note="Sesuai rekap absensi.")
    services.tpp_approve(tpp_month=october, by=admin)
    services.tpp_lock(tpp_month=october, by=admin)
    november = services.tpp_calculate(year=YEAR, month=11, by=admin)
    corrected = october.lines.order_by("pk").select_related("employee").first()
    if corrected is not None:  # a day of leave recorded late: October is locked, so November pays
        services.tpp_correction_add(
            tpp_month=november,
            employee=corrected.employee,
            corrects=f"{YEAR}-{LOCKED_MONTH:02d}",
            amount=Decimal(60_000),
            reason="Surat cuti 14 Oktober diterima setelah TPP Oktober dikunci.",
            by=admin,
        )
    for opd in Unit.objects.filter(pk__in=services.opds_with_lines(november)[:3]):
        services.tpp_review_opd(tpp_month=november, opd=opd, by=admin)

    # Follow-up: the regency's own extra rule, then the rules over 2026, then decisions.
    values = dict(DEMO_RULE)
    FollowUpRule.objects.get_or_create(code=values.pop("code"), defaults=values)
    report = services.rules_run(year=YEAR, by=admin)
    decided = _decide(rng, admin)
    consented = 0
    for recognition in Recognition.objects.select_related("employee__user").order_by("pk"):
        account = getattr(recognition.employee, "user", None)
        if account is not None and rng.random() < 0.7:
            services.recognition_consent(recognition=recognition, by=account, consent=True)
            consented += 1
    lines = october.lines.count() + november.lines.count()
    return (
        f"Tindak lanjut: {written} hari kehadiran, TPP {lines} baris (Oktober dikunci, November "
        f"dihitung), {report.created} rekomendasi ({decided} diputuskan), {consented} penghargaan "
        "di dinding."
    )


def _decide(rng: random.Random, admin: User) -> int:
    """Decide some recommendations the way officials do: most coaching and piagam accepted,
    some rejected with a reason, the rest left waiting."""
    decided = 0
    pending = list(
        Recommendation.objects.filter(status=RecommendationStatus.PENDING)
        .select_related("employee")
        .order_by("pk")
    )
    by_action: dict[str, list[Recommendation]] = {}
    for rec in pending:
        by_action.setdefault(rec.action, []).append(rec)
    for rec in by_action.get("piagam", [])[:8]:
        services.recommendation_decide(
            recommendation=rec,
            by=admin,
            accept=True,
            reason="Memenuhi kriteria Piagam Penghargaan Bupati.",
            official="Bupati Bukitintan",
            decree_number=f"003.2/{100 + decided}/BKPSDM/2026",
            decree_date=date(2026, 11, 25),
        )
        decided += 1
    for n, rec in enumerate(by_action.get("pembinaan", [])[:10]):
        accept = n % 4 != 3
        services.recommendation_decide(
            recommendation=rec,
            by=admin,
            accept=accept,
            reason="Predikat triwulan III di bawah standar; pembinaan bersama atasan langsung."
            if accept
            else "Predikat sudah dikoreksi melalui keberatan; pembinaan tidak diperlukan.",
            official="Kepala BKPSDM Kabupaten Bukitintan",
            effective_from=date(2026, 11, 2) if accept else None,
        )
        decided += 1
    for rec in by_action.get("hukuman_disiplin", [])[:1]:
        services.recommendation_decide(
            recommendation=rec,
            by=admin,
            accept=False,
            reason="Sebagian hari sudah dibuktikan dengan surat dinas luar.",
            official="Kepala BKPSDM Kabupaten Bukitintan",
        )
        decided += 1
    from kinerja.rewards.models import CoachingPlan

    plan = (
        CoachingPlan.objects.select_related("supervisor__user").filter(~Q(supervisor=None)).first()
    )
    if plan is not None:
        supervisor_account = getattr(plan.supervisor, "user", None)
        if supervisor_account is not None:
            services.coaching_session_add(
                plan=plan,
                by=supervisor_account,
                day=plan.starts + timedelta(days=7),
                notes="Menyepakati target mingguan dan jadwal pendampingan.",
                is_checkpoint=True,
            )
    return decided
