"""Writing one month of realisations for many plans at once (the API's bulk request, issue 17):
all or nothing, every failing item reported.

One plan's month goes through the grid's own service, `services.realisation_save_month`.
Many plans go through the same rules (`services.realisation_month_problem`: who may write and
whether the month is open; `services.realisation_row_decision`: the revision check, the review
lock, plausibility and text limits; `core.calendar.month_deadline`: late marking), every item
checked and every error collected before anything is written, then written in bulk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kinerja.core import events
from kinerja.core.audit import AuditAction, audit_entry, audit_write_many, diff
from kinerja.core.calendar import month_deadline
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


# What the rules read of an indicator (services.realisation_row_decision and
# realisation_input_problem, and the audit entry's name of a realisation): loading only these
# builds the thousands of indicators of a bulk request in half the time.
RULE_FIELDS = ("id", "name", "target", "polarity", "source", "rhk_id", "rhk__id", "rhk__plan_id")


def plan_indicators(
    plan_ids: Sequence[int], *, only_rule_fields: bool = False
) -> dict[int, dict[int, Indicator]]:
    """The indicators of several plans in one query, by plan and id (`only_rule_fields`: just
    what the rules read, for callers that hand the indicators to nothing else)."""
    found: dict[int, dict[int, Indicator]] = defaultdict(dict)
    indicators = Indicator.objects.filter(rhk__plan_id__in=plan_ids).select_related("rhk")
    if only_rule_fields:
        indicators = indicators.only(*RULE_FIELDS)
    for indicator in indicators:
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
    each with its item index: ``items.3.rows.1.value``).

    The rules are the grid's (services.realisation_month_problem and
    services.realisation_row_decision, which realisation_save_month uses too); only the
    writing is batched: the plans locked in one query, the month's entries read in one, new
    and changed rows and their audit records written with bulk queries."""
    errors: list[tuple[str, str]] = []
    stale = False
    plan_ids = [i.plan_id for i in items if i.plan_id is not None]
    nips = [i.nip for i in items if i.plan_id is None and i.nip]
    visible = Plan.objects.filter(access.employee_filter(by, "employee__"))
    found = visible.filter(Q(pk__in=plan_ids) | Q(year=year, employee__nip__in=nips))
    by_id = {p.pk: p for p in found.select_for_update(of=("self",)).select_related("employee")}
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
    indicators = plan_indicators(list(seen), only_rule_fields=True)
    existing = {
        r.indicator_id: r
        for r in Realisation.objects.select_for_update(of=("self",)).filter(
            indicator__rhk__plan_id__in=list(seen), month=month
        )
    }
    now = timezone.now()
    creates: list[tuple[Realisation, bool]] = []
    updates: list[tuple[Realisation, dict[str, str]]] = []
    saved: dict[int, list[Realisation]] = {}
    for index, (item, plan) in enumerate(zip(items, resolved, strict=True)):
        if plan is None or seen.get(plan.pk) != index:
            continue
        where = f"items.{index}."
        inputs, problems = parse_rows(plan, item.rows, indicators.get(plan.pk, {}), where)
        try:
            services.realisation_month_problem(plan, month, by)
        except ValidationError as exc:
            problems = [(f"items.{index}", m) for m in exc.messages] + problems
        if problems:
            errors.extend(problems)
            continue
        late = now > month_deadline(plan.year, month)
        decided: list[tuple[str, services.RealisationInput, Realisation | None]] = []
        try:
            for row in inputs:
                current = existing.get(row.indicator.pk)
                decision, message = services.realisation_row_decision(plan, row, current)
                if decision == "error":
                    errors.append((f"items.{index}", message))
                decided.append((decision, row, current))
        except services.StaleRealisation as exc:
            stale = True
            errors.extend((f"items.{index}", m) for m in exc.messages)
            continue
        if any(d == "error" for d, _r, _c in decided):
            continue
        rows_saved = saved.setdefault(plan.pk, [])
        for decision, row, current in decided:
            if decision == "keep":
                rows_saved.append(current)  # type: ignore[arg-type]
            elif decision == "update":
                assert current is not None
                before = services.realisation_apply_update(current, row, by=by, now=now)
                updates.append((current, before))
                rows_saved.append(current)
            elif decision == "create":
                created = Realisation(
                    indicator=row.indicator,
                    month=month,
                    value=row.value,
                    narrative=row.narrative.strip()[:2000],
                    is_late=late,
                    entered_by=by,
                )
                creates.append((created, late))
                rows_saved.append(created)
    if errors:  # leaving the atomic block by an exception rolls every plan back
        raise BulkError(errors, stale=stale)
    Realisation.objects.bulk_create([r for r, _late in creates], batch_size=500)
    Realisation.objects.bulk_update(
        [r for r, _before in updates],
        ["value", "narrative", "revision", "entered_by", "updated_at"],
        batch_size=500,
    )
    audit_write_many(
        [
            audit_entry(
                actor=by,
                action=AuditAction.CREATE,
                obj=r,
                changes={"value": [None, str(r.value)], "late": [None, late]},
            )
            for r, late in creates
        ]
        + [
            audit_entry(
                actor=by,
                action=AuditAction.UPDATE,
                obj=r,
                changes=diff(before, {"value": str(r.value), "narrative": r.narrative}),
            )
            for r, before in updates
        ]
    )
    result = [(by_id[plan_id], rows) for plan_id, rows in saved.items()]
    changed = sorted({plan.employee_id for plan, rows in result if rows})
    if changed:  # one announcement for the batch: monitoring refreshes them in the background
        transaction.on_commit(
            lambda: events.publish(
                "realisations", employee_id=0, employee_ids=changed, year=year, month=month
            )
        )
    return result
