"""Competency development hours (PP 11/2017 as amended by PP 17/2020; PerLAN 5/2018 and 10/2018;
UU 20/2023 Pasal 49).

Every PNS has the right and the duty to at least 20 JP (jam pelajaran) of competency development per
year, and 1 JP = 45 minutes (DOMAIN §4). Durations are recorded in minutes, the exact unit; JP are
derived for display and compliance is decided on minutes, so rounding never turns 19.99 JP into 20.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from kinerja.rules.numbers import round2

__all__ = [
    "JP_REQUIRED_PER_YEAR",
    "MINUTES_PER_JP",
    "MINUTES_REQUIRED_PER_YEAR",
    "jp_from_minutes",
    "meets_jp_requirement",
]

MINUTES_PER_JP = 45
"""1 JP = 45 minutes (DOMAIN §4; PerLAN 5/2018 and 10/2018)."""
JP_REQUIRED_PER_YEAR = 20
"""At least 20 JP per PNS per year (PP 11/2017 as amended; UU 20/2023 Pasal 49)."""
MINUTES_REQUIRED_PER_YEAR = JP_REQUIRED_PER_YEAR * MINUTES_PER_JP


def _check_minutes(minutes: int) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
        raise ValueError(f"Durasi harus bilangan bulat menit ≥ 0 (tertulis {minutes!r}).")
    return minutes


def jp_from_minutes(minutes: int) -> Decimal:
    """Minutes of learning in JP (1 JP = 45 minutes, DOMAIN §4), rounded half up to 2 decimals
    for display: 45 → 1.00; 90 → 2.00; 100 → 2.22; 30 → 0.67. Negative minutes raise ``ValueError``.
    """
    return round2(Fraction(_check_minutes(minutes), MINUTES_PER_JP))


def meets_jp_requirement(total_minutes: int) -> bool:
    """Whether a year's learning reaches 20 JP (PP 11/2017 as amended), decided exactly on
    minutes: 900 minutes or more."""
    return _check_minutes(total_minutes) >= MINUTES_REQUIRED_PER_YEAR
