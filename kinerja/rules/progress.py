"""An indicator's figures to date and a plan's capaian to date, from monthly realisations.

Project rules (DOMAIN §1): realisations are recorded monthly and aggregated per the indicator's
rule (:mod:`kinerja.rules.realisation`); capaian compares the aggregated value with the target of
the months that hold a value (pro-rated for a sum) and with the annual target; the indicator's
status comes from the capaian to date (bands of PP 30/2019 Pasal 41). A plan's capaian to date
is the mean over its indicators that have a figure, with equal weights and no cap, so
over-achievement stays visible. Every page, dashboard and assessment computes them here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kinerja.rules.assessment import capaian, indicator_status
from kinerja.rules.enums import Polarity, Rating
from kinerja.rules.realisation import Aggregation, aggregate, target_basis, target_value

__all__ = ["Progress", "annual_capaian", "progress_to_date", "weighted_capaian"]


@dataclass(frozen=True)
class Progress:
    """An indicator's figures to date; None where there is nothing to compare yet."""

    value: Decimal | None = None
    target_to_date: Decimal | None = None
    capaian_year: Decimal | None = None
    capaian_to_date: Decimal | None = None
    status: Rating | None = None


def progress_to_date(
    *,
    target: Decimal,
    polarity: Polarity | str,
    aggregation: Aggregation | str,
    values: Mapping[int, Decimal],
    months_elapsed: int,
    monthly_targets: Sequence[Decimal | int | str | None] | None = None,
) -> Progress:
    """The figures of one indicator from its monthly ``values`` (month 1–12 → value) on a day
    when ``months_elapsed`` months of the year have started. Values of months not yet started
    are ignored; before the year starts (``months_elapsed`` ≤ 0) nothing is computed. A target
    that the zero-target rule refuses yields the value without capaian (never an error: the
    pages show the indicator and say nothing about its achievement)."""
    counted = {m: v for m, v in values.items() if m <= max(months_elapsed, 0)}
    value = aggregate(counted, aggregation)
    if value is None or months_elapsed <= 0:
        return Progress(value=value)
    monthly = [Decimal(str(t)) if t is not None else None for t in (monthly_targets or [])]
    base, twelfths = target_basis(target, sorted(counted), aggregation, monthly or None)
    to_date = target_value(base, twelfths)
    try:
        year = capaian(target, value, Polarity(polarity))
        so_far = capaian(base, value, Polarity(polarity), twelfths)
    except ValueError:
        return Progress(value=value, target_to_date=to_date)
    return Progress(value, to_date, year, so_far, indicator_status(so_far))


def annual_capaian(capaian_year: Decimal | None, capaian_to_date: Decimal | None) -> Decimal | None:
    """The capaian an annual evaluation rates an indicator on (DOMAIN §1, "annual from
    periodic": the indicators' annual capaian), from its :class:`Progress` after twelve months.

    Project rule: a month left unrecorded never raises the figure. With all twelve months
    recorded the annual capaian and the capaian to date are one; with months missing, a sum
    that should be high counts them as nothing (the annual capaian is the lower), and one that
    should be low (complaints) is judged on the months recorded (the capaian to date is the
    lower), never rewarded for the months left out. None without a figure."""
    if capaian_year is None or capaian_to_date is None:
        return capaian_to_date
    return min(capaian_year, capaian_to_date)


def weighted_capaian(figures: Iterable[Decimal | None]) -> Decimal | None:
    """A plan's capaian to date: the mean of its indicators' capaian to date, leaving out those
    without a figure (equal weights; over-achievement counts, uncapped). None when none has
    one."""
    present = [f for f in figures if f is not None]
    if not present:
        return None
    return sum(present, Decimal(0)) / len(present)
