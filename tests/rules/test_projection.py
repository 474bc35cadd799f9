"""Projection to year end, at-risk and what is needed: hand-computed cases, then properties."""

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kinerja.rules.assessment import capaian
from kinerja.rules.enums import Polarity
from kinerja.rules.projection import (
    DEFAULT_RISK,
    Comparison,
    NeedKind,
    RiskThreshold,
    is_at_risk,
    months_counted,
    needed,
    project,
    projected_value,
)
from kinerja.rules.realisation import Aggregation
from tests.rules.support import property_test

HIGHER, LOWER = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER
D = Decimal


def months(*values: float | int, start: int = 1) -> dict[int, Decimal]:
    return {start + i: D(str(v)) for i, v in enumerate(values)}


# --- months counted --------------------------------------------------------------------------


def test_it_counts_every_closed_month_even_without_a_value() -> None:
    assert months_counted(months_closed=6, last_month_with_value=4) == 6


def test_it_counts_a_month_entered_before_it_ends() -> None:
    assert months_counted(months_closed=6, last_month_with_value=7) == 7


def test_it_counts_nothing_in_january_before_any_entry() -> None:
    assert months_counted(months_closed=0, last_month_with_value=None) == 0


@pytest.mark.parametrize(("closed", "last"), [(-1, None), (13, None), (3, 13)])
def test_it_refuses_months_outside_the_year(closed: int, last: int | None) -> None:
    with pytest.raises(ValueError):
        months_counted(months_closed=closed, last_month_with_value=last)


# --- sums (counts of outputs) ----------------------------------------------------------------


def test_a_sum_on_pace_projects_its_target() -> None:
    # 1.200 patients a year; 100 a month for January–June: 600 / 6 × 12 = 1.200 → 100 %.
    p = project(
        target=D(1200),
        polarity=HIGHER,
        aggregation="sum",
        values=months(*[100] * 6),
        months_closed=6,
    )
    assert p.months_counted == 6
    assert p.value_to_date == D(600)
    assert p.projected_value == D(1200)
    assert p.projected_capaian == D(100)
    assert not p.at_risk
    assert p.need is not None
    assert (p.need.kind, p.need.comparison, p.need.amount) == (
        NeedKind.PER_MONTH,
        Comparison.AT_LEAST,
        D(100),  # (1.200 − 600) / 6
    )
    assert p.need.remaining_months == 6


def test_a_sum_behind_pace_is_at_risk_with_the_amount_each_remaining_month_needs() -> None:
    # 492 by the end of June: 492 / 6 × 12 = 984 → 82 % of 1.200; (1.200 − 492) / 6 = 118.
    p = project(
        target=D(1200),
        polarity=HIGHER,
        aggregation="sum",
        values=months(80, 82, 80, 85, 80, 85),
        months_closed=6,
    )
    assert p.value_to_date == D(492)
    assert p.projected_value == D(984)
    assert p.projected_capaian == D(82)
    assert p.at_risk
    assert p.need is not None and p.need.amount == D(118)


def test_a_month_not_entered_counts_as_nothing_for_a_sum() -> None:
    # January–April entered (400), June has ended: 400 / 6 × 12 = 800 → 66,67 %.
    p = project(
        target=D(1200),
        polarity=HIGHER,
        aggregation="sum",
        values=months(100, 100, 100, 100),
        months_closed=6,
    )
    assert p.months_counted == 6
    assert p.projected_value == D(800)
    assert p.at_risk
    assert p.need is not None and p.need.amount == D(800) / 6


def test_a_month_entered_early_counts_for_the_pace() -> None:
    p = project(
        target=D(1200),
        polarity=HIGHER,
        aggregation="sum",
        values=months(*[100] * 7),
        months_closed=6,
    )
    assert (p.months_counted, p.projected_value, p.at_risk) == (7, D(1200), False)
    assert p.need is not None and p.need.amount == D(100)  # (1.200 − 700) / 5


def test_a_sum_already_over_its_target_needs_nothing_more() -> None:
    p = project(
        target=D(100),
        polarity=HIGHER,
        aggregation="sum",
        values=months(60, 50),
        months_closed=2,
    )
    assert p.projected_capaian == D(660)  # 110 / 2 × 12 = 660 → 660 %: no cap
    assert p.need is not None and p.need.met and p.need.amount == D(0)


def test_monthly_targets_measure_a_seasonal_sum_against_its_plan() -> None:
    # Planned 50 a month for January–June, 150 for July–December (1.200 in all); 50 a month
    # entered is exactly on plan, although a straight line would say 600.
    plan = [D(50)] * 6 + [D(150)] * 6
    p = project(
        target=D(1200),
        polarity=HIGHER,
        aggregation="sum",
        values=months(*[50] * 6),
        months_closed=6,
        monthly_targets=plan,
    )
    assert p.projected_value == D(1200)
    assert not p.at_risk
    straight = project(
        target=D(1200),
        polarity=HIGHER,
        aggregation="sum",
        values=months(*[50] * 6),
        months_closed=6,
    )
    assert straight.projected_value == D(600)


def test_incomplete_monthly_targets_fall_back_to_the_straight_line() -> None:
    value = projected_value(
        months(50, 50), "sum", 2, target=D(1200), monthly_targets=[D(50), None] + [D(100)] * 10
    )
    assert value == D(600)


def test_a_lower_is_better_sum_gets_a_ceiling_per_month() -> None:
    # At most 10 incidents a year; 4 in six months → 8 projected → (20 − 8) / 10 = 120 %.
    p = project(
        target=D(10),
        polarity=LOWER,
        aggregation="sum",
        values=months(1, 0, 1, 0, 2, 0),
        months_closed=6,
    )
    assert (p.projected_value, p.projected_capaian, p.at_risk) == (D(8), D(120), False)
    assert p.need is not None
    assert (p.need.comparison, p.need.amount) == (Comparison.AT_MOST, D(1))  # (10 − 4) / 6


def test_a_lower_is_better_sum_over_its_ceiling_is_at_risk() -> None:
    # 7 in six months → 14 projected → (20 − 14) / 10 = 60 %; at most 0,5 a month from now.
    p = project(
        target=D(10),
        polarity=LOWER,
        aggregation="sum",
        values=months(2, 1, 1, 1, 1, 1),
        months_closed=6,
    )
    assert (p.projected_value, p.projected_capaian, p.at_risk) == (D(14), D(60), True)
    assert p.need is not None and p.need.amount == D("0.5")


def test_a_lower_is_better_sum_already_past_its_ceiling_cannot_reach_it() -> None:
    need = needed(target=D(10), polarity=LOWER, aggregation="sum", values=months(6, 5), months=2)
    assert not need.reachable and need.amount is None


def test_a_zero_target_sum_keeps_to_the_zero_rule() -> None:
    # "Zero maternal deaths": none so far → 100 %; one → projected 2 → 0 % and out of reach.
    clean = project(
        target=D(0),
        polarity=LOWER,
        aggregation="sum",
        values=months(0, 0, 0, 0, 0, 0),
        months_closed=6,
    )
    assert (clean.projected_capaian, clean.at_risk) == (D(100), False)
    one = project(
        target=D(0),
        polarity=LOWER,
        aggregation="sum",
        values=months(0, 1, 0, 0, 0, 0),
        months_closed=6,
    )
    assert (one.projected_value, one.projected_capaian, one.at_risk) == (D(2), D(0), True)
    assert one.need is not None and not one.need.reachable


# --- levels (average, last, min, max) ----------------------------------------------------------


def test_an_average_response_time_gets_the_average_the_rest_of_the_year_needs() -> None:
    # Target ≤ 10 minutes; 12 minutes every month so far → (20 − 12) / 10 = 80 %, at risk.
    # (10 × 12 − 72) / 6 = 8: the remaining months must average at most 8 minutes.
    p = project(
        target=D(10),
        polarity=LOWER,
        aggregation="average",
        values=months(*[12] * 6),
        months_closed=6,
    )
    assert (p.projected_value, p.projected_capaian, p.at_risk) == (D(12), D(80), True)
    assert p.need is not None
    assert (p.need.kind, p.need.comparison, p.need.amount) == (
        NeedKind.MONTHLY_AVERAGE,
        Comparison.AT_MOST,
        D(8),
    )


def test_an_average_counts_only_the_months_with_a_value() -> None:
    # Target ≥ 95 %; 90 in March–June (the first months not entered) → 90 → 94,74 %: sesuai.
    # (95 × (4 + 6) − 360) / 6 = 98,33…
    p = project(
        target=D(95),
        polarity=HIGHER,
        aggregation="average",
        values=months(90, 90, 90, 90, start=3),
        months_closed=6,
    )
    assert p.projected_value == D(90)
    assert not p.at_risk
    assert p.need is not None and p.need.amount == D(590) / 6


def test_an_average_out_of_reach_for_lower_is_better() -> None:
    need = needed(
        target=D(10), polarity=LOWER, aggregation="average", values=months(*[40] * 11), months=11
    )
    assert not need.reachable  # (10 × 12 − 440) / 1 < 0


def test_a_high_average_already_secured_needs_nothing() -> None:
    need = needed(
        target=D(10), polarity=HIGHER, aggregation="average", values=months(*[200] * 6), months=6
    )
    assert need.met and need.amount == D(0)


def test_the_last_value_projects_the_current_level_and_needs_the_target_in_december() -> None:
    p = project(
        target=D(80),
        polarity=HIGHER,
        aggregation="last",
        values=months(40, 50, 55, 58, 60, 60),
        months_closed=6,
    )
    assert (p.projected_value, p.projected_capaian, p.at_risk) == (D(60), D(75), True)
    assert p.need is not None
    assert (p.need.kind, p.need.amount) == (NeedKind.FINAL_VALUE, D(80))


def test_a_minimum_below_its_floor_can_no_longer_reach_it() -> None:
    need = needed(target=D(90), polarity=HIGHER, aggregation="min", values=months(95, 85), months=2)
    assert need.kind is NeedKind.EVERY_MONTH and not need.reachable


def test_a_minimum_above_its_floor_must_hold_it_every_month() -> None:
    need = needed(target=D(90), polarity=HIGHER, aggregation="min", values=months(95), months=1)
    assert (need.kind, need.amount, need.reachable) == (NeedKind.EVERY_MONTH, D(90), True)


def test_a_maximum_reached_once_is_met() -> None:
    need = needed(target=D(90), polarity=HIGHER, aggregation="max", values=months(70, 95), months=2)
    assert need.kind is NeedKind.ONE_MONTH and need.met


def test_a_lower_is_better_maximum_must_stay_under_the_ceiling_every_month() -> None:
    need = needed(target=D(30), polarity=LOWER, aggregation="max", values=months(20), months=1)
    assert (need.kind, need.comparison, need.amount) == (
        NeedKind.EVERY_MONTH,
        Comparison.AT_MOST,
        D(30),
    )


def test_a_lower_is_better_minimum_needs_one_month_under_the_ceiling() -> None:
    need = needed(target=D(30), polarity=LOWER, aggregation="min", values=months(40), months=1)
    assert (need.kind, need.amount, need.met) == (NeedKind.ONE_MONTH, D(30), False)


# --- edges of the year -------------------------------------------------------------------------


def test_nothing_is_projected_in_january_before_any_entry() -> None:
    p = project(target=D(1200), polarity=HIGHER, aggregation="sum", values={}, months_closed=0)
    assert p.months_counted == 0
    assert p.projected_value is None and p.projected_capaian is None
    assert not p.at_risk and p.need is None


def test_a_level_without_any_value_is_not_projected() -> None:
    p = project(target=D(10), polarity=LOWER, aggregation="average", values={}, months_closed=5)
    assert p.projected_value is None and not p.at_risk


def test_a_sum_without_any_value_after_months_have_ended_projects_zero() -> None:
    p = project(target=D(12), polarity=HIGHER, aggregation="sum", values={}, months_closed=3)
    assert (p.projected_value, p.projected_capaian, p.at_risk) == (D(0), D(0), True)
    assert p.need is not None and p.need.amount == D(12) / 9


def test_a_closed_year_projects_its_final_value_and_asks_nothing() -> None:
    p = project(
        target=D(1200),
        polarity=HIGHER,
        aggregation="sum",
        values=months(*[110] * 12),
        months_closed=12,
    )
    assert p.projected_value == D(1320)
    assert p.need is not None
    assert (p.need.amount, p.need.remaining_months, p.need.met) == (None, 0, True)
    assert p.need.year_over


def test_december_entered_before_it_ends_is_not_a_year_over() -> None:
    # On 4 December all twelve months may hold a value; the year has not ended (issue 10).
    p = project(
        target=D(1200),
        polarity=HIGHER,
        aggregation="sum",
        values=months(*[100] * 12),
        months_closed=11,
    )
    assert p.months_counted == 12
    assert p.need is not None
    assert p.need.remaining_months == 0 and not p.need.year_over


def test_a_month_still_open_is_not_a_year_over() -> None:
    p = project(
        target=D(1200), polarity=HIGHER, aggregation="sum", values=months(100), months_closed=0
    )
    assert p.need is not None and p.need.remaining_months == 11 and not p.need.year_over


def test_a_closed_year_below_target_is_not_met() -> None:
    need = needed(target=D(1200), polarity=HIGHER, aggregation="sum", values={}, months=12)
    assert not need.met and not need.reachable


def test_values_beyond_the_months_counted_are_refused() -> None:
    with pytest.raises(ValueError):
        projected_value(months(1, 2, 3), "sum", 2)


def test_negative_targets_are_refused() -> None:
    with pytest.raises(ValueError):
        needed(target=D(-1), polarity=HIGHER, aggregation="sum", values={}, months=3)


# --- the threshold -------------------------------------------------------------------------------


def test_the_default_threshold_is_the_lower_edge_of_sesuai() -> None:
    assert DEFAULT_RISK.capaian_below == D(90)
    assert is_at_risk(D("89.99")) and not is_at_risk(D(90)) and not is_at_risk(None)


def test_the_threshold_is_configurable() -> None:
    strict = RiskThreshold(capaian_below=D(100))
    p = project(
        target=D(1200),
        polarity=HIGHER,
        aggregation="sum",
        values=months(*[95] * 6),
        months_closed=6,
        threshold=strict,
    )
    assert p.projected_capaian == D(95) and p.at_risk
    with pytest.raises(ValueError):
        RiskThreshold(capaian_below=D(-5))


# --- properties ---------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10_000).map(Decimal)
targets = st.integers(min_value=1, max_value=100_000).map(Decimal)


@st.composite
def entries(draw: st.DrawFn) -> tuple[int, dict[int, Decimal]]:
    closed = draw(st.integers(min_value=0, max_value=12))
    last = draw(st.integers(min_value=0, max_value=12))
    months_with = draw(st.sets(st.integers(min_value=1, max_value=max(last, 1)), max_size=12))
    values = {m: draw(amounts) for m in months_with if last}
    return closed, values


@property_test
@given(entries(), targets)
def test_a_sum_projects_at_least_its_value_to_date(
    data: tuple[int, dict[int, Decimal]], target: Decimal
) -> None:
    closed, values = data
    p = project(
        target=target, polarity=HIGHER, aggregation="sum", values=values, months_closed=closed
    )
    if p.months_counted:
        assert p.projected_value is not None and p.value_to_date is not None
        assert p.projected_value >= p.value_to_date
        if p.months_counted == 12:
            assert p.projected_value == p.value_to_date


@property_test
@given(entries(), targets, st.sampled_from([HIGHER, LOWER]), st.sampled_from(list(Aggregation)))
def test_at_risk_is_exactly_a_projected_capaian_below_90(
    data: tuple[int, dict[int, Decimal]], target: Decimal, polarity: Polarity, method: Aggregation
) -> None:
    closed, values = data
    p = project(
        target=target, polarity=polarity, aggregation=method, values=values, months_closed=closed
    )
    if p.projected_value is None:
        assert not p.at_risk
    else:
        assert p.projected_capaian == capaian(target, p.projected_value, polarity)
        assert p.at_risk == (p.projected_capaian < 90)


@property_test
@given(entries(), targets)
def test_a_sum_reaches_its_target_if_each_remaining_month_brings_what_is_needed(
    data: tuple[int, dict[int, Decimal]], target: Decimal
) -> None:
    closed, values = data
    months_ = months_counted(months_closed=closed, last_month_with_value=max(values, default=0))
    need = needed(target=target, polarity=HIGHER, aggregation="sum", values=values, months=months_)
    assume(need.amount is not None and not need.met)
    assert need.amount is not None
    total = sum(values.values(), Decimal(0)) + need.amount * need.remaining_months
    assert abs(total - target) < Decimal("1e-20")


@property_test
@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=1000))
def test_a_steady_monthly_twelfth_of_the_target_is_exactly_on_pace(months_: int, v: int) -> None:
    values = {m: Decimal(v) for m in range(1, months_ + 1)}
    p = project(
        target=Decimal(12 * v),
        polarity=HIGHER,
        aggregation="sum",
        values=values,
        months_closed=months_,
    )
    assert p.projected_capaian == 100 and not p.at_risk


@property_test
@given(entries(), targets, amounts)
def test_more_incidents_never_improve_a_lower_is_better_sum(
    data: tuple[int, dict[int, Decimal]], target: Decimal, extra: Decimal
) -> None:
    closed, values = data
    assume(values)
    worse = dict(values)
    month = max(worse)
    worse[month] += extra
    kwargs = dict(target=target, polarity=LOWER, aggregation="sum", months_closed=closed)
    before, after = project(values=values, **kwargs), project(values=worse, **kwargs)  # type: ignore[arg-type]
    assert before.projected_capaian is not None and after.projected_capaian is not None
    assert after.projected_capaian <= before.projected_capaian
