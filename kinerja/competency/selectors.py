"""Reads of the competency app, scoped by organisation.access (404 outside scope), and the JP
figures (kinerja.rules.training does the arithmetic): per employee and year, the JP completed
(catalogue sessions completed that year plus external learning approved for that year, DOMAIN
§4), the JP enrolled but not yet done, and the shortfall to the requirement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kinerja.core.models import IssuedDocument
from kinerja.organisation import access
from kinerja.organisation.choices import EmploymentStatus
from kinerja.organisation.models import Employee, Unit, User
from kinerja.rules.calendar import MONTHS_IN_YEAR, months_started
from kinerja.rules.training import JP_REQUIRED_PER_YEAR, JpTotals, at_risk, jp_totals

from .choices import EnrolmentStatus, ExternalStatus, SessionStatus
from .models import (
    DevelopmentItem,
    DevelopmentPlan,
    Enrolment,
    ExternalLearning,
    Programme,
    Session,
    SessionRating,
    UnitJp,
)
from .services import can_decide_enrolment, can_manage_programme, can_manage_session

ZERO = Decimal("0.00")
NOT_DONE = [EnrolmentStatus.ENROLLED, EnrolmentStatus.PENDING_APPROVAL]


def required_jp(status: str) -> int:
    """20 JP for a PNS (PP 11/2017 as amended); PPPK the same by default, configurable."""
    if status == EmploymentStatus.PPPK:
        return int(getattr(settings, "COMPETENCY_JP_REQUIRED_PPPK", JP_REQUIRED_PER_YEAR))
    return JP_REQUIRED_PER_YEAR


def months_left(year: int, today: date | None = None) -> int:
    """Whole months of `year` after the current one (0 for a past year, 12 for a future one)."""
    return MONTHS_IN_YEAR - months_started(year, today or timezone.localdate())


# --- JP figures --------------------------------------------------------------------------------


def _sums(
    scope: Q, year: int, *, wide: bool = False
) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """(completed, enrolled) JP per employee id for the employees matching `scope` (a filter on
    the rows' `employee`): grouped queries over sessions and external learning.

    A few people (a board's rows): one query over their enrolments with both sums, each sum
    filtered by its own condition. The WHERE clause names only the people and the statuses
    either sum can count: with the two conditions OR-ed there as well, PostgreSQL spent about
    1.2 ms planning the query against 0.3 ms without (a 41-person board, 7 December 2026), and
    the few rows it reads more are rows the sums filter out anyway. `wide`
    (an OPD or the whole regency): the completed sum alone over the enrolments table, and the
    pending sum over the open enrolments only, so that the hundreds of thousands of completed
    rows are not joined to their sessions and programmes (the regency at 100,000 employees:
    514 -> ~100 ms on PostgreSQL)."""
    completed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    enrolled: dict[int, Decimal] = defaultdict(lambda: ZERO)
    done = Q(status=EnrolmentStatus.COMPLETED, completed_year=year)
    pending = Q(
        status__in=NOT_DONE, session__ends_on__year=year, session__status=SessionStatus.OPEN
    )
    if wide:
        for employee_id, jp in (
            Enrolment.objects.filter(scope, done)
            .values_list("employee_id")
            .annotate(jp=Sum("jp_credited"))
            .order_by()
        ):
            completed[employee_id] += jp or ZERO
        for employee_id, jp in (
            Enrolment.objects.filter(scope, pending)
            .values_list("employee_id")
            .annotate(jp=Sum("session__programme__jp"))
            .order_by()
        ):
            enrolled[employee_id] += jp or ZERO
    else:
        for row in (
            Enrolment.objects.filter(scope, status__in=[EnrolmentStatus.COMPLETED, *NOT_DONE])
            .values("employee_id")
            .annotate(
                done=Sum("jp_credited", filter=done),
                pending=Sum("session__programme__jp", filter=pending),
            )
            .order_by()  # a grouping: no ordering to compile or sort
        ):
            completed[row["employee_id"]] += row["done"] or ZERO
            enrolled[row["employee_id"]] += row["pending"] or ZERO
    for row in (
        ExternalLearning.objects.filter(scope, status=ExternalStatus.APPROVED, year=year)
        .values("employee_id")
        .annotate(jp=Sum("jp_confirmed"))
        .order_by()
    ):
        completed[row["employee_id"]] += row["jp"] or ZERO
    return completed, enrolled


def _prefixed(scope: Q) -> Q:
    """`scope` (a filter on Employee) for the rows pointing to an employee."""
    if not scope.children:
        return Q()
    return Q(employee__in=Employee.objects.filter(scope).values("pk"))


def jp_totals_for(employees: Iterable[Employee], year: int) -> dict[int, JpTotals]:
    """JpTotals of each given employee (their `status` decides the requirement)."""
    people = list(employees)
    ids = [e.pk for e in people]
    if not ids:
        return {}
    completed, enrolled = _sums(Q(employee_id__in=ids), year)
    return {e.pk: jp_totals(completed[e.pk], enrolled[e.pk], required_jp(e.status)) for e in people}


def jp_provider(*, employee_ids: Iterable[int], year: int) -> dict[int, JpTotals]:
    """The figures seam's "competency.jp" (BRIEF-PILLARS §1): every asked id present, zeros
    when there is no learning."""
    ids = [int(i) for i in employee_ids]
    statuses = dict(Employee.objects.filter(pk__in=ids).values_list("pk", "status"))
    completed, enrolled = _sums(Q(employee_id__in=ids), int(year))
    return {
        pk: jp_totals(
            completed[pk], enrolled[pk], required_jp(statuses.get(pk, EmploymentStatus.PNS))
        )
        for pk in ids
    }


@dataclass
class JpDetail:
    """The list behind each number of one person's year."""

    employee: Employee
    year: int
    totals: JpTotals
    required: int
    completed: list[Enrolment]
    enrolled: list[Enrolment]
    external: list[ExternalLearning]
    certificates: dict[int, str]
    at_risk: bool

    @property
    def percent(self) -> int:
        if not self.required:
            return 100
        done = self.totals.completed_jp * 100 / self.required
        return int(min(done, Decimal(100)))


def jp_detail(employee: Employee, year: int) -> JpDetail:
    """One person's year: completed sessions and approved external learning (the JP credited),
    the sessions enrolled in, every external submission, and the certificates' codes."""
    enrolments = list(
        Enrolment.objects.filter(employee=employee)
        .filter(
            Q(status=EnrolmentStatus.COMPLETED, completed_year=year)
            | Q(status__in=[*NOT_DONE, EnrolmentStatus.WAITLISTED], session__ends_on__year=year)
        )
        .select_related("session", "session__programme")
        .order_by("session__starts_on")
    )
    external = list(
        ExternalLearning.objects.filter(employee=employee, year=year).order_by("-ended_on")
    )
    completed = [e for e in enrolments if e.status == EnrolmentStatus.COMPLETED]
    codes = dict(
        IssuedDocument.objects.filter(
            source_type="competency.enrolment", source_id__in=[str(e.pk) for e in completed]
        ).values_list("source_id", "code")
    )
    done = sum((e.jp_credited or ZERO for e in completed), ZERO) + sum(
        (x.jp_confirmed or ZERO for x in external if x.status == ExternalStatus.APPROVED), ZERO
    )
    open_ones = [
        e for e in enrolments if e.status in NOT_DONE and e.session.status == SessionStatus.OPEN
    ]
    enrolled_jp = sum((e.session.programme.jp for e in open_ones), ZERO)
    required = required_jp(employee.status)
    totals = jp_totals(done, enrolled_jp, required)
    return JpDetail(
        employee=employee,
        year=year,
        totals=totals,
        required=required,
        completed=completed,
        enrolled=[e for e in enrolments if e.status not in (EnrolmentStatus.COMPLETED,)],
        external=external,
        certificates={int(k): v for k, v in codes.items()},
        at_risk=at_risk(totals=totals, months_left=months_left(year)),
    )


# --- Catalogue --------------------------------------------------------------------------------


def catalogue(
    *, q: str = "", tag: str = "", form: str = "", kind: str = "", only_open: bool = False
) -> QuerySet[Programme]:
    """Active programmes matching the search and filters, each with its open sessions."""
    today = timezone.localdate()
    programmes = Programme.objects.filter(is_active=True).select_related("owner_opd")
    if q:
        programmes = programmes.filter(
            Q(title__icontains=q) | Q(description__icontains=q) | Q(provider__icontains=q)
        )
    if form:
        programmes = programmes.filter(form=form)
    if kind:
        programmes = programmes.filter(kind=kind)
    if tag:
        # Tags are a short JSON list; the text match is exact on the quoted tag.
        programmes = programmes.filter(tags__icontains=f'"{tag}"')
    upcoming = Session.objects.filter(status=SessionStatus.OPEN, ends_on__gte=today).order_by(
        "starts_on"
    )
    if only_open:
        programmes = programmes.filter(
            sessions__status=SessionStatus.OPEN,
            sessions__registration_deadline__gte=timezone.now(),
        ).distinct()
    return programmes.prefetch_related(
        Prefetch("sessions", queryset=upcoming, to_attr="upcoming")
    ).order_by("title")


def programme_get(user: User, pk: int) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("owner_opd"), pk=pk)
    if not programme.is_active and not can_manage_programme(user, programme):
        raise Http404
    return programme


def session_get(user: User, pk: int) -> Session:
    """Any signed-in person sees a session of an active programme (the catalogue is public
    inside the regency); a managed one is seen by who manages it."""
    session = get_object_or_404(
        Session.objects.select_related("programme", "programme__owner_opd", "organiser"), pk=pk
    )
    if not session.programme.is_active and not can_manage_session(user, session):
        raise Http404
    return session


def session_manage_get(user: User, pk: int) -> Session:
    session = session_get(user, pk)
    if not can_manage_session(user, session):
        raise Http404
    return session


def own_enrolment(user: User, session: Session) -> Enrolment | None:
    if user.employee_id is None:
        return None
    return (
        Enrolment.objects.filter(session=session, employee_id=user.employee_id)
        .order_by("-pk")
        .first()
    )


def participants(session: Session) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(session=session)
        .exclude(status=EnrolmentStatus.CANCELLED)
        .select_related("employee", "employee__unit", "employee__position")
        .prefetch_related("attendance")
        .order_by("waitlist_position", "employee__name")
    )


@dataclass
class RatingSummary:
    count: int
    average: Decimal | None
    comments: list[str] = field(default_factory=list)


def rating_summary(session: Session) -> RatingSummary:
    ratings = SessionRating.objects.filter(enrolment__session=session)
    total = ratings.aggregate(n=Count("pk"), s=Sum("score"))
    count = total["n"] or 0
    average = (Decimal(total["s"]) / count).quantize(Decimal("0.1")) if count else None
    comments = [c for c in ratings.exclude(comment="").values_list("comment", flat=True)[:20]]
    return RatingSummary(count, average, comments)


def sessions_with_seats(today: date | None = None) -> list[Session]:
    """Open sessions still taking registrations with a seat free (one-click nomination)."""
    return list(
        Session.objects.filter(
            status=SessionStatus.OPEN,
            registration_deadline__gte=timezone.now(),
            seats_taken__lt=F("quota"),
        )
        .select_related("programme")
        .order_by("starts_on")[:50]
    )


def organised_sessions(user: User) -> QuerySet[Session]:
    """Sessions the user runs (organiser account, BKPSDM: all, Admin OPD: their programmes)."""
    sessions = Session.objects.select_related("programme").order_by("-starts_on")
    if access.is_regency_admin(user):
        return sessions
    scope = Q(organiser=user)
    if access.is_opd_admin(user):
        scope |= Q(programme__owner_opd_id=user.managed_opd_id)
    return sessions.filter(scope)


# --- Approvals ----------------------------------------------------------------------------------


def pending_enrolments(user: User) -> list[Enrolment]:
    """Self-registrations waiting for this user's approval (direct supervisor; BKPSDM: all)."""
    pending = Enrolment.objects.filter(status=EnrolmentStatus.PENDING_APPROVAL).select_related(
        "employee", "employee__unit", "session", "session__programme"
    )
    if not access.is_regency_admin(user):
        if user.employee_id is None:
            return []
        pending = pending.filter(employee__supervisor_id=user.employee_id)
    return [e for e in pending.order_by("created_at")[:200] if can_decide_enrolment(user, e)]


def external_to_review(user: User) -> QuerySet[ExternalLearning]:
    if not access.is_regency_admin(user):
        return ExternalLearning.objects.none()
    return (
        ExternalLearning.objects.filter(status=ExternalStatus.SUBMITTED)
        .select_related("employee", "employee__unit")
        .order_by("submitted_at")
    )


def external_get(user: User, pk: int) -> ExternalLearning:
    """An external submission: its employee, whoever sees the employee, and BKPSDM."""
    item = get_object_or_404(ExternalLearning.objects.select_related("employee__unit"), pk=pk)
    if not access.can_view_employee(user, item.employee):
        raise Http404
    return item


def enrolment_get(user: User, pk: int) -> Enrolment:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related(
            "employee", "employee__unit", "session", "session__programme"
        ),
        pk=pk,
    )
    if not (
        access.can_view_employee(user, enrolment.employee)
        or can_manage_session(user, enrolment.session)
    ):
        raise Http404
    return enrolment


def employee_get(user: User, pk: int) -> Employee:
    employee = get_object_or_404(
        Employee.objects.select_related("unit", "position", "supervisor"), pk=pk
    )
    if not access.can_view_employee(user, employee):
        raise Http404
    return employee


# --- Compliance dashboard ---------------------------------------------------------------------


@dataclass
class ComplianceLine:
    """One row of the compliance dashboard: an OPD, a unit or a person."""

    key: int
    name: str
    people: int = 0
    met: int = 0
    risk: int = 0
    completed_jp: Decimal = ZERO

    @property
    def percent(self) -> Decimal | None:
        if not self.people:
            return None
        return (Decimal(self.met) * 100 / self.people).quantize(Decimal("0.1"))

    @property
    def average_jp(self) -> Decimal:
        if not self.people:
            return ZERO
        return (self.completed_jp / self.people).quantize(Decimal("0.01"))


@dataclass
class PersonLine:
    employee_id: int
    name: str
    nip: str
    position: str
    unit: str
    totals: JpTotals
    at_risk: bool


@dataclass
class Compliance:
    year: int
    level: str  # "regency" | "opd" | "unit"
    title: str
    total: ComplianceLine
    lines: list[ComplianceLine]
    people: list[PersonLine]
    opd: Unit | None = None
    unit: Unit | None = None


@lru_cache(maxsize=8192)
def _classify(
    completed: Decimal, enrolled: Decimal, required: int, left: int
) -> tuple[JpTotals, bool, bool]:
    """(totals, meets the requirement, at risk) by kinerja.rules.training; the rules are pure, so
    the few distinct combinations of a regency are computed once each."""
    totals = jp_totals(completed, enrolled, required)
    return totals, totals.shortfall_jp == ZERO, at_risk(totals=totals, months_left=left)


def compliance_scope(user: User) -> str | None:
    """Which level the user may start at: "regency", "opd" (an Admin OPD or head of an OPD), or
    "team" (a supervisor: their reporting subtree); None: no dashboard."""
    if access.can_view_regency_dashboard(user):
        return "regency"
    if access.is_opd_admin(user) or access.headed_opd_id(user) is not None:
        return "opd"
    if access.is_supervisor(user):
        return "team"
    return None


def compliance(
    user: User, year: int, *, opd: Unit | None = None, unit: Unit | None = None
) -> Compliance:
    """The compliance dashboard (regency → OPD → unit → person) at one level: a constant number
    of queries whatever the number of employees. People are always filtered by what the user
    may see (kinerja.organisation.access.employee_filter)."""
    visible = access.employee_filter(user)
    who = "all" if not visible.children else f"user{user.pk}"
    key = ":".join(
        str(part)
        for part in (
            "competency:compliance",
            jp_version(),
            who,
            year,
            months_left(year),
            opd.pk if opd else 0,
            unit.pk if unit else 0,
        )
    )
    found = cache.get(key)
    if found is None:
        found = _compliance(visible, year, opd=opd, unit=unit)
        cache.set(key, found, COMPLIANCE_CACHE_SECONDS)
    return found  # type: ignore[no-any-return]  # the cache holds what _compliance returned


COMPLIANCE_CACHE_SECONDS = 300
JP_VERSION_KEY = "competency:jp-version"


def jp_version() -> int:
    """Bumped by every write that changes a JP figure (kinerja.competency.services.jp_changed),
    so a cached dashboard never outlives the data it shows."""
    version = cache.get(JP_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(JP_VERSION_KEY, version, None)
    return int(version)


def regency_compliance(year: int) -> Compliance:
    """The regency level for everyone (the regency dashboard's slot; its readers see all): the
    units' kept figures (UnitJp) summed per OPD when they are there for this month's calendar,
    otherwise computed from every employee's JP."""
    return _kept_regency(year) or _compliance(Q(), year, with_people=False)


Counts = list[Any]  # [people, met, at risk, JP completed]


def _count(
    rows: Iterable[tuple[int, int, str]],
    completed: dict[int, Decimal],
    enrolled: dict[int, Decimal],
    left: int,
    group_of: Any,
    keep: Any = None,
) -> tuple[dict[int, Counts], dict[int, JpTotals]]:
    """Count the employees `rows` ((pk, unit_id, status)) into groups (`group_of(unit_id)`):
    people, met, at risk, JP completed; with the totals of the people for whom `keep(at risk)`
    is true (none without `keep`)."""
    counts: dict[int, Counts] = {}
    totals_of: dict[int, JpTotals] = {}
    for pk, unit_id, status in rows:
        done = completed.get(pk, ZERO)
        totals, met, risky = _classify(done, enrolled.get(pk, ZERO), required_jp(status), left)
        key = group_of(unit_id)
        group = counts.get(key)
        if group is None:
            group = counts[key] = [0, 0, 0, ZERO]
        group[0] += 1
        group[1] += met
        group[2] += risky
        group[3] += done
        if keep is not None and keep(risky):
            totals_of[pk] = totals
    return counts, totals_of


def unit_counts(year: int, unit_ids: Iterable[int] | None = None) -> tuple[dict[int, Counts], int]:
    """({unit id: counts} of the active employees of these units (every unit: None), the
    months left they were computed for): what kinerja.competency.unit_jp keeps."""
    scope = Q(is_active=True)
    if unit_ids is not None:
        scope &= Q(unit_id__in=list(unit_ids))
    rows = Employee.objects.filter(scope).values_list("pk", "unit_id", "status").order_by()
    left = months_left(year)
    completed, enrolled = _sums(
        Q() if unit_ids is None else _prefixed(scope), year, wide=unit_ids is None
    )
    counts, _ = _count(rows, completed, enrolled, left, lambda unit_id: unit_id)
    return counts, left


def _kept_regency(year: int) -> Compliance | None:
    """The regency level from the kept unit figures; None when there are none for `year` or
    they were computed for another month (the at-risk count follows the calendar)."""
    kept = list(
        UnitJp.objects.filter(year=year)
        .values_list("unit_id", "people", "met", "at_risk", "completed_jp", "months_left")
        .order_by()
    )
    left = months_left(year)
    if not kept or any(row[5] != left for row in kept):
        return None
    units = dict(Unit.objects.values_list("pk", "opd_id"))
    counts: dict[int, Counts] = {}
    for unit_id, people, met, risk, done, _left in kept:
        key = units.get(unit_id) or unit_id
        group = counts.setdefault(key, [0, 0, 0, ZERO])
        group[0] += people
        group[1] += met
        group[2] += risk
        group[3] += done
    return _lines(year, "regency", counts)


def _lines(
    year: int,
    level: str,
    counts: dict[int, Counts],
    people: list[PersonLine] | None = None,
    opd: Unit | None = None,
    unit: Unit | None = None,
) -> Compliance:
    names = dict(Unit.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
    lines = sorted(
        (ComplianceLine(key, names.get(key, "-"), *group) for key, group in counts.items()),
        key=lambda line: line.name,
    )
    total = ComplianceLine(
        0,
        "",
        sum(line.people for line in lines),
        sum(line.met for line in lines),
        sum(line.risk for line in lines),
        sum((line.completed_jp for line in lines), ZERO),
    )
    title = unit.name if unit else (opd.name if opd else "Kabupaten")
    return Compliance(year, level, title, total, lines, people or [], opd, unit)


def _compliance(
    visible: Q,
    year: int,
    *,
    opd: Unit | None = None,
    unit: Unit | None = None,
    with_people: bool = True,
) -> Compliance:
    scope = visible & Q(is_active=True)
    if unit is not None:
        scope &= Q(unit=unit)
        level = "unit"
    elif opd is not None:
        scope &= Q(unit__opd_id=opd.pk)
        level = "opd"
    else:
        level = "regency"
    rows = Employee.objects.filter(scope).values_list("pk", "unit_id", "status").order_by()
    everyone = level == "regency" and not visible.children  # rows pick the active ones
    completed, enrolled = _sums(Q() if everyone else _prefixed(scope), year, wide=unit is None)
    left = months_left(year)
    by_unit = level in ("opd", "unit")
    units = dict(Unit.objects.values_list("pk", "opd_id"))
    counts, totals_of = _count(
        rows,
        completed,
        enrolled,
        left,
        (lambda unit_id: unit_id) if by_unit else (lambda unit_id: units.get(unit_id) or unit_id),
        keep=lambda risky: risky or level == "unit",
    )
    risky_people = list(totals_of)
    people: list[PersonLine] = []
    if with_people:  # at most 200 names at once; the OPD and unit levels narrow it down
        shown = risky_people[:200]
        for e in (
            Employee.objects.filter(pk__in=shown)
            .select_related("unit", "position")
            .order_by("name")
        ):
            people.append(
                PersonLine(
                    e.pk,
                    e.full_name,
                    e.nip,
                    e.position.name,
                    e.unit.name,
                    totals_of[e.pk],
                    _classify(
                        totals_of[e.pk].completed_jp,
                        totals_of[e.pk].enrolled_jp,
                        required_jp(e.status),
                        left,
                    )[2],
                )
            )
    return _lines(year, level, counts, people, opd, unit)


def people_page(people: list[PersonLine], number: Any, per_page: int = 50) -> Page[PersonLine]:
    return Paginator(people, per_page).get_page(number)


# --- Development plans and needs analysis ---------------------------------------------------


def plan_get(employee: Employee, year: int) -> DevelopmentPlan | None:
    return (
        DevelopmentPlan.objects.filter(employee=employee, year=year)
        .prefetch_related(
            Prefetch("items", queryset=DevelopmentItem.objects.select_related("programme"))
        )
        .first()
    )


def item_progress(plan: DevelopmentPlan) -> dict[int, str]:
    """Progress of each item from the employee's enrolments in the item's programme that year:
    "selesai", "terdaftar", or ""."""
    programme_ids = [i.programme_id for i in plan.items.all() if i.programme_id]
    if not programme_ids:
        return {}
    found: dict[int, str] = {}
    for programme_id, status in Enrolment.objects.filter(
        employee_id=plan.employee_id,
        session__programme_id__in=programme_ids,
        session__ends_on__year=plan.year,
    ).values_list("session__programme_id", "status"):
        if status == EnrolmentStatus.COMPLETED:
            found[programme_id] = "selesai"
        elif status in [*NOT_DONE, EnrolmentStatus.WAITLISTED]:
            found.setdefault(programme_id, "terdaftar")
    return {i.pk: found.get(i.programme_id or 0, "") for i in plan.items.all()}


@dataclass
class NeedRow:
    opd: str
    tag: str
    people: int


def needs_analysis(year: int) -> list[NeedRow]:
    """The year's plan items (not dropped) per OPD and competency tag: how many people need
    what, for BKPSDM to plan the next catalogue from real gaps."""
    rows = (
        DevelopmentItem.objects.filter(plan__year=year)
        .exclude(status="batal")
        .values("plan__employee__unit__opd__name", "plan__employee__unit__name", "tag")
        .annotate(n=Count("plan__employee", distinct=True))
    )
    merged: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        opd = r["plan__employee__unit__opd__name"] or r["plan__employee__unit__name"]
        merged[(opd, r["tag"])] += r["n"]
    return [NeedRow(opd, tag, n) for (opd, tag), n in sorted(merged.items())]
