"""Performance assessment of a civil servant (PermenPANRB 6/2022; PP 30/2019).

* :func:`capaian` and :func:`indicator_status` — the project rule on achievement per indicator
  (DOMAIN §1): the SAKIP formula for both polarities, no upper cap, and status bands that echo
  PP 30/2019 Pasal 41 (≥ 110 di atas, 90–<110 sesuai, < 90 di bawah), configurable via
  :class:`StatusBands`.
* :func:`suggest_hasil_kerja` and :func:`suggest_perilaku` — the suggested ratings, following the
  descriptors of PermenPANRB 6/2022 ("sebagian besar/seluruh ..."). The system only suggests; the
  pejabat penilai decides.
* :func:`suggest_annual_perilaku` — the annual rating perilaku from the year's finalised periodic
  ratings (project rule "annual from periodic", DOMAIN §1).
* :func:`predikat` — the 3×3 matrix of PermenPANRB 6/2022 that turns rating hasil kerja and rating
  perilaku kerja into the predikat kinerja pegawai.
* :func:`unit_rating` and :func:`suggest_org_predikat` — organisation performance (SE MenPANRB
  3/2023): the head's rating hasil kerja from the organisation's predikat, and the suggested
  organisation predikat from its capaian (project rules).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from kinerja.rules.enums import OrgPredikat, Polarity, Predikat, Rating
from kinerja.rules.numbers import ValueMemo, ensure_finite, round2, to_decimal

__all__ = [
    "DEFAULT_BANDS",
    "DEFAULT_ORG_BANDS",
    "PREDIKAT_MATRIX",
    "ZERO_TARGET_ERROR",
    "OrgBands",
    "OrgPredikat",
    "Polarity",
    "Predikat",
    "Rating",
    "StatusBands",
    "capaian",
    "indicator_status",
    "predikat",
    "round2",
    "suggest_annual_perilaku",
    "suggest_hasil_kerja",
    "suggest_org_predikat",
    "suggest_perilaku",
    "target_allowed",
    "unit_rating",
]

_HUNDRED = Fraction(100)


ZERO_TARGET_ERROR = (
    "Target 0 tidak dapat dipakai untuk indikator 'semakin tinggi semakin baik'; "
    "isi target lebih dari 0."
)


def target_allowed(target: Decimal, polarity: Polarity | str) -> bool:
    """The zero-target rule (DOMAIN §1): a target of 0 is valid only for a lower-is-better
    indicator ("zero maternal deaths"); a higher-is-better indicator needs a target above 0.
    A negative target is never valid. The database holds the same rule as a check constraint
    on the indicator (kinerja.performance.models)."""
    if target < 0:
        return False
    return target > 0 or Polarity(polarity) is Polarity.LOWER_IS_BETTER


def capaian(
    target: Decimal, realisasi: Decimal, polarity: Polarity, twelfths: int | None = None
) -> Decimal:
    """Achievement of one indicator, in percent (DOMAIN §1, project rule; SAKIP convention).

    With ``twelfths`` (1–12) the target compared is exactly ``target × twelfths / 12``, the
    share of the year of a pro-rated sum (kinerja.rules.realisation.target_basis): no
    intermediate rounding, so a realisation of exactly 90 % of such a share is 90, not 89.99….

    * higher is better: ``realisasi / target × 100``;
    * lower is better (e.g. response time): ``(2 × target − realisasi) / target × 100``,
      floored at 0;
    * zero target: lower is better → 100 when ``realisasi`` is 0, else 0 ("zero maternal deaths");
      higher is better → ``ValueError`` (a zero target cannot be exceeded meaningfully).

    There is no upper cap: over-achievement stays visible (capaian 150 is returned as 150).
    The value is exact up to 28 significant digits and is not rounded; use :func:`round2` to show
    it. Negative or non-finite inputs raise ``ValueError``.
    """
    polarity = Polarity(polarity)
    target, realisasi = ensure_finite("Target", target), ensure_finite("Realisasi", realisasi)
    if twelfths is not None and not 1 <= twelfths <= 12:
        raise ValueError("Bagian tahun harus 1–12 bulan.")
    share = 12 if twelfths is None else twelfths
    key = (target, realisasi, polarity.value, share)  # plain values: see ValueMemo
    return _CAPAIAN.value_of(key, _capaian, target, realisasi, polarity, share)


# The result depends only on the numeric values (it is built from exact fractions), so
# memoising by value is exact: Decimal("2.0") and Decimal("2") are one key and give the same
# result. A monthly rebuild meets the same (target, realisation) pairs many times (84 % of the
# calls at 10,000 employees); errors are raised every time (only returned values are kept).
_CAPAIAN: ValueMemo[Decimal] = ValueMemo(1 << 16)


def _capaian(target: Decimal, realisasi: Decimal, polarity: Polarity, twelfths: int) -> Decimal:
    """:func:`capaian` of finite inputs, computed."""
    if target < 0:
        raise ValueError(f"Target tidak boleh negatif (tertulis {target}).")
    if realisasi < 0:
        raise ValueError(f"Realisasi tidak boleh negatif (tertulis {realisasi}).")

    if target == 0:
        if not target_allowed(target, polarity):
            raise ValueError(ZERO_TARGET_ERROR)
        return Decimal(100) if realisasi == 0 else Decimal(0)

    t, r = Fraction(target) * twelfths / 12, Fraction(realisasi)
    if polarity is Polarity.HIGHER_IS_BETTER:
        percent = r / t * _HUNDRED
    else:
        percent = max(Fraction(0), (2 * t - r) / t * _HUNDRED)
    return to_decimal(percent)


@dataclass(frozen=True)
class StatusBands:
    """Thresholds of the indicator status, in percent of capaian (DOMAIN §1; PP 30/2019 Pasal 41).

    ``capaian >= di_atas_from`` → di atas; ``sesuai_from <= capaian < di_atas_from`` → sesuai;
    ``capaian < sesuai_from`` → di bawah. A regency may configure other values.
    """

    di_atas_from: Decimal = Decimal(110)
    sesuai_from: Decimal = Decimal(90)

    def __post_init__(self) -> None:
        ensure_finite("Batas di atas ekspektasi", self.di_atas_from)
        ensure_finite("Batas sesuai ekspektasi", self.sesuai_from)
        if self.sesuai_from > self.di_atas_from:
            raise ValueError(
                "Batas 'sesuai ekspektasi' tidak boleh lebih besar dari batas 'di atas ekspektasi'."
            )


DEFAULT_BANDS = StatusBands()


def indicator_status(capaian: Decimal, bands: StatusBands = DEFAULT_BANDS) -> Rating:
    """Status of one indicator from its capaian (DOMAIN §1, project rule; the bands echo
    PP 30/2019 Pasal 41). With the default bands: ≥ 110 → di atas; 90 ≤ capaian < 110 → sesuai;
    < 90 → di bawah.
    """
    ensure_finite("Capaian", capaian)
    if capaian >= bands.di_atas_from:
        return Rating.DI_ATAS
    if capaian >= bands.sesuai_from:
        return Rating.SESUAI
    return Rating.DI_BAWAH


def _more_than_half(part: int, whole: int) -> bool:
    return 2 * part > whole


def _majority_rating(ratings: Iterable[Rating], *, di_atas_allowed: bool = True) -> Rating:
    """The majority rule shared by both suggestions: more than half di bawah → di bawah; more than
    half di atas (and ``di_atas_allowed``) → di atas; otherwise sesuai. Callers reject empty input.
    """
    tally = Counter(ratings)
    total = tally.total()
    if _more_than_half(tally[Rating.DI_BAWAH], total):
        return Rating.DI_BAWAH
    if di_atas_allowed and _more_than_half(tally[Rating.DI_ATAS], total):
        return Rating.DI_ATAS
    return Rating.SESUAI


def suggest_hasil_kerja(items: Sequence[tuple[Rating, bool]]) -> Rating:
    """Suggested rating hasil kerja from the indicator statuses (DOMAIN §1, project rule after the
    descriptors of PermenPANRB 6/2022).

    ``items`` holds ``(status, is_utama)`` per indicator. Di Bawah if more than half of the
    indicators are di bawah; Di Atas if more than half are di atas and no Utama indicator is di
    bawah; otherwise Sesuai. "More than half" is strict: 2 of 4 is not a majority.

    An empty list raises ``ValueError``: an SKP without indicators has nothing to suggest, and a
    silent "Sesuai" would look like a judgement.
    """
    if not items:
        raise ValueError(
            "Tidak ada indikator kinerja untuk dinilai: saran rating hasil kerja kosong."
        )
    statuses = [(Rating(status), is_utama) for status, is_utama in items]
    utama_di_bawah = any(status is Rating.DI_BAWAH and is_utama for status, is_utama in statuses)
    return _majority_rating((status for status, _ in statuses), di_atas_allowed=not utama_di_bawah)


def suggest_perilaku(ratings: Sequence[Rating]) -> Rating:
    """Suggested rating perilaku kerja from the ratings of the BerAKHLAK values (DOMAIN §1, project
    rule; PermenPANRB 6/2022): more than half di bawah → Di Bawah; more than half di atas → Di Atas;
    otherwise Sesuai.

    An empty list raises ``ValueError`` (no value was rated, so nothing can be suggested).
    """
    if not ratings:
        raise ValueError(
            "Tidak ada nilai perilaku kerja yang dinilai: saran rating perilaku kosong."
        )
    return _majority_rating(Rating(rating) for rating in ratings)


def suggest_annual_perilaku(periodic: Sequence[Rating]) -> Rating:
    """Suggested annual rating perilaku kerja from the year's finalised periodic ratings
    (DOMAIN §1, project rule "annual from periodic"; PermenPANRB 6/2022: the annual evaluation
    rests on the periodic ones).

    ``periodic`` holds the rating perilaku of each finalised period of the year **in
    chronological order** (Triwulan I first). The suggestion is the rating given most often; a
    tie goes to the latest period among the tied ratings: ``[Di Atas, Sesuai]`` → Sesuai;
    ``[Sesuai, Di Atas, Di Atas, Sesuai]`` → Sesuai; ``[Di Atas, Di Atas, Sesuai, Di Bawah]`` →
    Di Atas. The same rule serves for one BerAKHLAK value over the periods.

    An empty list raises ``ValueError``: with no finalised period there is nothing to rest on,
    and the caller falls back to the rule for a period (:func:`suggest_perilaku`).
    """
    if not periodic:
        raise ValueError(
            "Belum ada penilaian periodik final pada tahun ini: saran rating tahunan kosong."
        )
    ratings = [Rating(rating) for rating in periodic]
    tally = Counter(ratings)
    most = max(tally.values())
    return next(rating for rating in reversed(ratings) if tally[rating] == most)


PREDIKAT_MATRIX: Mapping[tuple[Rating, Rating], Predikat] = MappingProxyType(
    {
        # (rating hasil kerja, rating perilaku kerja): predikat — PermenPANRB 6/2022
        (Rating.DI_ATAS, Rating.DI_BAWAH): Predikat.KURANG,
        (Rating.DI_ATAS, Rating.SESUAI): Predikat.BAIK,
        (Rating.DI_ATAS, Rating.DI_ATAS): Predikat.SANGAT_BAIK,
        (Rating.SESUAI, Rating.DI_BAWAH): Predikat.KURANG,
        (Rating.SESUAI, Rating.SESUAI): Predikat.BAIK,
        (Rating.SESUAI, Rating.DI_ATAS): Predikat.BAIK,
        (Rating.DI_BAWAH, Rating.DI_BAWAH): Predikat.SANGAT_KURANG,
        (Rating.DI_BAWAH, Rating.SESUAI): Predikat.BUTUH_PERBAIKAN,
        (Rating.DI_BAWAH, Rating.DI_ATAS): Predikat.BUTUH_PERBAIKAN,
    }
)
"""The predikat matrix (rows: rating hasil kerja; columns: rating perilaku kerja)."""


def predikat(hasil: Rating, perilaku: Rating) -> Predikat:
    """Predikat kinerja pegawai from the two ratings, by the 3×3 matrix of PermenPANRB 6/2022
    (rows: rating hasil kerja; columns: rating perilaku kerja)::

        hasil / perilaku   | Di Bawah           | Sesuai          | Di Atas
        Di Atas            | Kurang/Misconduct  | Baik            | Sangat Baik
        Sesuai             | Kurang/Misconduct  | Baik            | Baik
        Di Bawah           | Sangat Kurang      | Butuh Perbaikan | Butuh Perbaikan
    """
    return PREDIKAT_MATRIX[(Rating(hasil), Rating(perilaku))]


# --- Organisation performance (SE MenPANRB 3/2023) -------------------------------------------

_UNIT_RATING: Mapping[OrgPredikat, Rating] = MappingProxyType(
    {
        OrgPredikat.ISTIMEWA: Rating.DI_ATAS,
        OrgPredikat.BAIK: Rating.SESUAI,
        OrgPredikat.BUTUH_PERBAIKAN: Rating.DI_BAWAH,
        OrgPredikat.KURANG: Rating.DI_BAWAH,
        OrgPredikat.SANGAT_KURANG: Rating.DI_BAWAH,
    }
)


def unit_rating(org: OrgPredikat) -> Rating:
    """The rating hasil kerja of the head of an organisation, from its predikat (SE MenPANRB
    3/2023: the head's rating hasil kerja is the unit's own performance).

    Project rule: Istimewa → Di Atas Ekspektasi; Baik → Sesuai Ekspektasi; Butuh Perbaikan,
    Kurang and Sangat Kurang → Di Bawah Ekspektasi.
    """
    return _UNIT_RATING[OrgPredikat(org)]


@dataclass(frozen=True)
class OrgBands:
    """Lower bounds (percent of capaian) of the suggested organisation predikat (project rule
    echoing PP 30/2019 Pasal 41: ≥ 110 Istimewa, 90–<110 Baik, 70–<90 Butuh Perbaikan (Cukup),
    50–<70 Kurang, < 50 Sangat Kurang). A regency may configure other values."""

    istimewa_from: Decimal = Decimal(110)
    baik_from: Decimal = Decimal(90)
    butuh_perbaikan_from: Decimal = Decimal(70)
    kurang_from: Decimal = Decimal(50)

    def __post_init__(self) -> None:
        ordered = [self.kurang_from, self.butuh_perbaikan_from, self.baik_from, self.istimewa_from]
        for value in ordered:
            ensure_finite("Batas predikat organisasi", value)
        if ordered != sorted(ordered):
            raise ValueError(
                "Batas predikat organisasi harus naik: Kurang < Cukup < Baik < Istimewa."
            )


DEFAULT_ORG_BANDS = OrgBands()


def suggest_org_predikat(capaian: Decimal, bands: OrgBands = DEFAULT_ORG_BANDS) -> OrgPredikat:
    """Suggested predikat kinerja organisasi from the organisation's capaian (project rule; bands
    after PP 30/2019 Pasal 41). The official above the organisation decides."""
    ensure_finite("Capaian organisasi", capaian)
    if capaian >= bands.istimewa_from:
        return OrgPredikat.ISTIMEWA
    if capaian >= bands.baik_from:
        return OrgPredikat.BAIK
    if capaian >= bands.butuh_perbaikan_from:
        return OrgPredikat.BUTUH_PERBAIKAN
    if capaian >= bands.kurang_from:
        return OrgPredikat.KURANG
    return OrgPredikat.SANGAT_KURANG
