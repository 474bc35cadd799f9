"""The calendar of the performance year on the regency's clock.

The arithmetic is :mod:`kinerja.rules.calendar` (pure, for a given day); this module only
supplies today's date in the regency's time zone (``TIME_ZONE``, Asia/Jakarta) and the
configured entry deadline (``REALISATION_DEADLINE_DAY``), so pages, dashboards, services and
reminders answer "which months count" the same way.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from kinerja.rules import calendar as rules

__all__ = ["holidays", "month_deadline", "months_closed", "months_due", "months_started"]


def _deadline_day() -> int:
    return int(settings.REALISATION_DEADLINE_DAY)


def months_started(year: int, today: date | None = None) -> int:
    """Months of ``year`` that have started (12 for a past year, 0 for a future one)."""
    return rules.months_started(year, today or timezone.localdate())


def months_closed(year: int, today: date | None = None) -> int:
    """Months of ``year`` that have ended (0 in January, 12 for a past year)."""
    return rules.months_closed(year, today or timezone.localdate())


def months_due(year: int, now: datetime | None = None) -> int:
    """Months of ``year`` past their entry deadline at ``now`` (default: now)."""
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    return rules.months_due(year, today, _deadline_day())


def month_deadline(year: int, month: int) -> datetime:
    """The moment a month's realisation stops being on time: the end of the deadline day
    (:func:`kinerja.rules.calendar.entry_deadline`) in the regency's time zone."""
    day = rules.entry_deadline(year, month, _deadline_day())
    return timezone.make_aware(datetime.combine(day, time.max))


@lru_cache(maxsize=4)
def _parse_holidays(values: tuple[str, ...]) -> frozenset[date]:
    return frozenset(date.fromisoformat(v) for v in values)


def holidays() -> frozenset[date]:
    """The regency's holidays (settings.PUBLIC_HOLIDAYS) as dates: the days that
    kinerja.rules.workdays skips besides weekends (complaint deadlines, absence streaks)."""
    return _parse_holidays(tuple(settings.PUBLIC_HOLIDAYS))
