"""What a predikat is worth: angka kredit (PerBKN 3/2023) and TPP (PP 12/2019 Pasal 58).

* :func:`angka_kredit` — credit points of a jabatan fungsional for one assessment period,
  PerBKN 3/2023: AK = percentage of the predikat × annual coefficient of the jenjang × months/12,
  rounded half up to 2 decimals (DOMAIN §1).
* :func:`tpp` — Tambahan Penghasilan Pegawai, the regency's performance allowance. PP 12/2019
  Pasal 58 leaves its shape to each regency's Perbup, so every weight and factor is configuration
  (:class:`TppConfig`); the defaults are the common shape of DOMAIN §6:
  TPP = base × (60% × performance factor + 40% × discipline factor) − disciplinary cut
  (25% during a Sedang punishment of PP 94/2021).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from kinerja.rules.enums import Predikat
from kinerja.rules.numbers import ensure_finite, round_half_up, to_decimal

__all__ = [
    "AK_PERCENT",
    "DEFAULT_PERFORMANCE_FACTORS",
    "DEFAULT_TPP",
    "JENJANG_COEFFICIENTS",
    "JENJANG_LABELS",
    "SATYALANCANA_YEARS",
    "Predikat",
    "TppBreakdown",
    "TppConfig",
    "angka_kredit",
    "satyalancana",
    "satyalancana_due_in",
    "service_months",
    "tpp",
]

AK_PERCENT: Mapping[Predikat, Decimal] = MappingProxyType(
    {
        Predikat.SANGAT_BAIK: Decimal(150),
        Predikat.BAIK: Decimal(100),
        Predikat.BUTUH_PERBAIKAN: Decimal(75),
        Predikat.KURANG: Decimal(50),
        Predikat.SANGAT_KURANG: Decimal(25),
    }
)
"""Percentage of the annual coefficient earned per predikat (PerBKN 3/2023)."""

JENJANG_COEFFICIENTS: Mapping[str, Decimal] = MappingProxyType(
    {
        "pemula": Decimal("3.75"),
        "terampil": Decimal(5),
        "mahir": Decimal("12.5"),
        "penyelia": Decimal(25),
        "ahli_pertama": Decimal("12.5"),
        "ahli_muda": Decimal(25),
        "ahli_madya": Decimal("37.5"),
        "ahli_utama": Decimal(50),
    }
)
"""Annual angka kredit coefficient per jenjang jabatan fungsional (PerBKN 3/2023)."""

JENJANG_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "pemula": "Pemula",
        "terampil": "Terampil",
        "mahir": "Mahir",
        "penyelia": "Penyelia",
        "ahli_pertama": "Ahli Pertama",
        "ahli_muda": "Ahli Muda",
        "ahli_madya": "Ahli Madya",
        "ahli_utama": "Ahli Utama",
    }
)

_MONTHS_PER_YEAR = 12


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def angka_kredit(predikat: Predikat, jenjang: str, months: int) -> Decimal:
    """Angka kredit earned in a period (PerBKN 3/2023; DOMAIN §1):
    percentage of the predikat × annual coefficient of the jenjang × months/12, rounded half up to
    2 decimals from the exact value.

    Percentages: Sangat Baik 150%, Baik 100%, Butuh Perbaikan 75%, Kurang 50%, Sangat Kurang 25%.
    ``jenjang`` is a key of :data:`JENJANG_COEFFICIENTS` (``"ahli_pertama"``, ...); ``months`` is
    1–12.
    Example: Ahli Pertama, Baik, 2 months → 2/12 × 100% × 12.5 = 2.0833… → 2.08.
    """
    coefficient = JENJANG_COEFFICIENTS.get(jenjang)
    if coefficient is None:
        known = ", ".join(JENJANG_COEFFICIENTS)
        raise ValueError(
            f"Jenjang jabatan fungsional tidak dikenal: {jenjang!r} (pilihan: {known})."
        )
    if not _is_int(months) or not 1 <= months <= _MONTHS_PER_YEAR:
        raise ValueError(f"Jumlah bulan penilaian harus 1–12 (tertulis {months!r}).")
    share = Fraction(AK_PERCENT[Predikat(predikat)]) / 100
    return round_half_up(share * Fraction(coefficient) * Fraction(months, _MONTHS_PER_YEAR), 2)


DEFAULT_PERFORMANCE_FACTORS: Mapping[Predikat, Decimal] = MappingProxyType(
    {
        Predikat.SANGAT_BAIK: Decimal("1.00"),
        Predikat.BAIK: Decimal("1.00"),
        Predikat.BUTUH_PERBAIKAN: Decimal("0.75"),
        Predikat.KURANG: Decimal("0.50"),
        Predikat.SANGAT_KURANG: Decimal("0.25"),
    }
)
"""Default TPP performance factor per predikat (DOMAIN §6)."""


def _check_fraction(name: str, value: Decimal, *, upper: Decimal | None = Decimal(1)) -> None:
    """Require a finite ``value`` ≥ 0 and, unless ``upper`` is None, ≤ ``upper``."""
    ensure_finite(name, value)
    if value < 0 or (upper is not None and value > upper):
        bound = f"0 dan {upper}" if upper is not None else "0 atau lebih"
        raise ValueError(f"{name} harus antara {bound} (tertulis {value}).")


@dataclass(frozen=True)
class TppConfig:
    """The regency's TPP formula (Perbup under PP 12/2019 Pasal 58), defaults of DOMAIN §6.

    Weights are fractions that must sum to 1 (0.60 performance + 0.40 discipline). Factors are
    fractions of the weight earned (``Decimal("1.00")`` = 100%), one per predikat, each ≥ 0.
    """

    performance_weight: Decimal = Decimal("0.60")
    discipline_weight: Decimal = Decimal("0.40")
    performance_factors: Mapping[Predikat, Decimal] = field(
        default_factory=lambda: DEFAULT_PERFORMANCE_FACTORS, hash=False
    )

    def __post_init__(self) -> None:
        _check_fraction("Bobot kinerja", self.performance_weight)
        _check_fraction("Bobot disiplin", self.discipline_weight)
        if self.performance_weight + self.discipline_weight != 1:
            raise ValueError(
                "Bobot kinerja dan bobot disiplin harus berjumlah 1 (100%) "
                f"(tertulis {self.performance_weight} + {self.discipline_weight})."
            )
        factors = {Predikat(key): value for key, value in self.performance_factors.items()}
        missing = [p.label for p in Predikat if p not in factors]
        if missing:
            raise ValueError(f"Faktor kinerja TPP belum diisi untuk: {', '.join(missing)}.")
        for predikat, factor in factors.items():
            _check_fraction(f"Faktor kinerja {predikat.label}", factor, upper=None)
        # Keep a read-only copy, so that the caller's dict cannot change a frozen config.
        object.__setattr__(self, "performance_factors", MappingProxyType(factors))


DEFAULT_TPP = TppConfig()


@dataclass(frozen=True)
class TppBreakdown:
    """Every step of a TPP computation, to be shown to the employee (DOMAIN §6).

    ``performance_part = base × performance_weight × performance_factor``;
    ``discipline_part = base × discipline_weight × discipline_factor``;
    ``gross = performance_part + discipline_part``; ``cut_amount = gross × cut_percent / 100``;
    ``total = gross − cut_amount`` rounded down to whole rupiah — the amount to pay. The other
    values are not rounded (exact up to 28 significant digits).
    """

    base: Decimal
    performance_weight: Decimal
    performance_factor: Decimal
    performance_part: Decimal
    discipline_weight: Decimal
    discipline_factor: Decimal
    discipline_part: Decimal
    gross: Decimal
    cut_percent: Decimal
    cut_amount: Decimal
    total: Decimal


def tpp(
    *,
    base: Decimal,
    predikat: Predikat,
    discipline_factor: Decimal,
    cut_percent: Decimal,
    config: TppConfig = DEFAULT_TPP,
) -> TppBreakdown:
    """TPP for one month (PP 12/2019 Pasal 58 via the regency's Perbup; DOMAIN §6):

    base × (performance weight × performance factor of ``predikat`` + discipline weight ×
    ``discipline_factor``), reduced by ``cut_percent`` percent (25 while a Sedang punishment of
    PP 94/2021 runs, see :attr:`kinerja.rules.discipline.Punishment.tpp_cut_percent`), paid in whole
    rupiah rounded down.

    ``base`` ≥ 0; ``discipline_factor`` in [0, 1] (``Decimal("0.90")`` = 90%); ``cut_percent`` in
    [0, 100]; otherwise ``ValueError``.
    """
    _check_fraction("Besaran dasar TPP", base, upper=None)
    _check_fraction("Faktor disiplin", discipline_factor)
    _check_fraction("Persentase potongan", cut_percent, upper=Decimal(100))

    performance_factor = config.performance_factors[Predikat(predikat)]
    exact_base = Fraction(base)
    performance_part = (
        exact_base * Fraction(config.performance_weight) * Fraction(performance_factor)
    )
    discipline_part = exact_base * Fraction(config.discipline_weight) * Fraction(discipline_factor)
    gross = performance_part + discipline_part
    cut_amount = gross * Fraction(cut_percent) / 100
    return TppBreakdown(
        base=base,
        performance_weight=config.performance_weight,
        performance_factor=performance_factor,
        performance_part=to_decimal(performance_part),
        discipline_weight=config.discipline_weight,
        discipline_factor=discipline_factor,
        discipline_part=to_decimal(discipline_part),
        gross=to_decimal(gross),
        cut_percent=cut_percent,
        cut_amount=to_decimal(cut_amount),
        total=Decimal(math.floor(gross - cut_amount)),
    )


SATYALANCANA_YEARS = (30, 20, 10)
"""Satyalancana Karya Satya classes, highest first: XXX gold, XX silver, X bronze
(UU 20/2009; PP 35/2010; DOMAIN §9)."""


def service_months(*, tmt_cpns: date, on: date) -> int:
    """Whole months of service on ``on``, counted from the first day of the TMT CPNS month
    (DOMAIN §9): the anniversary is reached on the first day of the same month, so ``on`` in the
    TMT month counts 0 and ``on`` before it a negative number."""
    return (on.year - tmt_cpns.year) * _MONTHS_PER_YEAR + on.month - tmt_cpns.month


def satyalancana(*, tmt_cpns: date, on: date, sedang_or_berat_punishment: bool) -> int | None:
    """The Satyalancana Karya Satya class (30, 20 or 10 years) a PNS has reached on ``on``
    (UU 20/2009; PP 35/2010; DOMAIN §9): the highest of 30, 20, 10 whose anniversary month has
    been reached, service counted from the first day of the TMT CPNS month; ``None`` below 10
    years or when the employee ever received a Sedang or Berat punishment in that service.

    Example: TMT CPNS 1 May 2016 → 10 years on 1 May 2026 (and on any day of May 2026), not on
    30 April 2026.
    """
    if sedang_or_berat_punishment:
        return None
    months = service_months(tmt_cpns=tmt_cpns, on=on)
    for years in SATYALANCANA_YEARS:
        if months >= years * _MONTHS_PER_YEAR:
            return years
    return None


def satyalancana_due_in(
    *, tmt_cpns: date, year: int, sedang_or_berat_punishment: bool
) -> int | None:
    """The class whose anniversary falls in ``year`` (exactly 10, 20 or 30 years of service
    reached that year), ``None`` otherwise: the candidates BKPSDM proposes that year (DOMAIN §9;
    the system lists, it never awards)."""
    if sedang_or_berat_punishment:
        return None
    reached = year * _MONTHS_PER_YEAR - (tmt_cpns.year * _MONTHS_PER_YEAR + tmt_cpns.month - 1)
    # The anniversary month of `years` years is TMT + 12·years months; it falls in `year` when
    # that month index lies in January..December of `year`.
    for years in SATYALANCANA_YEARS:
        months = years * _MONTHS_PER_YEAR
        if 0 <= months - reached < _MONTHS_PER_YEAR:
            return years
    return None
