"""When reminders are due (kinerja.rules.reminders): every boundary of the window."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.calendar import entry_deadline
from kinerja.rules.reminders import (
    in_reminder_window,
    realisation_month_to_remind,
    waited_longer_than,
)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 8, 1), False),  # four days before 5 August
        (date(2026, 8, 2), True),  # three days before
        (date(2026, 8, 5), True),  # the deadline day itself is still on time
        (date(2026, 8, 6), False),
    ],
)
def test_the_window_is_the_last_three_days_and_the_deadline(today: date, expected: bool) -> None:
    assert in_reminder_window(date(2026, 8, 5), today, 3) is expected


def test_a_negative_window_is_refused() -> None:
    with pytest.raises(ValueError, match="negatif"):
        in_reminder_window(date(2026, 8, 5), date(2026, 8, 5), -1)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 8, 2), (2026, 7)),
        (date(2026, 8, 6), None),
        (date(2026, 7, 20), None),
        (date(2027, 1, 2), (2026, 12)),  # December is reminded across the year
        (date(2027, 1, 5), (2026, 12)),
        (date(2026, 3, 2), (2026, 2)),
    ],
)
def test_the_month_to_remind(today: date, expected: tuple[int, int] | None) -> None:
    assert realisation_month_to_remind(today, 3) == expected


def test_the_deadline_day_setting_moves_the_window() -> None:
    assert realisation_month_to_remind(date(2026, 8, 8), 3, deadline_day=10) == (2026, 7)
    assert realisation_month_to_remind(date(2026, 8, 6), 3, deadline_day=10) is None


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_a_reminded_month_is_always_within_three_days_of_its_deadline(today: date) -> None:
    due = realisation_month_to_remind(today, 3)
    if due is not None:
        deadline = entry_deadline(*due)
        assert 0 <= (deadline - today).days <= 3


def test_waiting_longer_than() -> None:
    assert not waited_longer_than(date(2026, 7, 10), date(2026, 7, 15), 5)
    assert waited_longer_than(date(2026, 7, 10), date(2026, 7, 16), 5)
    with pytest.raises(ValueError):
        waited_longer_than(date(2026, 7, 10), date(2026, 7, 16), -1)
