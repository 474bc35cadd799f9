"""The demo's complaints (each walked along its timeline to a state that fits its age) and its
forum topics with official answers."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from kinerja.organisation.models import User
from kinerja.public import protection, services
from kinerja.public.choices import (
    ComplaintCategory,
    ComplaintKind,
    ComplaintStatus,
    PostStatus,
    UpdateKind,
)
from kinerja.public.models import (
    Complaint,
    ComplaintUpdate,
    ForumParticipant,
    ForumPost,
    ForumTopic,
    Service,
)
from kinerja.rules.workdays import add_working_days

from .catalogue import Spec, _aware, _workdays

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
