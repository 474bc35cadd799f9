"""Projection to year end, the at-risk flag, and what each remaining month needs.

Real-time monitoring (the regency's fifth pillar; PermenPANRB 6/2022 Pasal 5: pemantauan and
umpan balik berkelanjutan during pelaksanaan) asks one question of every indicator: *at the
current pace, where will the year end?* The regulation leaves the arithmetic open; these are the
project rules (DOMAIN §1 gives capaian and its bands; this module only decides which value is
compared with the target):

* **Months counted.** The pace is measured over every month that has ended (a month not entered
  counts as nothing for a sum), or up to the latest month that already has a value if that is
  later (a month entered before it ends counts). See :func:`months_counted`.
* **Projected value.** For a sum (counts of outputs): ``value to date / months counted × 12``; when
  the indicator has 12 monthly targets (seasonal work), the pace is measured against the plan
  instead: ``value to date / planned to date × annual target``. For an average, the last value,
  the minimum or the maximum the indicator is a level, and the projection is the current level.
* **Projected capaian** is :func:`kinerja.rules.assessment.capaian` of the projected value (both
  polarities, no cap).
* **At risk** when the projected capaian is below :attr:`RiskThreshold.capaian_below`, by default
  90, the lower edge of "sesuai ekspektasi" (DOMAIN §1; PP 30/2019 Pasal 41).
* **What is needed** to reach the target (capaian 100) in the remaining months: for a sum, the
  amount per remaining month (at least, or for lower-is-better at most); for an average, the
  average of the remaining months; for the last value, minimum or maximum, the level to reach or
  hold. See :func:`needed`.

Values are exact (``Fraction`` inside, ``Decimal`` out) and never rounded here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from kinerja.rules.assessment import DEFAULT_BANDS, capaian
from kinerja.rules.enums import Polarity
from kinerja.rules.numbers import ensure_finite, to_decimal
from kinerja.rules.realisation import Aggregation, aggregate

__all__ = [
    "DEFAULT_RISK",
    "MONTHS_IN_YEAR",
    "Comparison",
    "Need",
    "NeedKind",
    "Projection",
    "RiskThreshold",
    "is_at_risk",
    "months_counted",
    "needed",
    "project",
    "projected_value",
]

MONTHS_IN_YEAR = 12


@dataclass(frozen=True)
class RiskThreshold:
    """An indicator is at risk when its projected capaian is below ``capaian_below`` percent.

    The default is the lower edge of "sesuai ekspektasi" (90; DOMAIN §1, PP 30/2019 Pasal 41), so
    "at risk" reads "the year would end di bawah ekspektasi". A regency may configure another.
    """

    capaian_below: Decimal = DEFAULT_BANDS.sesuai_from

    def __post_init__(self) -> None:
        ensure_finite("Batas risiko", self.capaian_below)
        if self.capaian_below < 0:
            raise ValueError("Batas risiko tidak boleh negatif.")


DEFAULT_RISK = RiskThreshold()


class Comparison(StrEnum):
    """Whether the needed figure is a floor (higher is better) or a ceiling (lower is better)."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class NeedKind(StrEnum):
    """What the needed figure means, so that a page can say it in plain words."""

    PER_MONTH = "per_month"  # sum: this much in each remaining month, on average
    MONTHLY_AVERAGE = "monthly_average"  # average: the remaining months must average this
    FINAL_VALUE = "final_value"  # last: the December value must reach this level
    EVERY_MONTH = "every_month"  # min (higher) / max (lower): every remaining month
    ONE_MONTH = "one_month"  # max (higher) / min (lower): at least one remaining month


@dataclass(frozen=True)
class Need:
    """What the remaining months need for the year to reach its target (capaian 100).

    ``amount`` is None when nothing can be asked: the year is over, the target is already
    secured (``met``), or it can no longer be reached (``reachable`` is False).
    """

    kind: NeedKind
    comparison: Comparison
    amount: Decimal | None
    remaining_months: int
    met: bool = False
    reachable: bool = True
    # The calendar year has ended (every month of it is over). ``remaining_months`` can be 0
    # earlier, when December is entered before it ends: its value may still change.
    year_over: bool = False


@dataclass(frozen=True)
class Projection:
    """The indicator's figures at year end if the current pace holds."""

    months_counted: int
    value_to_date: Decimal | None
    projected_value: Decimal | None
    projected_capaian: Decimal | None
    at_risk: bool
    need: Need | None


def _check_month(name: str, month: int) -> None:
    if not 0 <= month <= MONTHS_IN_YEAR:
        raise ValueError(f"{name} harus 0–12 (tertulis {month}).")


def months_counted(*, months_closed: int, last_month_with_value: int | None) -> int:
    """The number of months the pace is measured over (project rule, module docstring).

    ``months_closed`` is the number of months of the year that have ended (0 in January, 12 for a
    past year). A later month that already has a value also counts:
    ``max(months_closed, last_month_with_value)``.

    >>> months_counted(months_closed=6, last_month_with_value=4)
    6
    >>> months_counted(months_closed=6, last_month_with_value=7)
    7
    """
    _check_month("Jumlah bulan yang telah berakhir", months_closed)
    last = last_month_with_value or 0
    _check_month("Bulan terakhir yang berisi realisasi", last)
    return max(months_closed, last)


def _full_monthly(monthly_targets: Sequence[Decimal | None] | None) -> list[Decimal] | None:
    if not monthly_targets:
        return None
    planned = [t for t in monthly_targets if t is not None]
    return planned if len(planned) == MONTHS_IN_YEAR else None


def _checked_values(values: Mapping[int, Decimal], months: int) -> dict[int, Decimal]:
    checked: dict[int, Decimal] = {}
    for month, value in values.items():
        if not 1 <= month <= MONTHS_IN_YEAR:
            raise ValueError(f"Bulan harus 1–12 (tertulis {month}).")
        if month > months:
            raise ValueError(
                f"Realisasi bulan {month} berada di luar {months} bulan yang dihitung."
            )
        checked[month] = ensure_finite("Realisasi", value)
    return checked


def projected_value(
    values: Mapping[int, Decimal],
    aggregation: Aggregation | str,
    months: int,
    *,
    target: Decimal | None = None,
    monthly_targets: Sequence[Decimal | None] | None = None,
) -> Decimal | None:
    """The value the year ends with if the current pace holds (project rule, module docstring).

    ``values`` are the monthly realisations (month → value) of the ``months`` counted. A sum
    projects ``value to date / months × 12`` (0 when the months counted have no value at all),
    or, with 12 ``monthly_targets`` and the annual ``target``, ``value to date / planned to date ×
    target``. A level (average, last, min, max) projects its current value. None when nothing
    can be said yet: no month counted, or a level with no value.
    """
    method = Aggregation(aggregation)
    _check_month("Jumlah bulan yang dihitung", months)
    checked = _checked_values(values, months)
    if months == 0:
        return None
    if method is not Aggregation.SUM:
        return aggregate(checked, method)
    to_date = Fraction(sum(checked.values(), Decimal(0)))
    planned = _full_monthly(monthly_targets)
    if planned is not None and target is not None:
        planned_to_date = Fraction(sum(planned[:months], Decimal(0)))
        if planned_to_date > 0:
            return to_decimal(to_date / planned_to_date * Fraction(target))
    return to_decimal(to_date / months * MONTHS_IN_YEAR)


def is_at_risk(projected_capaian: Decimal | None, threshold: RiskThreshold = DEFAULT_RISK) -> bool:
    """True when a projected capaian exists and is below the threshold (default 90)."""
    if projected_capaian is None:
        return False
    return ensure_finite("Capaian", projected_capaian) < threshold.capaian_below


def _non_negative(value: Fraction) -> Decimal:
    return to_decimal(max(value, Fraction(0)))


def needed(
    *,
    target: Decimal,
    polarity: Polarity | str,
    aggregation: Aggregation | str,
    values: Mapping[int, Decimal],
    months: int,
    months_closed: int | None = None,
) -> Need:
    """What the remaining ``12 − months`` months need for the year to reach ``target``.

    * Sum, higher is better: ``(target − value to date) / remaining`` at least per month; met
      (amount 0) once the value to date reaches the target.
    * Sum, lower is better: ``(target − value to date) / remaining`` at most per month; not
      reachable once the value to date is above the target.
    * Average: the remaining months (assumed all entered) must average
      ``(target × (n + remaining) − sum so far) / remaining``, where ``n`` months have values; at
      least (higher) or at most (lower). Met when that is ≤ 0 (higher); unreachable when it is
      < 0 (lower).
    * Last: the final (December) value must reach the target (at least / at most).
    * Min, higher / max, lower: every remaining month must stay at or beyond the target, and the
      months so far must already be; otherwise unreachable.
    * Max, higher / min, lower: one month at or beyond the target is enough; met if one already is.

    With no month remaining the amount is None and ``met`` says whether the year reached it;
    ``year_over`` says whether the year has really ended (``months_closed`` = 12, the number of
    months that have ended; when it is not given, the months counted are taken as ended).
    """
    method, polarity = Aggregation(aggregation), Polarity(polarity)
    target = ensure_finite("Target", target)
    if target < 0:
        raise ValueError(f"Target tidak boleh negatif (tertulis {target}).")
    _check_month("Jumlah bulan yang dihitung", months)
    checked = _checked_values(values, months)
    remaining = MONTHS_IN_YEAR - months
    higher = polarity is Polarity.HIGHER_IS_BETTER
    comparison = Comparison.AT_LEAST if higher else Comparison.AT_MOST
    kind = {
        Aggregation.SUM: NeedKind.PER_MONTH,
        Aggregation.AVERAGE: NeedKind.MONTHLY_AVERAGE,
        Aggregation.LAST: NeedKind.FINAL_VALUE,
        Aggregation.MIN: NeedKind.EVERY_MONTH if higher else NeedKind.ONE_MONTH,
        Aggregation.MAX: NeedKind.ONE_MONTH if higher else NeedKind.EVERY_MONTH,
    }[method]
    t = Fraction(target)
    current = aggregate(checked, method)

    def reached(value: Decimal | None) -> bool:
        if value is None:
            return False
        return value >= target if higher else value <= target

    if months_closed is not None:
        _check_month("Jumlah bulan yang telah berakhir", months_closed)
    if remaining == 0:
        over = months_closed is None or months_closed == MONTHS_IN_YEAR
        met = reached(current)
        return Need(kind, comparison, None, 0, met=met, reachable=met, year_over=over)

    if method is Aggregation.SUM:
        gap = t - Fraction(sum(checked.values(), Decimal(0)))
        if higher:
            if gap <= 0:
                return Need(kind, comparison, Decimal(0), remaining, met=True)
            return Need(kind, comparison, to_decimal(gap / remaining), remaining)
        if gap < 0:
            return Need(kind, comparison, None, remaining, reachable=False)
        return Need(kind, comparison, to_decimal(gap / remaining), remaining)

    if method is Aggregation.AVERAGE:
        n = len(checked)
        required = (t * (n + remaining) - Fraction(sum(checked.values(), Decimal(0)))) / remaining
        if higher:
            if required <= 0:
                return Need(kind, comparison, Decimal(0), remaining, met=True)
            return Need(kind, comparison, to_decimal(required), remaining)
        if required < 0:
            return Need(kind, comparison, None, remaining, reachable=False)
        return Need(kind, comparison, to_decimal(required), remaining)

    if kind is NeedKind.FINAL_VALUE:
        return Need(kind, comparison, target, remaining)
    if kind is NeedKind.ONE_MONTH:
        if reached(current):
            return Need(kind, comparison, None, remaining, met=True)
        return Need(kind, comparison, target, remaining)
    # EVERY_MONTH: the months so far must already hold the level.
    if current is not None and not reached(current):
        return Need(kind, comparison, None, remaining, reachable=False)
    return Need(kind, comparison, _non_negative(t), remaining)


def project(
    *,
    target: Decimal,
    polarity: Polarity | str,
    aggregation: Aggregation | str,
    values: Mapping[int, Decimal],
    months_closed: int,
    monthly_targets: Sequence[Decimal | None] | None = None,
    threshold: RiskThreshold = DEFAULT_RISK,
) -> Projection:
    """Everything monitoring shows for one indicator: the months counted, the value to date, the
    projected value and capaian at year end, whether it is at risk, and what is needed
    (project rules in the module docstring; capaian by DOMAIN §1).

    ``months_closed`` is the number of months of the year that have ended; ``values`` the monthly
    realisations entered so far (month → value).
    """
    method, polarity = Aggregation(aggregation), Polarity(polarity)
    last = max(values) if values else None
    months = months_counted(months_closed=months_closed, last_month_with_value=last)
    checked = _checked_values(values, months)
    if method is Aggregation.SUM:
        to_date: Decimal | None = sum(checked.values(), Decimal(0)) if months else None
    else:
        to_date = aggregate(checked, method)
    projected = projected_value(
        checked, method, months, target=target, monthly_targets=monthly_targets
    )
    projected_capaian = capaian(target, projected, polarity) if projected is not None else None
    need = (
        needed(
            target=target,
            polarity=polarity,
            aggregation=method,
            values=checked,
            months=months,
            months_closed=months_closed,
        )
        if months or checked
        else None
    )
    return Projection(
        months_counted=months,
        value_to_date=to_date,
        projected_value=projected,
        projected_capaian=projected_capaian,
        at_risk=is_at_risk(projected_capaian, threshold),
        need=need,
    )
