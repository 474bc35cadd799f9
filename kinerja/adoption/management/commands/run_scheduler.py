"""The one scheduler process: enqueue each scheduled job (kinerja.adoption.schedule.JOBS) on its
cron schedule, for the task worker (`manage.py db_worker`) to run. APScheduler keeps the time
(the cron engine of django-crontask, which itself needs Python 3.12); run exactly one of these
per installation (a second one would enqueue every job twice; the jobs are idempotent, but the
work would be doubled)."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Jalankan penjadwal: pengingat, ringkasan harian, angka adopsi (satu proses saja)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--now", action="append", default=[], help="enqueue this job at once (repeatable)"
        )
        parser.add_argument(
            "--exit", action="store_true", help="exit after --now instead of keeping the schedule"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        from apscheduler.schedulers.blocking import BlockingScheduler
        from apscheduler.triggers.cron import CronTrigger

        from kinerja.adoption.schedule import JOBS, job_named
        from kinerja.adoption.tasks import scheduled_job

        for name in options["now"]:
            job_named(name)
            scheduled_job.enqueue(name)
            self.stdout.write(f"antre: {name}")
        if options["exit"]:
            return
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        for job in JOBS:
            scheduler.add_job(
                scheduled_job.enqueue,
                CronTrigger.from_crontab(job.cron, timezone=settings.TIME_ZONE),
                args=[job.name],
                id=job.name,
                name=job.label,
                misfire_grace_time=3600,
                coalesce=True,
            )
            self.stdout.write(f"{job.name}: {job.cron} ({job.label})")
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            scheduler.start()
