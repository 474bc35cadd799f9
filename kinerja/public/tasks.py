"""Background work of community participation (Django Tasks API)."""

from django_tasks import task

from . import retention


@task()
def purge_hashes() -> int:
    """Erase IP and browser hashes older than PUBLIC_IP_RETENTION_DAYS (run daily)."""
    return retention.hashes_purge()
