"""Shared records: the append-only audit log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Buat")
    UPDATE = "update", _("Ubah")
    DELETE = "delete", _("Hapus")
    LOGIN = "login", _("Masuk")
    LOGIN_FAILED = "login_failed", _("Gagal masuk")
    LOCKED = "locked", _("Akun terkunci")
    LOGOUT = "logout", _("Keluar")
    PASSWORD_CHANGE = "password_change", _("Ganti kata sandi")
    PASSWORD_RESET = "password_reset", _("Reset kata sandi")
    IMPORT = "import", _("Impor")
    EXPORT = "export", _("Ekspor")


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("The audit log is append-only.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise PermissionError("The audit log is append-only.")


class AuditLog(models.Model):
    """One recorded action: who did what to which object, when, and the values before and after.

    Append-only: rows are only ever inserted (by kinerja.core.audit); updates and deletes are
    refused at the model and queryset level.
    """

    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_repr = models.CharField(_("pelaku"), max_length=200, blank=True)
    action = models.CharField(_("aksi"), max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(_("jenis objek"), max_length=60, db_index=True)
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    object_repr = models.CharField(_("objek"), max_length=300, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("log audit")
        verbose_name_plural = _("log audit")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("The audit log is append-only.")


class Notification(models.Model):
    """An in-app notification for one account (feedback received, plan returned, ...)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("pesan"), max_length=300)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.message


class IssuedDocument(models.Model):
    """A document the system issued that anyone can verify at /verifikasi/<code>/ (printed as a
    QR code): a training certificate, a Piagam Penghargaan, ... The public page shows only the
    kind, the title, the holder's name and the few `facts` chosen when it was issued — never the
    NIP or anything else — and whether the document has been revoked.

    Apps issue documents through kinerja.core.verification.document_issue; the evaluation
    documents of kinerja.assessment are verified through a resolver registered there.
    """

    code = models.CharField(_("kode verifikasi"), max_length=40, unique=True)
    kind = models.CharField(_("jenis dokumen"), max_length=60)
    title = models.CharField(_("judul"), max_length=300)
    holder_name = models.CharField(_("nama pemegang"), max_length=200)
    facts = models.JSONField(_("keterangan"), default=list, blank=True)  # [[label, value], ...]
    source_type = models.CharField(_("jenis sumber"), max_length=60)
    source_id = models.CharField(_("ID sumber"), max_length=64)
    issued_at = models.DateTimeField(_("diterbitkan"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerbit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoke_reason = models.CharField(_("alasan pencabutan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("dokumen terbit")
        verbose_name_plural = _("dokumen terbit")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"], name="issued_document_one_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title} — {self.holder_name}"


class ExportStatus(models.TextChoices):
    QUEUED = "antre", _("Menunggu giliran")
    RUNNING = "berjalan", _("Sedang dibuat")
    DONE = "selesai", _("Siap diunduh")
    FAILED = "gagal", _("Gagal")


class BackgroundJob(models.Model):
    """What every long job a person asks for has in common (an export to download, an import to
    apply): a kind registered by its app, who asked, a status and a progress the page polls,
    the error shown when it failed. The task worker does the work (kinerja.core.exports,
    kinerja.core.importjobs)."""

    kind = models.CharField(max_length=60)
    title = models.CharField(_("judul"), max_length=200)
    params = models.JSONField(default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    FINISHED: tuple[str, ...] = ()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED  # type: ignore[attr-defined]


class ExportJob(BackgroundJob):
    """A long export (a regency PDF, a recap of every assessment, the whole directory) made in
    the background by the task worker (kinerja.core.exports), so no request waits for it; the
    person who asked follows its progress and downloads the file when it is ready."""

    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    file = models.FileField(upload_to="ekspor/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)

    FINISHED = (ExportStatus.DONE, ExportStatus.FAILED)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("ekspor latar belakang")
        verbose_name_plural = _("ekspor latar belakang")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"


class ImportStatus(models.TextChoices):
    QUEUED = "antre", _("Menunggu giliran")
    CHECKING = "memeriksa", _("Memeriksa berkas")
    APPLYING = "menerapkan", _("Menyimpan data")
    UNDOING = "membatalkan", _("Membatalkan perubahan")
    DONE = "selesai", _("Berhasil")
    REJECTED = "ditolak", _("Ditolak: ada baris salah")
    FAILED = "gagal", _("Gagal, tidak ada data yang diubah")


class ImportJob(BackgroundJob):
    """An uploaded file applied in the background (kinerja.core.importjobs): checked row by row
    with no write, then written in short transactions that let other people's saves through,
    undone as a whole if any batch fails. `journal` holds what the undo needs (the stamp every
    written row carries, the NIPs created, the values before each change); `errors` the row
    report ([row, column, message], the first IMPORT_MAX_ERRORS)."""

    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    # Empty for a file imported by a command (`import_employees`).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="impor/%Y/%m/")
    filename = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    more_errors = models.PositiveIntegerField(default=0)
    summary = models.CharField(max_length=500, blank=True)
    journal = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Moved on at every batch: a job "applying" that has not moved for TASKS_STALE_MINUTES lost
    # its worker, and is undone (kinerja.core.importjobs.recover_stale).
    touched_at = models.DateTimeField(null=True, blank=True)

    FINISHED = (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("impor latar belakang")
        verbose_name_plural = _("impor latar belakang")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"


class WorkerHeartbeat(models.Model):
    """A background worker's sign of life (`manage.py db_worker`, every
    TASKS_HEARTBEAT_SECONDS): the queue's health lists each worker and when it last answered, so
    a worker that hangs or died shows as silent (kinerja/core/taskqueue.py)."""

    worker_id = models.CharField(_("ID pekerja"), max_length=64, unique=True)
    hostname = models.CharField(_("mesin"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("PID"), default=0)
    started_at = models.DateTimeField(_("mulai"))
    last_seen_at = models.DateTimeField(_("terakhir terlihat"), db_index=True)
    tasks_run = models.PositiveIntegerField(_("tugas dijalankan"), default=0)

    class Meta:
        verbose_name = _("detak pekerja latar")
        verbose_name_plural = _("detak pekerja latar")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.hostname}"
