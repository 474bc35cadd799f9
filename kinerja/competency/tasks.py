"""Background work of competency (Django Tasks API; the database backend's `db_worker` runs it),
and the event handlers that queue it (kinerja.core.events, subscribed in apps.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from kinerja.organisation.models import Employee

from . import unit_jp

logger = logging.getLogger(__name__)


@task()
def refresh_unit_jp(unit_ids: list[int], year: int) -> int:
    """The kept 20 JP compliance of these units after a JP write concerning their people."""
    return unit_jp.refresh(year, unit_ids)


@task()
def rebuild_unit_jp(year: int) -> int:
    """Every unit's kept 20 JP compliance. The pending mark is cleared first, so a change
    during the rebuild queues the next one."""
    cache.delete(rebuild_pending_key(year))
    return unit_jp.rebuild(year)


def rebuild_pending_key(year: int) -> str:
    return f"competency:unit-jp-rebuild-pending:{year}"


def queue_unit_jp(employee_ids: Iterable[int] | None, year: int | None = None) -> None:
    """Queue the kept unit figures of these people (None: maybe anyone's) in `year` (default
    this year): their units' refresh, or one rebuild for a burst of changes. Never raises: a
    figure that could not be queued is corrected by the nightly job."""
    year = year or timezone.localdate().year
    try:
        if employee_ids is None:
            # Shared by the processes when the cache is (Redis); a per-process cache only
            # shortens the window in which further changes wait for the queued rebuild.
            if cache.add(rebuild_pending_key(year), 1, timeout=60):
                rebuild_unit_jp.enqueue(year=year)
            return
        ids = sorted(set(employee_ids))
        units = sorted(set(Employee.objects.filter(pk__in=ids).values_list("unit_id", flat=True)))
        if units:
            refresh_unit_jp.enqueue(unit_ids=units, year=year)
    except Exception:
        logger.exception("could not queue the JP figures of %s in %s", employee_ids, year)


def on_jp_changed(*, topic: str, employee_id: int, **data: Any) -> None:
    """The "jp" event (kinerja.competency.services.jp_changed, after commit)."""
    queue_unit_jp(data.get("employee_ids"), data.get("year"))


def on_people_changed(*, topic: str, employee_id: int, **data: Any) -> None:
    """People changed unit, status or activity, or reporting lines changed (a transfer, an
    import): every unit of this year again, once for a burst."""
    queue_unit_jp(None)
