"""Background work of adoption (Django Tasks API; `manage.py db_worker` runs it). The scheduled
jobs (kinerja.adoption.schedule.JOBS) are enqueued on their cron schedule by
`manage.py run_scheduler`; each run is recorded as a JobRun row (shown to BKPSDM)."""

from __future__ import annotations

from django_tasks import task

from .channels import deliver_webhook, send_email  # noqa: F401 (defined there, listed here)
from .schedule import run_job


@task()
def scheduled_job(name: str) -> str:
    """Run one scheduled job by name (reminders, digests, figures) and record its outcome."""
    return run_job(name)
