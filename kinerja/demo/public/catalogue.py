"""The demo's public services: which services each public-facing unit offers, how many
questionnaires they get a year and how their users rate them, and the working days they are
visited on."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from kinerja.organisation.models import Unit


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


def _workdays(rng: random.Random, start: date, end: date, count: int) -> list[date]:
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    weights = [0 if d.weekday() == 6 else 0.35 if d.weekday() == 5 else 1.0 for d in days]
    return rng.choices(days, weights=weights, k=count)


def _aware(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
