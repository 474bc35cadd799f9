"""An indicator's figures to date and a plan's capaian (kinerja.rules.progress), with the
zero-target rule (kinerja.rules.assessment.target_allowed)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kinerja.rules.assessment import capaian, target_allowed
from kinerja.rules.enums import Polarity, Rating
from kinerja.rules.progress import Progress, annual_capaian, progress_to_date, weighted_capaian
from kinerja.rules.realisation import target_for_months

from .support import property_test

D = Decimal
HIGHER, LOWER = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER


def test_a_sum_indicator_is_compared_with_the_share_of_the_year_to_date() -> None:
    p = progress_to_date(
        target=D(1200),
        polarity=HIGHER,
        aggregation="sum",
        values={1: D(100), 2: D(100), 3: D(110)},
        months_elapsed=3,
    )
    assert p.value == D(310) and p.target_to_date == D(300)
    assert p.capaian_year == capaian(D(1200), D(310), HIGHER)
    assert p.capaian_to_date == capaian(D(300), D(310), HIGHER)
    assert p.status is Rating.SESUAI


def test_months_not_yet_started_are_left_out() -> None:
    p = progress_to_date(
        target=D(12),
        polarity=HIGHER,
        aggregation="sum",
        values={1: D(1), 2: D(1), 7: D(50)},
        months_elapsed=2,
    )
    assert p.value == D(2) and p.target_to_date == D(2)


def test_before_the_year_starts_nothing_is_computed() -> None:
    assert progress_to_date(
        target=D(12), polarity=HIGHER, aggregation="sum", values={1: D(1)}, months_elapsed=0
    ) == Progress(value=None)


def test_without_values_there_is_no_figure() -> None:
    assert (
        progress_to_date(
            target=D(12), polarity=HIGHER, aggregation="sum", values={}, months_elapsed=6
        )
        == Progress()
    )


def test_monthly_targets_given_as_text_are_used_for_the_share() -> None:
    p = progress_to_date(
        target=D(100),
        polarity=HIGHER,
        aggregation="sum",
        values={1: D(10)},
        months_elapsed=1,
        monthly_targets=["20", *(["10"] * 11)],
    )
    assert p.target_to_date == D(20) and p.capaian_to_date == D(50)
    assert p.status is Rating.DI_BAWAH


def test_a_zero_target_lower_is_better_is_met_only_by_zero() -> None:
    met = progress_to_date(
        target=D(0), polarity=LOWER, aggregation="sum", values={1: D(0)}, months_elapsed=1
    )
    missed = progress_to_date(
        target=D(0), polarity=LOWER, aggregation="sum", values={1: D(1)}, months_elapsed=1
    )
    assert met.capaian_to_date == D(100) and met.status is Rating.SESUAI
    assert missed.capaian_to_date == D(0) and missed.status is Rating.DI_BAWAH


def test_a_zero_target_higher_is_better_shows_the_value_without_capaian() -> None:
    p = progress_to_date(
        target=D(0), polarity=HIGHER, aggregation="sum", values={1: D(3)}, months_elapsed=1
    )
    assert p.value == D(3) and p.capaian_to_date is None and p.status is None


@pytest.mark.parametrize(
    ("target", "polarity", "allowed"),
    [
        (D(0), LOWER, True),
        (D(0), HIGHER, False),
        (D(0), "higher_is_better", False),
        (D("0.0001"), HIGHER, True),
        (D(5), LOWER, True),
        (D(-1), LOWER, False),
    ],
)
def test_the_zero_target_rule(target: Decimal, polarity: Polarity | str, allowed: bool) -> None:
    assert target_allowed(target, polarity) is allowed


@property_test
@given(
    st.decimals(min_value=0, max_value=10**6, places=2),
    st.sampled_from([HIGHER, LOWER]),
    st.decimals(min_value=0, max_value=10**6, places=2),
)
def test_capaian_is_defined_exactly_where_the_target_is_allowed(
    target: Decimal, polarity: Polarity, realisasi: Decimal
) -> None:
    if target_allowed(target, polarity):
        assert capaian(target, realisasi, polarity) >= 0
    else:
        with pytest.raises(ValueError, match="Target 0"):
            capaian(target, realisasi, polarity)


def test_a_plans_capaian_is_the_plain_mean_of_the_figures_it_has() -> None:
    assert weighted_capaian([D(100), None, D(150)]) == D(125)  # over-achievement counts
    assert weighted_capaian([None, None]) is None
    assert weighted_capaian([]) is None
    assert weighted_capaian(iter([D(80)])) == D(80)


@property_test
@given(st.lists(st.one_of(st.none(), st.decimals(min_value=0, max_value=1000, places=2))))
def test_the_mean_lies_between_the_lowest_and_the_highest_figure(
    figures: list[Decimal | None],
) -> None:
    present = [f for f in figures if f is not None]
    mean = weighted_capaian(figures)
    if not present:
        assert mean is None
    else:
        assert mean is not None and min(present) <= mean <= max(present)


# --- A share of the year that has no finite decimal (an audit of the arithmetic) ------------


@pytest.mark.parametrize(
    ("target", "polarity", "values", "expected", "status"),
    [
        (D(200), HIGHER, {1: D(15)}, 90, Rating.SESUAI),  # 15 / (200 × 1/12)
        (D(50), HIGHER, {1: D(3), 2: D(4), 3: D(4), 4: D(4)}, 90, Rating.SESUAI),  # 15 / 16.66…
        (D(700), HIGHER, {m: D("52.5") for m in range(1, 8)}, 90, Rating.SESUAI),
        (D(200), LOWER, {1: D(15)}, 110, Rating.DI_ATAS),  # (2 × 16.66… − 15) / 16.66…
    ],
)
def test_a_band_edge_of_a_share_of_the_year_is_exactly_the_edge(
    target: Decimal,
    polarity: Polarity,
    values: dict[int, Decimal],
    expected: int,
    status: Rating,
) -> None:
    """The to-date target 200 × 1/12 was rounded to 28 digits (16.666…67) before the capaian was
    computed, so an exact 90 % came out as 89.999…98, "di bawah". DOMAIN §1 puts 90 in "sesuai"
    and forbids rounding in between: the capaian is computed from the exact share."""
    p = progress_to_date(
        target=target,
        polarity=polarity,
        aggregation="sum",
        values=values,
        months_elapsed=len(values),
    )
    assert p.capaian_to_date == expected
    assert p.status is status
    assert p.target_to_date == target_for_months(target, list(values), "sum")


def _terminates(value: Fraction) -> bool:
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


@property_test
@given(
    target=st.integers(min_value=1, max_value=10**6),
    months=st.integers(min_value=1, max_value=12),
    percent=st.sampled_from([90, 110]),
)
def test_a_realisation_worth_exactly_a_band_edge_has_that_capaian(
    target: int, months: int, percent: int
) -> None:
    """Whatever the share of the year, a realisation of exactly 90 % or 110 % of it (when such
    a realisation can be written as a decimal) has a capaian of exactly 90 or 110."""
    worth = Fraction(target) * months / 12 * Fraction(percent, 100)
    assume(_terminates(worth))
    realised = D(worth.numerator) / D(worth.denominator)
    values = {1: realised, **{m: D(0) for m in range(2, months + 1)}}
    p = progress_to_date(
        target=D(target), polarity=HIGHER, aggregation="sum", values=values, months_elapsed=months
    )
    assert p.capaian_to_date == percent
    assert p.status is (Rating.SESUAI if percent == 90 else Rating.DI_ATAS)


@pytest.mark.parametrize(
    ("year", "so_far", "annual"),
    [
        (D("27.5"), D(110), D("27.5")),  # a sum that should be high: the months left out count
        (D("191.67"), D(100), D(100)),  # one that should be low: judged on the months recorded
        (D(100), D(100), D(100)),  # all twelve recorded
        (None, D(100), D(100)),  # no annual figure (a zero target): the figure to date
        (None, None, None),
    ],
)
def test_a_month_left_unrecorded_never_raises_the_annual_capaian(
    year: Decimal | None, so_far: Decimal | None, annual: Decimal | None
) -> None:
    assert annual_capaian(year, so_far) == annual
