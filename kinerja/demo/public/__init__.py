"""Demo data of community participation for the Bukitintan regency (run by `seed_demo`).

Services for every public-facing unit; unless `--no-survey-data`: a year of questionnaires (from
1 January to today) with realistic differences between services (most A or B, a few C, with
their own weak unsur and a slow improvement where a follow-up plan exists), a few hundred
complaints in every state with their timelines, and forum topics with official answers.
Deterministic for a seed; written with bulk_create, the daily totals rebuilt in one pass.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.bulk import insert_rows
from kinerja.organisation.models import Unit, User
from kinerja.public import protection
from kinerja.public.choices import Channel, Education, Occupation, TimeSlot
from kinerja.public.models import (
    FollowUpPlan,
    KioskDevice,
    Service,
    ServicePopulation,
    SurveyResponse,
)
from kinerja.rules.periods import Period

from .catalogue import Spec, _aware, _workdays, specs_for
from .complaints import _complaints, _forum

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


# Rounding a normal draw and clamping it to 1–4 pulls the average down; this puts it back near
# the spec's mean.
CALIBRATION = 0.14


def _answer(rng: random.Random, mean: float) -> int:
    return min(4, max(1, round(rng.gauss(mean + CALIBRATION, 0.62))))


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
    # The database trigger adds them to the daily totals.
    insert_rows(SurveyResponse._meta.db_table, RESPONSE_COLUMNS, responses)
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
