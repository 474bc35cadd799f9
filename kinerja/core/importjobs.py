"""Long imports in the background, the twin of kinerja.core.exports (same job design, same
progress page pattern): an app registers an importer for a kind of file in its
AppConfig.ready(); the page checks the upload's type and size and stores it as an ImportJob
(`import_request`); the task worker checks every row and applies the file (`run_import`) while
the page shows the progress and then the result — rows created, changed, unchanged, or the
row-by-row errors.

An importer is `importer(*, data, filename, by, params, on_apply, progress) -> report`, the
report having `ok`, `failed`, `rows`, `created`, `updated`, `unchanged`, `errors` (objects with
row, column, message), `more_errors` and `summary()`. It writes nothing until every row is
valid, then calls `on_apply(journal)` once before its first write — the job keeps the journal —
and writes in short transactions. An `undoer(journal)` puts back what a job wrote when its
worker died half-way: a job left "applying" is undone by `recover_stale` (run with the task
queue's recovery), or by the task's retry, so the file is applied whole or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .audit import audit_record
from .exports import delete_with_files
from .models import AuditAction, ImportJob, ImportStatus
from .uploads import display_filename

logger = logging.getLogger(__name__)

Importer = Callable[..., Any]
Undoer = Callable[[dict[str, Any]], int]
LOST = (
    "Impor terhenti sebelum selesai (pekerja latar berhenti). Semua perubahan dari berkas ini "
    "telah dibatalkan; tidak ada data yang berubah. Unggah ulang berkasnya."
)


@dataclass(frozen=True)
class ImportKind:
    title: str  # Indonesian: "Impor pegawai"
    importer: Importer
    undoer: Undoer | None = None


_kinds: dict[str, ImportKind] = {}


def register(kind: str, title: str, importer: Importer, undoer: Undoer | None = None) -> None:
    _kinds[kind] = ImportKind(title, importer, undoer)


def is_registered(kind: str) -> bool:
    return kind in _kinds


class UnknownImport(ValueError):
    pass


def import_request(
    *,
    kind: str,
    data: bytes,
    filename: str,
    user: Any,
    params: Mapping[str, Any] | None = None,
    title: str = "",
    enqueue: bool = True,
) -> ImportJob:
    """Store an uploaded file as a job; the worker checks and applies it after this commits
    (a command passes enqueue=False and calls `run` itself)."""
    if kind not in _kinds:
        raise UnknownImport(kind)
    job = ImportJob(
        kind=kind,
        title=(title or _kinds[kind].title)[:200],
        params=dict(params or {}),
        requested_by=user if getattr(user, "pk", None) else None,
        filename=display_filename(filename, 200),
    )
    # Django cuts a stored name that is too long the same way (extension kept).
    job.file.save(job.filename, ContentFile(data), save=False)
    job.save()
    if enqueue:
        transaction.on_commit(lambda: run_import.enqueue(job_id=job.pk))
    return job


def _update(job: ImportJob, **fields: Any) -> None:
    fields.setdefault("touched_at", timezone.now())
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    for key, value in fields.items():
        setattr(job, key, value)


def _failure(exc: Exception) -> str:
    """What the person who uploaded reads when the check itself failed (nothing was written):
    what happened and what to do, not an exception's bare name."""
    if isinstance(exc, PermissionError):
        return (
            "Impor dibatalkan: akun yang mengunggah berkas ini tidak lagi berhak mengimpor data "
            "ini. Tidak ada data yang diubah."
        )
    return (
        f"Impor gagal karena kesalahan sistem ({type(exc).__name__}). Tidak ada data yang "
        "diubah. Coba unggah lagi; bila terulang, hubungi admin sistem."
    )


def run(job_id: int) -> ImportJob | None:
    """Check and apply one queued file (the task body; commands call it directly). A failure is
    recorded on the job, never lost; a job a dead worker left half-applied is undone."""
    job = ImportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return job
    kind = _kinds.get(job.kind)
    if job.status in (ImportStatus.APPLYING, ImportStatus.UNDOING):
        _undo(job, kind, LOST)
        return job
    _update(job, status=ImportStatus.CHECKING, progress=1, started_at=timezone.now())
    with job.file.open("rb") as handle:
        data = handle.read()

    def on_apply(journal: dict[str, Any]) -> None:
        _update(job, status=ImportStatus.APPLYING, journal=journal, progress=5)

    def progress(percent: int) -> None:
        _update(job, progress=max(5, min(99, int(percent))))

    try:
        if kind is None:
            raise UnknownImport(job.kind)
        report = kind.importer(
            data=data,
            filename=job.filename,
            by=job.requested_by,
            params=job.params,
            on_apply=on_apply,
            progress=progress,
        )
    except Exception as exc:  # recorded for the person who asked, and logged with a traceback
        logger.exception("import %s (%s) failed", job.pk, job.kind)
        if job.status == ImportStatus.APPLYING:
            _undo(job, kind, f"Impor gagal ({type(exc).__name__}); semua perubahan dibatalkan.")
        else:
            _finish(job, ImportStatus.FAILED, error=_failure(exc))
        return job
    counts = {
        "rows": report.rows,
        "created": report.created if report.ok else 0,
        "updated": report.updated if report.ok else 0,
        "unchanged": report.unchanged if report.ok else 0,
        "errors": [[e.row, e.column, e.message] for e in report.errors],
        "more_errors": report.more_errors,
        "summary": report.summary()[:500],
    }
    if report.ok:
        status = ImportStatus.DONE
    elif report.failed:
        status = ImportStatus.FAILED
    else:
        status = ImportStatus.REJECTED
    _finish(job, status, error=report.failed[:500], **counts)
    return job


def _finish(job: ImportJob, status: str, **fields: Any) -> None:
    _update(job, status=status, progress=100, finished_at=timezone.now(), **fields)


def _undo(job: ImportJob, kind: ImportKind | None, message: str) -> None:
    _update(job, status=ImportStatus.UNDOING)
    undone = kind.undoer(job.journal or {}) if kind and kind.undoer else 0
    _finish(job, ImportStatus.FAILED, error=message[:500], summary=message[:500])
    audit_record(
        actor=job.requested_by,
        action=AuditAction.IMPORT,
        object_type="core.importjob",
        object_repr=f"{job.title}: {job.filename} dibatalkan ({undone} baris)"[:300],
    )


@task()
def run_import(job_id: int) -> str:
    """The task the worker runs (defined here, beside the registry it reads)."""
    job = run(job_id)
    return str(job.status) if job is not None else "hilang"


def recover_stale(now: datetime | None = None) -> int:
    """Undo the jobs a dead worker (or a killed command) left checking or applying: those that
    have not moved for TASKS_STALE_MINUTES. Returns how many."""
    now = now or timezone.now()
    stale = timedelta(minutes=int(getattr(settings, "TASKS_STALE_MINUTES", 30)))
    jobs = ImportJob.objects.filter(
        status__in=[ImportStatus.CHECKING, ImportStatus.APPLYING, ImportStatus.UNDOING],
        touched_at__lt=now - stale,
    )
    count = 0
    for job in jobs:
        if job.status == ImportStatus.CHECKING:  # nothing written yet
            _finish(job, ImportStatus.FAILED, error=LOST[:500], summary=LOST[:500])
        else:
            _undo(job, _kinds.get(job.kind), LOST)
        count += 1
    return count


def prune(*, days: int | None = None) -> int:
    """Delete finished import jobs (rows and uploaded files) older than EXPORT_RETENTION_DAYS:
    the files hold personnel data. Returns how many were removed."""
    keep = days if days is not None else int(getattr(settings, "EXPORT_RETENTION_DAYS", 7))
    return delete_with_files(
        ImportJob.objects.filter(
            created_at__lt=timezone.now() - timedelta(days=keep), status__in=ImportJob.FINISHED
        )
    )
