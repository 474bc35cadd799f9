"""Background work of monitoring (Django Tasks API; the database backend's `db_worker` runs it)."""

from collections import defaultdict
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from . import services


@task()
def refresh_unit_figures(unit_id: int, year: int) -> None:
    """Roll one unit's person figures up after a change of one of its employees."""
    services.unit_figures_refresh(unit_id=unit_id, year=year)


@task()
def refresh_person_figures(employee_id: int, year: int) -> bool:
    """One person's figures again (after a refresh failed in the request that changed them)."""
    return services.person_figures_refresh(employee_id=employee_id, year=year) is not None


@task()
def refresh_team_figures(employee_id: int, year: int, since: str = "") -> int:
    """Roll one person's change up the chain of their supervisors (the large boards), each head
    from their direct reports; `since` (when the change was made) is no longer used."""
    return services.team_figures_refresh_chain(employee_id=employee_id, year=year)


def team_figures_nightly() -> str:
    """The scheduled job `angka_tim` (kinerja.adoption.schedule): every team of this year."""
    year = timezone.localdate().year
    return (
        f"angka tim {services.team_figures_rebuild(year=year)} atasan dihitung ulang untuk {year}"
    )


@task()
def refresh_unit_and_team_figures(
    unit_id: int, employee_id: int, year: int, since: str = ""
) -> int:
    """After one person's change (kinerja.monitoring.live.employee_changed): their unit's
    figures, then the chain of their supervisors' team figures (what `refresh_unit_figures`
    and `refresh_team_figures` do), queued as one task instead of two. Each half runs even
    when the other fails; a failure fails the task, which the queue's recovery retries (both
    halves are idempotent). `since` is accepted for the tasks queued by earlier versions.
    One call is a batch of one: the database worker runs several through the same function."""
    return refresh_unit_and_team_figures_many(
        [{"unit_id": unit_id, "employee_id": employee_id, "year": year}]
    )


def refresh_unit_and_team_figures_many(calls: list[dict[str, Any]]) -> int:
    """Many queued `refresh_unit_and_team_figures` at once (the database worker claims the
    burst together, kinerja.core.taskbatch): each unit once, then every head above any of the
    changed people once (`team_figures_refresh_chains`), per year. The units are refreshed even
    when one fails, and the heads even when a unit fails; a failure fails the batch, whose
    tasks the queue's recovery retries."""
    years: dict[int, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for call in calls:
        units, people = years[call["year"]]
        units.add(call["unit_id"])
        people.add(call["employee_id"])
    failure: Exception | None = None
    refreshed = 0
    for year, (units, people) in sorted(years.items()):
        for unit_id in sorted(units):
            try:
                services.unit_figures_refresh(unit_id=unit_id, year=year)
            except Exception as exc:  # the others and the teams are refreshed anyway
                failure = exc
        refreshed += services.team_figures_refresh_chains(employee_ids=sorted(people), year=year)
    if failure is not None:
        raise failure
    return refreshed


@task()
def refresh_people_figures(employee_ids: list[int], year: int) -> int:
    """Many people's figures after one bulk write (the API's bulk realisations, topic
    "realisations"): each person once, their units once, then open boards hear of each person
    and the teams are rebuilt once, instead of a thousand inline refreshes in the request."""
    count = services.people_figures_refresh(employee_ids=employee_ids, year=year)
    if cache.add(team_rebuild_pending_key(year), 1, timeout=60):
        rebuild_team_figures.enqueue(year=year)
    return count


def team_rebuild_pending_key(year: int) -> str:
    return f"monitoring:team-rebuild-pending:{year}"


@task()
def rebuild_team_figures(year: int) -> int:
    """Every team's and unit's figures again, after the reporting lines or the people changed
    (a transfer, an import). The pending mark is cleared first, so a change during the rebuild
    queues the next one."""
    cache.delete(team_rebuild_pending_key(year))
    services.unit_figures_refresh_all(year=year)
    return services.team_figures_rebuild(year=year)


@task()
def rebuild_figures(year: int | None = None) -> int:
    """Recompute every figure (e.g. nightly, so that at-risk counts follow the calendar)."""
    return services.figures_rebuild(year=year).people


@task()
def prune_changes() -> int:
    """Delete old rows of the live-update feed."""
    return services.changes_prune()
