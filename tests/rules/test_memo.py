"""The value memos of kinerja.rules (capaian, rounding, a share of the year): exact, bounded, and
invisible to the garbage collector (kinerja.rules.numbers.ValueMemo)."""

from __future__ import annotations

import gc
from decimal import Decimal
from fractions import Fraction

import pytest

from kinerja.rules import assessment, numbers, realisation
from kinerja.rules.assessment import capaian
from kinerja.rules.enums import Polarity
from kinerja.rules.numbers import ValueMemo, round_half_up
from kinerja.rules.realisation import Aggregation, target_for_months


@pytest.fixture(autouse=True)
def _empty_memos():
    for memo in (assessment._CAPAIAN, numbers._ROUNDED, realisation._SHARES):
        memo.clear()
    yield
    for memo in (assessment._CAPAIAN, numbers._ROUNDED, realisation._SHARES):
        memo.clear()


def _tracked(memo: ValueMemo) -> list[object]:
    """The memo's keys and values that the garbage collector still walks."""
    return [
        item for key, value in memo._values.items() for item in (key, value) if gc.is_tracked(item)
    ]


def test_a_full_capaian_memo_costs_the_collector_nothing():
    for n in range(1, 2001):
        capaian(Decimal(100), Decimal(n), Polarity.HIGHER_IS_BETTER)
        capaian(Decimal(100), Decimal(n), Polarity.LOWER_IS_BETTER)
    assert len(assessment._CAPAIAN) == 4000
    gc.collect()
    assert _tracked(assessment._CAPAIAN) == []
    assert not gc.is_tracked(assessment._CAPAIAN._values)


def test_rounding_fractions_keeps_no_fraction_in_the_memo():
    for n in range(1, 1001):
        round_half_up(Fraction(n, 7), 2)
        round_half_up(Decimal(n) / 8, 2)
        round_half_up(n, 0)
    assert len(numbers._ROUNDED) == 3000
    gc.collect()
    assert _tracked(numbers._ROUNDED) == []


def test_the_shares_of_the_year_are_kept_untracked():
    for n in range(1, 501):
        target_for_months(Decimal(n), [1, 2, 3], Aggregation.SUM)
    assert len(realisation._SHARES) == 500
    gc.collect()
    assert _tracked(realisation._SHARES) == []


def test_memoised_results_equal_computed_ones_for_equal_values():
    first = capaian(Decimal("2.0"), Decimal("3"), Polarity.HIGHER_IS_BETTER)
    again = capaian(Decimal("2"), Decimal("3.00"), "higher_is_better")
    assert first == again == Decimal(150)
    assert len(assessment._CAPAIAN) == 1  # equal values are one key
    lower = capaian(Decimal("2"), Decimal("3"), Polarity.LOWER_IS_BETTER)
    assert lower == Decimal(50)  # the polarity is part of the key
    assert round_half_up(Fraction(5, 2), 0) == round_half_up(Decimal("2.5"), 0) == Decimal(3)
    assert target_for_months(Decimal(1200), [1, 2], Aggregation.SUM) == Decimal(200)
    assert target_for_months(Decimal(1200), [1, 2], Aggregation.SUM) == Decimal(200)


def test_errors_are_raised_on_every_call_and_never_kept():
    for _ in range(2):
        with pytest.raises(ValueError):
            capaian(Decimal(0), Decimal(1), Polarity.HIGHER_IS_BETTER)
    assert len(assessment._CAPAIAN) == 0
    with pytest.raises(ValueError):
        target_for_months(Decimal("NaN"), [1], Aggregation.SUM)
    with pytest.raises(ValueError):
        target_for_months(Decimal("sNaN"), [1], Aggregation.SUM)
    assert len(realisation._SHARES) == 0


def test_a_full_memo_starts_again_and_keeps_answering():
    memo: ValueMemo[int] = ValueMemo(3)
    for n in range(3):
        assert memo.put(n, n * 10) == n * 10
    assert [memo.get(n) for n in range(3)] == [0, 10, 20]
    memo.put(3, 30)  # full: emptied, then stored
    assert len(memo) == 1
    assert memo.get(0) is None
    assert memo.get(3) == 30
    calls = []
    assert memo.value_of(4, lambda n: calls.append(n) or n * 10, 4) == 40
    assert memo.value_of(4, lambda n: calls.append(n) or n * 10, 4) == 40
    assert calls == [4]  # computed once, then read


def test_the_capaian_memo_is_bounded():
    small = ValueMemo[Decimal](50)
    original = assessment._CAPAIAN
    assessment._CAPAIAN = small
    try:
        for n in range(1, 181):
            assert capaian(Decimal(10), Decimal(n), Polarity.HIGHER_IS_BETTER) == Decimal(n * 10)
        assert 0 < len(small) <= 50
    finally:
        assessment._CAPAIAN = original


def test_a_memo_needs_room_for_one_value():
    with pytest.raises(ValueError):
        ValueMemo(0)
