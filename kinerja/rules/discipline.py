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

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import Literal

from kinerja.rules.workdays import add_working_days

__all__ = [
    "ABSENCE_SCALE",
    "CONSECUTIVE_DAYS_FOR_DISMISSAL",
    "DEFAULT_ATTENDANCE",
    "PDH_TAPS",
    "PEMBEBASAN_JABATAN",
    "PENURUNAN_JABATAN",
    "PERNYATAAN_TIDAK_PUAS",
    "POTONGAN_TPP_6_BULAN",
    "POTONGAN_TPP_9_BULAN",
    "POTONGAN_TPP_12_BULAN",
    "PUNISHMENTS",
    "TEGURAN_LISAN",
    "TEGURAN_TERTULIS",
    "AttendanceConfig",
    "CutBand",
    "Level",
    "Punishment",
    "absence_punishment",
    "day_minutes",
    "discipline_factor",
    "longest_run",
    "punishment_by_kind",
    "punishment_months",
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
    ``longest_consecutive`` the longest run of consecutive such days ending in the year, which
    may have begun in the year before (Pasal 11 counts working days in a row, not within a year),
    and so may exceed the year's total. Fewer than 3 days → ``None``; then the scale of
    :data:`ABSENCE_SCALE`; 10 or more consecutive days → PDH-TAPS whatever the total. Negative
    values raise ``ValueError``.
    """
    for name, value in (
        ("Jumlah hari", cumulative_days),
        ("Hari berturut-turut", longest_consecutive),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(
                f"{name} tidak masuk kerja harus bilangan bulat ≥ 0 (tertulis {value!r})."
            )
    if longest_consecutive >= CONSECUTIVE_DAYS_FOR_DISMISSAL:
        return PDH_TAPS
    punishment = None
    for from_days, candidate in ABSENCE_SCALE:
        if cumulative_days >= from_days:
            punishment = candidate
    return punishment


def longest_run(
    days: Iterable[date], holidays: Collection[date] = (), *, ending_from: date | None = None
) -> int:
    """The longest run of consecutive working days among ``days``, the dates of unexcused
    absence in any order (PP 94/2021 Pasal 11: "10 hari kerja secara berturut-turut").

    A day continues the run when it comes no later than the first working day after the
    previous one, so a weekend, a holiday, a month's or a year's end in between does not break
    it; a working day that is not among ``days`` (present, on leave, or without a record) does.
    Every day given counts, a weekend or holiday too: an unexcused record on such a day means a
    scheduled shift was missed (a puskesmas, a hospital). With ``ending_from``, only runs whose
    last day is on or after it count (a year's runs, some begun the year before).
    """
    run = longest = 0
    previous: date | None = None
    for day in sorted(set(days)):
        follows = previous is not None and add_working_days(previous, 1, holidays) >= day
        run = run + 1 if follows else 1
        if ending_from is None or day >= ending_from:
            longest = max(longest, run)
        previous = day
    return longest


PUNISHMENTS: tuple[Punishment, ...] = (
    TEGURAN_LISAN,
    TEGURAN_TERTULIS,
    PERNYATAAN_TIDAK_PUAS,
    POTONGAN_TPP_6_BULAN,
    POTONGAN_TPP_9_BULAN,
    POTONGAN_TPP_12_BULAN,
    PENURUNAN_JABATAN,
    PEMBEBASAN_JABATAN,
    PDH_TAPS,
)
"""Every punishment of PP 94/2021 Pasal 8, mildest first."""


def punishment_by_kind(kind: str) -> Punishment:
    """The punishment whose ``kind`` is given; ``ValueError`` for an unknown kind."""
    for punishment in PUNISHMENTS:
        if punishment.kind == kind:
            return punishment
    raise ValueError(f"Jenis hukuman disiplin tidak dikenal: {kind!r}.")


def punishment_months(start: date, months: int) -> tuple[date, date]:
    """The months in which a punishment of ``months`` months runs (DOMAIN §6: a Sedang
    punishment cuts the TPP in every month of its effective period).

    Project rule: a punishment runs for ``months`` whole calendar months, starting with the month
    in which it takes effect (TMT), so a 6-month cut effective 15 March runs March–August.
    Returns (first day of the first month, last day of the last month).
    """
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ValueError(f"Lama hukuman harus bilangan bulat ≥ 1 bulan (tertulis {months!r}).")
    first = date(start.year, start.month, 1)
    index = start.year * 12 + start.month - 1 + months
    following = date(index // 12, index % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


@dataclass(frozen=True)
class CutBand:
    """A band of the TPP discipline deduction table: late arrivals or early departures of at
    most ``up_to_minutes`` minutes (``None``: any longer) cut ``percent`` percent each."""

    up_to_minutes: int | None
    percent: Decimal


_DEFAULT_BANDS = (
    CutBand(30, Decimal("0.5")),
    CutBand(60, Decimal(1)),
    CutBand(90, Decimal("1.25")),
    CutBand(None, Decimal("1.5")),
)


@dataclass(frozen=True)
class AttendanceConfig:
    """The regency's attendance deduction table (set by its Perbup; DOMAIN §5 project default).

    Per working day, as a percentage cut of the discipline part of the month's TPP: a late
    arrival or early departure is cut by the first band whose ``up_to_minutes`` it does not
    exceed (1–30 minutes 0.5%; 31–60 1%; 61–90 1.25%; more than 90 1.5%); a day without an
    attendance record by ``no_record_percent`` (1.5%); an unexcused absence by
    ``unexcused_percent`` (3%). ``work_start``/``work_end`` are the office hours against which
    the fingerprint times are measured.
    """

    bands: tuple[CutBand, ...] = field(default=_DEFAULT_BANDS)
    no_record_percent: Decimal = Decimal("1.5")
    unexcused_percent: Decimal = Decimal(3)
    work_start: time = time(7, 30)
    work_end: time = time(16, 0)

    def __post_init__(self) -> None:
        if not self.bands or self.bands[-1].up_to_minutes is not None:
            raise ValueError("Tabel potongan harus diakhiri pita tanpa batas atas.")
        previous = 0
        for band in self.bands:
            if band.percent < 0 or not band.percent.is_finite():
                raise ValueError(f"Persentase potongan tidak boleh negatif ({band.percent}).")
            if band.up_to_minutes is not None:
                if band.up_to_minutes <= previous:
                    raise ValueError("Batas menit pita potongan harus naik.")
                previous = band.up_to_minutes
        for name, value in (
            ("Potongan tanpa rekam kehadiran", self.no_record_percent),
            ("Potongan tidak masuk tanpa keterangan", self.unexcused_percent),
        ):
            if value < 0 or not value.is_finite():
                raise ValueError(f"{name} tidak boleh negatif ({value}).")
        if self.work_end <= self.work_start:
            raise ValueError("Jam pulang harus sesudah jam masuk.")

    def band_percent(self, minutes: int) -> Decimal:
        """The cut for one late arrival or early departure of ``minutes`` minutes (0 → 0)."""
        if minutes == 0:
            return Decimal(0)
        for band in self.bands:
            if band.up_to_minutes is None or minutes <= band.up_to_minutes:
                return band.percent
        raise AssertionError("unreachable: the last band has no upper bound")  # pragma: no cover


DEFAULT_ATTENDANCE = AttendanceConfig()

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} harus bilangan bulat ≥ 0 (tertulis {value!r}).")
    return value


def discipline_factor(
    *,
    late_minutes: Sequence[int],
    early_minutes: Sequence[int],
    missing_records: int,
    unexcused_days: int,
    config: AttendanceConfig = DEFAULT_ATTENDANCE,
) -> Decimal:
    """The month's TPP discipline factor in percent (DOMAIN §5), e.g. ``Decimal("97.50")``.

    100 minus: each late arrival and each early departure (minutes, one item per occurrence)
    cut by its band; each working day without an attendance record by the "no record" band; each
    unexcused day by its rate. Never below 0. An item of 0 minutes cuts nothing; days with a
    valid reason (leave, official duty, sickness with a letter) are simply not passed in.
    """
    cut = Decimal(0)
    for label, items in (("Menit terlambat", late_minutes), ("Menit pulang cepat", early_minutes)):
        for minutes in items:
            cut += config.band_percent(_count(label, minutes))
    cut += _count("Hari tanpa rekam kehadiran", missing_records) * config.no_record_percent
    cut += _count("Hari tidak masuk tanpa keterangan", unexcused_days) * config.unexcused_percent
    return max(_HUNDRED - cut, Decimal(0)).quantize(_CENT)


def day_minutes(
    check_in: time | None, check_out: time | None, config: AttendanceConfig = DEFAULT_ATTENDANCE
) -> tuple[int, int, bool]:
    """(minutes late, minutes left early, no record) of one working day that the employee was
    due at work (DOMAIN §5). A day missing the check-in or the check-out has no complete record:
    it is cut by the "no record" band and counts no minutes."""
    if check_in is None or check_out is None:
        return 0, 0, True

    def minutes(value: time) -> int:
        return value.hour * 60 + value.minute

    late = max(0, minutes(check_in) - minutes(config.work_start))
    early = max(0, minutes(config.work_end) - minutes(check_out))
    return late, early, False
