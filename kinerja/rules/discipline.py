"""Disciplinary punishment for unexcused absence (PP 94/2021 tentang Disiplin PNS).

Levels (Pasal 8): ringan — teguran lisan, teguran tertulis, pernyataan tidak puas secara tertulis;
sedang — pemotongan tunjangan kinerja 25% for 6, 9 or 12 months; berat — penurunan jabatan setingkat
lebih rendah for 12 months, pembebasan dari jabatan menjadi jabatan pelaksana for 12 months,
pemberhentian dengan hormat tidak atas permintaan sendiri (PDH-TAPS).

Unexcused absence (tidak masuk kerja tanpa alasan yang sah), cumulative working days in one year
(Pasal 9–11; DOMAIN §5): 3 → teguran lisan; 4–6 → teguran tertulis; 7–10 → pernyataan tidak puas;
11–13 → cut 25% for 6 months; 14–16 → 9 months; 17–20 → 12 months; 21–24 → demotion 12 months;
25–27 → release to pelaksana 12 months; ≥ 28 → PDH-TAPS. 10 consecutive working days → PDH-TAPS.

The system recommends; an authorised official (pejabat yang berwenang menghukum) decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

__all__ = [
    "ABSENCE_SCALE",
    "CONSECUTIVE_DAYS_FOR_DISMISSAL",
    "PDH_TAPS",
    "PEMBEBASAN_JABATAN",
    "PENURUNAN_JABATAN",
    "PERNYATAAN_TIDAK_PUAS",
    "POTONGAN_TPP_6_BULAN",
    "POTONGAN_TPP_9_BULAN",
    "POTONGAN_TPP_12_BULAN",
    "TEGURAN_LISAN",
    "TEGURAN_TERTULIS",
    "Level",
    "Punishment",
    "absence_punishment",
]

Level = Literal["ringan", "sedang", "berat"]


@dataclass(frozen=True)
class Punishment:
    """A disciplinary punishment of PP 94/2021 Pasal 8.

    ``kind`` is a stable identifier, one per punishment; ``tpp_cut_percent`` is the cut of the
    performance allowance while it runs (25 for the sedang punishments, else 0); ``months`` its
    duration, ``None`` when it has none (teguran, dismissal).
    """

    level: Level
    kind: str
    label: str
    tpp_cut_percent: Decimal = Decimal(0)
    months: int | None = None


_TPP_CUT = Decimal(25)


def _tpp_cut(months: int) -> Punishment:
    return Punishment(
        "sedang",
        f"potongan_tpp_{months}_bulan",
        f"Pemotongan tunjangan kinerja sebesar {_TPP_CUT}% selama {months} bulan",
        _TPP_CUT,
        months,
    )


TEGURAN_LISAN = Punishment("ringan", "teguran_lisan", "Teguran lisan")
TEGURAN_TERTULIS = Punishment("ringan", "teguran_tertulis", "Teguran tertulis")
PERNYATAAN_TIDAK_PUAS = Punishment(
    "ringan", "pernyataan_tidak_puas", "Pernyataan tidak puas secara tertulis"
)
POTONGAN_TPP_6_BULAN = _tpp_cut(6)
POTONGAN_TPP_9_BULAN = _tpp_cut(9)
POTONGAN_TPP_12_BULAN = _tpp_cut(12)
PENURUNAN_JABATAN = Punishment(
    "berat",
    "penurunan_jabatan_12_bulan",
    "Penurunan jabatan setingkat lebih rendah selama 12 bulan",
    months=12,
)
PEMBEBASAN_JABATAN = Punishment(
    "berat",
    "pembebasan_jabatan_12_bulan",
    "Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 bulan",
    months=12,
)
PDH_TAPS = Punishment(
    "berat",
    "pdh_taps",
    "Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS",
)

ABSENCE_SCALE: tuple[tuple[int, Punishment], ...] = (
    (3, TEGURAN_LISAN),
    (4, TEGURAN_TERTULIS),
    (7, PERNYATAAN_TIDAK_PUAS),
    (11, POTONGAN_TPP_6_BULAN),
    (14, POTONGAN_TPP_9_BULAN),
    (17, POTONGAN_TPP_12_BULAN),
    (21, PENURUNAN_JABATAN),
    (25, PEMBEBASAN_JABATAN),
    (28, PDH_TAPS),
)
"""(from this many cumulative days of unexcused absence in a year, punishment), mildest first
(PP 94/2021 Pasal 9–11)."""

CONSECUTIVE_DAYS_FOR_DISMISSAL = 10
"""10 consecutive working days of unexcused absence → PDH-TAPS (PP 94/2021 Pasal 11)."""


def absence_punishment(cumulative_days: int, longest_consecutive: int) -> Punishment | None:
    """Recommended punishment for unexcused absence in one year (PP 94/2021 Pasal 9–11; DOMAIN §5).

    ``cumulative_days`` counts the working days of unexcused absence in the year;
    ``longest_consecutive`` the longest run of consecutive such days. Fewer than 3 days → ``None``;
    then the scale of :data:`ABSENCE_SCALE`; 10 or more consecutive days → PDH-TAPS whatever the
    total. Negative values, or a run longer than the total, raise ``ValueError``.
    """
    for name, value in (
        ("Jumlah hari", cumulative_days),
        ("Hari berturut-turut", longest_consecutive),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(
                f"{name} tidak masuk kerja harus bilangan bulat ≥ 0 (tertulis {value!r})."
            )
    if longest_consecutive > cumulative_days:
        raise ValueError(
            f"Hari berturut-turut ({longest_consecutive}) tidak boleh melebihi jumlah hari tidak "
            f"masuk kerja ({cumulative_days})."
        )
    if longest_consecutive >= CONSECUTIVE_DAYS_FOR_DISMISSAL:
        return PDH_TAPS
    punishment = None
    for from_days, candidate in ABSENCE_SCALE:
        if cumulative_days >= from_days:
            punishment = candidate
    return punishment
