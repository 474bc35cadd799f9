"""The working-day arithmetic of the complaint clock (pure; candidate for kinerja/rules)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.workdays import (
    add_working_days,
    is_working_day,
    on_time_percent,
    working_days_between,
)

from .support import property_test

NYEPI = date(2026, 3, 19)
IDUL_FITRI = (date(2026, 3, 20), date(2026, 3, 21))
HOLIDAYS = frozenset({NYEPI, *IDUL_FITRI})


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 23), 5, date(2026, 11, 30)),  # Monday → next Monday
        (date(2026, 11, 27), 5, date(2026, 12, 4)),  # Friday → next Friday
        (date(2026, 11, 28), 5, date(2026, 12, 4)),  # Saturday → Friday
        (date(2026, 11, 29), 5, date(2026, 12, 4)),  # Sunday → Friday
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday → Monday
        (date(2026, 11, 27), 0, date(2026, 11, 27)),
        (date(2026, 3, 17), 5, date(2026, 3, 26)),  # Tue; Nyepi Thu + Idul Fitri Fri skipped
    ],
)
def test_it_skips_weekends_and_holidays(start: date, days: int, expected: date) -> None:
    assert add_working_days(start, days, HOLIDAYS) == expected


def test_a_holiday_on_a_weekend_changes_nothing() -> None:
    saturday_holiday = frozenset({IDUL_FITRI[1]})  # 2026-03-21 is a Saturday
    assert add_working_days(date(2026, 3, 16), 5, saturday_holiday) == date(2026, 3, 23)


def test_weekends_and_holidays_are_not_working_days() -> None:
    assert is_working_day(date(2026, 11, 27))
    assert not is_working_day(date(2026, 11, 28)) and not is_working_day(date(2026, 11, 29))
    assert not is_working_day(NYEPI, HOLIDAYS)


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1)


def test_it_counts_working_days_between_two_dates() -> None:
    assert working_days_between(date(2026, 11, 27), date(2026, 12, 4)) == 5
    assert working_days_between(date(2026, 12, 4), date(2026, 11, 27)) == -5
    assert working_days_between(date(2026, 3, 16), date(2026, 3, 23), HOLIDAYS) == 3


dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
holiday_sets = st.frozensets(dates, max_size=20)


@given(start=dates, days=st.integers(min_value=0, max_value=60), holidays=holiday_sets)
def test_adding_then_counting_gives_the_days_back(start: date, days: int, holidays) -> None:  # type: ignore[no-untyped-def]
    end = add_working_days(start, days, holidays)
    assert working_days_between(start, end, holidays) == days
    assert days == 0 or is_working_day(end, holidays)


@given(start=dates, end=dates, holidays=holiday_sets)
def test_counting_agrees_with_walking_day_by_day(start: date, end: date, holidays) -> None:  # type: ignore[no-untyped-def]
    low, high = sorted((start, end))
    walked = sum(
        1 for n in range(1, (high - low).days + 1) if is_working_day(low + timedelta(n), holidays)
    )
    assert working_days_between(low, high, holidays) == walked


@pytest.mark.parametrize(
    ("on_time", "late", "expected"),
    [
        (0, 0, None),  # nothing decided yet: no figure, not 0 %
        (3, 0, Decimal("100.00")),
        (0, 4, Decimal("0.00")),
        (2, 1, Decimal("66.67")),
        (1, 2, Decimal("33.33")),
        (1, 7, Decimal("12.50")),
        (1, 199, Decimal("0.50")),
        (1, 1599, Decimal("0.06")),  # 0.0625 → half up
    ],
)
def test_the_on_time_share_of_complaints(on_time: int, late: int, expected: Decimal | None) -> None:
    assert on_time_percent(on_time, late) == expected


def test_negative_complaint_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negatif"):
        on_time_percent(-1, 2)


@property_test
@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_the_on_time_share_is_a_percentage(on_time: int, late: int) -> None:
    share = on_time_percent(on_time, late)
    if on_time + late == 0:
        assert share is None
    else:
        assert share is not None and Decimal(0) <= share <= Decimal(100)
