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
