"""Competency development hours (PP 11/2017 as amended by PP 17/2020; PerLAN 5/2018 and 10/2018;
UU 20/2023 Pasal 49).

Every PNS has the right and the duty to at least 20 JP (jam pelajaran) of competency development per
year, and 1 JP = 45 minutes (DOMAIN §4). Durations are recorded in minutes, the exact unit; JP are
derived for display and compliance is decided on minutes, so rounding never turns 19.99 JP into 20.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from kinerja.rules.numbers import ensure_finite, round2, round_half_up

__all__ = [
    "COMPLETION_THRESHOLD_PERCENT",
    "JP_REQUIRED_PER_YEAR",
    "MAX_JP_PER_DAY",
    "MINUTES_PER_JP",
    "MINUTES_REQUIRED_PER_YEAR",
    "SESSION_QUOTA_MAX",
    "JpTotals",
    "at_risk",
    "external_jp",
    "external_max_hours",
    "is_completed",
    "jp_from_minutes",
    "jp_totals",
    "learning_window",
    "meets_jp_requirement",
    "shortfall",
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


COMPLETION_THRESHOLD_PERCENT = Decimal("80")
"""Project rule (DOMAIN §4): a session is completed at ≥ 80% of its scheduled minutes attended,
configurable per programme."""

_ZERO = Decimal("0.00")


def _check_decimal(name: str, value: Decimal) -> Decimal:
    if not isinstance(value, Decimal):
        raise ValueError(f"{name} harus berupa Decimal (tertulis {value!r}).")
    return ensure_finite(name, value)


def is_completed(
    *,
    attended_minutes: int,
    scheduled_minutes: int,
    threshold_percent: Decimal = COMPLETION_THRESHOLD_PERCENT,
    post_test_passed: bool | None = None,
) -> bool:
    """Whether a participant completed a session (DOMAIN §4, project rule): attended at least
    `threshold_percent` of the scheduled minutes (decided exactly: attended × 100 ≥ scheduled ×
    threshold) and passed the post-test where the programme has one (`None`: no post-test).
    A session with no scheduled minutes is never completed."""
    _check_minutes(attended_minutes)
    _check_minutes(scheduled_minutes)
    _check_decimal("Ambang kehadiran", threshold_percent)
    if threshold_percent < 0 or threshold_percent > 100:
        raise ValueError(f"Ambang kehadiran harus 0–100% (tertulis {threshold_percent}).")
    if scheduled_minutes == 0:
        return False
    if post_test_passed is False:
        return False
    return Decimal(attended_minutes) * 100 >= Decimal(scheduled_minutes) * threshold_percent


def external_jp(hours: Decimal) -> Decimal:
    """The default JP of approved external learning (DOMAIN §4): hours × 60 / 45, rounded half
    up to 2 decimals (1.5 h → 2.00 JP; 1 h → 1.33; 2 h → 2.67). Negative hours raise."""
    _check_decimal("Jumlah jam", hours)
    if hours < 0:
        raise ValueError(f"Jumlah jam harus ≥ 0 (tertulis {hours}).")
    return round_half_up(Fraction(hours) * 60 / MINUTES_PER_JP, 2)


MAX_JP_PER_DAY = 16
"""Project rule: learning counts for at most 16 JP (12 hours) per calendar day of an activity.
DOMAIN §4 fixes 1 JP = 45 minutes but no daily maximum; 12 hours is well beyond a full working
day of classes, so no real activity is refused, while a slip such as 1000 hours for a two-day
seminar (meant: 10,00) is."""


def external_max_hours(started_on: date, ended_on: date) -> Decimal:
    """The most hours external learning from `started_on` to `ended_on` (both included) can
    claim: MAX_JP_PER_DAY × 45 minutes per calendar day, i.e. 12 hours a day (2 days → 24).
    An end before the start raises ``ValueError``."""
    if ended_on < started_on:
        raise ValueError("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    days = (ended_on - started_on).days + 1
    return Decimal(days * MAX_JP_PER_DAY * MINUTES_PER_JP) / 60


def learning_window(today: date) -> tuple[date, date]:
    """The dates a training session or a learning report may fall on: from 1 January of last
    year to 31 December of next year (project rule). JP count in the calendar year the learning
    was completed (DOMAIN §4), so last year's learning may still be recorded early in the new
    year, and next year's sessions are planned late in this one; a date outside is a slip of the
    keyboard (1900, 9999, 2062 for 2026)."""
    return date(today.year - 1, 1, 1), date(today.year + 1, 12, 31)


SESSION_QUOTA_MAX = 10_000
"""Project rule: the most seats one session can offer; far above any real class or webinar
of a regency (a few thousand civil servants), yet a number the database and pages hold."""


def shortfall(completed_jp: Decimal, required: int = JP_REQUIRED_PER_YEAR) -> Decimal:
    """JP still missing to reach `required` (20 JP, PP 11/2017 as amended), never negative,
    2 decimals."""
    _check_decimal("JP selesai", completed_jp)
    if isinstance(required, bool) or not isinstance(required, int) or required < 0:
        raise ValueError(f"Kewajiban JP harus bilangan bulat ≥ 0 (tertulis {required!r}).")
    missing = Decimal(required) - completed_jp
    return round2(max(missing, Decimal(0)))


@dataclass(frozen=True)
class JpTotals:
    """A person's JP in one calendar year (DOMAIN §4): completed (credited), enrolled but not yet
    done, and the shortfall to the requirement; each a 2-decimal Decimal."""

    completed_jp: Decimal
    enrolled_jp: Decimal
    shortfall_jp: Decimal


def jp_totals(
    completed_jp: Decimal, enrolled_jp: Decimal, required: int = JP_REQUIRED_PER_YEAR
) -> JpTotals:
    """The three figures of a year, each rounded half up to 2 decimals."""
    _check_decimal("JP selesai", completed_jp)
    _check_decimal("JP terdaftar", enrolled_jp)
    return JpTotals(
        completed_jp=round2(completed_jp),
        enrolled_jp=round2(enrolled_jp),
        shortfall_jp=shortfall(completed_jp, required),
    )


def at_risk(*, totals: JpTotals, months_left: int) -> bool:
    """Project rule for "people at risk" (issue 12: below 20 JP with too little enrolled for the
    months left), kept explainable: at risk when there is a shortfall and the sessions enrolled
    in do not cover it, or when there is a shortfall and no month is left after this one
    (`months_left` = whole months after the current one in the calendar year)."""
    if isinstance(months_left, bool) or not isinstance(months_left, int) or months_left < 0:
        raise ValueError(f"Sisa bulan harus bilangan bulat ≥ 0 (tertulis {months_left!r}).")
    if totals.shortfall_jp <= _ZERO:
        return False
    if months_left == 0:
        return True
    return totals.enrolled_jp < totals.shortfall_jp
