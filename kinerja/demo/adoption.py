"""The demo's adoption data: the help centre seeded from docs/panduan-pengguna.md plus a FAQ,
a helpdesk per OPD, announcements, accounts activated over the last months (and some not),
a report of a wrong supervisor, and the adoption figures with a few months of trend.

Runs before kinerja.demo.monitoring in seed_demo's DEMO_EXTENSIONS."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from kinerja.adoption.choices import AnnouncementKind, ArticleKind
from kinerja.adoption.models import (
    AdoptionFigures,
    Announcement,
    HelpArticle,
    HelpdeskContact,
    SupervisorReport,
)
from kinerja.adoption.schedule import run_job
from kinerja.organisation.choices import PositionKind, Role
from kinerja.organisation.models import Employee, Unit, User

GUIDE = Path(settings.BASE_DIR) / "docs" / "panduan-pengguna.md"

# Which pages open which article from the header's "Bantuan" (URL names; "app:*" = every page
# of the app without an article of its own).
PAGES = {
    "masuk": "organisation:login,organisation:password_change,home:home",
    "skp-saya-pegawai": "performance:*,performance:plan_list,performance:plan_detail",
    "realisasi-bulanan": "performance:realisation_grid,performance:realisation_import",
    "atasan": (
        "performance:approval_inbox,performance:team_plans,performance:team_cascade,"
        "monitoring:team_board,monitoring:*"
    ),
    "penilaian-kinerja": "assessment:*",
    "admin-opd-dan-bkpsdm": "organisation:*,home:audit_log,public:*",
}

# Screenshots from the real pages (static/images/bantuan/, made from docs/screenshots/).
SCREENSHOTS = {
    "realisasi-bulanan": ("realisasi.png", "Layar realisasi bulanan"),
    "langkah-awal-bantuan-dan-pengumuman": ("langkah-awal.png", "Langkah awal di beranda"),
    "aktivasi-akun": ("aktivasi.png", "Aktivasi akun di ponsel"),
    "sinyal-lemah": ("sinyal-lemah.png", "Isian tersimpan saat koneksi terputus"),
}

FAQ = [
    (
        "aktivasi-akun",
        "Bagaimana cara mengaktifkan akun saya?",
        "Anda menerima **surat aktivasi** (dibagikan saat apel) atau surel berisi kode.\n\n"
        "1. Pindai kode QR pada surat, atau buka halaman [Aktivasi akun](/aktivasi/).\n"
        "2. Ketik NIP dan kode aktivasi.\n3. Buat kata sandi Anda sendiri.\n\n"
        "Kode hanya berlaku satu kali dan sampai tanggal yang tertulis. Kode hilang? Minta kode "
        "baru kepada Admin OPD Anda.",
        "adoption:activate",
    ),
    (
        "lupa-kata-sandi",
        "Saya lupa kata sandi. Apa yang harus saya lakukan?",
        "Buka [Lupa kata sandi](/lupa-kata-sandi/) dan ketik NIP Anda. Bila akun Anda memiliki "
        "alamat surel, tautan untuk membuat kata sandi baru dikirim ke sana. Bila tidak, halaman "
        "itu menyebutkan Admin OPD yang dapat mengatur ulang kata sandi Anda.",
        "adoption:password_reset,adoption:password_reset_confirm",
    ),
    (
        "atasan-keliru",
        "Atasan langsung saya di Kinerja keliru. Bagaimana memperbaikinya?",
        "Buka [Periksa profil dan atasan](/adopsi/langkah-awal/profil/), isi siapa atasan Anda "
        "yang benar, lalu kirim. Admin OPD Anda menerima laporannya, memperbaiki data, dan Anda "
        "diberi tahu setelah selesai.",
        "adoption:onboarding_profile,organisation:profile",
    ),
    (
        "pengingat-dan-surel",
        "Pengingat apa saja yang saya terima, dan bisakah lewat surel?",
        "Kinerja mengingatkan **3 hari sebelum batas pengisian realisasi** (tanggal 5 bulan "
        "berikutnya), SKP bawahan yang lama menunggu persetujuan, periode penilaian yang segera "
        "berakhir, dan batas waktu keberatan. Atasan menerima **ringkasan harian**.\n\n"
        "Atur di [Pemberitahuan](/adopsi/pemberitahuan/): segera, ringkasan harian, atau tidak "
        "lewat surel; dan jenis mana yang dikirim.",
        "adoption:preferences,performance:notification_list",
    ),
    (
        "sinyal-lemah",
        "Sinyal di kantor saya lemah. Apakah isian realisasi bisa hilang?",
        "Tidak. Bila penyimpanan gagal karena koneksi terputus, angka yang sudah Anda ketik "
        "disimpan di peramban ponsel/komputer Anda. Saat halaman dibuka lagi, Kinerja menawarkan "
        "untuk **mengirim ulang**.",
        "",
    ),
]


def _guide_sections() -> list[tuple[str, str]]:
    text = GUIDE.read_text(encoding="utf-8") if GUIDE.exists() else ""
    parts = re.split(r"^## ", text, flags=re.MULTILINE)[1:]
    sections = []
    for part in parts:
        title, _, body = part.partition("\n")
        sections.append((title.strip(), body.strip()))
    return sections


def _with_screenshot(slug: str, body: str) -> str:
    if slug not in SCREENSHOTS:
        return body
    file, alt = SCREENSHOTS[slug]
    return f"{body}\n\n![{alt}](/static/images/bantuan/{file})"


def seed_help() -> int:
    rows = []
    for order, (title, body) in enumerate(_guide_sections(), start=1):
        slug = slugify(title)[:80]
        rows.append(
            HelpArticle(
                slug=slug,
                title=title,
                kind=ArticleKind.ARTICLE,
                body=_with_screenshot(slug, body),
                pages=PAGES.get(slug, ""),
                order=order,
            )
        )
    for order, (slug, title, body, pages) in enumerate(FAQ, start=1):
        rows.append(
            HelpArticle(
                slug=slug,
                title=title,
                kind=ArticleKind.FAQ,
                body=_with_screenshot(slug, body),
                pages=pages,
                order=order,
            )
        )
    HelpArticle.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def seed(*, seed: int, options: dict[str, Any]) -> str:
    rng = random.Random(seed + 14)
    now = timezone.now()
    articles = seed_help()
    opds = list(Unit.objects.filter(parent__isnull=True).order_by("code"))
    HelpdeskContact.objects.bulk_create(
        [
            HelpdeskContact(
                opd=opd,
                name=f"Helpdesk Kinerja {opd.name}"[:150],
                phone=f"0812-{7000 + i:04d}-{rng.randint(1000, 9999)}",
                hours="Senin–Jumat 08.00–15.00",
            )
            for i, opd in enumerate(opds)
        ],
        ignore_conflicts=True,
    )
    bkpsdm = User.objects.filter(role=Role.ADMIN_BKPSDM, is_active=True).order_by("pk").first()
    if bkpsdm is not None:
        dinkes = next((o for o in opds if "kesehatan" in o.name.lower()), opds[0] if opds else None)
        Announcement.objects.bulk_create(
            [
                Announcement(
                    title="Kinerja kini dipakai seluruh perangkat daerah",
                    body=(
                        "Mulai bulan ini SKP, realisasi bulanan, dan penilaian dikerjakan di "
                        "Kinerja. Aktifkan akun Anda dengan kode dari surat aktivasi, lalu ikuti "
                        "**Langkah awal** di beranda. Panduan ada di [Bantuan](/bantuan/)."
                    ),
                    starts_at=now - timedelta(days=3),
                    created_by=bkpsdm,
                ),
                Announcement(
                    title="Sosialisasi pengisian realisasi bulanan",
                    kind=AnnouncementKind.SOCIALISATION,
                    body=(
                        "Sosialisasi untuk pegawai Dinas Kesehatan: cara mengisi realisasi dan "
                        "mengunggah bukti dari ponsel. Bawa ponsel Anda."
                    ),
                    opd=dinkes,
                    starts_at=now - timedelta(days=1),
                    ends_at=now + timedelta(days=14),
                    created_by=bkpsdm,
                ),
                Announcement(
                    title="Untuk atasan: setujui SKP bawahan paling lambat akhir bulan",
                    body="Buka **Tim saya → SKP menunggu persetujuan**.",
                    position_kind=PositionKind.PENGAWAS,
                    starts_at=now - timedelta(days=2),
                    created_by=bkpsdm,
                ),
            ]
        )
    # Accounts: about three in four have been activated, at various moments.
    demo_accounts = set(
        User.objects.exclude(role=Role.PEGAWAI).values_list("employee_id", flat=True)
    )
    ids = list(
        User.objects.filter(employee__isnull=False, last_login__isnull=True)
        .order_by("pk")
        .values_list("pk", "employee_id")
    )
    activated = []
    for pk, employee_id in ids:
        if employee_id in demo_accounts or rng.random() < 0.76:
            activated.append((pk, now - timedelta(days=rng.choice([1, 2, 5, 9, 20, 45, 80]))))
    by_moment: dict[Any, list[int]] = {}
    for pk, moment in activated:
        by_moment.setdefault(moment, []).append(pk)
    for moment, pks in by_moment.items():
        User.objects.filter(pk__in=pks).update(last_login=moment)
    nurse = Employee.objects.filter(supervisor__isnull=False, is_active=True).order_by("pk").first()
    if nurse is not None:
        SupervisorReport.objects.create(
            employee=nurse,
            recorded_supervisor_id=nurse.supervisor_id,
            correct_supervisor="Kepala Seksi Pelayanan (sejak mutasi bulan lalu)",
            note="Atasan saya sudah pindah tugas.",
        )
    run_job("angka_adopsi")
    _trend(rng)
    return (
        f"Adopsi: {articles} artikel bantuan, {len(opds)} helpdesk, {len(activated)} akun aktif "
        f"dari {len(ids)}."
    )


def _trend(rng: random.Random) -> None:
    """Earlier months' rows, as the nightly job would have left them: adoption grew."""
    current = list(AdoptionFigures.objects.all())
    if not current:
        return
    month = current[0].month
    rows = []
    for back, share in ((5, 0.15), (4, 0.3), (3, 0.45), (2, 0.6), (1, 0.75)):
        first = month
        for _ in range(back):
            first = (first - timedelta(days=1)).replace(day=1)
        for row in current:
            rows.append(
                AdoptionFigures(
                    unit_id=row.unit_id,
                    path=row.path,
                    month=first,
                    employees=row.employees,
                    activated=int(row.activated * share),
                    active_30d=int(row.active_30d * share),
                    plans_approved=int(row.plans_approved * share),
                    on_time=int(row.on_time * share),
                    with_plan_due=row.with_plan_due,
                    supervisors=row.supervisors,
                    supervisors_feedback=int(row.supervisors_feedback * share),
                )
            )
    AdoptionFigures.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
