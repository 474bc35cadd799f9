"""Assessment periods: periodic (monthly, quarterly, semester) and annual (PermenPANRB 6/2022).

Project rule (DOMAIN §1): realisations are recorded monthly; the periodic evaluation is quarterly
by default (configurable: monthly / quarterly / semester); the annual evaluation closes the year.
The official forms name the quarters "Triwulan I/II/III/IV-Akhir".

A period is written as a short code that is safe in a URL: ``2026-T1`` (Triwulan I), ``2026-B03``
(Bulan Maret), ``2026-S2`` (Semester II), ``2026-TH`` (Tahunan). This is the one key format of
the system: the assessment periods, the survey's reporting periods (SKM, PermenPANRB 14/2017) and
the follow-up plans all store and link it. :func:`parse_period_key` also reads the survey pages'
earlier keys (``2026`` for the year, ``2026-11`` for a month), so old links keep working.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kinerja.rules.calendar import month_label

__all__ = [
    "Period",
    "Periodicity",
    "every_period_of_year",
    "parse_period",
    "parse_period_key",
    "periods_of_year",
]

_ROMAN = ("I", "II", "III", "IV")


class Periodicity(StrEnum):
    """How often the periodic evaluation runs (project rule; default quarterly)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMESTER = "semester"
    ANNUAL = "annual"


_SPAN = {
    Periodicity.MONTHLY: 1,
    Periodicity.QUARTERLY: 3,
    Periodicity.SEMESTER: 6,
    Periodicity.ANNUAL: 12,
}
_LETTER = {
    Periodicity.MONTHLY: "B",
    Periodicity.QUARTERLY: "T",
    Periodicity.SEMESTER: "S",
    Periodicity.ANNUAL: "TH",
}
_CODE = re.compile(r"^(?P<year>\d{4})-(?:(?P<annual>TH)|(?P<letter>[BTS])(?P<number>\d{1,2}))$")
# The survey pages' earlier keys: "2026" (the year) and "2026-11" (a month).
_LEGACY_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2}))?$")


@dataclass(frozen=True, order=True)
class Period:
    """One assessment period of a year (PermenPANRB 6/2022: periodik or tahunan)."""

    year: int
    kind: Periodicity
    number: int = 1

    def __post_init__(self) -> None:
        kind = Periodicity(self.kind)
        object.__setattr__(self, "kind", kind)
        if not 2000 <= self.year <= 2100:
            raise ValueError(f"Tahun periode tidak valid: {self.year}.")
        count = 12 // _SPAN[kind]
        if not 1 <= self.number <= count:
            raise ValueError(f"Nomor periode harus 1–{count} (tertulis {self.number}).")

    @classmethod
    def annual(cls, year: int) -> Period:
        """The annual period (tahunan) of ``year``."""
        return cls(year, Periodicity.ANNUAL)

    @property
    def is_annual(self) -> bool:
        return self.kind is Periodicity.ANNUAL

    @property
    def months(self) -> tuple[int, ...]:
        """The months (1–12) the period covers."""
        span = _SPAN[self.kind]
        first = (self.number - 1) * span + 1
        return tuple(range(first, first + span))

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        last = self.months[-1]
        if last == 12:
            return date(self.year, 12, 31)
        return date.fromordinal(date(self.year, last + 1, 1).toordinal() - 1)

    @property
    def code(self) -> str:
        """``2026-T1``, ``2026-B03``, ``2026-S2`` or ``2026-TH``."""
        if self.is_annual:
            return f"{self.year}-TH"
        width = 2 if self.kind is Periodicity.MONTHLY else 1
        return f"{self.year}-{_LETTER[self.kind]}{self.number:0{width}d}"

    @property
    def label(self) -> str:
        """The name on the official forms, e.g. ``"Triwulan I 2026"``, ``"Tahunan 2026"``."""
        if self.kind is Periodicity.QUARTERLY:
            name = "IV-Akhir" if self.number == 4 else _ROMAN[self.number - 1]
            return f"Triwulan {name} {self.year}"
        if self.kind is Periodicity.SEMESTER:
            return f"Semester {_ROMAN[self.number - 1]} {self.year}"
        if self.kind is Periodicity.MONTHLY:
            return month_label(self.year, self.number)
        return f"Tahunan {self.year}"

    @property
    def short_label(self) -> str:
        """The plain calendar name the citizens' pages use: ``"Tahun 2026"``, ``"Semester I
        2026"``, ``"Triwulan IV 2026"``, ``"Maret 2026"``."""
        if self.kind is Periodicity.QUARTERLY:
            return f"Triwulan {_ROMAN[self.number - 1]} {self.year}"
        if self.is_annual:
            return f"Tahun {self.year}"
        return self.label

    def has_ended(self, today: date) -> bool:
        """Whether the period is over on ``today`` (it can then be assessed)."""
        return today > self.end

    def __str__(self) -> str:
        return self.label


def parse_period(code: str) -> Period:
    """The period of a code (:attr:`Period.code`); ``ValueError`` for anything else."""
    match = _CODE.match(code or "")
    if not match:
        raise ValueError(f"Kode periode tidak dikenal: {code!r}.")
    year = int(match["year"])
    if match["annual"]:
        return Period(year, Periodicity.ANNUAL)
    kind = {v: k for k, v in _LETTER.items()}[match["letter"]]
    return Period(year, kind, int(match["number"]))


def periods_of_year(year: int, periodicity: Periodicity | str) -> list[Period]:
    """The periodic periods of a year for a periodicity, followed by the annual one."""
    kind = Periodicity(periodicity)
    count = 12 // _SPAN[kind]
    periodic = (
        [] if kind is Periodicity.ANNUAL else [Period(year, kind, n) for n in range(1, count + 1)]
    )
    return [*periodic, Period(year, Periodicity.ANNUAL)]


def parse_period_key(text: str) -> Period:
    """The period of a key typed into a page or carried by a link: a code
    (:attr:`Period.code`, any letter case, spaces around ignored) or an earlier survey key
    (``2026``, ``2026-11``). ``ValueError`` with an Indonesian message for anything else."""
    key = (text or "").strip().upper()
    legacy = _LEGACY_KEY.match(key)
    try:
        if legacy is None:
            return parse_period(key)
        year = int(legacy["year"])
        if legacy["month"] is None:
            return Period(year, Periodicity.ANNUAL)
        return Period(year, Periodicity.MONTHLY, int(legacy["month"]))
    except ValueError:
        raise ValueError(
            f"Periode '{text}' tidak dikenal; gunakan misalnya 2026-TH, 2026-S1, 2026-T4 atau "
            "2026-B11."
        ) from None


def every_period_of_year(year: int) -> list[Period]:
    """Every period of ``year`` for a period selector: the year first, then the semesters, the
    quarters and the months."""
    return [
        Period(year, Periodicity.ANNUAL),
        *(Period(year, Periodicity.SEMESTER, n) for n in (1, 2)),
        *(Period(year, Periodicity.QUARTERLY, n) for n in (1, 2, 3, 4)),
        *(Period(year, Periodicity.MONTHLY, n) for n in range(1, 13)),
    ]
