"""Writing one month of realisations for many plans at once (the API's bulk request, issue 17):
all or nothing, every failing item reported.

Each plan's month goes through the grid's own service, `services.realisation_save_month`
(who may write, the month being open, the revision check, the review lock, late marking,
plausibility and text limits): nothing here repeats a rule. Each plan runs in a savepoint so
that every item is checked and every error collected; any error rolls the whole request back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from kinerja.organisation import access
from kinerja.organisation.models import User

from . import services
from .models import Indicator, Plan, Realisation


@dataclass(frozen=True)
class RowInput:
    """One indicator's month as a client sent it (the value still unparsed)."""

    indicator_id: int
    value: Any  # number or text ("7,5"); None leaves the month as it is
    narrative: str = ""
    revision: int | None = None


@dataclass(frozen=True)
class ItemInput:
    """One person's month: their plan by id, or by NIP and the request's year."""

    rows: Sequence[RowInput]
    plan_id: int | None = None
    nip: str | None = None


@dataclass
class BulkError(Exception):
    """Every problem of a refused bulk request: (field, message) pairs; nothing was written."""

    errors: list[tuple[str, str]] = field(default_factory=list)
    stale: bool = False


def parse_rows(
    plan: Plan, rows: Sequence[RowInput], indicators: dict[int, Indicator], where: str
) -> tuple[list[services.RealisationInput], list[tuple[str, str]]]:
    """The grid's parsing of typed values (services.parse_value) for one plan's rows."""
    inputs, errors = [], []
    seen: set[int] = set()
    for index, row in enumerate(rows):
        here = f"{where}rows.{index}"
        indicator = indicators.get(row.indicator_id)
        if indicator is None:
            errors.append((f"{here}.indicator_id", "Indikator bukan bagian dari SKP ini."))
            continue
        if row.indicator_id in seen:
            errors.append((f"{here}.indicator_id", "Indikator ini disebut dua kali."))
            continue
        seen.add(row.indicator_id)
        if row.value is None or (isinstance(row.value, str) and not row.value.strip()):
            continue
        try:
            value = services.parse_value(row.value)
        except ValidationError as exc:
            errors.append((f"{here}.value", exc.messages[0]))
            continue
        inputs.append(
            services.RealisationInput(
                indicator=indicator, value=value, narrative=row.narrative, revision=row.revision
            )
        )
    return inputs, errors


def plan_indicators(plan_ids: Sequence[int]) -> dict[int, dict[int, Indicator]]:
    """The indicators of several plans in one query, by plan and id."""
    found: dict[int, dict[int, Indicator]] = defaultdict(dict)
    for indicator in Indicator.objects.filter(rhk__plan_id__in=plan_ids).select_related("rhk"):
        found[indicator.rhk.plan_id][indicator.pk] = indicator
    return found


def save_month(
    *, plan: Plan, month: int, by: User, rows: Sequence[RowInput], where: str = ""
) -> list[Realisation]:
    """One plan's month (the single API request): the grid's parsing, then its service."""
    indicators = plan_indicators([plan.pk]).get(plan.pk, {})
    inputs, errors = parse_rows(plan, rows, indicators, where)
    if errors:
        raise BulkError(errors)
    try:
        return services.realisation_save_month(plan=plan, month=month, by=by, rows=inputs)
    except services.StaleRealisation as exc:
        raise BulkError([(f"{where}rows", m) for m in exc.messages], stale=True) from None
    except ValidationError as exc:
        raise BulkError([(f"{where}rows", m) for m in exc.messages]) from None


@transaction.atomic
def realisation_save_many(
    *, by: User, year: int, month: int, items: Sequence[ItemInput]
) -> list[tuple[Plan, list[Realisation]]]:
    """Save `month` of each item's plan; all items or none (BulkError lists every problem,
    each with its item index: ``items.3.rows.1.value``)."""
    errors: list[tuple[str, str]] = []
    stale = False
    plan_ids = [i.plan_id for i in items if i.plan_id is not None]
    nips = [i.nip for i in items if i.plan_id is None and i.nip]
    visible = Plan.objects.filter(access.employee_filter(by, "employee__")).select_related(
        "employee"
    )
    plans = visible.filter(Q(pk__in=plan_ids) | Q(year=year, employee__nip__in=nips))
    by_id = {p.pk: p for p in plans}
    by_nip = {p.employee.nip: p for p in by_id.values() if p.year == year}
    resolved: list[Plan | None] = []
    for index, item in enumerate(items):
        plan = by_id.get(item.plan_id) if item.plan_id is not None else by_nip.get(item.nip or "")
        if plan is None:
            what = f"SKP {item.plan_id}" if item.plan_id is not None else f"NIP {item.nip}"
            errors.append(
                (
                    f"items.{index}",
                    f"{what} tahun {year} tidak ditemukan atau di luar lingkup akses.",
                )
            )
        elif plan.year != year:
            errors.append((f"items.{index}.plan_id", f"SKP {plan.pk} bukan SKP tahun {year}."))
            plan = None
        resolved.append(plan)
    seen: dict[int, int] = {}
    for index, plan in enumerate(resolved):
        if plan is None:
            continue
        if plan.pk in seen:
            errors.append(
                (f"items.{index}", f"SKP {plan.pk} sudah disebut di items.{seen[plan.pk]}.")
            )
        seen.setdefault(plan.pk, index)
    indicators = plan_indicators(list(seen))
    saved: list[tuple[Plan, list[Realisation]]] = []
    for index, (item, plan) in enumerate(zip(items, resolved, strict=True)):
        if plan is None or seen.get(plan.pk) != index:
            continue
        where = f"items.{index}."
        inputs, problems = parse_rows(plan, item.rows, indicators.get(plan.pk, {}), where)
        if problems:
            errors.extend(problems)
            continue
        try:  # the service is atomic itself: a refused plan rolls back to its savepoint
            rows = services.realisation_save_month(plan=plan, month=month, by=by, rows=inputs)
        except ValidationError as exc:
            stale = stale or isinstance(exc, services.StaleRealisation)
            errors.extend((f"items.{index}", m) for m in exc.messages)
        else:
            saved.append((plan, rows))
    if errors:  # leaving the atomic block by an exception rolls every plan back
        raise BulkError(errors, stale=stale)
    return saved
