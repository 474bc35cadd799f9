"""Reads of complaints: the inbox, a complaint by tracking code, and the handling figures.
:func:`complaints_on_time_percent` is the performance app's entry point.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Case, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from kinerja.organisation.models import Unit, User
from kinerja.rules.numbers import round2
from kinerja.rules.periods import Period, Periodicity
from kinerja.rules.workdays import on_time_percent

from ..choices import ComplaintStatus
from ..common import get_or_404, units_readable_by
from ..models import Complaint

# --- The inbox -------------------------------------------------------------------------------


def complaints_visible_to(user: User | None) -> QuerySet[Complaint]:
    return Complaint.objects.filter(
        unit__in=units_readable_by(user), removed_at__isnull=True
    ).select_related("unit", "service")


# The inbox's states, in the order of the filter chips: what needs action comes first.
INBOX_WAITING = "menunggu"  # the unit owes a response: the service-level clock runs
INBOX_OPEN = "open"  # not final (answered or not)
INBOX_OVERDUE = "terlambat"


def complaints_inbox_order(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """What needs action first: complaints the unit owes a response, by deadline (overdue at
    the top); then the other open ones, oldest first; then the closed ones, latest first.

    Explicit NULL placement: SQLite sorts NULL first, PostgreSQL last; the inbox once listed
    every answered complaint before the 18 open ones (issue 10)."""
    final = list(ComplaintStatus.final())
    return qs.annotate(
        inbox_group=Case(
            When(clock_due__isnull=False, then=Value(0)),
            When(~Q(status__in=final), then=Value(1)),
            default=Value(2),
        )
    ).order_by(
        "inbox_group",
        F("clock_due").asc(nulls_last=True),
        F("closed_at").desc(nulls_last=True),
        "received_at",
        "id",
    )


def complaint_state_counts(qs: QuerySet[Complaint], now: datetime) -> dict[str, int]:
    """How many complaints of `qs` are in each state of the inbox's filter, in one query."""
    final = list(ComplaintStatus.final())
    counts = qs.order_by().aggregate(
        all=Count("id"),
        **{
            INBOX_WAITING: Count("id", filter=Q(clock_due__isnull=False)),
            INBOX_OVERDUE: Count("id", filter=Q(clock_due__lt=now)),
            INBOX_OPEN: Count("id", filter=~Q(status__in=final)),
        },
        **{
            f"status_{value}": Count("id", filter=Q(status=value))
            for value in ComplaintStatus.values
        },
    )
    return {key: value or 0 for key, value in counts.items()}


def complaint_for_reader(user: User | None, pk: int) -> Complaint:
    qs = Complaint.objects.filter(unit__in=units_readable_by(user)).select_related(
        "unit", "unit__opd", "service"
    )
    return get_or_404(qs, pk=pk)


def complaint_by_code(code: str) -> Complaint | None:
    return (
        Complaint.objects.select_related("unit", "service")
        .filter(tracking_code=code, removed_at__isnull=True)
        .first()
    )


# --- Complaint figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintFigures:
    received: int = 0
    resolved: int = 0
    rejected: int = 0
    open: int = 0
    overdue: int = 0
    on_time: int = 0
    late: int = 0
    rated: int = 0
    average_rating: Decimal | None = None

    @property
    def on_time_percent(self) -> Decimal | None:
        return on_time_percent(self.on_time, self.late)


def _complaint_aggregates(now: datetime) -> dict[str, Any]:
    final = list(ComplaintStatus.final())
    return {
        "received": Count("id"),
        "resolved": Count("id", filter=Q(status=ComplaintStatus.RESOLVED)),
        "rejected": Count("id", filter=Q(status=ComplaintStatus.REJECTED)),
        "open": Count("id", filter=~Q(status__in=final)),
        "overdue": Count("id", filter=Q(clock_due__lt=now)),
        "on_time": Count(
            "id",
            filter=Q(
                first_response_at__isnull=False, first_response_at__lte=F("first_response_due")
            ),
        ),
        "late": Count(
            "id",
            filter=Q(first_response_at__gt=F("first_response_due"))
            | Q(first_response_at__isnull=True, first_response_due__lt=now),
        ),
        "rated": Count("rating"),
        "average_rating": Avg("rating"),
    }


def _figures(row: Mapping[str, Any]) -> ComplaintFigures:
    average = row.get("average_rating")
    return ComplaintFigures(
        received=row.get("received") or 0,
        resolved=row.get("resolved") or 0,
        rejected=row.get("rejected") or 0,
        open=row.get("open") or 0,
        overdue=row.get("overdue") or 0,
        on_time=row.get("on_time") or 0,
        late=row.get("late") or 0,
        rated=row.get("rated") or 0,
        average_rating=None if average is None else round2(Decimal(str(average))),
    )


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end, time.max, tzinfo=tz)


def complaint_figures(
    *, scope: Q, start: date, end: date, now: datetime | None = None
) -> ComplaintFigures:
    """Complaint handling of the complaints received from `start` to `end` (`scope` filters
    Complaint, e.g. ``Q(unit__path__startswith=...)``); spam removed is left out. One query."""
    low, high = _day_bounds(start, end)
    row = Complaint.objects.filter(
        scope, removed_at__isnull=True, received_at__gte=low, received_at__lte=high
    ).aggregate(**_complaint_aggregates(now or timezone.now()))
    return _figures(row)


def complaint_figures_by(
    *, key: str, scope: Q, start: date, end: date, now: datetime | None = None
) -> dict[Any, ComplaintFigures]:
    low, high = _day_bounds(start, end)
    rows = (
        Complaint.objects.filter(
            scope, removed_at__isnull=True, received_at__gte=low, received_at__lte=high
        )
        .values(key)
        .annotate(**_complaint_aggregates(now or timezone.now()))
        .order_by()
    )
    return {row[key]: _figures(row) for row in rows}


# --- Entry point for the performance app -----------------------------------------------------


def complaints_on_time_percent(unit_id: int, year: int, month: int) -> Decimal | None:
    """Share, in percent (2 decimals, half up), of the complaints received by a unit in a month
    whose first official response came within the service-level deadline.

    Precisely: the complaints (and suggestions) filed to the unit or to any unit below it whose
    `received_at` falls in `month` of `year` (local time), excluding those removed as spam. Each
    one is *on time* when its first official response (`first_response_at`: the first public
    message of the unit) is at or before `first_response_due` (the end of the
    PUBLIC_COMPLAINT_RESPONSE_WORKDAYS-th working day after the filing day, weekends and
    PUBLIC_HOLIDAYS skipped); *late* when that response came later, or has not come and the
    deadline has passed; and *not yet decided* (left out) when it has not come and the deadline
    is still ahead. Result = on time / (on time + late) × 100; None when no complaint is decided
    (none received, or all still within their deadline). A reopened complaint counts by its first
    response only. Raises Unit.DoesNotExist for an unknown unit."""
    unit = Unit.objects.only("path").get(pk=unit_id)
    period = Period(year, Periodicity.MONTHLY, month)
    figures = complaint_figures(
        scope=Q(unit__path__startswith=unit.path), start=period.start, end=period.end
    )
    return figures.on_time_percent
