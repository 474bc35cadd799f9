from decimal import Decimal

import pytest

from kinerja.rules.training import (
    JP_REQUIRED_PER_YEAR,
    MINUTES_PER_JP,
    jp_from_minutes,
    meets_jp_requirement,
)


def test_it_uses_the_regulation_constants() -> None:
    assert (MINUTES_PER_JP, JP_REQUIRED_PER_YEAR) == (45, 20)


@pytest.mark.parametrize(
    ("minutes", "jp"),
    [(0, "0.00"), (45, "1.00"), (90, "2.00"), (100, "2.22"), (30, "0.67"), (900, "20.00")],
)
def test_it_converts_minutes_to_jp_rounded_half_up(minutes: int, jp: str) -> None:
    result = jp_from_minutes(minutes)
    assert result == Decimal(jp)
    assert result.as_tuple().exponent == -2


def test_it_decides_the_20_jp_requirement_on_exact_minutes() -> None:
    assert jp_from_minutes(899) == Decimal("19.98")
    assert not meets_jp_requirement(899)
    assert meets_jp_requirement(900)


def test_it_rejects_negative_minutes() -> None:
    with pytest.raises(ValueError, match="menit"):
        jp_from_minutes(-1)
    with pytest.raises(ValueError, match="menit"):
        meets_jp_requirement(-45)


# --- Completion, external learning, shortfall (DOMAIN §4; issue 12 contracts) -----------------

from kinerja.rules.training import (  # noqa: E402
    JpTotals,
    at_risk,
    external_jp,
    is_completed,
    jp_totals,
    shortfall,
)


@pytest.mark.parametrize(
    ("attended", "scheduled", "threshold", "post_test", "done"),
    [
        (480, 600, "80", None, True),  # exactly 80%
        (479, 600, "80", None, False),  # one minute short
        (600, 600, "80", None, True),
        (0, 600, "80", None, False),
        (600, 0, "80", None, False),  # nothing scheduled: never completed
        (480, 600, "80", True, True),
        (600, 600, "80", False, False),  # failed the post-test
        (479, 600, "80", True, False),
        (300, 600, "50", None, True),
        (299, 600, "50", None, False),
        (0, 600, "0", None, True),
        (599, 600, "100", None, False),
        (1, 3, "33.34", None, False),  # 33.33…% < 33.34%
        (1, 3, "33.33", None, True),
    ],
)
def test_it_decides_completion_at_its_boundary(
    attended: int, scheduled: int, threshold: str, post_test: bool | None, done: bool
) -> None:
    assert (
        is_completed(
            attended_minutes=attended,
            scheduled_minutes=scheduled,
            threshold_percent=Decimal(threshold),
            post_test_passed=post_test,
        )
        is done
    )


def test_it_uses_80_percent_by_default() -> None:
    assert is_completed(attended_minutes=80, scheduled_minutes=100)
    assert not is_completed(attended_minutes=79, scheduled_minutes=100)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"attended_minutes": -1, "scheduled_minutes": 10},
        {"attended_minutes": 1, "scheduled_minutes": -10},
        {"attended_minutes": 1, "scheduled_minutes": 10, "threshold_percent": Decimal("101")},
        {"attended_minutes": 1, "scheduled_minutes": 10, "threshold_percent": Decimal("-1")},
        {"attended_minutes": 1, "scheduled_minutes": 10, "threshold_percent": Decimal("NaN")},
    ],
)
def test_it_rejects_impossible_completion_inputs(kwargs: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError):
        is_completed(**kwargs)


@pytest.mark.parametrize(
    ("hours", "jp"),
    [
        ("0", "0.00"),
        ("0.75", "1.00"),
        ("1", "1.33"),
        ("1.5", "2.00"),
        ("2", "2.67"),
        ("15", "20.00"),
        ("0.01", "0.01"),  # 0.0133… → 0.01
        ("0.03375", "0.05"),  # 0.045 exactly → half up
    ],
)
def test_it_converts_external_hours_to_jp_half_up(hours: str, jp: str) -> None:
    result = external_jp(Decimal(hours))
    assert result == Decimal(jp)
    assert result.as_tuple().exponent == -2


def test_it_rejects_negative_or_infinite_hours() -> None:
    with pytest.raises(ValueError, match="jam"):
        external_jp(Decimal("-0.5"))
    with pytest.raises(ValueError):
        external_jp(Decimal("Infinity"))


@pytest.mark.parametrize(
    ("completed", "required", "missing"),
    [
        ("0", 20, "20.00"),
        ("12", 20, "8.00"),
        ("19.99", 20, "0.01"),
        ("20", 20, "0.00"),
        ("20.01", 20, "0.00"),
        ("45.5", 20, "0.00"),
        ("3.333", 20, "16.67"),
        ("0", 0, "0.00"),
        ("10", 24, "14.00"),
    ],
)
def test_it_computes_a_shortfall_that_is_never_negative(
    completed: str, required: int, missing: str
) -> None:
    result = shortfall(Decimal(completed), required)
    assert result == Decimal(missing)
    assert result.as_tuple().exponent == -2


def test_it_defaults_the_shortfall_to_20_jp_and_rejects_bad_requirements() -> None:
    assert shortfall(Decimal("5")) == Decimal("15.00")
    with pytest.raises(ValueError):
        shortfall(Decimal("5"), -1)


def test_it_builds_2_decimal_totals() -> None:
    totals = jp_totals(Decimal("12"), Decimal("6"))
    assert totals == JpTotals(Decimal("12.00"), Decimal("6.00"), Decimal("8.00"))
    assert all(
        v.as_tuple().exponent == -2
        for v in (totals.completed_jp, totals.enrolled_jp, totals.shortfall_jp)
    )


@pytest.mark.parametrize(
    ("completed", "enrolled", "months_left", "risk"),
    [
        ("20", "0", 0, False),  # requirement met
        ("12", "8", 5, False),  # enrolled covers the gap
        ("12", "7.99", 5, True),  # it does not
        ("0", "0", 11, True),
        ("19", "4", 0, True),  # enrolled, but the year is over
    ],
)
def test_it_marks_people_at_risk(
    completed: str, enrolled: str, months_left: int, risk: bool
) -> None:
    totals = jp_totals(Decimal(completed), Decimal(enrolled))
    assert at_risk(totals=totals, months_left=months_left) is risk


# --- Properties ---------------------------------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

JP = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False)


@given(completed=JP, required=st.integers(min_value=0, max_value=60))
def test_the_shortfall_closes_exactly_the_gap(completed: Decimal, required: int) -> None:
    missing = shortfall(completed, required)
    assert missing >= 0
    assert missing == max(Decimal(required) - completed, Decimal(0))


@given(
    scheduled=st.integers(min_value=1, max_value=10_000),
    attended=st.integers(min_value=0, max_value=10_000),
)
def test_more_attendance_never_undoes_a_completion(scheduled: int, attended: int) -> None:
    if is_completed(attended_minutes=attended, scheduled_minutes=scheduled):
        assert is_completed(attended_minutes=attended + 1, scheduled_minutes=scheduled)
    assert is_completed(attended_minutes=attended, scheduled_minutes=scheduled) == (
        attended * 100 >= scheduled * 80
    )


@given(hours=st.decimals(min_value=0, max_value=1000, places=2))
def test_external_jp_is_hours_times_four_thirds_rounded(hours: Decimal) -> None:
    jp = external_jp(hours)
    assert abs(jp - hours * 4 / 3) <= Decimal("0.005")


# --- Bounds of what a session or a learning report may say -----------------------------------

from datetime import date  # noqa: E402

from kinerja.rules.training import (  # noqa: E402
    SESSION_QUOTA_MAX,
    external_max_hours,
    learning_window,
)


def test_it_allows_learning_from_last_year_to_next_year() -> None:
    assert learning_window(date(2026, 12, 7)) == (date(2025, 1, 1), date(2027, 12, 31))
    assert learning_window(date(2027, 1, 1)) == (date(2026, 1, 1), date(2028, 12, 31))


def test_it_caps_external_hours_at_16_jp_a_day() -> None:
    assert external_max_hours(date(2026, 3, 2), date(2026, 3, 2)) == Decimal(12)
    assert external_max_hours(date(2026, 3, 2), date(2026, 3, 3)) == Decimal(24)
    assert Decimal(1000) > external_max_hours(date(2026, 3, 2), date(2026, 3, 3))
    with pytest.raises(ValueError):
        external_max_hours(date(2026, 3, 3), date(2026, 3, 2))


def test_it_caps_a_session_at_ten_thousand_seats() -> None:
    assert SESSION_QUOTA_MAX == 10_000
