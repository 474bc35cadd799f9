"""Numeric conventions shared by every rule in :mod:`kinerja.rules`.

The regulations (PermenPANRB 6/2022, PermenPANRB 14/2017, PerBKN 3/2023, the regency's Perbup on TPP
under PP 12/2019) state their formulas on real numbers and say little about rounding. The project
rules in DOMAIN.md close that gap the same way everywhere:

* compute with exact values (``Fraction`` or exact ``Decimal`` products), never ``float``;
* never round an intermediate value;
* round only the final figure, half up (``ROUND_HALF_UP``: 2.085 → 2.09), to the places the
  rule prescribes.

This module holds those conventions once so that no rule re-implements them.
"""

from __future__ import annotations

import math
from decimal import Context, Decimal
from fractions import Fraction
from functools import lru_cache

__all__ = [
    "DECIMAL_PRECISION",
    "ensure_finite",
    "round2",
    "round_half_up",
    "to_decimal",
]

DECIMAL_PRECISION = 28
"""Significant digits used when an exact fraction must be shown as a ``Decimal``."""

_CONTEXT = Context(prec=DECIMAL_PRECISION)


def ensure_finite(name: str, value: Decimal) -> Decimal:
    """Return ``value`` if it is a finite ``Decimal``; otherwise raise ``ValueError``.

    ``Decimal("NaN")`` and ``Decimal("Infinity")`` are not amounts any regulation can mean.
    """
    if not value.is_finite():
        raise ValueError(f"{name} harus berupa bilangan terhingga (tertulis {value}).")
    return value


def to_decimal(value: Fraction) -> Decimal:
    """Show an exact fraction as a ``Decimal`` with :data:`DECIMAL_PRECISION` significant digits.

    Exact whenever the decimal expansion terminates within that precision (e.g. 1/8 → 0.125);
    otherwise correctly rounded in the last digit. Independent of the caller's decimal context.
    """
    return _CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Round ``value`` exactly, half up (away from zero), to ``places`` decimal places.

    Works on the exact value, so a fraction such as 2/12 × 12.5 = 25/12 is rounded from its true
    value, not from a truncated decimal expansion. The result carries exactly ``places`` decimals
    (``round_half_up(Fraction(100), 2) == Decimal("100.00")`` with exponent −2).
    """
    if isinstance(value, Decimal):
        ensure_finite("Nilai", value)
    return _round_half_up(value, places)


@lru_cache(maxsize=1 << 16)
def _round_half_up(value: Fraction | Decimal | int, places: int) -> Decimal:
    """:func:`round_half_up` of a finite value. The result depends only on the numeric value,
    so memoising by value is exact (Decimal("2.5"), Fraction(5, 2) are one key); the demo and
    the regency-wide pages round the same capaian many times."""
    exact = Fraction(value) * 10**places
    magnitude = math.floor(abs(exact) + Fraction(1, 2))
    units = magnitude if exact >= 0 else -magnitude
    return Decimal(f"{units}E-{places}")


def round2(value: Decimal | Fraction | int) -> Decimal:
    """Round half up to 2 decimals, the project's display rounding: 104.285 → 104.29."""
    return round_half_up(value, 2)
