"""What the evaluation document prints, frozen when a result is finalised: one row per
indicator (target, realisation, capaian, status, evidence, the last feedback)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from kinerja.performance.models import Comment, Evidence, Plan
from kinerja.rules.numbers import round2
from kinerja.rules.periods import Period

from .. import selectors
from ..models import Assessment


def _snapshot_row(
    row: selectors.IndicatorRow, evidence: int, feedback: list[str]
) -> dict[str, Any]:
    p = row.progress
    return {
        "kind": row.rhk.kind,
        "rhk": row.rhk.text,
        "indicator": row.indicator.name,
        "unit": row.indicator.unit_of_measure,
        "target": _num(p.target_to_date),
        "realisation": _num(p.value),
        "capaian": _num(round2(p.capaian_to_date) if p.capaian_to_date is not None else None),
        "status": p.status.label if p.status else "",
        "evidence": evidence,
        "feedback": feedback[-3:],
    }


def document_snapshot(assessment: Assessment, period: Period) -> dict[str, Any]:
    """What the evaluation document prints, frozen when the result is finalised: one row per
    indicator with the period's target, realisation, capaian and status, the number of
    evidence items and the last feedback."""
    rows = []
    if assessment.plan is not None:
        evaluation = selectors.plan_evaluation(assessment.plan, period, with_details=True)
        for row in evaluation.rows:
            evidence = sum(len(r.evidence.all()) for r in row.progress.by_month.values())
            rows.append(_snapshot_row(row, evidence, [c.body for c in row.comments]))
    return {"rows": rows}


def document_snapshots(
    plans: Sequence[Plan],
    period: Period,
    evaluations: Mapping[int, selectors.Evaluation] | None = None,
) -> dict[int, dict[str, Any]]:
    """:func:`document_snapshot` for many plans at once, by plan id, in a fixed number of
    queries (finalising a team; the demo's thousands of results). ``evaluations`` are the
    plans' figures when the caller already has them (selectors.plans_evaluations)."""
    plan_ids = [p.pk for p in plans]
    if evaluations is None:
        evaluations = selectors.plans_evaluations(plans, period)
    evidence: dict[int, int] = dict(
        Evidence.objects.filter(
            realisation__indicator__rhk__plan_id__in=plan_ids, realisation__month__in=period.months
        )
        .values_list("realisation_id")
        .annotate(n=Count("id"))
        .values_list("realisation_id", "n")
    )
    threads: dict[tuple[str, int], list[str]] = {}
    for comment in (
        Comment.objects.filter(plan_id__in=plan_ids)
        .filter(Q(rhk_id__isnull=False) | Q(realisation__month__in=period.months))
        .only("id", "rhk_id", "realisation_id", "body")
    ):
        if comment.rhk_id:
            key = ("rhk", comment.rhk_id)
        elif comment.realisation_id:
            key = ("r", comment.realisation_id)
        else:  # the filter above admits no other comment
            continue
        threads.setdefault(key, []).append(comment.body)
    result = {}
    for pk in plan_ids:
        rows = []
        for row in evaluations[pk].rows:
            realised = sorted(row.progress.by_month.values(), key=lambda r: r.month)
            feedback = list(threads.get(("rhk", row.rhk.pk), []))
            for r in realised:
                feedback += threads.get(("r", r.pk), [])
            count = sum(evidence.get(r.pk, 0) for r in realised)
            rows.append(_snapshot_row(row, count, feedback))
        result[pk] = {"rows": rows}
    return result


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")
