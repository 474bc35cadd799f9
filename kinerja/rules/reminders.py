"""When a reminder is due: the calendar arithmetic of kinerja.adoption's scheduled reminders.

Project rules (issue 14; DOMAIN §1 for the entry deadline): the realisation of a month is
reminded ``days_before`` days (default 3) before its entry deadline (``deadline_day`` of the
next month, kinerja.rules.calendar.entry_deadline) and on every day up to the deadline itself,
so that a missed scheduler run still reminds (the reminder's key makes a second one a no-op).
The same window serves the end of an assessment period and of the 14-day objection window
(PP 30/2019 Pasal 59, kinerja.rules.objection).
"""

from __future__ import annotations

from datetime import date, timedelta

from .calendar import DEFAULT_DEADLINE_DAY, entry_deadline

__all__ = ["in_reminder_window", "realisation_month_to_remind", "waited_longer_than"]


def in_reminder_window(deadline: date, today: date, days_before: int) -> bool:
    """Whether ``today`` lies in the last ``days_before`` days before ``deadline`` or on it."""
    if days_before < 0:
        raise ValueError(f"Jumlah hari pengingat tidak boleh negatif (tertulis {days_before}).")
    return deadline - timedelta(days=days_before) <= today <= deadline


def realisation_month_to_remind(
    today: date, days_before: int, deadline_day: int = DEFAULT_DEADLINE_DAY
) -> tuple[int, int] | None:
    """The (year, month) whose realisation is to be reminded on ``today``, or None: the month
    before ``today``'s month (or this month, when its deadline window has begun already, which
    happens only with a very long ``days_before``) whose entry deadline is within the window."""
    candidates = []
    year, month = today.year, today.month
    for _ in range(3):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        candidates.append((year, month))
    for y, m in sorted(candidates):
        if in_reminder_window(entry_deadline(y, m, deadline_day), today, days_before):
            return y, m
    return None


def waited_longer_than(since: date, today: date, days: int) -> bool:
    """Whether something waiting since ``since`` has waited more than ``days`` full days."""
    if days < 0:
        raise ValueError(f"Jumlah hari tidak boleh negatif (tertulis {days}).")
    return (today - since).days > days
