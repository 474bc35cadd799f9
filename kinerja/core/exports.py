"""Long exports in the background: an app registers a builder for a kind of export in its
AppConfig.ready(); a person asks for one (`export_request`), the task worker makes it
(`run_export`, kinerja/core/tasks.py) while the page shows its progress, and the file waits
under MEDIA_ROOT for the person who asked (`/unduhan/<id>/`).

A builder is `builder(*, user, params, progress) -> (data, filename, content_type)`: it runs as
the user who asked (it applies the same access policy as the page it replaces, raising
PermissionError when the user may not have it), and calls `progress(percent)` as it goes.
The direct download URLs of the pages stay as they were; the pages offer this path for the
exports that take long at regency scale.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .audit import audit_record
from .models import AuditAction, ExportJob, ExportStatus

logger = logging.getLogger(__name__)

Progress = Callable[[int], None]
Builder = Callable[..., tuple[bytes, str, str]]


@dataclass(frozen=True)
class ExportKind:
    title: str  # Indonesian, shown on the progress page: "Rekap penilaian {period}"
    builder: Builder


_kinds: dict[str, ExportKind] = {}


def register(kind: str, title: str, builder: Builder) -> None:
    _kinds[kind] = ExportKind(title, builder)


def is_registered(kind: str) -> bool:
    return kind in _kinds


class UnknownExport(ValueError):
    pass


def export_request(
    *, kind: str, params: Mapping[str, Any], user: Any, title: str = ""
) -> ExportJob:
    """Queue an export for `user`; the worker makes it after this transaction commits."""

    if kind not in _kinds:
        raise UnknownExport(kind)
    job = ExportJob.objects.create(
        kind=kind,
        title=(title or _kinds[kind].title)[:200],
        params=dict(params),
        requested_by=user,
    )
    transaction.on_commit(lambda: run_export.enqueue(job_id=job.pk))
    return job


def run(job_id: int) -> ExportJob | None:
    """Make one queued export (the task body). A failure is recorded on the job, never lost."""
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return job
    kind = _kinds.get(job.kind)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, progress=1)

    def progress(percent: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress=max(1, min(99, int(percent))))

    try:
        if kind is None:
            raise UnknownExport(job.kind)
        data, filename, content_type = kind.builder(
            user=job.requested_by, params=job.params, progress=progress
        )
    except PermissionError:
        _fail(job, "Anda tidak lagi berhak atas data ini.")
        return job
    except Exception as exc:  # recorded for the person who asked, and logged with a traceback
        logger.exception("export %s (%s) failed", job.pk, job.kind)
        _fail(job, f"Ekspor gagal: {type(exc).__name__}. Coba lagi atau hubungi admin.")
        return job
    job.refresh_from_db()
    job.file.save(filename, ContentFile(data), save=False)
    job.filename, job.content_type = filename[:200], content_type[:100]
    job.status, job.progress, job.finished_at = ExportStatus.DONE, 100, timezone.now()
    job.save(
        update_fields=["file", "filename", "content_type", "status", "progress", "finished_at"]
    )
    audit_record(
        actor=job.requested_by,
        action=AuditAction.EXPORT,
        object_type="core.exportjob",
        object_repr=f"{job.title} ({len(data)} bita, latar belakang)"[:300],
    )
    return job


@task()
def run_export(job_id: int) -> str:
    """The task the worker runs (defined here, beside the registry it reads)."""
    job = run(job_id)
    return str(job.status) if job is not None else "hilang"


def _fail(job: ExportJob, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED, error=message[:500], finished_at=timezone.now()
    )


def prune(*, days: int | None = None) -> int:
    """Delete exports (rows and files) older than EXPORT_RETENTION_DAYS (default 7): they hold
    personnel data and are made again in minutes. Returns how many were removed."""
    from django.conf import settings

    keep = days if days is not None else int(getattr(settings, "EXPORT_RETENTION_DAYS", 7))
    return delete_with_files(
        ExportJob.objects.filter(created_at__lt=timezone.now() - timedelta(days=keep))
    )


def delete_with_files(jobs: Any) -> int:
    """Delete background jobs (exports or imports) with their files; how many went."""
    removed = 0
    for job in jobs.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed


def jobs_of(user: Any) -> Any:
    return ExportJob.objects.filter(requested_by=user)
