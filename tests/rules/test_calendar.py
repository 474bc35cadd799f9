"""The calendar of the performance year (kinerja.rules.calendar): months started, ended and due,
the entry deadline and the year parser, at their boundaries: 1 January, the 1st of a month, the
deadline day, 31 December."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.calendar import (
    MONTHS,
    add_months,
    entry_deadline,
    month_bounds,
    month_has_started,
    month_label,
    months_closed,
    months_due,
    months_started,
    parse_year,
)

from .support import property_test


@pytest.mark.parametrize(
    ("today", "started", "closed", "due"),
    [
        (date(2026, 1, 1), 1, 0, 0),
        (date(2026, 1, 31), 1, 0, 0),
        (date(2026, 2, 1), 2, 1, 0),
        (date(2026, 2, 5), 2, 1, 0),  # January's deadline day: still on time
        (date(2026, 2, 6), 2, 1, 1),
        (date(2026, 12, 1), 12, 11, 10),
        (date(2026, 12, 4), 12, 11, 10),  # November is not due before the 6th
        (date(2026, 12, 6), 12, 11, 11),
        (date(2026, 12, 31), 12, 11, 11),
        (date(2027, 1, 1), 12, 12, 11),  # 2026 has ended; December is due on 6 January
        (date(2027, 1, 6), 12, 12, 12),
        (date(2025, 12, 31), 0, 0, 0),  # a year that has not begun
    ],
)
def test_it_counts_the_months_of_2026_on_a_given_day(
    today: date, started: int, closed: int, due: int
) -> None:
    assert months_started(2026, today) == started
    assert months_closed(2026, today) == closed
    assert months_due(2026, today) == due


def test_the_deadline_is_the_fifth_of_the_next_month_by_default() -> None:
    assert entry_deadline(2026, 1) == date(2026, 2, 5)
    assert entry_deadline(2026, 12) == date(2027, 1, 5)
    assert entry_deadline(2026, 2, deadline_day=28) == date(2026, 3, 28)


@pytest.mark.parametrize("bad", [0, 13, -1])
def test_a_month_outside_the_year_is_refused(bad: int) -> None:
    with pytest.raises(ValueError, match="Bulan harus 1–12"):
        entry_deadline(2026, bad)
    with pytest.raises(ValueError, match="Bulan harus 1–12"):
        month_has_started(2026, bad, date(2026, 6, 1))


@pytest.mark.parametrize("bad", [0, 29, 31])
def test_a_deadline_day_that_some_months_lack_is_refused(bad: int) -> None:
    with pytest.raises(ValueError, match="1–28"):
        entry_deadline(2026, 1, deadline_day=bad)


def test_a_month_starts_on_its_first_day() -> None:
    assert not month_has_started(2026, 3, date(2026, 2, 28))
    assert month_has_started(2026, 3, date(2026, 3, 1))


def test_there_are_twelve_indonesian_month_names() -> None:
    assert len(MONTHS) == 12 and MONTHS[0] == "Januari" and MONTHS[11] == "Desember"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026", 2026),
        (" 2025 ", 2025),
        ("", 2030),
        (None, 2030),
        ("1999", 2030),
        ("2101", 2030),
        ("20266", 2030),
        ("２０２６", 2030),  # full-width digits are not a year here
        ("9223372036854775808", 2030),
        ("abc", 2030),
    ],
)
def test_a_typed_year_is_taken_only_when_it_is_one(raw: object, expected: int) -> None:
    assert parse_year(raw, default=2030) == expected


@property_test
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(1, 28))
def test_the_counts_are_ordered_and_grow_with_the_day(today: date, deadline_day: int) -> None:
    year = 2050
    due = months_due(year, today, deadline_day)
    assert 0 <= due <= months_closed(year, today) <= months_started(year, today) <= 12
    tomorrow = today + timedelta(days=1)
    if tomorrow.year <= 2100:
        assert months_started(year, tomorrow) >= months_started(year, today)
        assert months_due(year, tomorrow, deadline_day) >= due


@pytest.mark.parametrize(
    ("year", "month", "first", "last"),
    [
        (2026, 1, date(2026, 1, 1), date(2026, 1, 31)),
        (2026, 2, date(2026, 2, 1), date(2026, 2, 28)),
        (2028, 2, date(2028, 2, 1), date(2028, 2, 29)),  # leap year
        (2026, 12, date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_a_month_runs_from_its_first_to_its_last_day(
    year: int, month: int, first: date, last: date
) -> None:
    assert month_bounds(year, month) == (first, last)


@pytest.mark.parametrize("bad", [0, 13])
def test_the_bounds_of_a_month_outside_the_year_are_refused(bad: int) -> None:
    with pytest.raises(ValueError, match="Bulan harus 1–12"):
        month_bounds(2026, bad)
    with pytest.raises(ValueError, match="Bulan harus 1–12"):
        month_label(2026, bad)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # across the year, clamped to February
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap February
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 31), -1, date(2025, 12, 31)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 5, 10), 0, date(2026, 5, 10)),
    ],
)
def test_months_are_added_across_year_boundaries(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_a_month_is_written_with_its_indonesian_name() -> None:
    assert month_label(2026, 1) == "Januari 2026"
    assert month_label(2026, 12) == "Desember 2026"


@property_test
@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)), st.integers(-60, 60))
def test_adding_months_moves_the_month_and_never_the_day_forward(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day
    first, last = month_bounds(moved.year, moved.month)
    assert first <= moved <= last


@property_test
@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)), st.integers(1, 28))
def test_a_month_is_due_exactly_after_its_deadline_day(today: date, deadline_day: int) -> None:
    due = months_due(today.year - 1, today, deadline_day)
    # December of last year is due only after the deadline day of January.
    december_due = today > entry_deadline(today.year - 1, 12, deadline_day)
    assert due == (12 if december_due else 11)
