"""Survei Kepuasan Masyarakat (SKM), the community satisfaction survey (PermenPANRB 14/2017).

Every public service unit surveys its users at least once a year on 9 elements (unsur), each
answered on a 1–4 scale (:data:`UNSUR`). The regulation's formula (DOMAIN §3):

* NRR per unsur = sum of the answers to that unsur / number of answers to it;
* IKM = Σ NRR × 1/9 (printed as 0,111 in the regulation);
* IKM unit pelayanan (converted) = IKM × 25, range 25–100;
* mutu pelayanan A/B/C/D from the converted value (:func:`mutu`).

Project rules: the weight is exactly 1/9 (with 0,111 an all-4 survey would score 99,90), nothing is
rounded in between, and only the converted value is rounded, half up to 2 decimals. The intervals of
the mutu table are closed on the 2-decimal grid (88,31–100,00 A; 76,61–88,30 B; 65,00–76,60 C;
25,00–64,99 D).

Minimum sample: Krejcie & Morgan (:func:`min_sample`), as DOMAIN §3 prescribes. A result below it is
still shown, marked as not yet representative (:func:`is_representative`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kinerja.rules.enums import Mutu
from kinerja.rules.numbers import ensure_finite, round2, round_half_up, to_decimal

__all__ = [
    "ANSWER_MAX",
    "ANSWER_MIN",
    "CONVERSION_FACTOR",
    "KM_CHI_SQUARE",
    "KM_MARGIN_OF_ERROR",
    "KM_PROPORTION",
    "MUTU_FROM",
    "UNSUR",
    "IkmResult",
    "Mutu",
    "Unsur",
    "ikm",
    "ikm_from_totals",
    "is_representative",
    "min_sample",
    "mutu",
    "weakest_unsur",
]

ANSWER_MIN, ANSWER_MAX = 1, 4
CONVERSION_FACTOR = 25
"""IKM unit pelayanan = IKM × 25 (PermenPANRB 14/2017)."""


@dataclass(frozen=True)
class Unsur:
    """One element of the survey: its code, its name, and the labels of answers 1, 2, 3 and 4."""

    code: str
    name: str
    labels: tuple[str, str, str, str]


UNSUR: tuple[Unsur, ...] = (
    Unsur("U1", "Persyaratan", ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    Unsur(
        "U2",
        "Sistem, Mekanisme, dan Prosedur",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    Unsur("U3", "Waktu Penyelesaian", ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    Unsur("U4", "Biaya/Tarif", ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    Unsur(
        "U5",
        "Produk Spesifikasi Jenis Pelayanan",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Unsur(
        "U6",
        "Kompetensi Pelaksana",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    Unsur(
        "U7",
        "Perilaku Pelaksana",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    Unsur(
        "U8",
        "Penanganan Pengaduan, Saran dan Masukan",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
    Unsur("U9", "Sarana dan Prasarana", ("Buruk", "Cukup", "Baik", "Sangat Baik")),
)
"""The 9 unsur of PermenPANRB 14/2017, in questionnaire order (DOMAIN §3)."""

_UNSUR_COUNT = len(UNSUR)

# Lower bound of each mutu on the 2-decimal grid, best first (DOMAIN §3, project rule).
MUTU_FROM: tuple[tuple[Decimal, Mutu], ...] = (
    (Decimal("88.31"), Mutu.A),
    (Decimal("76.61"), Mutu.B),
    (Decimal("65.00"), Mutu.C),
    (Decimal("25.00"), Mutu.D),
)
_CONVERTED_MIN, _CONVERTED_MAX = Decimal("25.00"), Decimal("100.00")


def mutu(converted: Decimal) -> Mutu:
    """Mutu pelayanan of a converted IKM (PermenPANRB 14/2017; DOMAIN §3, project rule).

    Classified on ``converted`` rounded half up to 2 decimals: 88.31–100.00 A; 76.61–88.30 B;
    65.00–76.60 C; 25.00–64.99 D. A value that rounds outside [25.00, 100.00] raises ``ValueError``.
    """
    value = round2(ensure_finite("Nilai IKM", converted))
    if not _CONVERTED_MIN <= value <= _CONVERTED_MAX:
        raise ValueError(f"Nilai IKM konversi harus antara 25,00 dan 100,00 (tertulis {value}).")
    return next(grade for lower, grade in MUTU_FROM if value >= lower)


@dataclass(frozen=True)
class IkmResult:
    """The index of one survey (PermenPANRB 14/2017; DOMAIN §3).

    * ``respondents`` — number of questionnaires.
    * ``answers`` — number of answers per unsur (U1..U9).
    * ``nrr`` — nilai rata-rata per unsur (U1..U9), ``None`` for an unsur nobody answered. Exact
      fractions shown with 28 significant digits, not rounded to the display.
    * ``index`` — IKM = Σ NRR × 1/9 (unconverted, same precision).
    * ``converted`` — IKM × 25, rounded half up to 2 decimals from the exact value.
    * ``mutu`` and ``label`` — the grade and its label (e.g. ``Mutu.A``, ``"Sangat Baik"``).

    Project rule for missing data: the IKM is defined only when every unsur has at least one answer,
    because the regulation weighs all 9 unsur equally and reweighting fewer unsur would be another
    index. Otherwise — in particular for an empty survey (``respondents == 0``) — ``index``,
    ``converted``, ``mutu`` and ``label`` are ``None`` (see :attr:`is_complete`), while the ``nrr``
    of the answered unsur are still reported. Nothing raises, so a survey that has just opened can
    be displayed.
    """

    respondents: int
    answers: tuple[int, ...]
    nrr: tuple[Decimal | None, ...]
    index: Decimal | None
    converted: Decimal | None
    mutu: Mutu | None
    label: str | None

    @property
    def is_complete(self) -> bool:
        """Whether every unsur has at least one answer, so that the IKM is defined."""
        return self.index is not None


def _check_nine(name: str, values: Sequence[int]) -> None:
    if len(values) != _UNSUR_COUNT:
        raise ValueError(
            f"{name} harus berisi {_UNSUR_COUNT} nilai (U1–U9), tertulis {len(values)}."
        )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def ikm_from_totals(
    sums: Sequence[int], counts: Sequence[int], respondents: int | None = None
) -> IkmResult:
    """The IKM from aggregated answers (PermenPANRB 14/2017; DOMAIN §3 project rules).

    ``sums[i]`` and ``counts[i]`` are the sum and the number of answers to unsur U(i+1), as a SQL
    ``SUM``/``COUNT`` returns them. ``respondents`` defaults to the largest count (a respondent may
    skip an unsur). Exact arithmetic with weight 1/9; only ``converted`` is rounded (half up, 2
    decimals). Inconsistent totals raise ``ValueError``: each sum must lie between 1 × and 4 × its
    count, and ``respondents`` must be at least every count. See :class:`IkmResult` for unsur
    without answers.
    """
    _check_nine("Jumlah nilai per unsur", sums)
    _check_nine("Jumlah jawaban per unsur", counts)
    for unsur, total, count in zip(UNSUR, sums, counts, strict=True):
        if not (_is_int(total) and _is_int(count)) or count < 0:
            raise ValueError(f"Jumlah nilai dan jawaban {unsur.code} harus bilangan bulat ≥ 0.")
        if not ANSWER_MIN * count <= total <= ANSWER_MAX * count:
            raise ValueError(
                f"Jumlah nilai {unsur.code} ({total}) tidak mungkin untuk {count} jawaban "
                f"bernilai {ANSWER_MIN}–{ANSWER_MAX}."
            )
    most_answers = max(counts)
    if respondents is None:
        respondents = most_answers
    elif not _is_int(respondents) or respondents < most_answers:
        raise ValueError(
            f"Jumlah responden ({respondents}) tidak boleh kurang dari jumlah jawaban terbanyak "
            f"pada satu unsur ({most_answers})."
        )

    exact_nrr = [
        Fraction(total, count) if count else None for total, count in zip(sums, counts, strict=True)
    ]
    nrr = tuple(None if value is None else to_decimal(value) for value in exact_nrr)
    answered = [value for value in exact_nrr if value is not None]
    if len(answered) < _UNSUR_COUNT:
        return IkmResult(respondents, tuple(counts), nrr, None, None, None, None)

    exact_index = sum(answered, Fraction(0)) / _UNSUR_COUNT
    converted = round_half_up(exact_index * CONVERSION_FACTOR, 2)
    grade = mutu(converted)
    return IkmResult(
        respondents=respondents,
        answers=tuple(counts),
        nrr=nrr,
        index=to_decimal(exact_index),
        converted=converted,
        mutu=grade,
        label=grade.label,
    )


def ikm(responses: Iterable[Sequence[int | None]]) -> IkmResult:
    """The IKM from individual questionnaires (PermenPANRB 14/2017; DOMAIN §3 project rules).

    Each response holds the answers to U1..U9, each 1–4 or ``None`` when not answered; every
    response counts as a respondent, even one that answered nothing. A response of another length
    or an answer outside 1–4 raises ``ValueError``. Same result as :func:`ikm_from_totals` on the
    totals of the same data.
    """
    sums = [0] * _UNSUR_COUNT
    counts = [0] * _UNSUR_COUNT
    respondents = 0
    for number, response in enumerate(responses, start=1):
        if len(response) != _UNSUR_COUNT:
            raise ValueError(
                f"Responden ke-{number}: jawaban harus {_UNSUR_COUNT} unsur (U1–U9), "
                f"tertulis {len(response)}."
            )
        for i, answer in enumerate(response):
            if answer is None:
                continue
            if not _is_int(answer) or not ANSWER_MIN <= answer <= ANSWER_MAX:
                raise ValueError(
                    f"Responden ke-{number}, {UNSUR[i].code}: jawaban harus "
                    f"{ANSWER_MIN}–{ANSWER_MAX} (tertulis {answer!r})."
                )
            sums[i] += answer
            counts[i] += 1
        respondents = number
    return ikm_from_totals(sums, counts, respondents)


def weakest_unsur(result: IkmResult) -> str | None:
    """Code of the unsur with the lowest NRR (e.g. ``"U3"``), the first one on a tie; ``None`` when
    no unsur was answered. The unsur to improve first (PermenPANRB 14/2017, tindak lanjut)."""
    scored = [
        (value, unsur.code)
        for unsur, value in zip(UNSUR, result.nrr, strict=True)
        if value is not None
    ]
    if not scored:
        return None
    return min(scored, key=lambda pair: pair[0])[1]


KM_CHI_SQUARE = Decimal("3.841")
KM_PROPORTION = Decimal("0.5")
KM_MARGIN_OF_ERROR = Decimal("0.05")


def min_sample(population: int) -> int:
    """Minimum number of respondents, Krejcie & Morgan (1970), as DOMAIN §3 prescribes:

    s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)), χ² = 3.841, P = 0.5, d = 0.05,

    computed exactly from these decimal constants and rounded half up to an integer.
    N = 100 → 80; N = 1000 → 278; N = 10000 → 370; N = 0 → 0. Negative N raises ``ValueError``.
    """
    if not _is_int(population) or population < 0:
        raise ValueError(f"Populasi harus bilangan bulat ≥ 0 (tertulis {population!r}).")
    chi2, p, d = Fraction(KM_CHI_SQUARE), Fraction(KM_PROPORTION), Fraction(KM_MARGIN_OF_ERROR)
    variance = chi2 * p * (1 - p)
    sample = variance * population / (d * d * (population - 1) + variance)
    return int(round_half_up(sample, 0))


def is_representative(respondents: int, population: int) -> bool:
    """Whether a survey reached the Krejcie & Morgan minimum sample (DOMAIN §3). A result below it
    is still shown, marked as not yet representative."""
    if not _is_int(respondents) or respondents < 0:
        raise ValueError(f"Jumlah responden harus bilangan bulat ≥ 0 (tertulis {respondents!r}).")
    return respondents >= min_sample(population)
