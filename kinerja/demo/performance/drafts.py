"""The plans of the performance demo while they are built in memory, and the small helpers of
its dates and targets."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from kinerja.organisation.models import Employee
from kinerja.performance.models import Indicator, Plan, Rhk

from .catalogue import LEVEL_UNITS


def _nice(value: Decimal, unit: str) -> Decimal:
    """A target a person would write: whole numbers for counts, rounded to 5/10/50."""
    if unit in LEVEL_UNITS or value < 20:
        return value.quantize(Decimal(1) if value >= 10 else Decimal("0.5"), ROUND_HALF_UP)
    step = Decimal(50) if value >= 1000 else Decimal(10) if value >= 100 else Decimal(5)
    return max((value / step).quantize(Decimal(1), ROUND_HALF_UP) * step, step)


@functools.lru_cache(maxsize=4096)
def _moment(day: date, hour: int, now: datetime) -> datetime:
    """`day` at `hour` in the regency's time zone, but never after `now`."""
    return min(timezone.make_aware(datetime.combine(day, time(hour, 0))), now)


def _month_start(year: int, month: int) -> date:
    return date(year + (month > 12), (month - 1) % 12 + 1, 1)


@dataclass(frozen=True)
class Entry:
    """A realisation written by the demo, remembered for feedback and evidence."""

    id: int
    indicator: Indicator
    month: int
    value: Decimal


@dataclass
class PlanDraft:
    """One employee's plan while it is being built in memory."""

    plan: Plan
    employee: Employee
    profile: str
    factor: float
    approver_id: int | None
    user_id: int | None
    rhks: list[Rhk] = field(default_factory=list)
    indicators: dict[int, list[Indicator]] = field(default_factory=lambda: defaultdict(list))
    behaviours: list[tuple[int, int, str, str]] = field(
        default_factory=list
    )  # id, plan, code, text
