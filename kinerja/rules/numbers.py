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
from collections.abc import Callable, Hashable
from decimal import Context, Decimal
from fractions import Fraction
from typing import Generic, TypeVar

__all__ = [
    "DECIMAL_PRECISION",
    "ValueMemo",
    "ensure_finite",
    "round2",
    "round_half_up",
    "to_decimal",
]

DECIMAL_PRECISION = 28
"""Significant digits used when an exact fraction must be shown as a ``Decimal``."""

_CONTEXT = Context(prec=DECIMAL_PRECISION)


V = TypeVar("V")


class ValueMemo(Generic[V]):
    """Results of a pure function memoised by the plain values of its arguments, for the few rules
    that a monthly rebuild or a regency page asks hundreds of thousands of times with the same
    inputs (capaian, rounding, a share of the year).

    Why not ``functools.lru_cache``: its keys (tuples holding a ``Fraction`` or an enum member)
    and its entries are objects that Python's garbage collector must walk. At 61,000 entries the
    capaian cache alone made every full collection of a process 83 ms instead of 10 ms, paid by
    whichever request triggered it (docs/PERFORMANCE.md, seventh session). Here a key holds only
    ``Decimal``, ``int`` and ``str`` values: such a tuple, and the dict, are untracked by the
    collector after its first pass, so the collector no longer walks the memo's entries (with
    the same 61,000 entries, a full collection of that process took 23–32 ms).

    Bounded: when ``maxsize`` entries are held, the memo is emptied and starts again (no
    recency order to keep; the inputs that repeat come back at once). Thread-safe for the
    purpose: a lookup and a store are single dict operations, and a race only computes a value
    twice. Only returned values are kept, so an error is raised on every call."""

    __slots__ = ("_values", "maxsize")

    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        self._values: dict[Hashable, V] = {}

    def get(self, key: Hashable) -> V | None:
        """The value stored under ``key``, or None."""
        return self._values.get(key)

    def value_of(self, key: Hashable, compute: Callable[..., V], *args: object) -> V:
        """The value stored under ``key``; else ``compute(*args)``, stored and returned."""
        found = self._values.get(key)
        if found is None:
            found = self.put(key, compute(*args))
        return found

    def put(self, key: Hashable, value: V) -> V:
        """Store ``value`` under ``key`` (emptying the memo first when it is full); returns it."""
        if len(self._values) >= self.maxsize:
            self._values.clear()
        self._values[key] = value
        return value

    def clear(self) -> None:
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


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
        key: tuple[Decimal | int, ...] = (value, places)
    elif isinstance(value, Fraction):  # by its two integers: a Fraction is a tracked object
        key = (value.numerator, value.denominator, places)
    else:
        key = (value, places)
    return _ROUNDED.value_of(key, _round_half_up, value, places)


# The result depends only on the numeric value, so memoising by value is exact; the demo and
# the regency-wide pages round the same capaian many times.
_ROUNDED: ValueMemo[Decimal] = ValueMemo(1 << 16)


def _round_half_up(value: Fraction | Decimal | int, places: int) -> Decimal:
    """:func:`round_half_up` of a finite value, computed."""
    exact = Fraction(value) * 10**places
    magnitude = math.floor(abs(exact) + Fraction(1, 2))
    units = magnitude if exact >= 0 else -magnitude
    return Decimal(f"{units}E-{places}")


def round2(value: Decimal | Fraction | int) -> Decimal:
    """Round half up to 2 decimals, the project's display rounding: 104.285 → 104.29."""
    return round_half_up(value, 2)
