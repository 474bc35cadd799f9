"""Background work of the performance app (Django Tasks API, run by `manage.py db_worker`)."""

from django_tasks import task

from .services import automatic_realisations_sync


@task()
def sync_automatic_realisations(year: int, month: int) -> int:
    """Refresh the automatic realisations of a month after survey or complaint data changed."""
    return automatic_realisations_sync(year=year, month=month).written
