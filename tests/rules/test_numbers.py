from decimal import Decimal
from fractions import Fraction

import pytest

from kinerja.rules.numbers import ensure_finite, round2, round_half_up, to_decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("2.345"), "2.35"),  # half up, where banker's rounding would give 2.34
        (Decimal("2.344"), "2.34"),
        (Decimal("-2.345"), "-2.35"),  # half away from zero
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction(25, 12), "2.08"),
        (7, "7.00"),
    ],
)
def test_it_rounds_half_up_to_two_decimals(value: Decimal | Fraction | int, expected: str) -> None:
    result = round2(value)
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -2


def test_it_rounds_to_an_integer_when_asked_for_zero_places() -> None:
    assert round_half_up(Fraction(5, 2), 0) == Decimal(3)
    assert round_half_up(Fraction(49, 20), 0) == Decimal(2)


def test_it_rounds_from_the_exact_value_of_a_fraction() -> None:
    # 1/2 − 10⁻⁴⁰ is below one half; a 28-digit decimal expansion would round it to 0.5 first.
    just_below_half = Fraction(1, 2) - Fraction(1, 10**40)
    assert round_half_up(just_below_half, 0) == Decimal(0)


def test_it_shows_a_fraction_as_an_exact_or_28_digit_decimal() -> None:
    assert to_decimal(Fraction(1, 8)) == Decimal("0.125")
    assert to_decimal(Fraction(200, 3)) == Decimal("66.66666666666666666666666667")


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_it_rejects_non_finite_decimals(value: Decimal) -> None:
    with pytest.raises(ValueError, match="terhingga"):
        ensure_finite("Nilai", value)
    with pytest.raises(ValueError):
        round2(value)
