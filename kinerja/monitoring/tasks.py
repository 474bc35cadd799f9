"""Background work of monitoring (Django Tasks API; the database backend's `db_worker` runs it)."""

from django_tasks import task

from . import services


@task()
def refresh_unit_figures(unit_id: int, year: int) -> None:
    """Roll one unit's person figures up after a change of one of its employees."""
    services.unit_figures_refresh(unit_id=unit_id, year=year)


@task()
def rebuild_figures(year: int | None = None) -> int:
    """Recompute every figure (e.g. nightly, so that at-risk counts follow the calendar)."""
    return services.figures_rebuild(year=year).people


@task()
def prune_changes() -> int:
    """Delete old rows of the live-update feed."""
    return services.changes_prune()
