"""Reads of community participation: who may see which unit (kinerja.organisation.access), and the
survey results, computed by kinerja.rules.skm from SQL sums over the daily totals (SurveyDay),
never from a loop over responses.

Two functions are the performance app's entry points: :func:`ikm_for_service_month` and
:func:`complaints_on_time_percent`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import Avg, Case, Count, F, Model, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.utils import timezone

from kinerja.organisation import access
from kinerja.organisation.models import Unit, User
from kinerja.rules.calendar import MONTHS
from kinerja.rules.numbers import round2
from kinerja.rules.periods import Period, Periodicity
from kinerja.rules.skm import UNSUR, IkmResult, ikm_from_totals, is_representative, min_sample
from kinerja.rules.skm import weakest_unsur as rules_weakest_unsur
from kinerja.rules.workdays import on_time_percent

from .choices import (
    DEFAULT_QUESTIONS,
    DIMENSION_VALUES,
    ComplaintStatus,
    PostStatus,
    ProfileDimension,
)
from .models import (
    Complaint,
    ForumPost,
    ForumTopic,
    KioskDevice,
    Service,
    ServicePopulation,
    SurveyDay,
    SurveyProfileDay,
    SurveyQuestion,
    SurveyResponse,
)
from .protection import token_hash

# --- Questionnaire --------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    code: str
    name: str
    question: str
    labels: tuple[str, str, str, str]

    @property
    def field(self) -> str:
        return self.code.lower()


def questionnaire() -> list[Question]:
    """The nine questions in order: the regency's wording (SurveyQuestion) over the defaults
    (PermenPANRB 14/2017; kinerja.rules.skm.UNSUR)."""
    custom = {q.code: q for q in SurveyQuestion.objects.all()}
    questions = []
    for unsur in UNSUR:
        row = custom.get(unsur.code)
        if row is None:
            questions.append(
                Question(unsur.code, unsur.name, DEFAULT_QUESTIONS[unsur.code], unsur.labels)
            )
        else:
            labels = (row.label_1, row.label_2, row.label_3, row.label_4)
            questions.append(Question(unsur.code, unsur.name, row.question, labels))
    return questions


# --- Access-scoped reads --------------------------------------------------------------------


def public_units() -> QuerySet[Unit]:
    return Unit.objects.filter(serves_public=True, is_active=True)


def staff_units() -> QuerySet[Unit]:
    """The units with a public-services page for staff: public-facing units and their OPDs (an
    OPD's page pools the services of its whole tree)."""
    return Unit.objects.filter(
        Q(serves_public=True) | Q(pk__in=public_units().values("opd_id")), is_active=True
    )


def units_readable_by(user: User | None) -> QuerySet[Unit]:
    return staff_units().filter(access.public_unit_read_filter(user))


def units_administered_by(user: User | None) -> QuerySet[Unit]:
    return staff_units().filter(access.public_unit_admin_filter(user))


_M = TypeVar("_M", bound=Model)


def _get_or_404(qs: QuerySet[_M], **lookup: Any) -> _M:
    try:
        return qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unit_for_reader(user: User | None, unit_id: int) -> Unit:
    return _get_or_404(units_readable_by(user).select_related("opd"), pk=unit_id)


def unit_for_admin(user: User | None, unit_id: int) -> Unit:
    return _get_or_404(units_administered_by(user).select_related("opd"), pk=unit_id)


def service_public(code: str) -> Service:
    """An active service of an active public unit, by its code in any case (for citizens)."""
    qs = Service.objects.select_related("unit").filter(
        is_active=True, unit__serves_public=True, unit__is_active=True
    )
    return _get_or_404(qs, code=(code or "").upper())


def service_for_reader(user: User | None, code: str) -> Service:
    qs = Service.objects.select_related("unit", "unit__opd").filter(
        unit__in=units_readable_by(user)
    )
    return _get_or_404(qs, code=(code or "").upper())


def service_for_admin(user: User | None, code: str) -> Service:
    qs = Service.objects.select_related("unit", "unit__opd").filter(
        unit__in=units_administered_by(user)
    )
    return _get_or_404(qs, code=(code or "").upper())


def services_of(unit: Unit) -> QuerySet[Service]:
    return Service.objects.filter(unit=unit).order_by("name")


SERVICE_COLUMNS = ("id", "unit_id", "code", "name", "is_active", "ask_counter", "counters")


def kiosk_device_for_token(token: str) -> KioskDevice | None:
    """The active device holding `token`, with its service, or None.

    The kiosk API runs this on every questionnaire, so it is one hand-written indexed query
    (about 0.03 ms, where the ORM's select_related takes 0.5 ms to build) and the two objects
    are made with Model.from_db, as the ORM would."""
    if not token or len(token) > 200:
        return None
    q = connection.ops.quote_name
    columns = ", ".join(f"s.{q(c)}" for c in SERVICE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.{q('id')}, d.{q('name')}, {columns} FROM {q(KioskDevice._meta.db_table)} d "
            f"JOIN {q(Service._meta.db_table)} s ON s.{q('id')} = d.{q('service_id')} "
            f"WHERE d.{q('token_hash')} = %s AND d.{q('revoked_at')} IS NULL",
            [token_hash(token)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    device_id, name, service_id, unit_id, code, service_name, active, ask_counter, counters = row
    service = Service.from_db(
        connection.alias,
        list(SERVICE_COLUMNS),
        [service_id, unit_id, code, service_name, bool(active), bool(ask_counter), counters],
    )
    device = KioskDevice.from_db(
        connection.alias, ["id", "name", "service_id"], [device_id, name, service_id]
    )
    device.service = service
    return device


def devices_of(service: Service) -> QuerySet[KioskDevice]:
    """The service's devices with how many questionnaires each sent and when last."""
    from django.db.models import Max

    return (
        KioskDevice.objects.filter(service=service)
        .annotate(submissions=Count("responses"), last_used=Max("responses__submitted_at"))
        .select_related("created_by", "revoked_by")
    )


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
    return _get_or_404(qs, pk=pk)


def complaint_by_code(code: str) -> Complaint | None:
    return (
        Complaint.objects.select_related("unit", "service")
        .filter(tracking_code=code, removed_at__isnull=True)
        .first()
    )


# --- Survey results -------------------------------------------------------------------------


@dataclass(frozen=True)
class UnsurRow:
    code: str
    name: str
    nrr: Decimal | None
    weighted: Decimal | None  # NRR × 1/9, for the report table

    @property
    def nrr2(self) -> Decimal | None:
        return None if self.nrr is None else round2(self.nrr)

    @property
    def percent(self) -> int:
        """Width of the NRR bar (NRR 1–4 → 25–100)."""
        return 0 if self.nrr is None else int(self.nrr * 25)


@dataclass(frozen=True)
class SurveyResult:
    """An IKM (kinerja.rules.skm.IkmResult) with the population and minimum sample of its period.

    `population` is the sum of the recorded monthly populations (ServicePopulation) of the
    services and months concerned, None when none was recorded; then `min_sample` is None and the
    result is not representative."""

    ikm: IkmResult
    population: int | None = None

    @property
    def respondents(self) -> int:
        return self.ikm.respondents

    @property
    def min_sample(self) -> int | None:
        return None if self.population is None else min_sample(self.population)

    @property
    def representative(self) -> bool:
        if self.population is None:
            return False
        return is_representative(self.ikm.respondents, self.population)

    @property
    def weakest(self) -> str | None:
        return rules_weakest_unsur(self.ikm)

    @property
    def weakest_name(self) -> str:
        code = self.weakest
        return next((u.name for u in UNSUR if u.code == code), "")

    @property
    def unsur_rows(self) -> list[UnsurRow]:
        return [
            UnsurRow(u.code, u.name, nrr, None if nrr is None else nrr / 9)
            for u, nrr in zip(UNSUR, self.ikm.nrr, strict=True)
        ]


EMPTY_TOTALS: dict[str, int] = dict.fromkeys(SurveyDay.TOTAL_FIELDS, 0)


def result_from_totals(totals: Mapping[str, Any], population: int | None = None) -> SurveyResult:
    sums = [int(totals.get(f) or 0) for f in SurveyDay.SUM_FIELDS]
    counts = [int(totals.get(f) or 0) for f in SurveyDay.COUNT_FIELDS]
    ikm = ikm_from_totals(sums, counts, int(totals.get("respondents") or 0))
    return SurveyResult(ikm=ikm, population=population)


def _sums() -> dict[str, Sum]:
    return {f: Sum(f) for f in SurveyDay.TOTAL_FIELDS}


def _months_q(start: date, end: date) -> Q:
    """ServicePopulation rows of the months from `start` to `end` (whole months)."""
    after = Q(year__gt=start.year) | Q(year=start.year, month__gte=start.month)
    before = Q(year__lt=end.year) | Q(year=end.year, month__lte=end.month)
    return after & before


def survey_result(*, scope: Q, start: date, end: date) -> SurveyResult:
    """The IKM of the services selected by `scope` (a filter on `service`, e.g.
    ``Q(service__unit__path__startswith=...)``) for survey dates from `start` to `end`: two
    aggregate queries, over at most one SurveyDay row per service and day."""
    totals = SurveyDay.objects.filter(scope, day__gte=start, day__lte=end).aggregate(**_sums())
    population = ServicePopulation.objects.filter(scope, _months_q(start, end)).aggregate(
        n=Sum("population")
    )["n"]
    return result_from_totals(totals, population)


def survey_results_by(*, key: str, scope: Q, start: date, end: date) -> dict[Any, SurveyResult]:
    """Results grouped by `key` (e.g. "service_id", "service__unit_id", "service__unit__opd_id")
    in two queries; groups without responses are absent."""
    rows = (
        SurveyDay.objects.filter(scope, day__gte=start, day__lte=end)
        .values(key)
        .annotate(**_sums())
        .order_by()
    )
    populations = dict(
        ServicePopulation.objects.filter(scope, _months_q(start, end))
        .values(key)
        .annotate(n=Sum("population"))
        .order_by()
        .values_list(key, "n")
    )
    return {row[key]: result_from_totals(row, populations.get(row[key])) for row in rows}


def unit_scope(unit: Unit) -> Q:
    """The services of `unit` and of the units below it."""
    return Q(service__unit__path__startswith=unit.path)


@dataclass(frozen=True)
class TrendPoint:
    month: int
    label: str
    result: SurveyResult


def monthly_trend(*, scope: Q, year: int) -> list[TrendPoint]:
    """The IKM of each month of `year` (one query)."""
    rows = (
        SurveyDay.objects.filter(scope, day__gte=date(year, 1, 1), day__lte=date(year, 12, 31))
        .annotate(m=ExtractMonth("day"))
        .values("m")
        .annotate(**_sums())
        .order_by("m")
    )
    by_month = {row["m"]: row for row in rows}
    return [
        TrendPoint(m, MONTHS[m - 1][:3], result_from_totals(by_month.get(m, EMPTY_TOTALS)))
        for m in range(1, 13)
    ]


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    count: int
    percent: Decimal


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    label: str
    rows: list[BreakdownRow]


def profile_breakdown(*, scope: Q, start: date, end: date) -> list[Breakdown]:
    """Respondents by sex, age band, education, occupation, time slot and channel (one query)."""
    counts: dict[tuple[str, str], int] = {
        (row["dimension"], row["value"]): row["n"]
        for row in SurveyProfileDay.objects.filter(scope, day__gte=start, day__lte=end)
        .values("dimension", "value")
        .annotate(n=Sum("count"))
        .order_by()
    }
    result = []
    for dimension in ProfileDimension:
        values = [*DIMENSION_VALUES[dimension], ("", "Tidak diisi")]
        total = sum(n for (d, _v), n in counts.items() if d == dimension)
        rows = [
            BreakdownRow(
                str(label),
                counts.get((dimension, key), 0),
                round2(Decimal(counts.get((dimension, key), 0) * 100) / total)
                if total
                else Decimal(0),
            )
            for key, label in values
            if key or counts.get((dimension, key), 0)
        ]
        result.append(Breakdown(str(dimension), str(dimension.label), rows))
    return result


def suggestions(
    *, scope: Q, start: date, end: date, limit: int = 20
) -> tuple[int, list[SurveyResponse]]:
    """How many questionnaires carry a suggestion, and the latest `limit` of them."""
    qs = SurveyResponse.objects.filter(scope, survey_date__gte=start, survey_date__lte=end).exclude(
        suggestion=""
    )
    latest = list(
        qs.select_related("service")
        .only("suggestion", "survey_date", "service__name", "service__code")
        .order_by("-survey_date", "-id")[:limit]
    )
    return qs.count(), latest


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


# --- Entry points for the performance app ---------------------------------------------------


def ikm_for_service_month(service_code: str, year: int, month: int) -> IkmResult:
    """The IKM (PermenPANRB 14/2017) of one service for the questionnaires whose survey date lies
    in `month` of `year`, exactly as kinerja.rules.skm.ikm_from_totals computes it from the sums
    and counts per unsur. An empty or incomplete month gives an IkmResult whose `converted` is
    None (see IkmResult). Raises Service.DoesNotExist for an unknown code (any case) and
    ValueError for an impossible month."""
    period = Period(year, Periodicity.MONTHLY, month)
    if not 1 <= month <= 12:
        raise ValueError(f"Bulan {month} tidak ada.")
    service = Service.objects.only("pk").get(code=service_code.upper())
    totals = SurveyDay.objects.filter(
        service=service, day__gte=period.start, day__lte=period.end
    ).aggregate(**_sums())
    return result_from_totals(totals).ikm


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


# --- Forum ----------------------------------------------------------------------------------


def forum_topics(*, unit: Unit | None = None, q: str = "") -> QuerySet[ForumTopic]:
    """Visible topics with the number of published posts, newest activity first."""
    qs = ForumTopic.objects.filter(is_visible=True).select_related("unit", "service", "started_by")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    for word in (q or "").split()[:5]:
        qs = qs.filter(title__icontains=word)
    return qs.annotate(
        published=Count("posts", filter=Q(posts__status=PostStatus.PUBLISHED))
    ).order_by("-last_post_at", "-id")


def topic_public(pk: int) -> ForumTopic:
    return _get_or_404(
        ForumTopic.objects.filter(is_visible=True).select_related("unit", "service", "started_by"),
        pk=pk,
    )


def topic_posts(topic: ForumTopic, *, participant_id: int | None = None) -> list[ForumPost]:
    """The published posts of a topic, plus the reader's own posts waiting for moderation."""
    shown = Q(status=PostStatus.PUBLISHED)
    if participant_id:
        shown |= Q(status=PostStatus.PENDING, participant_id=participant_id)
    return list(
        topic.posts.filter(shown).select_related("participant", "author", "author__employee")
    )


def post_public(pk: int) -> ForumPost:
    return _get_or_404(
        ForumPost.objects.filter(
            status=PostStatus.PUBLISHED, topic__is_visible=True
        ).select_related("topic"),
        pk=pk,
    )


def moderation_queue(user: User | None) -> QuerySet[ForumPost]:
    """Posts waiting for moderation or reported, in the units `user` administers."""
    return (
        ForumPost.objects.filter(topic__unit__in=units_administered_by(user))
        .filter(
            Q(status=PostStatus.PENDING)
            | Q(reports__gt=0, moderated_at__isnull=True)
            | Q(status=PostStatus.HIDDEN, moderated_at__isnull=True)
        )
        .select_related("topic", "topic__unit", "participant")
        .order_by("created_at", "id")
    )


def moderated_post_for_admin(user: User | None, pk: int) -> ForumPost:
    return _get_or_404(
        ForumPost.objects.filter(topic__unit__in=units_administered_by(user)).select_related(
            "topic", "participant"
        ),
        pk=pk,
    )


@dataclass
class Target:
    """A unit with its active services, for the "which unit or service" selectors."""

    unit: Unit
    services: list[Service] = field(default_factory=list)


def public_targets() -> list[Target]:
    """Every public unit with its active services (two queries), ordered by the unit tree."""
    targets = {u.pk: Target(u) for u in public_units().order_by("path")}
    for service in Service.objects.filter(is_active=True, unit_id__in=targets).order_by("name"):
        targets[service.unit_id].services.append(service)
    return list(targets.values())
