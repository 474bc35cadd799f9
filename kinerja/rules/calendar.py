"""The calendar of the performance year: month names, months started, ended and due, the monthly
entry deadline, and the one parser of a year typed into a page.

Project rules (DOMAIN §1): realisations are recorded monthly. A month *has started* on its first
day and *has ended* after its last day. Its realisation is on time until the end of day
``deadline_day`` (default the 5th; REALISATION_DEADLINE_DAY) of the next month, in the regency's
time zone; after that the month is *due* (missing entries are overdue, later ones marked late).
Every "which months count" question of the system is answered here, for a given day, so that the
pages, the dashboards and the reminders agree on every day of the year, the 1st of a month and
31 December included.
"""

from __future__ import annotations

import calendar
from datetime import date

__all__ = [
    "DEFAULT_DEADLINE_DAY",
    "MONTHS",
    "MONTHS_IN_YEAR",
    "YEAR_MAX",
    "YEAR_MIN",
    "add_months",
    "entry_deadline",
    "month_bounds",
    "month_has_started",
    "month_label",
    "months_closed",
    "months_due",
    "months_started",
    "parse_year",
]

MONTHS_IN_YEAR = 12
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
DEFAULT_DEADLINE_DAY = 5
YEAR_MIN, YEAR_MAX = 2000, 2100


def _check_month(month: int) -> None:
    if not 1 <= month <= MONTHS_IN_YEAR:
        raise ValueError(f"Bulan harus 1–12 (tertulis {month}).")


def month_label(year: int, month: int) -> str:
    """A month as people write it: ``"Januari 2026"``."""
    _check_month(month)
    return f"{MONTHS[month - 1]} {year}"


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and the last day of a month (29 February in a leap year)."""
    _check_month(month)
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (negative goes back), kept in the target
    month: 31 August + 6 months is 28 (or 29) February."""
    index = day.year * MONTHS_IN_YEAR + day.month - 1 + months
    year, month = divmod(index, MONTHS_IN_YEAR)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_started(year: int, today: date) -> int:
    """How many months of ``year`` have started on ``today``: 12 for a past year, 0 for a future
    one, else the current month's number (1 on 1 January)."""
    if year < today.year:
        return MONTHS_IN_YEAR
    if year > today.year:
        return 0
    return today.month


def months_closed(year: int, today: date) -> int:
    """How many months of ``year`` have ended on ``today``: 12 for a past year (and never before
    1 January of the next year), 0 in January and for a future year."""
    if year < today.year:
        return MONTHS_IN_YEAR
    if year > today.year:
        return 0
    return today.month - 1


def month_has_started(year: int, month: int, today: date) -> bool:
    """Whether a month can hold a realisation on ``today`` (it has begun)."""
    _check_month(month)
    return date(year, month, 1) <= today


def entry_deadline(year: int, month: int, deadline_day: int = DEFAULT_DEADLINE_DAY) -> date:
    """The last day on which the realisation of ``month`` is on time: ``deadline_day`` of the
    next month (the entry is on time until the end of that day)."""
    _check_month(month)
    if not 1 <= deadline_day <= 28:
        raise ValueError(f"Hari batas pengisian harus 1–28 (tertulis {deadline_day}).")
    if month == MONTHS_IN_YEAR:
        return date(year + 1, 1, deadline_day)
    return date(year, month + 1, deadline_day)


def months_due(year: int, today: date, deadline_day: int = DEFAULT_DEADLINE_DAY) -> int:
    """How many months of ``year`` are past their entry deadline on ``today`` (the deadline day
    itself still counts as on time). Months are due in order, so this is also the number of the
    last due month."""
    return sum(
        1 for m in range(1, MONTHS_IN_YEAR + 1) if entry_deadline(year, m, deadline_day) < today
    )


def parse_year(raw: object, default: int) -> int:
    """A year typed into a page (``?tahun=``): four digits between 2000 and 2100, else
    ``default`` (the current year, as the caller knows it). Never raises: a mistyped year shows
    the current one."""
    text = str(raw or "").strip()
    if len(text) == 4 and text.isascii() and text.isdigit():
        year = int(text)
        if YEAR_MIN <= year <= YEAR_MAX:
            return year
    return default
