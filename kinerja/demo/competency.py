"""Demo competency development for Kabupaten Bukitintan (seed_demo extension).

A realistic catalogue (BKPSDM's programmes, Dinas Kesehatan's own emergency course, e-learning
modules), a year of sessions in 2026 with attendance and completions so that JP spread from 0
to 40+ with about a quarter of the people below 20 JP, upcoming sessions open for registration
(some people enrolled, some waitlisted), external learning in each state, and development plans
for the demo personas. Written with bulk_create (a second or two at 1,500 employees); the
personas' plans go through the services.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import secrets
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone

from kinerja.competency import services, unit_jp
from kinerja.competency.choices import (
    AttendanceSource,
    EnrolmentStatus,
    ExternalStatus,
    LearningKind,
    SessionStatus,
    form_of,
)
from kinerja.competency.models import (
    Attendance,
    Enrolment,
    ExternalLearning,
    Programme,
    Session,
    SessionRating,
)
from kinerja.organisation.choices import Role
from kinerja.organisation.models import Employee, Unit, User
from kinerja.rules.training import external_jp

from .bulk import RowWriter, reset_sequences
from .organisation import demo_logins, persona

YEAR = 2026
TZ = ZoneInfo("Asia/Jakarta")

# (title, kind, JP, days, tags, provider, post-test pass mark, owner OPD code)
CATALOGUE: list[tuple[str, str, str, int, list[str], str, str | None, str | None]] = [
    (
        "Literasi Digital untuk Pelayanan Publik",
        LearningKind.TEKNIS,
        "16",
        2,
        ["Teknologi Informasi", "Adaptif"],
        "BKPSDM Kabupaten Bukitintan",
        None,
        None,
    ),
    (
        "Pelayanan Prima",
        LearningKind.TEKNIS,
        "12",
        2,
        ["Pelayanan Prima", "Berorientasi Pelayanan"],
        "BKPSDM Kabupaten Bukitintan",
        None,
        None,
    ),
    (
        "Penyusunan SKP dan Indikator Kinerja",
        LearningKind.BIMTEK,
        "8",
        1,
        ["Manajemen Kinerja", "Akuntabel"],
        "BKPSDM Kabupaten Bukitintan",
        "70",
        None,
    ),
    (
        "Penanganan Kegawatdaruratan Dasar",
        LearningKind.FUNGSIONAL,
        "24",
        3,
        ["Kegawatdaruratan", "Kompeten"],
        "Dinas Kesehatan Kabupaten Bukitintan",
        "75",
        "DINKES",
    ),
    (
        "Sosialisasi Aplikasi Kinerja",
        LearningKind.SOSIALISASI,
        "4",
        1,
        ["Manajemen Kinerja", "Adaptif"],
        "BKPSDM Kabupaten Bukitintan",
        None,
        None,
    ),
    (
        "Pelayanan Administrasi Kependudukan Terpadu",
        LearningKind.BIMTEK,
        "12",
        2,
        ["Administrasi Kependudukan", "Berorientasi Pelayanan"],
        "Dinas Kependudukan dan Pencatatan Sipil",
        None,
        None,
    ),
    (
        "Kepemimpinan Kolaboratif bagi Pengawas",
        LearningKind.MANAJERIAL,
        "20",
        3,
        ["Kolaboratif", "Harmonis"],
        "BKPSDM Kabupaten Bukitintan",
        None,
        None,
    ),
    (
        "E-learning: Etika dan Integritas ASN",
        LearningKind.E_LEARNING,
        "6",
        1,
        ["Loyal", "Akuntabel"],
        "LAN RI (MOOC ASN)",
        "70",
        None,
    ),
    (
        "E-learning: Keamanan Informasi untuk ASN",
        LearningKind.E_LEARNING,
        "4",
        1,
        ["Teknologi Informasi", "Kompeten"],
        "BKPSDM Kabupaten Bukitintan",
        None,
        None,
    ),
    (
        "E-learning: Pengelolaan Keuangan Daerah",
        LearningKind.E_LEARNING,
        "8",
        1,
        ["Keuangan Daerah", "Akuntabel"],
        "BPKAD Kabupaten Bukitintan",
        None,
        None,
    ),
]
PLACES = ["Aula BKPSDM", "Ruang Rapat Setda", "Gedung Serbaguna Bukitintan", "Aula Dinas Kesehatan"]
EXTERNAL = [
    ("Webinar Transformasi Digital Pemerintahan", LearningKind.SEMINAR, "Kementerian PANRB", "3"),
    ("Kursus Microsoft Excel Lanjutan (biaya sendiri)", LearningKind.KURSUS, "LKP Cendekia", "12"),
    ("Coaching Penyusunan Laporan Kinerja", LearningKind.COACHING, "Kepala Bidang", "4"),
    ("Mentoring Pelayanan Loket", LearningKind.MENTORING, "Kepala UPT", "6"),
    ("E-learning Kesehatan Masyarakat", LearningKind.E_LEARNING, "Kementerian Kesehatan", "10"),
]


def _aware(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=TZ)


def _target_jp(rng: random.Random) -> int:
    """About a quarter below 20 JP (some with none at all), the rest 20 to 44."""
    roll = rng.random()
    if roll < 0.07:
        return 0
    if roll < 0.27:
        return rng.randint(4, 18)
    return rng.randint(20, 44)


def seed(*, seed: int, options: dict[str, Any]) -> str:
    rng = random.Random(seed + 12)
    admin = User.objects.filter(role=Role.ADMIN_BKPSDM).order_by("pk").first()
    if admin is None:
        return "Kompetensi: tidak ada akun BKPSDM untuk mencatat demo."
    opds = {u.code: u for u in Unit.objects.filter(parent__isnull=True)}
    programmes = [
        Programme(
            title=title,
            description=f"{title}: materi praktis untuk ASN Kabupaten Bukitintan.",
            tags=tags,
            jp=Decimal(jp),
            form=form_of(kind),
            kind=kind,
            provider=provider,
            owner_opd=opds.get(owner) if owner else None,
            post_test_pass_mark=Decimal(mark) if mark else None,
        )
        for title, kind, jp, _days, tags, provider, mark, owner in CATALOGUE
    ]
    Programme.objects.bulk_create(programmes)
    days_of = {p.title: row[3] for p, row in zip(programmes, CATALOGUE, strict=True)}
    today = timezone.localdate()

    # A year of past sessions: each programme about every six weeks until mid-November 2026.
    past: list[Session] = []
    for p in programmes:
        start = date(YEAR, 1, 12) + timedelta(days=rng.randint(0, 20))
        n = 0
        while start <= date(YEAR, 11, 16) and start < today:
            n += 1
            end = start + timedelta(days=days_of[p.title] - 1)
            past.append(
                Session(
                    programme=p,
                    name=f"Angkatan {n}",
                    starts_on=start,
                    ends_on=end,
                    start_time=time(8, 0),
                    end_time=time(15, 30) if days_of[p.title] > 1 else time(12, 0),
                    place="" if p.kind == LearningKind.E_LEARNING else rng.choice(PLACES),
                    online_link="https://elearning.bukitintan.go.id/"
                    if p.kind == LearningKind.E_LEARNING
                    else "",
                    quota=1,
                    registration_deadline=_aware(start - timedelta(days=3), time(23, 59)),
                    organiser=admin,
                    status=SessionStatus.CLOSED,
                    checkin_secret=secrets.token_hex(16),
                )
            )
            start += timedelta(days=rng.randint(35, 55))
    by_programme: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(past):
        by_programme[id(s.programme)].append(i)

    employees = list(Employee.objects.filter(is_active=True).order_by("pk").only("pk", "unit_id"))
    plans: list[tuple[int, int, bool]] = []  # (employee index, session index, completed)
    for ei, _e in enumerate(employees):
        target = _target_jp(rng)
        done = 0
        order = list(range(len(programmes)))
        rng.shuffle(order)
        for pi in order:
            if done >= target:
                break
            choices = by_programme[id(programmes[pi])]
            if not choices or (target < 20 and done + int(programmes[pi].jp) >= 20):
                continue
            plans.append((ei, rng.choice(choices), True))
            done += int(programmes[pi].jp)
        if rng.random() < 0.05 and past:  # a few who did not meet the attendance threshold
            plans.append((ei, rng.randrange(len(past)), False))
    seen: set[tuple[int, int]] = set()
    unique = []
    for ei, si, ok in plans:
        if (ei, si) not in seen:
            seen.add((ei, si))
            unique.append((ei, si, ok))
    counts: dict[int, int] = defaultdict(int)
    for _ei, si, _ok in unique:
        counts[si] += 1
    for si, s in enumerate(past):
        s.seats_taken = counts[si]
        s.quota = max(25, counts[si] + rng.randint(0, 5))
    Session.objects.bulk_create(past)

    enrolments = []
    for ei, si, ok in unique:
        s = past[si]
        enrolments.append(
            Enrolment(
                session=s,
                employee_id=employees[ei].pk,
                status=EnrolmentStatus.COMPLETED if ok else EnrolmentStatus.NOT_COMPLETED,
                completed_at=_aware(s.ends_on, time(16, 0)) if ok else None,
                completed_year=s.ends_on.year if ok else None,
                jp_credited=s.programme.jp if ok else None,
                post_test_score=Decimal(rng.randint(72, 98))
                if s.programme.post_test_pass_mark is not None
                else None,
            )
        )
    # Ids assigned here and the rows written with executemany (kinerja.demo.bulk): bulk_create
    # compiled every value into SQL, most of this stage at 10,000 employees.
    writer = RowWriter(timezone.now())
    first_id = (Enrolment.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    for k, en in enumerate(enrolments):
        en.id = first_id + k
    writer.insert_objects(Enrolment, enrolments)
    attendance = []
    for en in enrolments:
        s = en.session
        minutes = s.daily_minutes
        for k, day in enumerate(s.days):
            if en.status == EnrolmentStatus.NOT_COMPLETED and k == 0:
                continue  # missed the first day: below 80% for a short session
            attendance.append(
                Attendance(
                    enrolment=en,
                    day=day,
                    minutes=minutes,
                    source=AttendanceSource.QR if k % 2 else AttendanceSource.SHEET,
                    recorded_by=admin,
                )
            )
    first_id = (Attendance.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    for k, row in enumerate(attendance):
        row.id = first_id + k
    writer.insert_objects(Attendance, attendance)
    reset_sequences([Enrolment, Attendance])
    ratings = [
        SessionRating(
            enrolment=en,
            score=rng.choice([3, 4, 4, 5, 5]),
            comment=rng.choice(
                ["", "", "Materi sangat bermanfaat.", "Perlu lebih banyak praktik."]
            ),
        )
        for en in enrolments
        if en.status == EnrolmentStatus.COMPLETED and rng.random() < 0.3
    ]
    SessionRating.objects.bulk_create(ratings, batch_size=2000)

    # Upcoming sessions, open for registration (through the services: seats and waitlist).
    upcoming = []
    for k, p in enumerate(programmes[:6]):
        start = today + timedelta(days=10 + 6 * k)
        upcoming.append(
            services.session_save(
                by=admin,
                session=Session(
                    programme=p,
                    name="Angkatan baru",
                    starts_on=start,
                    ends_on=start + timedelta(days=days_of[p.title] - 1),
                    start_time=time(8, 0),
                    end_time=time(15, 30),
                    place=PLACES[k % len(PLACES)],
                    quota=3 if k == 0 else 30,
                    registration_deadline=_aware(start - timedelta(days=2), time(23, 59)),
                    needs_approval=k in (1, 2),
                ),
            )
        )
    accounts = {u.employee_id: u for u in User.objects.filter(employee__isnull=False)}
    enrolled = 0
    for e in employees[: min(len(employees), 400)]:
        if rng.random() < 0.08 and e.pk in accounts:
            session = rng.choice(upcoming)
            try:
                services.enrolment_create(session=session, employee=e, by=accounts[e.pk])
                enrolled += 1
            except Exception:
                continue

    # External learning in each state.
    staff = persona("Pegawai")
    external = []
    pool = [e for e in employees if e.pk in accounts][:200]
    evidence = ContentFile(b"%PDF-1.4\n% demo\n")
    for n in range(min(30, len(pool))):
        e = staff if (n == 0 and staff is not None) else pool[n]
        title, kind, provider, hours = EXTERNAL[n % len(EXTERNAL)]
        status = [ExternalStatus.APPROVED, ExternalStatus.SUBMITTED, ExternalStatus.RETURNED][n % 3]
        ended = date(YEAR, 1 + n % 11, 10)
        item = ExternalLearning(
            employee=e,
            title=title,
            kind=kind,
            provider=provider,
            started_on=ended - timedelta(days=1),
            ended_on=ended,
            year=YEAR,
            hours=Decimal(hours),
            evidence_name="sertifikat.pdf",
            evidence_type="application/pdf",
            status=status,
            jp_confirmed=external_jp(Decimal(hours)) if status == ExternalStatus.APPROVED else None,
            return_reason="Sertifikat tidak mencantumkan jumlah jam."
            if status == ExternalStatus.RETURNED
            else "",
            reviewed_by=admin if status != ExternalStatus.SUBMITTED else None,
            reviewed_at=_aware(ended + timedelta(days=5), time(10))
            if status != ExternalStatus.SUBMITTED
            else None,
            submitted_at=_aware(ended + timedelta(days=2), time(9)),
        )
        name = hashlib.sha1(f"{seed}-{n}".encode()).hexdigest()[:16]
        item.evidence.save(f"{name}.pdf", evidence, save=False)
        external.append(item)
    ExternalLearning.objects.bulk_create(external)

    # Development plans for the personas, through the services.
    plans_made = 0
    for e in _personas():
        user = accounts.get(e.pk)
        if user is None:
            continue
        plan = services.plan_refresh(employee=e, year=YEAR, by=user)
        with contextlib.suppress(Exception):
            services.plan_item_add(
                plan=plan,
                by=user,
                tag="Teknologi Informasi",
                gap="Tanda tangan elektronik dan layanan daring belum dikuasai.",
            )
        plans_made += 1
    services.jp_changed()
    unit_jp.rebuild(YEAR)  # the kept unit figures now, not when a task worker next runs
    return (
        f"Kompetensi: {len(programmes)} program, {len(past) + len(upcoming)} sesi, "
        f"{len(enrolments) + enrolled} pendaftaran, {len(external)} pembelajaran eksternal, "
        f"{plans_made} rencana pengembangan."
    )


def _personas() -> list[Employee]:
    nips = [
        login.username
        for login in demo_logins()
        if login.username.isdecimal() and len(login.username) == 18
    ]
    return list(Employee.objects.filter(nip__in=nips).select_related("unit", "supervisor"))
