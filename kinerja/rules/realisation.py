"""From monthly realisations to the year: aggregation, pro-rated targets, capaian to date.

Project rules (DOMAIN §1): realisations are recorded monthly; each indicator says how its
monthly values make the year (a sum for counts, an average, the last value for percentages or
stocks, the minimum or the maximum). The capaian itself is `assessment.capaian`; this module
only decides which realisation and which target it compares.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from .numbers import ValueMemo, to_decimal

__all__ = [
    "Aggregation",
    "aggregate",
    "pro_rated_target",
    "target_basis",
    "target_for_months",
    "target_value",
]

# A month's realisation at most this many times the indicator's annual target (higher is
# better). DOMAIN §1 puts no cap on capaian — over-achievement stays recordable — but a value
# ten thousand times off is a typing or unit error (rupiah typed for juta, a stray digit), and
# every derived figure (monthly capaian against a pro-rated target: up to 12 × 1000 × 100 %)
# must still fit the columns that hold it. Project rule, named in the error the user sees.
MAX_TIMES_TARGET = Decimal(1000)


def is_plausible(value: Decimal, annual_target: Decimal, *, higher_is_better: bool) -> bool:
    """Whether a month's realisation is within MAX_TIMES_TARGET of the annual target. A
    lower-is-better capaian is bounded by its formula (0–200 %), so any value is plausible."""
    if not higher_is_better or annual_target <= 0:
        return True
    return value <= annual_target * MAX_TIMES_TARGET


class Aggregation(StrEnum):
    """How an indicator's monthly values make its value for a period."""

    SUM = "sum"
    AVERAGE = "average"
    LAST = "last"
    MIN = "min"
    MAX = "max"

    @property
    def label(self) -> str:
        return {
            "sum": "Jumlah (untuk hitungan)",
            "average": "Rata-rata",
            "last": "Nilai terakhir (persentase/stok)",
            "min": "Nilai terendah",
            "max": "Nilai tertinggi",
        }[self.value]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


def aggregate(values: Mapping[int, Decimal], method: Aggregation | str) -> Decimal | None:
    """The period value of monthly values keyed by month number (1–12); None when empty.

    LAST takes the value of the latest month present, not the last one entered.
    """
    method = Aggregation(method)
    if not values:
        return None
    ordered = [values[m] for m in sorted(values)]
    if method is Aggregation.SUM:
        return sum(ordered, Decimal(0))
    if method is Aggregation.AVERAGE:
        return to_decimal(Fraction(sum(ordered, Decimal(0))) / len(ordered))
    if method is Aggregation.LAST:
        return ordered[-1]
    if method is Aggregation.MIN:
        return min(ordered)
    return max(ordered)


def target_basis(
    annual_target: Decimal,
    months: Sequence[int],
    method: Aggregation | str,
    monthly_targets: Sequence[Decimal | None] | None = None,
) -> tuple[Decimal, int | None]:
    """The target of `months` (see :func:`target_for_months`) as ``(base, twelfths)``: the
    target is ``base`` itself when ``twelfths`` is None, and exactly ``base × twelfths / 12``
    (a share of the year) otherwise. A share such as 200 × 1/12 has no finite decimal, so
    capaian is computed from this pair (:func:`kinerja.rules.assessment.capaian`'s
    ``twelfths``), never from a rounded target: 15 against 200 × 1/12 is exactly 90 %."""
    method = Aggregation(method)
    if not months:
        raise ValueError("Tidak ada bulan untuk menghitung target.")
    if any(not 1 <= m <= 12 for m in months):
        raise ValueError("Bulan harus 1–12.")
    planned = [t for t in (monthly_targets or []) if t is not None]
    has_monthly = len(planned) == 12
    if method is Aggregation.SUM:
        if has_monthly:
            return sum((planned[m - 1] for m in set(months)), Decimal(0)), None
        return annual_target, len(set(months))
    if has_monthly:
        return planned[max(months) - 1], None
    return annual_target, None


def target_for_months(
    annual_target: Decimal,
    months: Sequence[int],
    method: Aggregation | str,
    monthly_targets: Sequence[Decimal | None] | None = None,
) -> Decimal:
    """The target that the realisations of `months` should be compared with.

    For a SUM indicator it is the share of the year: the monthly targets of those months when
    they are set, otherwise annual × (number of months)/12 (to 28 significant digits: compare
    with :func:`target_basis`). For every other aggregation the indicator is a level, not a
    flow: the target of the latest month when monthly targets are set, otherwise the annual
    target itself.
    """
    return target_value(*target_basis(annual_target, months, method, monthly_targets))


def target_value(base: Decimal, twelfths: int | None) -> Decimal:
    """The target that :func:`target_basis` describes, as a Decimal (28 significant digits)."""
    if twelfths is None:
        return base
    try:
        return _SHARES.value_of((base, twelfths), _share_of_year, base, twelfths)
    except TypeError:  # a signalling NaN is no cache key; the plain path raises as before
        return to_decimal(Fraction(base) * twelfths / 12)


# annual × months/12 depends only on the numeric value, so memoising by value is exact (a
# rebuild asks for the same few thousand targets 300,000 times).
_SHARES: ValueMemo[Decimal] = ValueMemo(1 << 14)


def _share_of_year(annual_target: Decimal, months: int) -> Decimal:
    """annual × months/12, exact to 28 digits."""
    return to_decimal(Fraction(annual_target) * months / 12)


def pro_rated_target(
    annual_target: Decimal,
    months_elapsed: int,
    method: Aggregation | str,
    monthly_targets: Sequence[Decimal | None] | None = None,
) -> Decimal:
    """The target to date after `months_elapsed` months of the year (1–12)."""
    if not 1 <= months_elapsed <= 12:
        raise ValueError("Jumlah bulan berjalan harus 1–12.")
    return target_for_months(annual_target, range(1, months_elapsed + 1), method, monthly_targets)
