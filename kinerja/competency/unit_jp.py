"""The units' 20 JP compliance kept for the regency dashboard (UnitJp).

Computing the compliance of every employee costs one pass over all of them and all their
learning (about 300 ms at 100,000 employees), too much for a cold regency dashboard. The figures
are therefore kept per unit, as kinerja.monitoring keeps the performance figures:

- after a JP write commits (`services.jp_changed` publishes the "jp" event), the units of the
  people it concerns are recomputed in the background (`tasks.refresh_unit_jp`); a write that
  may concern anyone (a session closed or moved, a waiting list promoted) rebuilds every unit
  instead, once for a burst of such writes (`tasks.rebuild_unit_jp`);
- when people change unit, status or activity, or reporting lines change (the "employee",
  "supervisor" and "people" events of kinerja.organisation), every unit is rebuilt the same way;
- every night (the scheduled job "kepatuhan_jp"), since "at risk" depends on the months left
  (kinerja.rules.training.at_risk): rows computed for another month are never read.

A unit refresh only writes into a year that was rebuilt whole, so the kept rows always cover
every unit of that year or none (then the dashboard computes the figures itself)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from . import selectors
from .models import UnitJp

FIELDS = ["people", "met", "at_risk", "completed_jp", "months_left", "refreshed_at"]


def _store(
    year: int, counts: dict[int, selectors.Counts], left: int, units: list[int] | None
) -> int:
    now = timezone.now()
    rows = [
        UnitJp(
            unit_id=unit_id,
            year=year,
            people=people,
            met=met,
            at_risk=risk,
            completed_jp=done,
            months_left=left,
            refreshed_at=now,
        )
        for unit_id, (people, met, risk, done) in counts.items()
    ]
    with transaction.atomic():
        gone = UnitJp.objects.filter(year=year).exclude(unit_id__in=list(counts))
        if units is not None:
            gone = gone.filter(unit_id__in=units)
        gone.delete()
        UnitJp.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["unit", "year"],
            update_fields=FIELDS,
        )
    return len(rows)


def rebuild(year: int) -> int:
    """Every unit's figures of `year` again; returns how many units have people."""
    counts, left = selectors.unit_counts(year)
    return _store(year, counts, left, None)


def refresh(year: int, unit_ids: Iterable[int]) -> int:
    """The figures of these units again — only in a year whose units are all kept and for this
    month's calendar; otherwise every unit is rebuilt."""
    units = sorted(set(unit_ids))
    kept = UnitJp.objects.filter(year=year)
    left = selectors.months_left(year)
    if not kept.exists() or kept.exclude(months_left=left).exists():
        return rebuild(year)
    counts, left = selectors.unit_counts(year, units)
    return _store(year, counts, left, units)
