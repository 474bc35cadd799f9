"""Writes of monitoring: the precomputed figures and the live-update feed (derived data only).

Figures are computed by the performance app's own progress functions
(performance.selectors.indicator_figures, the call behind the pages' indicator_progress, and
kinerja.rules: weighted_capaian, capaian, target_basis, projection); nothing here
re-implements a formula. Plans' indicators and realisations are read
as light tuples (FigureIndicator, FigureEntry), not model instances. Three entry
points keep them true:

* `person_figures_refresh` — one employee-year, after a change of their plan, realisations or
  feedback (a handful of indexed queries; the events subscriber runs its two halves,
  `person_figures_compute` and `person_figures_store`, after commit);
* `unit_figures_refresh` — one unit-year, from the person figures of its own employees
  (a background task after a person refresh);
* `figures_rebuild` — everything, in bulk (`manage.py monitoring_rebuild`, the demo seed).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from kinerja.core.bulk import RowWriter
from kinerja.core.calendar import months_closed, months_due, months_started
from kinerja.organisation.access import under
from kinerja.organisation.models import Employee, Unit
from kinerja.performance.choices import IndicatorSource, PlanStatus
from kinerja.performance.models import Comment, Indicator, Plan, Realisation
from kinerja.performance.selectors import PlanYear, indicator_figures
from kinerja.rules.assessment import capaian
from kinerja.rules.enums import Polarity
from kinerja.rules.progress import weighted_capaian
from kinerja.rules.projection import DEFAULT_RISK, RiskThreshold, project
from kinerja.rules.realisation import target_basis

from . import hub
from .models import ChangeEvent, PersonFigures, TeamFigures, UnitFigures

logger = logging.getLogger(__name__)

# A month's statistics in PersonFigures.months and UnitFigures.months.
EXPECTED, ENTERED, ON_TIME, CAPAIAN_SUM, CAPAIAN_N = range(5)


def risk_threshold() -> RiskThreshold:
    """The configured at-risk threshold (MONITORING_AT_RISK_BELOW, default 90)."""
    value = getattr(settings, "MONITORING_AT_RISK_BELOW", None)
    return DEFAULT_RISK if value is None else RiskThreshold(Decimal(str(value)))


def empty_months() -> list[list[Any]]:
    """Twelve months of empty statistics, in the layout above (the figures' and the boards')."""
    return [[0, 0, 0, 0.0, 0] for _ in range(12)]


def decimal_list(values: Sequence[Any] | None) -> list[Decimal | None] | None:
    """Stored monthly targets (JSON numbers or strings) as Decimals; None when there are none."""
    if not values:
        return None
    return [Decimal(str(v)) if v is not None else None for v in values]


# --- One person -----------------------------------------------------------------------------


@dataclass
class CommentStats:
    count: int = 0
    last_at: datetime | None = None
    last_reply_at: datetime | None = None


def indicator_risks(
    indicators: Iterable[Mapping[str, Any]], closed: int, threshold: RiskThreshold | None = None
) -> list[dict[str, Any]]:
    """The indicators (as stored in PersonFigures.indicators) that are at risk with `closed`
    months ended: [{"id", "name", "pc": projected capaian}]. Pure: no query."""
    threshold = threshold or risk_threshold()
    risks = []
    for item in indicators:
        values = {int(m): Decimal(v) for m, v in item["v"].items()}
        try:
            projection = project(
                target=Decimal(item["t"]),
                polarity=item["p"],
                aggregation=item["a"],
                values=values,
                months_closed=closed,
                monthly_targets=decimal_list(item.get("mt")),
                threshold=threshold,
            )
        except ValueError:
            continue  # an indicator the rules cannot judge (e.g. bad stored target) is skipped
        if projection.at_risk:
            risks.append(
                {"id": item["id"], "name": item["n"], "pc": str(projection.projected_capaian)}
            )
    return risks


class FigureIndicator(NamedTuple):
    """An indicator as the figures need it (read with ``values_list``, see FigureEntry)."""

    pk: int
    plan_id: int
    name: str
    unit_of_measure: str
    target: Decimal
    polarity: str
    aggregation: str
    monthly_targets: list[Any] | None
    source: str


FIGURE_INDICATOR_FIELDS = (
    "id",
    "rhk__plan_id",
    "name",
    "unit_of_measure",
    "target",
    "polarity",
    "aggregation",
    "monthly_targets",
    "source",
)


def figure_indicators(indicators: QuerySet[Indicator]) -> list[FigureIndicator]:
    """The indicators of a queryset as light rows, in the plan's order."""
    return [
        FigureIndicator(*values)
        for values in indicators.order_by("rhk__order", "order", "id").values_list(
            *FIGURE_INDICATOR_FIELDS
        )
    ]


def _monthly_capaian(
    indicator: FigureIndicator | Indicator, month: int, value: Decimal
) -> Decimal | None:
    """The capaian of one month's value against that month's target (kinerja.rules)."""
    try:
        base, twelfths = target_basis(
            indicator.target,
            [month],
            indicator.aggregation,
            decimal_list(indicator.monthly_targets),
        )
        return capaian(base, value, Polarity(indicator.polarity), twelfths)
    except ValueError:
        return None


def compute_person(
    *,
    employee_id: int,
    year: int,
    plan: Plan | None,
    indicators: Sequence[FigureIndicator | Indicator],
    realisations: Mapping[int, Sequence[FigureEntry | Realisation]],
    comments: CommentStats,
    today: date | None = None,
) -> PersonFigures:
    """The (unsaved) figures of one employee-year from already loaded rows."""
    today = today or timezone.localdate()
    row = PersonFigures(employee_id=employee_id, year=year, refreshed_at=timezone.now())
    row.months = empty_months()
    row.trend = [None] * 12
    if plan is None:
        return row
    row.plan_id, row.plan_status, row.assessor_id = plan.pk, plan.status, plan.assessor_id
    elapsed = months_started(year, today)
    closed = months_closed(year, today)
    open_for_entries = plan.accepts_realisations
    capaians = []
    stored = []
    entries: list[FigureEntry | Realisation] = []
    for indicator in indicators:
        own = realisations.get(indicator.pk, ())
        entries.extend(own)
        # The same call as the pages' (performance.selectors.indicator_progress).
        capaians.append(indicator_figures(indicator, own, elapsed).capaian_to_date)
        manual = indicator.source == IndicatorSource.MANUAL
        for m in range(12):
            if manual and open_for_entries:
                row.months[m][EXPECTED] += 1
        for r in own:
            stats = row.months[r.month - 1]
            if manual:
                stats[ENTERED] += 1
                stats[ON_TIME] += 0 if r.is_late else 1
            if r.month <= max(elapsed, 0):
                monthly = _monthly_capaian(indicator, r.month, r.value)
                if monthly is not None:
                    stats[CAPAIAN_SUM] += float(monthly)
                    stats[CAPAIAN_N] += 1
        stored.append(
            {
                "id": indicator.pk,
                "n": indicator.name,
                "u": indicator.unit_of_measure,
                "t": str(indicator.target),
                "p": indicator.polarity,
                "a": indicator.aggregation,
                "mt": [str(v) if v is not None else None for v in indicator.monthly_targets]
                if indicator.monthly_targets
                else None,
                "v": {str(r.month): str(r.value) for r in own if r.month <= max(elapsed, 0)},
            }
        )
    row.indicator_count = len(indicators)
    # As stored (DecimalField, 4 places, rounded half-even as Django does): the bulk rebuild adds
    # the rows it computes to the units' sums, a unit's refresh the stored rows; unrounded, the
    # two sums differed in the last place for a quarter of the units.
    weighted = weighted_capaian(capaians)
    row.capaian = None if weighted is None else weighted.quantize(CAPAIAN_PLACES)
    row.trend = [
        round(s[CAPAIAN_SUM] / s[CAPAIAN_N], 1) if s[CAPAIAN_N] else None for s in row.months
    ]
    row.indicators = stored
    row.risk_basis = closed
    row.at_risk = indicator_risks(stored, closed)
    row.is_at_risk = bool(row.at_risk)
    row.first_missing_month = min(
        (m for m, stats in enumerate(row.months, start=1) if stats[EXPECTED] > stats[ENTERED]),
        default=13,
    )
    row.last_realisation_at = max((r.updated_at for r in entries), default=None)
    row.waiting_review = sum(1 for r in entries if r.reviewed_at is None)
    row.late_entries = sum(1 for r in entries if r.is_late)
    row.feedback_count = comments.count
    row.last_feedback_at = comments.last_at
    row.last_reply_at = comments.last_reply_at
    return row


CAPAIAN_PLACES = Decimal("0.0001")  # PersonFigures.capaian's decimal places


class FigureEntry(NamedTuple):
    """A realisation as the figures need it. Read with ``values_list``: building 300,000 model
    instances was most of a regency-wide rebuild (Django's FK descriptor alone, 4 s at 10k)."""

    indicator_id: int
    month: int
    value: Decimal
    is_late: bool
    reviewed_at: datetime | None
    updated_at: datetime


FIGURE_ENTRY_FIELDS = ("indicator_id", "month", "value", "is_late", "reviewed_at", "updated_at")


def figure_entries(realisations: QuerySet[Realisation]) -> dict[int, list[FigureEntry]]:
    """The realisations of a queryset as light rows, by indicator."""
    by_indicator: dict[int, list[FigureEntry]] = defaultdict(list)
    for values in realisations.order_by().values_list(*FIGURE_ENTRY_FIELDS):
        entry = FigureEntry(*values)
        by_indicator[entry.indicator_id].append(entry)
    return by_indicator


def _plan_comment_stats(plan: Plan) -> CommentStats:
    """`_comment_stats` of one plan, in one aggregate without grouping (a person's refresh)."""
    return _comment_stats_of(plan.pk, plan.employee_id)


def _comment_stats_of(plan_id: int, employee_id: int) -> CommentStats:
    found = Comment.objects.filter(plan_id=plan_id).aggregate(
        n=Count("id"),
        last=Max("created_at"),
        reply=Max("created_at", filter=Q(author__employee_id=employee_id)),
    )
    return CommentStats(count=found["n"], last_at=found["last"], last_reply_at=found["reply"])


def _comment_stats(plan_ids: Sequence[int]) -> dict[int, CommentStats]:
    """Per plan: number of comments, the latest, and the latest by the plan's own employee."""
    stats: dict[int, CommentStats] = defaultdict(CommentStats)
    rows = (
        Comment.objects.filter(plan_id__in=plan_ids)
        .values("plan_id", "author__employee_id", "plan__employee_id")
        .annotate(n=Count("id"), last=Max("created_at"))
        .order_by()
    )
    for row in rows:
        s = stats[row["plan_id"]]
        s.count += row["n"]
        s.last_at = max(filter(None, [s.last_at, row["last"]]), default=None)
        if row["author__employee_id"] == row["plan__employee_id"]:
            s.last_reply_at = max(filter(None, [s.last_reply_at, row["last"]]), default=None)
    return stats


def person_figures_refresh(*, employee_id: int, year: int) -> PersonFigures | None:
    """Recompute one employee's figures for `year` from their plan (a few indexed queries)."""
    return person_figures_store(person_figures_compute(employee_id=employee_id, year=year))


def _figure_order(indicator: Indicator) -> tuple[int, int, int]:
    return (indicator.rhk.order, indicator.order, indicator.pk)


def person_figures_compute(
    *, employee_id: int, year: int, rows: PlanYear | None = None, feedback: bool = True
) -> PersonFigures:
    """One employee's figures for `year`, computed from their plan but not stored: reads only,
    so that a caller can store them in a short write transaction of its own
    (kinerja.monitoring.live.employee_changed, on SQLite's single write lock).

    `rows`, that plan's indicators and year of realisations as a write just committed them
    (the grid's save), are used instead of reading them: the same figures (a test compares
    both), one query (the feedback counts) instead of four. With `feedback=False` the
    feedback counts are not read either (a change that wrote no comment): store the result
    with `person_figures_store(…, feedback=False)`, which keeps the stored counts."""
    indicators: Sequence[FigureIndicator | Indicator] = []
    realisations: Mapping[int, Sequence[FigureEntry | Realisation]] = {}
    comments = CommentStats()
    if rows is not None and rows.plan.employee_id == employee_id and rows.plan.year == year:
        plan: Plan | None = rows.plan
        # In the order of figure_indicators (the stored list, the risks and their sum follow it).
        held: list[Indicator] = sorted(rows.indicators, key=_figure_order)
        indicators = held
        realisations = rows.realisations
    else:
        # No Meta ordering on the plan read: Plan's joins the employee table only to sort (one
        # plan per employee-year).
        plan = Plan.objects.filter(employee_id=employee_id, year=year).order_by().first()
        if plan is not None:
            indicators = figure_indicators(Indicator.objects.filter(rhk__plan=plan))
            realisations = figure_entries(Realisation.objects.filter(indicator__rhk__plan=plan))
    if plan is not None and feedback:
        comments = _plan_comment_stats(plan)
    return compute_person(
        employee_id=employee_id,
        year=year,
        plan=plan,
        indicators=indicators,
        realisations=realisations,
        comments=comments,
    )


def person_figures_store(row: PersonFigures, *, feedback: bool = True) -> PersonFigures | None:
    """Store figures from `person_figures_compute` in place of the employee-year's row (or
    delete that row when the employee has no plan that year: None). Inside a caller's
    transaction it takes no savepoint of its own (a failure fails the caller's block).

    `feedback=False`: `row` was computed without the feedback counts (no comment changed);
    the stored row keeps its own, and a row stored for the first time reads them."""
    with transaction.atomic(savepoint=False):
        current = PersonFigures.objects.filter(employee_id=row.employee_id, year=row.year)
        if row.plan_id is None:
            current.delete()
            return None
        # One UPDATE of the employee-year's row (its figures are replaced, not read), or an
        # INSERT when there is none yet.
        fields = PERSON_FIELDS if feedback else PERSON_FIELDS_BUT_FEEDBACK
        if not current.update(**{f.attname: getattr(row, f.attname) for f in fields}):
            if not feedback:
                comments = _comment_stats_of(row.plan_id, row.employee_id)
                row.feedback_count = comments.count
                row.last_feedback_at = comments.last_at
                row.last_reply_at = comments.last_reply_at
            row.save(force_insert=True)
    return row


# What person_figures_store writes over the stored row: every column but the id; without the
# feedback counts when they were not read.
PERSON_FIELDS = [f for f in PersonFigures._meta.concrete_fields if not f.primary_key]
FEEDBACK_FIELDS = {"feedback_count", "last_feedback_at", "last_reply_at"}
PERSON_FIELDS_BUT_FEEDBACK = [f for f in PERSON_FIELDS if f.name not in FEEDBACK_FIELDS]


def people_figures_refresh(*, employee_ids: list[int], year: int) -> int:
    """Several people's figures (a bulk write), their units once, and one feed row each for the
    open boards, written after the figures so that a board re-reads fresh rows."""
    people = list(
        Employee.objects.filter(pk__in=employee_ids).only("pk", "path", "unit_id").order_by("pk")
    )
    for person in people:
        person_figures_refresh(employee_id=person.pk, year=year)
    for unit_id in sorted({p.unit_id for p in people}):
        unit_figures_refresh(unit_id=unit_id, year=year)
    ChangeEvent.objects.bulk_create(
        [ChangeEvent(topic="realisation", employee_id=p.pk, path=p.path) for p in people],
        batch_size=500,
    )
    return len(people)


# --- One unit -------------------------------------------------------------------------------


@dataclass
class UnitTotals:
    """Running sums for one unit-year (used by the single refresh and the bulk rebuild)."""

    plans: int = 0
    approved: int = 0
    with_capaian: int = 0
    capaian_sum: Decimal = Decimal(0)
    at_risk_people: int = 0
    months: list[list[Any]] = field(default_factory=empty_months)

    def add(self, row: PersonFigures) -> None:
        self.add_values(row.plan_id, row.plan_status, row.capaian, row.at_risk, row.months)

    # The columns `add_values` takes, in its order (a unit's refresh reads them as tuples: at
    # 100,000 employees a unit's hundreds of model instances cost more than their sums).
    COLUMNS = ("plan_id", "plan_status", "capaian", "at_risk", "months")

    def add_values(
        self,
        plan_id: int | None,
        plan_status: str,
        capaian: Decimal | None,
        at_risk: bool,
        months: list[list[Any]] | None,
    ) -> None:
        if plan_id is None:
            return
        self.plans += 1
        self.approved += 1 if plan_status == PlanStatus.APPROVED else 0
        if capaian is not None:
            self.with_capaian += 1
            self.capaian_sum += Decimal(capaian)
        self.at_risk_people += 1 if at_risk else 0
        for mine, theirs in zip(self.months, months or empty_months(), strict=True):
            mine[0] += theirs[0]
            mine[1] += theirs[1]
            mine[2] += theirs[2]
            mine[3] += theirs[3]
            mine[4] += theirs[4]

    def to_row(self, unit_id: int, year: int, employees: int) -> UnitFigures:
        for stats in self.months:
            stats[CAPAIAN_SUM] = round(stats[CAPAIAN_SUM], 4)
        return UnitFigures(
            unit_id=unit_id,
            year=year,
            employees=employees,
            plans=self.plans,
            approved=self.approved,
            with_capaian=self.with_capaian,
            capaian_sum=self.capaian_sum.quantize(Decimal("0.0001")),
            at_risk_people=self.at_risk_people,
            months=self.months,
            refreshed_at=timezone.now(),
        )


UNIT_FIGURES_FIELDS = (
    "employees",
    "plans",
    "approved",
    "with_capaian",
    "capaian_sum",
    "at_risk_people",
    "months",
    "refreshed_at",
)


def unit_figures_refresh(*, unit_id: int, year: int) -> UnitFigures:
    """Recompute one unit's figures for `year` from the person figures of its own active
    employees: two reads and one UPDATE (an INSERT as well the first time)."""
    totals = UnitTotals()
    for values in PersonFigures.objects.filter(
        year=year, employee__unit_id=unit_id, employee__is_active=True
    ).values_list(*UnitTotals.COLUMNS):
        totals.add_values(*values)
    employees = Employee.objects.filter(unit_id=unit_id, is_active=True).count()
    unit_row = totals.to_row(unit_id, year, employees)
    # The row is there but for a unit's first refresh of the year: UPDATE it in place, and
    # INSERT only when that found nothing (one statement, not a look-up and a write).
    fields = {f: getattr(unit_row, f) for f in UNIT_FIGURES_FIELDS}
    with transaction.atomic():
        if not UnitFigures.objects.filter(unit_id=unit_id, year=year).update(**fields):
            unit_row.save()
    return unit_row


def unit_figures_refresh_all(*, year: int) -> int:
    """Every unit's figures from the person figures (after an import or a transfer changed who
    works where); units left without anyone keep a row with zeros."""
    unit_ids = set(Unit.objects.values_list("pk", flat=True))
    for unit_id in sorted(unit_ids):
        unit_figures_refresh(unit_id=unit_id, year=year)
    return len(unit_ids)


# --- The change feed --------------------------------------------------------------------------


def change_record(*, topic: str, employee_id: int, path: str) -> ChangeEvent:
    """Announce a committed change to the open pages: a feed row (the record a reconnecting
    page resumes from), then a message on the live bus (kinerja.monitoring.hub)."""
    event = ChangeEvent.objects.create(topic=topic, employee_id=employee_id, path=path)
    if event.id % 200 == 0:
        changes_prune()
    hub.announce([hub.Change(event.id, topic, employee_id, path)])
    return event


def team_changes_record(*, heads: Mapping[int, str]) -> None:
    """The team figures of these heads (id → reporting path) were recomputed: a feed row each
    (topic "team"), announced like any change, so that it reaches the streams of the head and
    of everyone above them (the path rule). A board whose row shows a head's team (a large
    board's summary row) re-fetches it (the stream's `teams`); a person's row ignores it."""
    if not heads:
        return
    rows = ChangeEvent.objects.bulk_create(
        [ChangeEvent(topic=hub.TEAM_TOPIC, employee_id=pk, path=path) for pk, path in heads.items()]
    )
    if rows and rows[-1].id is None:  # a database that does not return ids: read them
        rows = list(ChangeEvent.objects.filter(topic=hub.TEAM_TOPIC).order_by("-id")[: len(rows)])
        rows.reverse()
    if any(r.id % 200 == 0 for r in rows):
        changes_prune()
    hub.announce(hub.Change(r.id, r.topic, r.employee_id, r.path) for r in rows)


def _team_changes_announced(heads: Mapping[int, str]) -> None:
    """`team_changes_record` after a chain refresh committed: a failure is logged, never fails
    the refresh (its figures stand; the boards show them at their next load)."""
    try:
        team_changes_record(heads=heads)
    except Exception:
        logger.exception("could not record the team changes of %d heads", len(heads))


def unread_changed_record(*, user_ids: Iterable[int]) -> None:
    """The unread notification count of these accounts changed: a feed row each (topic
    "notifications", employee_id holding the account id, no path: no team sees it), announced
    so that their open pages update the header count."""
    rows = ChangeEvent.objects.bulk_create(
        [ChangeEvent(topic=hub.UNREAD_TOPIC, employee_id=pk, path="") for pk in set(user_ids)]
    )
    if rows and rows[-1].id is None:  # a database that does not return ids: read them
        rows = list(ChangeEvent.objects.filter(topic=hub.UNREAD_TOPIC).order_by("-id")[: len(rows)])
    hub.announce(hub.Change(r.id, r.topic, r.employee_id, r.path) for r in rows)


def changes_prune(*, older_than_seconds: int | None = None) -> int:
    """Delete feed rows older than MONITORING_CHANGE_RETENTION_SECONDS (default one hour);
    a page that reconnects later reloads its rows anyway."""
    seconds = older_than_seconds
    if seconds is None:
        seconds = getattr(settings, "MONITORING_CHANGE_RETENTION_SECONDS", 3600)
    cutoff = timezone.now() - timedelta(seconds=seconds)
    deleted, _ = ChangeEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- Teams (everyone below one supervisor) --------------------------------------------------


def late_condition(due: int) -> Q:
    """Late as of a day whose due months are `due`: an entry made late, or a month due and not
    filled (the board's "Terlambat")."""
    return Q(late_entries__gt=0) | Q(first_missing_month__lte=due)


def _team_row(
    employee_id: int, year: int, totals: dict[str, Any], read_at: datetime
) -> TeamFigures:
    return TeamFigures(
        employee_id=employee_id,
        year=year,
        people=totals["people"],
        plans=totals["plans"] or 0,
        approved=totals["approved"] or 0,
        with_capaian=totals["with_capaian"] or 0,
        capaian_sum=Decimal(totals["capaian_sum"] or 0).quantize(Decimal("0.0001")),
        at_risk=totals["at_risk"] or 0,
        late=totals["late"] or 0,
        waiting=totals["waiting"] or 0,
        refreshed_at=read_at,  # when the figures were read, before the queries ran
    )


def team_figures_refresh(*, employee_ids: Iterable[int], year: int) -> list[TeamFigures]:
    """Recompute the team figures of each of `employee_ids` from the person figures below them
    (two aggregate queries each, answered from the path index). Read inside the writing
    transaction, so that a chain refresh (`team_figures_refresh_chain`) never builds on rows
    computed before a change it has already counted."""
    with transaction.atomic():
        rows = _team_rows_counted(employee_ids, year)
        TeamFigures.objects.filter(
            employee_id__in=[r.employee_id for r in rows], year=year
        ).delete()
        TeamFigures.objects.bulk_create(rows)
    return rows


def _team_rows_counted(employee_ids: Iterable[int], year: int) -> list[TeamFigures]:
    due = months_due(year)
    read_at = timezone.now()
    rows = []
    for head in Employee.objects.filter(pk__in=list(employee_ids)).only("pk", "path"):
        below = under(head.path, "employee__path") & ~Q(employee_id=head.pk)
        team = PersonFigures.objects.filter(below, year=year, employee__is_active=True)
        totals = team.aggregate(
            plans=Count("id", filter=Q(plan_id__isnull=False)),
            approved=Count("id", filter=Q(plan_status=PlanStatus.APPROVED)),
            with_capaian=Count("capaian"),
            at_risk=Count("id", filter=Q(is_at_risk=True)),
            late=Count("id", filter=late_condition(due)),
            waiting=Sum("waiting_review"),
        )
        # Added in Python: SQLite sums decimals as floats, and this sum must equal the bulk
        # rebuild's to the last digit.
        capaian = team.filter(capaian__isnull=False).values_list("capaian", flat=True)
        totals["capaian_sum"] = sum((c for c in capaian.order_by() if c is not None), Decimal(0))
        totals["people"] = (
            Employee.objects.filter(under(head.path), is_active=True).exclude(pk=head.pk).count()
        )
        rows.append(_team_row(head.pk, year, totals, read_at))
    return rows


TEAM_SUMS = ("people", "plans", "approved", "with_capaian", "at_risk", "late", "waiting")
# What a person's figures add to their heads' team rows (`_add_person`).
TEAM_INPUTS = (
    "employee_id",
    "plan_id",
    "plan_status",
    "capaian",
    "is_at_risk",
    "late_entries",
    "first_missing_month",
    "waiting_review",
)


def _no_team() -> dict[str, Any]:
    totals: dict[str, Any] = dict.fromkeys(TEAM_SUMS, 0)
    totals["capaian_sum"] = Decimal(0)
    return totals


def _add_person(totals: dict[str, Any], row: Mapping[str, Any] | None, due: int) -> None:
    """Add one active person (their PersonFigures row's TEAM_INPUTS, None without figures) to a
    team's totals: what `team_figures_refresh` counts for them in SQL."""
    totals["people"] += 1
    if row is None or row["plan_id"] is None:
        return
    totals["plans"] += 1
    totals["approved"] += row["plan_status"] == PlanStatus.APPROVED
    if row["capaian"] is not None:
        totals["with_capaian"] += 1
        totals["capaian_sum"] += Decimal(row["capaian"])
    totals["at_risk"] += bool(row["is_at_risk"])
    totals["late"] += row["late_entries"] > 0 or row["first_missing_month"] <= due
    totals["waiting"] += row["waiting_review"]


def team_figures_refresh_chain(*, employee_id: int, year: int) -> int:
    """After one person's figures changed: refresh the team figures of everyone above them,
    bottom-up, each head's from their DIRECT reports only — a report's own figures plus, for a
    report who heads a team, that team's row, the lower head's just recomputed here. The work
    is the chain's direct reports (a few dozen rows a level), not everyone below: the Sekda's
    row no longer re-reads the whole regency after each save (1,500 employees: 32.6 ms a chain
    before). The totals equal `team_figures_refresh`'s (a test compares them for every head).

    The rows are read inside the writing transaction, after locking the chain's rows, so two
    refreshes of overlapping chains run one after the other and the second reads what the
    first wrote. A report who has a team but no row yet (a fresh database) is computed from
    everyone below them, once. (Heads refreshed after the change used to be skipped; that
    could skip a head whose refresh read before the change committed.)"""
    return team_figures_refresh_chains(employee_ids=[employee_id], year=year)


def team_figures_refresh_chains(*, employee_ids: Iterable[int], year: int) -> int:
    """`team_figures_refresh_chain` for several people at once (the task worker's batch of
    queued refreshes): every head above any of them once, the deepest first, so that a head
    shared by many chains (an OPD head, the Sekda) is recounted once, not once a person."""
    depth: dict[int, int] = {}  # every head above the people: their level in the tree
    head_paths: dict[int, str] = {}  # and their reporting paths (a prefix of the people's)
    for path in Employee.objects.filter(pk__in=list(employee_ids)).values_list("path", flat=True):
        parts = [part for part in path.strip("/").split("/") if part]
        for level, part in enumerate(parts[:-1]):
            depth[int(part)] = level
            head_paths[int(part)] = "/" + "/".join(parts[: level + 1]) + "/"
    ancestors = sorted(depth)  # also the order the rows are locked in
    if not ancestors:
        return 0
    due = months_due(year)
    with transaction.atomic():
        list(  # the chain's rows, locked in one order (no deadlock between two chains)
            TeamFigures.objects.select_for_update()
            .filter(employee_id__in=ancestors, year=year)
            .order_by("employee_id")
            .values_list("pk", flat=True)
        )
        read_at = timezone.now()
        reports: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        leading: set[int] = set()  # the reports who have reports of their own
        for pk, head, active, leads in (
            Employee.objects.filter(supervisor_id__in=ancestors)
            .annotate(leads=Exists(Employee.objects.filter(supervisor_id=OuterRef("pk"))))
            .values_list("pk", "supervisor_id", "is_active", "leads")
            .order_by()
        ):
            reports[head].append((pk, active))
            if leads:
                leading.add(pk)
        members = [pk for rows in reports.values() for pk, _active in rows]
        people = {
            row["employee_id"]: row
            for row in PersonFigures.objects.filter(
                year=year, employee_id__in=[pk for rows in reports.values() for pk, a in rows if a]
            )
            .values(*TEAM_INPUTS)
            .order_by()
        }
        teams: dict[int, dict[str, Any]] = {
            row["employee_id"]: row
            for row in TeamFigures.objects.filter(year=year, employee_id__in=members)
            .values("employee_id", "capaian_sum", *TEAM_SUMS)
            .order_by()
        }
        chain = set(ancestors)
        heading = leading - chain - teams.keys()
        if heading:  # reports who head a team without a row yet: counted once, in full
            for row in team_figures_refresh(employee_ids=sorted(heading), year=year):
                teams[row.employee_id] = {f: getattr(row, f) for f in (*TEAM_SUMS, "capaian_sum")}
        fresh: dict[int, dict[str, Any]] = {}
        # The lowest head first: each uses the ones below, already recomputed.
        for head in sorted(ancestors, key=depth.__getitem__, reverse=True):
            totals = _no_team()
            for member, active in reports.get(head, ()):
                if active:
                    _add_person(totals, people.get(member), due)
                below = fresh.get(member) or teams.get(member)
                if below is not None:
                    for name in TEAM_SUMS:
                        totals[name] += below[name]
                    totals["capaian_sum"] += Decimal(below["capaian_sum"])
            fresh[head] = totals
        rows = [_team_row(head, year, fresh[head], read_at) for head in ancestors]
        # One statement: each head's row replaced in place, or inserted when new.
        TeamFigures.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["employee", "year"],
            update_fields=TEAM_ROW_FIELDS,
        )
        # Open boards show these heads' team figures (a large board's rows): once committed,
        # one change per head, whatever the number of saves the batch counted.
        transaction.on_commit(lambda: _team_changes_announced(head_paths))
    return len(rows)


# What a chain refresh writes over a head's stored row.
TEAM_ROW_FIELDS = [
    f.name for f in TeamFigures._meta.concrete_fields if f.name not in {"id", "employee", "year"}
]


def team_figures_rebuild(*, year: int) -> int:
    """Every supervisor's team figures of `year` in one pass over the person figures (each
    person added to every supervisor above them); returns the rows written.

    Read and written in one transaction, the team table locked first on PostgreSQL: a chain
    refresh running meanwhile (`team_figures_refresh_chain`, which builds each head's row on
    the rows of the heads below) either commits before the rebuild reads or waits for it and
    reads the rebuilt rows; it never has its work replaced by figures read before it."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {TeamFigures._meta.db_table} IN EXCLUSIVE MODE")
        rows = _team_rows_rebuilt(year)
        TeamFigures.objects.filter(year=year).delete()
        RowWriter(rows[0].refreshed_at if rows else timezone.now()).insert_objects(
            TeamFigures, rows
        )
    return len(rows)


def _team_rows_rebuilt(year: int) -> list[TeamFigures]:
    due = months_due(year)
    read_at = timezone.now()
    figures = {
        row["employee_id"]: row
        for row in PersonFigures.objects.filter(year=year).values(*TEAM_INPUTS).order_by()
    }
    totals: dict[int, dict[str, Any]] = {}
    for employee_id, path in (
        Employee.objects.filter(is_active=True).values_list("pk", "path").order_by()
    ):
        ancestors = [int(part) for part in path.strip("/").split("/")[:-1] if part]
        mine = figures.get(employee_id)
        for head in ancestors:
            t = totals.get(head)
            if t is None:
                t = totals[head] = _no_team()
            _add_person(t, mine, due)
    return [_team_row(head, year, t, read_at) for head, t in totals.items()]


# --- Everything ---------------------------------------------------------------------------


@dataclass
class RebuildResult:
    years: list[int]
    people: int
    units: int


def figures_rebuild(*, year: int | None = None, chunk: int = 1000) -> RebuildResult:
    """Recompute every person and unit figure of `year` (default: every year with a plan, and
    the current year) in bulk: plans in chunks, realisations read once per chunk."""
    years = (
        [year]
        if year is not None
        else sorted(
            set(Plan.objects.values_list("year", flat=True).distinct())
            | {timezone.localdate().year}
        )
    )
    people = units = 0
    for y in years:
        people_y, units_y = _rebuild_year(y, chunk)
        people += people_y
        units += units_y
    changes_prune()
    return RebuildResult(years, people, units)


def _rebuild_year(year: int, chunk: int) -> tuple[int, int]:
    today = timezone.localdate()
    plans = list(
        Plan.objects.filter(year=year)
        .select_related(None)
        .only("id", "employee_id", "status", "version", "assessor_id", "year")
        .order_by("id")
    )
    employees = dict(
        Employee.objects.filter(is_active=True).values_list("pk", "unit_id").order_by()
    )
    totals: dict[int, UnitTotals] = defaultdict(UnitTotals)
    writer = RowWriter(timezone.now())  # executemany / COPY: bulk_create compiled every value
    with transaction.atomic():
        PersonFigures.objects.filter(year=year).delete()
        for start in range(0, len(plans), chunk):
            batch = plans[start : start + chunk]
            ids = [p.pk for p in batch]
            by_plan: dict[int, list[FigureIndicator]] = defaultdict(list)
            for indicator in figure_indicators(Indicator.objects.filter(rhk__plan_id__in=ids)):
                by_plan[indicator.plan_id].append(indicator)
            # By the chunk's indicators (the realisation index), not by joining to the plans:
            # PostgreSQL scanned the realisations for each chunk (1.3 s of 100 at 100k).
            realisations = figure_entries(
                Realisation.objects.filter(
                    indicator_id__in=[i.pk for items in by_plan.values() for i in items]
                )
            )
            comments = _comment_stats(ids)
            rows = []
            for plan in batch:
                row = compute_person(
                    employee_id=plan.employee_id,
                    year=year,
                    plan=plan,
                    indicators=by_plan.get(plan.pk, []),
                    realisations=realisations,
                    comments=comments.get(plan.pk, CommentStats()),
                    today=today,
                )
                rows.append(row)
                unit_id = employees.get(plan.employee_id)
                if unit_id is not None:
                    totals[unit_id].add(row)
            writer.insert_objects(PersonFigures, rows)
        UnitFigures.objects.filter(year=year).delete()
        counts = dict(
            Employee.objects.filter(is_active=True)
            .values("unit_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("unit_id", "n")
        )
        unit_rows = [
            totals.get(unit_id, UnitTotals()).to_row(unit_id, year, n)
            for unit_id, n in counts.items()
        ]
        writer.insert_objects(UnitFigures, unit_rows)
        team_figures_rebuild(year=year)
    return len(plans), len(unit_rows)
