"""Working days: the clock of the complaint service level and of cumulative absence.

A working day is Monday to Friday and not a holiday (the five-day government work week; the
national holidays and cuti bersama are set each year by SKB Menteri Agama, Menaker and
MenPANRB). The caller passes the holidays (the regency's list, setting PUBLIC_HOLIDAYS), so
the functions stay pure. Project rule (DOMAIN §3, complaints): the first official response is
due within PUBLIC_COMPLAINT_RESPONSE_WORKDAYS (5) working days of filing; the day of filing never
counts. DOMAIN §5 (PP 94/2021) counts unexcused absence in working days the same way.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from kinerja.rules.numbers import round2

__all__ = ["add_working_days", "is_working_day", "on_time_percent", "working_days_between"]

_SATURDAY = 5


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    """Monday–Friday and not in `holidays`."""
    return day.weekday() < _SATURDAY and day not in holidays


def add_working_days(start: date, days: int, holidays: Collection[date] = ()) -> date:
    """The `days`-th working day after `start` (`start` itself never counts).

    Filed on Friday 2026-11-27 with 5 days → Friday 2026-12-04; filed on Saturday 2026-11-28
    → Friday 2026-12-04 too. `days` = 0 gives `start`; negative `days` raise ``ValueError``.
    """
    if days < 0:
        raise ValueError(f"days must be ≥ 0 (got {days}).")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, holidays: Collection[date] = ()) -> int:
    """The number of working days after `start` up to and including `end`; negative when `end`
    is before `start` (the working days from `end` exclusive to `start` inclusive, negated).

    Satisfies ``working_days_between(d, add_working_days(d, n)) == n``.
    """
    if end < start:
        return -working_days_between(end, start, holidays)
    total = 0
    full_weeks, rest = divmod((end - start).days, 7)
    total += full_weeks * 5
    day = start + timedelta(days=full_weeks * 7)
    for _ in range(rest):
        day += timedelta(days=1)
        if day.weekday() < _SATURDAY:
            total += 1
    total -= sum(1 for h in set(holidays) if start < h <= end and h.weekday() < _SATURDAY)
    return total


def on_time_percent(on_time: int, late: int) -> Decimal | None:
    """The share of complaints answered within the service level, in percent rounded half up to
    2 decimals: on time / (on time + late) × 100. Complaints still inside their deadline are
    in neither count; None when none is decided yet (nothing to judge, not 0 %)."""
    if on_time < 0 or late < 0:
        raise ValueError("Jumlah pengaduan tidak boleh negatif.")
    decided = on_time + late
    return round2(Fraction(on_time * 100, decided)) if decided else None
