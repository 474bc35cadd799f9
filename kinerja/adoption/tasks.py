"""Background work of adoption (Django Tasks API; `manage.py db_worker` runs it). The scheduled
jobs (kinerja.adoption.schedule.JOBS) are enqueued on their cron schedule by
`manage.py run_scheduler`; each run is recorded as a JobRun row (shown to BKPSDM)."""

from __future__ import annotations

from django_tasks import task

from . import channels
from .schedule import run_job


@task()
def send_email(delivery_id: int) -> int:
    """Send one logged e-mail (kinerja.adoption.channels)."""
    return channels.email_send([delivery_id])


@task()
def deliver_webhook(delivery_id: int) -> str:
    """Call the WhatsApp/SMS gateway for one logged delivery, with retries."""
    return str(channels.webhook_deliver(delivery_id).status)


@task()
def scheduled_job(name: str) -> str:
    """Run one scheduled job by name (reminders, digests, figures) and record its outcome."""
    return run_job(name)
