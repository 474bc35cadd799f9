"""Reporting periods of the survey: a month, a quarter (triwulan), a semester or a year.

A period is written as a short key — "2026", "2026-S2", "2026-T4", "2026-11" — which the pages
carry in their query string and the report carries in its name.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ROMAN = ("I", "II", "III", "IV")
_KEY = re.compile(r"^(\d{4})(?:-(?:(S)([12])|(T)([1-4])|(\d{1,2})))?$")


@dataclass(frozen=True)
class Period:
    kind: str  # "year", "semester", "quarter", "month"
    year: int
    number: int = 1

    @property
    def months(self) -> range:
        span = {"year": 12, "semester": 6, "quarter": 3, "month": 1}[self.kind]
        first = (self.number - 1) * span + 1
        return range(first, first + span)

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        last = self.months[-1]
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def key(self) -> str:
        if self.kind == "year":
            return str(self.year)
        if self.kind == "semester":
            return f"{self.year}-S{self.number}"
        if self.kind == "quarter":
            return f"{self.year}-T{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"Tahun {self.year}"
        if self.kind == "semester":
            return f"Semester {ROMAN[self.number - 1]} {self.year}"
        if self.kind == "quarter":
            return f"Triwulan {ROMAN[self.number - 1]} {self.year}"
        return f"{MONTHS[self.number - 1]} {self.year}"

    @classmethod
    def parse(cls, key: str) -> Period:
        """The period of a key; ``ValueError`` with an Indonesian message when it is not one."""
        match = _KEY.match((key or "").strip().upper())
        if not match:
            raise ValueError(
                f"Periode '{key}' tidak dikenal; gunakan misalnya 2026, 2026-S1, 2026-T4 atau "
                "2026-11."
            )
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            raise ValueError(f"Tahun {year} di luar jangkauan.")
        if match.group(2):
            return cls("semester", year, int(match.group(3)))
        if match.group(4):
            return cls("quarter", year, int(match.group(5)))
        if match.group(6):
            month = int(match.group(6))
            if not 1 <= month <= 12:
                raise ValueError(f"Bulan {month} tidak ada; bulan 1 sampai 12.")
            return cls("month", year, month)
        return cls("year", year)

    @classmethod
    def month_of(cls, day: date) -> Period:
        return cls("month", day.year, day.month)


def choices_for_year(year: int) -> list[Period]:
    """Every period of `year`, the year first, for a period selector."""
    return [
        Period("year", year),
        *(Period("semester", year, n) for n in (1, 2)),
        *(Period("quarter", year, n) for n in (1, 2, 3, 4)),
        *(Period("month", year, n) for n in range(1, 13)),
    ]
