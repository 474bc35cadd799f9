"""The objection window (keberatan, PP 30/2019 Pasal 59).

The employee may object to the assessment to the assessor's own superior within 14 days of
receiving it. Project rule (DOMAIN §1): 14 calendar days counted from the moment the employee is
shown the final result, to the second: shown at 28 Nov 10:00 → open until 12 Dec 10:00 inclusive.
"""

from __future__ import annotations

from datetime import datetime, timedelta

__all__ = ["OBJECTION_DAYS", "objection_deadline", "objection_open"]

OBJECTION_DAYS = 14
"""Calendar days to object (PP 30/2019 Pasal 59)."""


def objection_deadline(shown_at: datetime, days: int = OBJECTION_DAYS) -> datetime:
    """The last moment an objection may be filed (PP 30/2019 Pasal 59; project rule: 14
    calendar days from the moment the result is shown). ``shown_at`` must be aware."""
    if shown_at.tzinfo is None:
        raise ValueError("Waktu harus memiliki zona waktu.")
    if days < 1:
        raise ValueError(f"Jangka waktu keberatan harus paling sedikit 1 hari (tertulis {days}).")
    return shown_at + timedelta(days=days)


def objection_open(shown_at: datetime | None, now: datetime, days: int = OBJECTION_DAYS) -> bool:
    """Whether an objection may still be filed at ``now`` (PP 30/2019 Pasal 59): the result
    has been shown and ``now`` is at or before :func:`objection_deadline`."""
    if shown_at is None:
        return False
    return shown_at <= now <= objection_deadline(shown_at, days)
