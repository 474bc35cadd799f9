"""The one period type (kinerja.rules.periods): one key format, the survey pages' earlier keys
still read, the labels of the official forms and of the citizens' pages."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.periods import (
    Period,
    Periodicity,
    every_period_of_year,
    parse_period,
    parse_period_key,
)

from .support import property_test


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("2026", "2026-TH"),  # the survey pages' year key
        ("2026-11", "2026-B11"),  # the survey pages' month key
        ("2026-1", "2026-B01"),
        ("2026-S2", "2026-S2"),  # semesters and quarters never changed
        ("2026-T4", "2026-T4"),
        (" 2026-th ", "2026-TH"),
        ("2026-b03", "2026-B03"),
    ],
)
def test_old_and_new_keys_read_as_the_same_period(key: str, code: str) -> None:
    assert parse_period_key(key).code == code


@pytest.mark.parametrize("bad", ["", "x", "1999", "2101", "2026-13", "2026-00", "2026-T5", "26"])
def test_a_key_that_is_no_period_is_refused_in_indonesian(bad: str) -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        parse_period_key(bad)


def test_the_strict_parser_refuses_the_earlier_keys() -> None:
    """Stored assessment periods are always codes; only links get the lenient reading."""
    for legacy in ("2026", "2026-11"):
        with pytest.raises(ValueError):
            parse_period(legacy)


def test_the_citizens_pages_keep_their_plain_labels() -> None:
    assert Period.annual(2026).short_label == "Tahun 2026"
    assert Period.annual(2026).label == "Tahunan 2026"
    q4 = Period(2026, Periodicity.QUARTERLY, 4)
    assert q4.short_label == "Triwulan IV 2026" and q4.label == "Triwulan IV-Akhir 2026"
    assert Period(2026, Periodicity.MONTHLY, 3).short_label == "Maret 2026"
    assert Period(2026, Periodicity.SEMESTER, 1).short_label == "Semester I 2026"


def test_a_selector_lists_every_period_of_the_year_year_first() -> None:
    periods = every_period_of_year(2026)
    assert len(periods) == 1 + 2 + 4 + 12
    assert periods[0] == Period.annual(2026)
    assert [p.code for p in periods[1:3]] == ["2026-S1", "2026-S2"]
    assert periods[-1].code == "2026-B12" and periods[-1].end == date(2026, 12, 31)


@property_test
@given(st.integers(2000, 2100))
def test_every_period_round_trips_through_its_code_and_fits_the_column(year: int) -> None:
    for period in every_period_of_year(year):
        assert parse_period_key(period.code) == period == parse_period(period.code)
        assert len(period.code) <= 8  # FollowUpPlan.period holds 8 characters
        assert period.start <= period.end
        assert period.start.year == period.end.year == year


def test_february_ends_on_the_29th_in_a_leap_year() -> None:
    assert Period(2028, Periodicity.MONTHLY, 2).end == date(2028, 2, 29)
