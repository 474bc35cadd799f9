"""Demo data of community participation for the Bukitintan regency (run by `seed_demo`).

Services for every public-facing unit; unless `--no-survey-data`: a year of questionnaires (from
1 January to today) with realistic differences between services (most A or B, a few C, with
their own weak unsur and a slow improvement where a follow-up plan exists), a few hundred
complaints in every state with their timelines, and forum topics with official answers.
Deterministic for a seed; written with bulk_create, the daily totals rebuilt in one pass.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from kinerja.core.audit import AuditAction, audit_record
from kinerja.organisation.models import Unit, User
from kinerja.rules.periods import Period
from kinerja.rules.workdays import add_working_days

from . import protection, services
from .choices import (
    Channel,
    ComplaintCategory,
    ComplaintKind,
    ComplaintStatus,
    Education,
    Occupation,
    PostStatus,
    TimeSlot,
    UpdateKind,
)
from .models import (
    Complaint,
    ComplaintUpdate,
    FollowUpPlan,
    ForumParticipant,
    ForumPost,
    ForumTopic,
    KioskDevice,
    Service,
    ServicePopulation,
    SurveyResponse,
)


@dataclass
class Spec:
    """A demo service: yearly questionnaires, mean answer, weak unsur (index → shift), and a
    monthly improvement of the mean (a follow-up plan at work)."""

    code: str
    name: str
    per_year: int
    mean: float = 3.45
    weak: dict[int, float] = field(default_factory=dict)
    trend: float = 0.0
    population_factor: int | None = 8
    counters: str = ""


def _puskesmas(unit: Unit) -> list[Spec]:
    n = unit.code[-2:]
    # Puskesmas Lembah Hijau (03) struggles with waiting times; Simpang Tiga (06) is the best.
    mean = {"03": 3.05, "06": 3.7}.get(n, 3.45)
    weak = {2: -0.45, 8: -0.3} if n == "03" else {}
    return [
        Spec(f"PKM{n}-UMUM", "Pemeriksaan Umum", 900, mean, weak, counters="Loket 1\nLoket 2"),
        Spec(f"PKM{n}-KIA", "Kesehatan Ibu dan Anak (KIA)", 420, mean + 0.1, weak),
        Spec(f"PKM{n}-LAB", "Laboratorium", 250, mean - 0.05, {**weak, 2: -0.3}),
        Spec(f"PKM{n}-GIGI", "Kesehatan Gigi dan Mulut", 180, mean, weak),
    ]


SPECS_BY_UNIT: dict[str, list[Spec]] = {
    "DINKES": [Spec("DINKES-SIP", "Surat Izin Praktik Tenaga Kesehatan", 160, 3.3, {2: -0.2})],
    "DINKES-RSUD": [
        Spec("RSUD-IGD", "Instalasi Gawat Darurat", 600, 3.3, {8: -0.25}),
        Spec(
            "RSUD-RJ",
            "Rawat Jalan",
            1500,
            3.25,
            {2: -0.5, 1: -0.2},
            0.02,
            counters="Loket A\nLoket B\nLoket C",
        ),
        Spec("RSUD-RI", "Rawat Inap", 500, 2.95, {8: -0.55, 6: -0.3, 2: -0.3}),
        Spec("RSUD-FARMASI", "Instalasi Farmasi", 700, 3.2, {2: -0.4}),
    ],
    "DINKES-RSUD-YAN": [Spec("RSUD-REKAM-MEDIS", "Layanan Rekam Medis", 120, 3.35)],
    "DISDUKCAPIL": [
        Spec(
            "DUKCAPIL-KTP",
            "Perekaman dan Pencetakan KTP-el",
            1200,
            2.8,
            {2: -0.6, 4: -0.3},
            0.05,
            counters="Loket 1\nLoket 2\nLoket 3",
        ),
        Spec("DUKCAPIL-KK", "Kartu Keluarga", 800, 3.15, {2: -0.3}, 0.03),
        Spec("DUKCAPIL-AKTA", "Akta Kelahiran", 600, 3.4),
        Spec("DUKCAPIL-PINDAH", "Surat Keterangan Pindah", 300, 3.2, {1: -0.2}),
    ],
    "DPMPTSP": [
        Spec(
            "DPMPTSP-PBG",
            "Persetujuan Bangunan Gedung (PBG)",
            350,
            3.0,
            {1: -0.4, 2: -0.45, 3: -0.3},
        ),
        Spec("DPMPTSP-NIB", "Perizinan Berusaha (NIB)", 450, 3.6),
        Spec("DPMPTSP-REKLAME", "Izin Reklame", 120, 3.3, {3: -0.2}),
    ],
    "DINSOS": [
        Spec(
            "DINSOS-DTKS",
            "Pendaftaran Data Terpadu Kesejahteraan Sosial",
            500,
            3.1,
            {1: -0.3, 7: -0.3},
        ),
        Spec("DINSOS-REHAB", "Rehabilitasi Sosial", 100, 3.4),
    ],
    "DISDIK": [
        Spec("DISDIK-SPMB", "Penerimaan Murid Baru (SPMB)", 700, 3.1, {1: -0.3, 2: -0.2}),
        Spec("DISDIK-LEGALISIR", "Legalisir Ijazah", 250, 3.55),
        Spec("DISDIK-MUTASI", "Mutasi Siswa", 150, 3.35),
    ],
}


def _kecamatan(unit: Unit) -> list[Spec]:
    n = unit.code[-2:]
    mean = {"03": 2.9, "05": 3.6}.get(n, 3.35)
    return [
        Spec(
            f"KEC{n}-PATEN",
            "Pelayanan Administrasi Terpadu Kecamatan (PATEN)",
            500,
            mean,
            {2: -0.2},
        ),
        Spec(f"KEC{n}-SURAT", "Surat Keterangan dan Rekomendasi", 300, mean + 0.05),
    ]


def _generic(unit: Unit) -> list[Spec]:
    topic = unit.name.split(" ", 1)[1] if " " in unit.name else unit.name
    return [
        Spec(
            f"{unit.code}-INFO",
            f"Konsultasi dan Informasi {topic}",
            30,
            3.62,
            population_factor=None,
        )
    ]


def specs_for(unit: Unit) -> list[Spec]:
    if unit.code in SPECS_BY_UNIT:
        return SPECS_BY_UNIT[unit.code]
    if unit.kind == "puskesmas":
        return _puskesmas(unit)
    if unit.kind == "kecamatan":
        return _kecamatan(unit)
    return _generic(unit)


SUGGESTIONS = {
    0: [
        "Persyaratan sebaiknya diumumkan jelas di papan dan situs.",
        "Daftar berkas yang dibawa kurang jelas.",
    ],
    1: [
        "Alur pelayanan membingungkan, perlu petunjuk arah.",
        "Prosedur daring sering gagal, mohon diperbaiki.",
    ],
    2: [
        "Antrean terlalu lama, mohon tambah loket.",
        "Waktu tunggu lebih dari dua jam.",
        "Tolong ada nomor antrean daring supaya tidak menunggu lama.",
    ],
    3: ["Biaya parkir di luar terlalu mahal.", "Mohon kejelasan tarif resmi."],
    4: ["Hasil yang diterima tidak sesuai dengan yang dijanjikan.", "Blanko sering habis."],
    5: ["Petugas perlu pelatihan agar penjelasannya lebih jelas."],
    6: ["Petugas ramah dan sopan, terima kasih.", "Ada petugas yang kurang ramah di loket."],
    7: ["Kotak saran tidak pernah dibuka.", "Pengaduan lewat telepon tidak dijawab."],
    8: [
        "Ruang tunggu panas dan kursi kurang.",
        "Toilet perlu dibersihkan lebih sering.",
        "Tempat parkir sempit.",
    ],
}
COMPLAINT_TEXTS = {
    ComplaintCategory.TIME: (
        "Saya menunggu lebih dari tiga jam di {service} tanpa kejelasan "
        "antrean. Mohon ada sistem antrean yang jelas."
    ),
    ComplaintCategory.SERVICE: (
        "Persyaratan {service} yang disampaikan petugas berbeda dengan "
        "yang tertulis di papan pengumuman."
    ),
    ComplaintCategory.COST: (
        "Di {service} saya diminta membayar biaya tambahan tanpa kuitansi. Apakah itu resmi?"
    ),
    ComplaintCategory.STAFF: (
        "Petugas di {service} berbicara kasar saat saya bertanya tentang berkas yang kurang."
    ),
    ComplaintCategory.FACILITY: (
        "Ruang tunggu {service} sangat panas, kipas angin rusak, dan kursi tidak cukup."
    ),
    ComplaintCategory.INFORMATION: (
        "Jadwal layanan {service} di situs berbeda dengan jam buka sebenarnya."
    ),
    ComplaintCategory.OTHER: "Saran: {service} sebaiknya buka juga hari Sabtu untuk pekerja.",
}
REPLIES = {
    ComplaintStatus.VERIFIED: "",
    ComplaintStatus.IN_PROGRESS: (
        "Terima kasih atas laporannya. Kami sedang memeriksa dengan petugas terkait."
    ),
    ComplaintStatus.RESOLVED: (
        "Sudah kami tindak lanjuti: petugas telah diberi pembinaan dan "
        "jadwal loket diperbaiki. Terima kasih."
    ),
    ComplaintStatus.REJECTED: (
        "Laporan ini bukan kewenangan unit kami; silakan sampaikan ke instansi terkait."
    ),
}
FORUM_TOPICS = [
    (
        "Apakah Puskesmas buka hari Sabtu?",
        "Saya bekerja Senin–Jumat. Apakah ada layanan hari Sabtu?",
        "Ya, pemeriksaan umum buka Sabtu pukul 08.00–12.00.",
    ),
    (
        "Cara daftar antrean KTP-el daring",
        "Bagaimana cara mengambil nomor antrean KTP-el lewat ponsel?",
        "Nomor antrean dapat diambil di situs Disdukcapil mulai pukul 06.00 setiap hari kerja.",
    ),
    (
        "Berapa lama PBG selesai?",
        "Pengajuan PBG saya sudah tiga minggu. Berapa lama biasanya?",
        "Sesuai standar pelayanan, PBG selesai 28 hari kerja sejak berkas lengkap.",
    ),
    (
        "Parkir RSUD penuh",
        "Setiap pagi parkir RSUD penuh. Adakah rencana perluasan?",
        (
            "Perluasan lahan parkir dianggarkan tahun depan; sementara gunakan parkir di lapangan "
            "sebelah."
        ),
    ),
    (
        "Jadwal SPMB tahun ini",
        "Kapan pendaftaran murid baru SD dibuka?",
        (
            "Pendaftaran SPMB dibuka pertengahan Juni; jadwal lengkap diumumkan "
            "di sekolah dan situs dinas."
        ),
    ),
    ("Blanko KTP habis", "Kemarin saya diminta datang lagi karena blanko habis. Sampai kapan?", ""),
    (
        "Layanan KIA sangat membantu",
        "Terima kasih bidan di Puskesmas Sungai Emas, pelayanannya ramah.",
        "",
    ),
    (
        "Syarat DTKS",
        "Apa saja syarat mendaftar DTKS untuk bantuan sosial?",
        "Bawa KTP-el dan KK; pendaftaran melalui desa/kelurahan lalu diverifikasi dinas.",
    ),
    (
        "Legalisir ijazah bisa diwakilkan?",
        "Apakah legalisir ijazah boleh diwakilkan keluarga?",
        "Boleh, dengan surat kuasa dan fotokopi KTP kedua pihak.",
    ),
    ("Surat pindah lewat kecamatan", "Apakah surat pindah bisa diurus di kecamatan?", ""),
]
NICKNAMES = [
    "Warga Sukamaju",
    "Ibu Rina",
    "Pak RT 05",
    "Dimas",
    "Sari Bukit",
    "Andi K",
    "Mamah Ayu",
    "Budi88",
    "Lestari",
    "Yusuf",
]


# Rounding a normal draw and clamping it to 1–4 pulls the average down; this puts it back near
# the spec's mean.
CALIBRATION = 0.14


def _answer(rng: random.Random, mean: float) -> int:
    return min(4, max(1, round(rng.gauss(mean + CALIBRATION, 0.62))))


def _workdays(rng: random.Random, start: date, end: date, count: int) -> list[date]:
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    weights = [0 if d.weekday() == 6 else 0.35 if d.weekday() == 5 else 1.0 for d in days]
    return rng.choices(days, weights=weights, k=count)


def _aware(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


EDUCATION = list(Education.values)
OCCUPATION = list(Occupation.values)
RESPONSE_COLUMNS = (
    "service_id",
    "submitted_at",
    "survey_date",
    "time_slot",
    "channel",
    *SurveyResponse.ANSWER_FIELDS,
    "sex",
    "age",
    "education",
    "occupation",
    "suggestion",
    "counter",
    "device_id",
    "ip_hash",
    "browser_hash",
)


def _profile(rng: random.Random) -> tuple[str, int | None, str, str]:
    age = None if rng.random() < 0.08 else max(17, min(80, round(rng.gauss(38, 12))))
    sex = rng.choice("LPP") if rng.random() > 0.05 else ""
    education = (
        rng.choices(EDUCATION, weights=[8, 14, 38, 12, 22, 5, 1])[0] if rng.random() > 0.06 else ""
    )
    occupation = (
        rng.choices(OCCUPATION, weights=[10, 2, 2, 30, 28, 28])[0] if rng.random() > 0.06 else ""
    )
    return sex, age, education, occupation


def _responses(
    rng: random.Random,
    service: Service,
    spec: Spec,
    start: date,
    today: date,
    device: KioskDevice | None,
) -> list[tuple[Any, ...]]:
    """Rows in RESPONSE_COLUMNS order (the demo writes tens of thousands at once)."""
    adapt_day = connection.ops.adapt_datefield_value
    adapt_moment = connection.ops.adapt_datetimefield_value
    fraction = ((today - start).days + 1) / 365
    count = max(3, round(spec.per_year * fraction * rng.uniform(0.85, 1.15)))
    counters = [c for c in spec.counters.splitlines() if c]
    weights = [55, 30 if device else 0, 15]
    rows = []
    for day in _workdays(rng, start, today, count):
        mean = spec.mean + spec.trend * (day.month - 6)
        answers = [
            _answer(rng, mean + spec.weak.get(i, 0.0) + (0.35 if i == 3 else 0.0)) for i in range(9)
        ]
        slot = TimeSlot.MORNING if rng.random() < 0.65 else TimeSlot.AFTERNOON
        hour = rng.randint(8, 11) if slot == TimeSlot.MORNING else rng.randint(13, 16)
        channel = rng.choices(CHANNELS, weights=weights)[0]
        suggestion = ""
        if rng.random() < 0.12:
            weakest = min(range(9), key=lambda i: (answers[i], rng.random()))
            suggestion = rng.choice(SUGGESTIONS[weakest])
        rows.append(
            (
                service.pk,
                adapt_moment(_aware(day, hour, rng.randint(0, 59))),
                adapt_day(day),
                str(slot),
                str(channel),
                *answers,
                *_profile(rng),
                suggestion,
                rng.choice(counters) if counters and channel != Channel.PAPER else "",
                device.pk if device and channel == Channel.KIOSK else None,
                "",
                "",
            )
        )
    return rows


CHANNELS = [Channel.WEB, Channel.KIOSK, Channel.PAPER]


def _insert_responses(rows: list[tuple[Any, ...]]) -> None:
    q = connection.ops.quote_name
    sql = (
        f"INSERT INTO {q(SurveyResponse._meta.db_table)} "
        f"({', '.join(q(c) for c in RESPONSE_COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(RESPONSE_COLUMNS))})"
    )
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i : i + 5000])


def _demo_code(rng: random.Random) -> str:
    return "".join(rng.choice(protection.CODE_ALPHABET) for _ in range(protection.CODE_LENGTH))


CATEGORY_OF_UNSUR = {
    0: ComplaintCategory.SERVICE,
    1: ComplaintCategory.SERVICE,
    2: ComplaintCategory.TIME,
    3: ComplaintCategory.COST,
    4: ComplaintCategory.INFORMATION,
    5: ComplaintCategory.STAFF,
    6: ComplaintCategory.STAFF,
    7: ComplaintCategory.INFORMATION,
    8: ComplaintCategory.FACILITY,
}
PATH = [ComplaintStatus.VERIFIED, ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED]


def _target_status(rng: random.Random, age: int) -> str:
    """Where a complaint filed `age` days ago stands now: recent ones open, old ones closed."""
    if age <= 3:
        options, weights = [ComplaintStatus.RECEIVED, *PATH[:2]], [50, 30, 20]
    elif age <= 20:
        options = [*PATH, ComplaintStatus.REJECTED, ComplaintStatus.RECEIVED]
        weights = [20, 35, 30, 5, 10]
    else:
        options, weights = (
            [ComplaintStatus.IN_PROGRESS, *PATH[2:], ComplaintStatus.REJECTED],
            [5, 86, 9],
        )
    return rng.choices(options, weights=weights)[0]


def _complaints(
    rng: random.Random,
    service_list: list[tuple[Service, Spec]],
    start: date,
    today: date,
    admins: dict[int, User],
) -> tuple[int, int]:
    """About 320 complaints over the year (more in the last month), each walked along its
    timeline to a state that fits its age; a sixth of the first responses come late."""
    holidays = services.holidays()
    weights = [max(0.2, (3.9 - spec.mean) * spec.per_year / 100) for _s, spec in service_list]
    now = timezone.now()
    recent = max(start, today - timedelta(days=30))
    codes: set[str] = set()
    complaints: list[Complaint] = []
    timelines: list[tuple[list[tuple[datetime, str, str, str, str]], User | None]] = []
    for n in range(320):
        service, spec = rng.choices(service_list, weights=weights)[0]
        day = _workdays(rng, recent if rng.random() < 0.3 else start, today, 1)[0]
        received = min(
            _aware(day, rng.randint(7, 20), rng.randint(0, 59)), now - timedelta(hours=1)
        )
        weakest = min(range(9), key=lambda i: spec.weak.get(i, 0.0))
        category = CATEGORY_OF_UNSUR[weakest if rng.random() < 0.5 else rng.randrange(9)]
        if n % 11 == 0:
            category = ComplaintCategory.OTHER
        code = _demo_code(rng)
        while code in codes:
            code = _demo_code(rng)
        codes.add(code)
        anonymous = rng.random() < 0.25
        due = services.response_due(received)
        complaint = Complaint(
            tracking_code=code,
            kind=ComplaintKind.SUGGESTION
            if category == ComplaintCategory.OTHER
            else ComplaintKind.COMPLAINT,
            category=category,
            unit_id=service.unit_id,
            service=service,
            description=COMPLAINT_TEXTS[category].format(service=service.name),
            contact_name="" if anonymous else rng.choice(["Rina", "Budi S.", "Ibu Wati", "Andi"]),
            contact_email="" if anonymous or rng.random() < 0.5 else f"warga{n}@contoh.id",
            anonymous=anonymous,
            received_at=received,
            first_response_due=due,
            clock_due=due,
        )
        target = _target_status(rng, (today - day).days)
        timeline = [(received, UpdateKind.STATUS, "", ComplaintStatus.RECEIVED, "")]
        steps = (
            []
            if target == ComplaintStatus.RECEIVED
            else PATH[: PATH.index(target) + 1]
            if target in PATH
            else [PATH[0], target]
        )
        late = rng.random() < 0.16
        moment = _aware(
            add_working_days(day, rng.randint(6, 9) if late else rng.randint(0, 4), holidays),
            rng.randint(8, 15),
            rng.randint(0, 59),
        )
        previous = ComplaintStatus.RECEIVED
        for step in steps:
            if moment >= now:
                break
            message = REPLIES[step]
            timeline.append((moment, UpdateKind.STATUS, previous, step, message))
            complaint.status = previous = step
            if message and complaint.first_response_at is None:
                complaint.first_response_at, complaint.clock_due = moment, None
            if step == ComplaintStatus.REJECTED:
                complaint.rejection_reason = message
            if step in ComplaintStatus.final():
                complaint.closed_at, complaint.clock_due = moment, None
            moment += timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5))
        closed = complaint.closed_at
        if complaint.status == ComplaintStatus.RESOLVED and closed and rng.random() < 0.6:
            complaint.rating = rng.choices([5, 4, 3, 2, 1], weights=[35, 35, 15, 10, 5])[0]
            timeline.append((min(now, closed + timedelta(hours=5)), UpdateKind.RATED, "", "", ""))
        elif closed and now - closed < timedelta(days=14) and rng.random() < 0.4:
            reopened = min(now - timedelta(minutes=5), closed + timedelta(days=2))
            timeline.append(
                (
                    reopened,
                    UpdateKind.REOPENED,
                    complaint.status,
                    ComplaintStatus.IN_PROGRESS,
                    "Masalahnya terulang lagi minggu ini, mohon ditindaklanjuti kembali.",
                )
            )
            complaint.status = ComplaintStatus.IN_PROGRESS
            complaint.rejection_reason = ""
            complaint.reopened_at, complaint.closed_at = reopened, None
            complaint.clock_due = services.response_due(reopened)
        complaints.append(complaint)
        timelines.append((timeline, admins.get(service.unit.opd_id)))
    Complaint.objects.bulk_create(complaints, batch_size=500)
    updates = [
        ComplaintUpdate(
            complaint=complaint,
            at=at,
            kind=kind,
            status_from=old,
            status_to=new,
            message=message,
            by=admin if kind == UpdateKind.STATUS and new != ComplaintStatus.RECEIVED else None,
        )
        for complaint, (timeline, admin) in zip(complaints, timelines, strict=True)
        for at, kind, old, new, message in timeline
    ]
    ComplaintUpdate.objects.bulk_create(updates, batch_size=1000)
    return len(complaints), len(updates)


def _forum(
    rng: random.Random,
    service_list: list[tuple[Service, Spec]],
    admins: dict[int, User],
    today: date,
) -> int:
    participants = ForumParticipant.objects.bulk_create(
        [
            ForumParticipant(
                email=f"peserta{i}@contoh.id",
                nickname=nick,
                confirmed_at=timezone.now() - timedelta(days=200 - i),
                trusted=i < 8,
            )
            for i, nick in enumerate(NICKNAMES)
        ]
    )
    by_code = {s.code: s for s, _spec in service_list}
    targets = [
        "PKM01-UMUM",
        "DUKCAPIL-KTP",
        "DPMPTSP-PBG",
        "RSUD-RJ",
        "DISDIK-SPMB",
        "DUKCAPIL-KTP",
        "PKM02-KIA",
        "DINSOS-DTKS",
        "DISDIK-LEGALISIR",
        "KEC01-SURAT",
    ]
    posts = []
    for i, (title, body, answer) in enumerate(FORUM_TOPICS):
        service = by_code.get(targets[i])
        if service is None:
            continue
        author = participants[i % 8]
        created = _aware(today - timedelta(days=rng.randint(5, 150)), rng.randint(7, 21), 0)
        topic = ForumTopic.objects.create(
            unit_id=service.unit_id,
            service=service,
            title=title,
            started_by=author,
            created_at=created,
            last_post_at=created,
            is_visible=True,
        )
        posts.append(
            ForumPost(
                topic=topic,
                participant=author,
                body=body,
                status=PostStatus.PUBLISHED,
                created_at=created,
            )
        )
        moment = created
        for reply in range(rng.randint(0, 2)):
            moment += timedelta(hours=rng.randint(2, 30))
            posts.append(
                ForumPost(
                    topic=topic,
                    participant=participants[(i + reply + 1) % 8],
                    body="Saya juga ingin tahu, terima kasih sudah bertanya.",
                    status=PostStatus.PUBLISHED,
                    created_at=moment,
                )
            )
        if answer:
            moment += timedelta(hours=rng.randint(3, 48))
            admin = admins.get(service.unit.opd_id) or admins[0]
            posts.append(
                ForumPost(
                    topic=topic,
                    official=True,
                    author=admin,
                    body=answer,
                    status=PostStatus.PUBLISHED,
                    created_at=moment,
                )
            )
            topic.has_official_answer = True
        if i in (1, 5):  # new participants waiting for moderation
            posts.append(
                ForumPost(
                    topic=topic,
                    participant=participants[8 + i % 2],
                    body="Hari ini juga begitu, antre sejak subuh.",
                    status=PostStatus.PENDING,
                    created_at=moment + timedelta(hours=1),
                )
            )
        topic.last_post_at = moment
        topic.save(update_fields=["last_post_at", "has_official_answer"])
    ForumPost.objects.bulk_create(posts)
    return len(posts)


def seed(*, seed: int, options: dict[str, Any]) -> str:
    """Create the demo's public services and (unless options["no_survey_data"]) a year of survey
    responses, complaints and forum topics. Returns a one-line summary."""
    rng = random.Random(seed * 7 + 4)
    units = list(
        Unit.objects.filter(serves_public=True, is_active=True)
        .select_related("opd")
        .order_by("path")
    )
    created: list[tuple[Service, Spec]] = []
    for unit in units:
        for spec in specs_for(unit):
            created.append(
                (
                    Service(
                        unit=unit,
                        code=spec.code,
                        name=spec.name,
                        ask_counter=bool(spec.counters),
                        counters=spec.counters,
                    ),
                    spec,
                )
            )
    Service.objects.bulk_create([s for s, _spec in created], batch_size=500)
    today = timezone.localdate()
    start = date(today.year, 1, 1)
    populations = []
    for service, spec in created:
        if spec.population_factor is None:
            continue
        for month in range(1, today.month + 1):
            monthly = spec.per_year / 12 * spec.population_factor * rng.uniform(0.8, 1.2)
            populations.append(
                ServicePopulation(
                    service=service, year=today.year, month=month, population=round(monthly)
                )
            )
    ServicePopulation.objects.bulk_create(populations, batch_size=1000)
    admin_by_opd = {u.managed_opd_id: u for u in User.objects.filter(role="admin_opd")}
    fallback = (
        User.objects.filter(role="admin_bkpsdm").first()
        or User.objects.filter(is_superuser=True).first()
    )
    admins: dict[int, User] = {0: fallback} if fallback else {}
    for unit in units:
        admins.setdefault(unit.opd_id, admin_by_opd.get(unit.opd_id) or fallback)  # type: ignore[arg-type]
    devices = {
        code: KioskDevice(
            service=service,
            name="Tablet Loket 1",
            token_hash=protection.token_hash(protection.new_token("kios")),
            token_hint="demo",
            created_by=admins.get(service.unit.opd_id),
        )
        for service, spec in created
        if (code := spec.code) in {"RSUD-RJ", "DUKCAPIL-KTP", "PKM01-UMUM"}
    }
    KioskDevice.objects.bulk_create(devices.values())
    summary = f"Layanan publik: {len(created)} layanan di {len(units)} unit"
    if options.get("no_survey_data"):
        return summary + " (tanpa data survei)."
    responses: list[tuple[Any, ...]] = []
    for service, spec in created:
        responses.extend(_responses(rng, service, spec, start, today, devices.get(spec.code)))
    _insert_responses(responses)  # the database trigger adds them to the daily totals
    FollowUpPlan.objects.bulk_create(
        [
            FollowUpPlan(
                unit=unit,
                period=Period.annual(today.year).code,
                text=text,
                updated_by=admins.get(unit.opd_id),
            )
            for unit in units
            if (text := FOLLOW_UPS.get(unit.code))
        ]
    )
    complaints, updates = _complaints(rng, created, start, today, admins)
    posts = _forum(rng, created, admins, today)
    audit_record(
        actor=None,
        action=AuditAction.IMPORT,
        object_type="demo",
        object_repr="Data demo partisipasi masyarakat",
        changes={"services": len(created), "responses": len(responses), "complaints": complaints},
    )
    return (
        f"{summary}; {len(responses)} kuesioner, {complaints} pengaduan ({updates} riwayat), "
        f"{posts} tulisan forum."
    )


FOLLOW_UPS = {
    "DISDUKCAPIL": (
        "1. Unsur terendah U3 Waktu Penyelesaian: menambah satu loket perekaman KTP-el dan antrean "
        "daring mulai Juli (Kepala Bidang Pelayanan Pendaftaran Penduduk).\n"
        "2. U5 Produk: memastikan stok blanko KTP-el dengan permintaan bulanan ke Ditjen "
        "Dukcapil.\n3. Evaluasi hasil pada survei triwulan berikutnya."
    ),
    "DINKES-RSUD": (
        "1. U9 Sarana dan Prasarana rawat inap: perbaikan pendingin ruangan bangsal kelas III dan "
        "penambahan kursi ruang tunggu.\n2. U3 Waktu di rawat jalan: jadwal dokter diumumkan di "
        "papan dan situs; pendaftaran daring."
    ),
}
