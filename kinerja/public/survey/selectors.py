"""Reads of the survey: the questionnaire, services and kiosk devices, and the results computed
by kinerja.rules.skm from SQL sums over the daily totals (SurveyDay), never from a loop over
responses. :func:`ikm_for_service_month` is the performance app's entry point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from kinerja.organisation.models import Unit, User
from kinerja.rules.calendar import MONTHS
from kinerja.rules.numbers import round2
from kinerja.rules.periods import Period, Periodicity
from kinerja.rules.skm import UNSUR, IkmResult, ikm_from_totals, is_representative, min_sample
from kinerja.rules.skm import weakest_unsur as rules_weakest_unsur

from ..choices import DEFAULT_QUESTIONS, DIMENSION_VALUES, ProfileDimension
from ..common import get_or_404, units_administered_by, units_readable_by
from ..models import (
    KioskDevice,
    Service,
    ServicePopulation,
    SurveyDay,
    SurveyProfileDay,
    SurveyQuestion,
    SurveyResponse,
)
from ..protection import token_hash

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


# --- Services and kiosk devices --------------------------------------------------------------


def service_public(code: str) -> Service:
    """An active service of an active public unit, by its code in any case (for citizens)."""
    qs = Service.objects.select_related("unit").filter(
        is_active=True, unit__serves_public=True, unit__is_active=True
    )
    return get_or_404(qs, code=(code or "").upper())


def service_for_reader(user: User | None, code: str) -> Service:
    qs = Service.objects.select_related("unit", "unit__opd").filter(
        unit__in=units_readable_by(user)
    )
    return get_or_404(qs, code=(code or "").upper())


def service_for_admin(user: User | None, code: str) -> Service:
    qs = Service.objects.select_related("unit", "unit__opd").filter(
        unit__in=units_administered_by(user)
    )
    return get_or_404(qs, code=(code or "").upper())


def services_of(unit: Unit) -> QuerySet[Service]:
    return Service.objects.filter(unit=unit).order_by("name")


SERVICE_COLUMNS = ("id", "unit_id", "code", "name", "is_active", "ask_counter", "counters")


def kiosk_device_for_token(token: str) -> KioskDevice | None:
    """The active device holding `token`, with its service, or None (read from the database)."""
    if not token or len(token) > 200:
        return None
    return kiosk_device_for_hash(token_hash(token))


def kiosk_device_for_hash(digest: str) -> KioskDevice | None:
    """The active device whose token has the SHA-256 `digest`, with its service, or None; a
    device found is remembered for `kiosk_device_cached`.

    The kiosk API runs this for a device this process has not seen yet, so it is one
    hand-written indexed query (about 0.03 ms, where the ORM's select_related takes 0.5 ms to
    build) and the two objects are made with Model.from_db, as the ORM would."""
    q = connection.ops.quote_name
    columns = ", ".join(f"s.{q(c)}" for c in SERVICE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.{q('id')}, d.{q('name')}, {columns} FROM {q(KioskDevice._meta.db_table)} d "
            f"JOIN {q(Service._meta.db_table)} s ON s.{q('id')} = d.{q('service_id')} "
            f"WHERE d.{q('token_hash')} = %s AND d.{q('revoked_at')} IS NULL",
            [digest],
        )
        row = cursor.fetchone()
    if row is None:
        _KIOSK_DEVICES.pop(digest, None)
        return None
    if len(_KIOSK_DEVICES) >= KIOSK_CACHE_SIZE:
        _KIOSK_DEVICES.clear()
    _KIOSK_DEVICES[digest] = (connection.alias, tuple(row))
    return _kiosk_device(connection.alias, row)


# Devices this process has found, by token digest: (database alias, the row of the query above).
# Only tokens that were valid are kept, so unknown tokens cannot fill it. A remembered device is
# never trusted on its own: its questionnaire is stored by an INSERT that checks the device is
# still active and its service still open under the same code (survey.responses, `verify`), and
# when it is not, the API reads the device again. Revoking a device or changing a service in
# this process forgets them all at once (`kiosk_devices_forget`).
KIOSK_CACHE_SIZE = 1024
_KIOSK_DEVICES: dict[str, tuple[str, tuple[Any, ...]]] = {}


def kiosk_device_cached(digest: str) -> KioskDevice | None:
    """The device remembered for the token digest `digest` (no query), or None. Its questionnaire
    must be stored with the INSERT's own check (`response_submit(verify_device=True)`)."""
    found = _KIOSK_DEVICES.get(digest)
    if found is None or found[0] != connection.alias:
        return None
    return _kiosk_device(found[0], found[1])


def kiosk_devices_forget() -> None:
    """Forget every remembered device (a device was revoked or a service changed)."""
    _KIOSK_DEVICES.clear()


def _kiosk_device(alias: str, row: Sequence[Any]) -> KioskDevice:
    device_id, name, service_id, unit_id, code, service_name, active, ask_counter, counters = row
    service = Service.from_db(
        alias,
        list(SERVICE_COLUMNS),
        [service_id, unit_id, code, service_name, bool(active), bool(ask_counter), counters],
    )
    device = KioskDevice.from_db(alias, ["id", "name", "service_id"], [device_id, name, service_id])
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
