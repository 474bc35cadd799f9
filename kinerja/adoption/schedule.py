"""The scheduled jobs: what runs when (cron expressions, the regency's time zone).

`manage.py run_scheduler` (one process per installation, started by `make run` beside
`manage.py db_worker`) enqueues each job on its schedule as the background task
kinerja.adoption.tasks.scheduled_job; the worker runs it through `run_job`, which records the
run (JobRun: start, end, outcome) for BKPSDM's page /adopsi/jadwal/. A job that is already
done for the day does nothing more (reminders and digests are idempotent by key).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from .models import JobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    cron: str  # minute hour day month day-of-week
    run: Callable[[], str]


def _reminders() -> str:
    from .reminders import reminders_run

    sent = reminders_run()
    return ", ".join(f"{kind}: {n}" for kind, n in sent.items()) or "tidak ada"


def _digests() -> str:
    from .reminders import digests_send

    return f"{digests_send()} ringkasan terkirim"


def _figures() -> str:
    from .stats import figures_rebuild

    return f"angka {figures_rebuild()} unit dibangun"


def _queue() -> str:
    from kinerja.core import exports, importjobs
    from kinerja.core.taskqueue import recover

    done = recover()
    undone = importjobs.recover_stale()
    pruned = exports.prune()
    pruned_imports = importjobs.prune()
    return (
        f"{done.lost} tugas dari pekerja yang berhenti ditandai gagal; {done.retried} dicoba "
        f"ulang; {done.given_up} dihentikan setelah batas percobaan; {undone} impor yang "
        f"terhenti dibatalkan; {pruned} ekspor dan {pruned_imports} impor lama dihapus"
    )


def _jp_figures() -> str:
    from django.utils import timezone

    from kinerja.competency import unit_jp

    year = timezone.localdate().year
    return f"{unit_jp.rebuild(year)} unit dihitung ulang untuk {year}"


def _personal_data() -> str:
    from kinerja.public.retention import personal_data_purge

    return personal_data_purge().summary()


JOBS: list[Job] = [
    Job(
        "pengingat",
        "Pengingat (realisasi, SKP menunggu, penilaian, keberatan)",
        "0 7 * * *",
        _reminders,
    ),
    Job("ringkasan_harian", "Ringkasan harian atasan (surel)", "30 6 * * *", _digests),
    Job("angka_adopsi", "Angka adopsi per unit", "15 1 * * *", _figures),
    # Just after midnight: "at risk" follows the months left (kinerja.competency.unit_jp).
    Job("kepatuhan_jp", "Kepatuhan 20 JP per unit (dasbor daerah)", "5 0 * * *", _jp_figures),
    Job(
        "data_pribadi",
        "Pembersihan data pribadi warga yang melewati masa simpan (UU 27/2022)",
        "45 1 * * *",
        _personal_data,
    ),
    Job(
        "pemulihan_antrean",
        "Pemulihan antrean tugas (pekerja yang berhenti, coba ulang)",
        "*/10 * * * *",
        _queue,
    ),
]


def register(job: Job) -> None:
    """Add a job of an app above this one (from its AppConfig.ready(): kinerja.monitoring's
    `angka_tim`), which this module may not import."""
    if all(existing.name != job.name for existing in JOBS):
        JOBS.append(job)


def job_named(name: str) -> Job:
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)


def run_job(name: str) -> str:
    """Run one job now and record its run and outcome."""
    job = job_named(name)
    run = JobRun.objects.create(job=name)
    try:
        detail = job.run()
    except Exception as exc:
        logger.exception("scheduled job %s failed", name)
        run.ok, run.detail = False, f"{type(exc).__name__}: {exc}"[:500]
        run.finished_at = timezone.now()
        run.save(update_fields=["ok", "detail", "finished_at"])
        raise
    run.ok, run.detail, run.finished_at = True, detail[:500], timezone.now()
    run.save(update_fields=["ok", "detail", "finished_at"])
    return detail
