"""Adoption: activation codes, notification channels and preferences, reminders, onboarding,
the help centre, announcements and the adoption figures."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.organisation.choices import PositionKind, Role
from kinerja.organisation.models import Employee, Unit

from .choices import (
    ActivationScope,
    AnnouncementKind,
    ArticleKind,
    Channel,
    DeliveryStatus,
    EmailMode,
    ReportStatus,
)

USER = settings.AUTH_USER_MODEL


class ActivationBatch(models.Model):
    """One issue of activation codes (a unit, an OPD, an import, or chosen people): who issued
    it, for whom, and until when the codes hold. The codes themselves are kept only hashed; the
    letters are printed once, when the batch is issued."""

    scope = models.CharField(_("cakupan"), max_length=10, choices=ActivationScope.choices)
    label = models.CharField(_("keterangan"), max_length=300)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("penerbit"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("diterbitkan"), default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    count = models.PositiveIntegerField(_("jumlah kode"), default=0)
    emailed = models.PositiveIntegerField(_("dikirim lewat surel"), default=0)

    class Meta:
        verbose_name = _("penerbitan kode aktivasi")
        verbose_name_plural = _("penerbitan kode aktivasi")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.label}"


class ActivationCode(models.Model):
    """A one-time code with which a person sets their own first password at /aktivasi/.

    Only a hash of the code is stored (SHA-256 over the server's secret: the code has 50 bits
    of randomness and tries are throttled). A code is used once, expires, and is revoked when a
    newer one is issued for the same account or when an administrator revokes it."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="activation_codes")
    batch = models.ForeignKey(
        ActivationBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        verbose_name = _("kode aktivasi")
        verbose_name_plural = _("kode aktivasi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "used_at", "revoked_at"], name="activation_live")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"

    def is_live(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and self.expires_at > now


class SupervisorReport(models.Model):
    """ "My supervisor on record is wrong": a request from an employee to the Admin OPD of
    their OPD, who corrects the reporting line (or explains it) and closes the request."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    recorded_supervisor = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    correct_supervisor = models.CharField(_("atasan yang benar (nama/NIP/jabatan)"), max_length=200)
    note = models.TextField(_("keterangan"), blank=True, max_length=1000)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("laporan atasan keliru")
        verbose_name_plural = _("laporan atasan keliru")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.correct_supervisor}"


class OnboardingState(models.Model):
    """What the first-steps checklist cannot read from other data: that the person looked at
    their profile, opened the team board, or hid the checklist."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="onboarding")
    profile_checked_at = models.DateTimeField(null=True, blank=True)
    team_board_opened_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("langkah awal")
        verbose_name_plural = _("langkah awal")

    def __str__(self) -> str:
        return str(self.user_id)


class NotificationPreference(models.Model):
    """How notifications reach one person outside the app. Without a row: e-mail at once for
    every kind (when the account has an address), no webhook."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="channel_preference")
    email_mode = models.CharField(
        _("surel"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    webhook_enabled = models.BooleanField(_("WhatsApp/SMS"), default=False)
    muted_kinds = models.JSONField(_("jenis yang tidak dikirim"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("preferensi pemberitahuan")
        verbose_name_plural = _("preferensi pemberitahuan")

    def __str__(self) -> str:
        return str(self.user_id)


class Delivery(models.Model):
    """The delivery log of the channels outside the app: one e-mail or one webhook call, its
    attempts and outcome."""

    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        USER,
        verbose_name=_("akun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("jenis"), max_length=40)
    target = models.CharField(_("tujuan"), max_length=300)
    subject = models.CharField(_("judul"), max_length=300, blank=True)
    payload = models.JSONField(_("isi"), default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.CharField(_("galat terakhir"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("pengiriman")
        verbose_name_plural = _("log pengiriman")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["channel", "status"], name="delivery_status")]

    def __str__(self) -> str:
        return f"{self.channel} {self.target} {self.status}"


class DigestItem(models.Model):
    """A notification waiting for the person's daily e-mail (preference "harian")."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "user"], name="digest_pending")]

    def __str__(self) -> str:
        return self.message


class ReminderSent(models.Model):
    """A reminder that went out, by its key ("realisasi:2026-11:<user>"): the unique key makes
    every reminder job idempotent, across runs and across worker processes."""

    key = models.CharField(_("kunci"), max_length=120, unique=True)
    user = models.ForeignKey(
        USER, verbose_name=_("akun"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("jenis"), max_length=40)
    sent_at = models.DateTimeField(_("dikirim"), default=timezone.now)

    class Meta:
        verbose_name = _("pengingat terkirim")
        verbose_name_plural = _("pengingat terkirim")

    def __str__(self) -> str:
        return self.key


class JobRun(models.Model):
    """One run of a scheduled job: when, how long, and its outcome (shown to BKPSDM)."""

    job = models.CharField(_("tugas"), max_length=60, db_index=True)
    started_at = models.DateTimeField(_("mulai"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    ok = models.BooleanField(_("berhasil"), null=True)
    detail = models.CharField(_("keterangan"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("jalannya tugas terjadwal")
        verbose_name_plural = _("jalannya tugas terjadwal")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M}"


class HelpArticle(models.Model):
    """A help article or FAQ entry in Markdown (rendered and sanitised, never raw HTML).
    `pages` lists the URL names ("performance:plan_list") whose "Bantuan" link opens it."""

    slug = models.SlugField(_("alamat"), max_length=80, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    kind = models.CharField(
        _("jenis"), max_length=10, choices=ArticleKind.choices, default=ArticleKind.ARTICLE
    )
    body = models.TextField(_("isi (Markdown)"), max_length=50000)
    pages = models.CharField(
        _("halaman terkait (nama URL, dipisah koma)"), max_length=500, blank=True
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("artikel bantuan")
        verbose_name_plural = _("artikel bantuan")
        ordering = ["kind", "order", "title"]

    def __str__(self) -> str:
        return self.title


class HelpdeskContact(models.Model):
    """The helpdesk of one OPD, shown on every help page to its people."""

    opd = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nama petugas"), max_length=150)
    phone = models.CharField(_("telepon/WhatsApp"), max_length=30, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    hours = models.CharField(_("jam layanan"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("kontak helpdesk")
        verbose_name_plural = _("kontak helpdesk")

    def __str__(self) -> str:
        return self.name


class Announcement(models.Model):
    """An announcement for an audience: everyone, or narrowed by OPD, unit (with the units
    below it), role and position kind (all given conditions must hold)."""

    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi (Markdown)"), max_length=10000)
    kind = models.CharField(
        _("jenis"),
        max_length=12,
        choices=AnnouncementKind.choices,
        default=AnnouncementKind.GENERAL,
    )
    link = models.CharField(_("tautan (mis. katalog pelatihan)"), max_length=300, blank=True)
    opd = models.ForeignKey(
        Unit,
        verbose_name=_("OPD"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit kerja"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, blank=True)
    position_kind = models.CharField(
        _("jenis jabatan"), max_length=20, choices=PositionKind.choices, blank=True
    )
    starts_at = models.DateTimeField(_("tampil mulai"), default=timezone.now)
    ends_at = models.DateTimeField(_("tampil sampai"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="announcement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        link = (self.link or "").strip()
        safe = (link.startswith("/") and not link.startswith("//")) or link.lower().startswith(
            ("https://", "http://")
        )
        if link and not safe:
            raise ValidationError(
                {"link": _("Tautan harus alamat situs (mulai dengan /) atau http(s)://.")}
            )


class AnnouncementRead(models.Model):
    """A read receipt."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="announcement_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} {self.user_id}"


class AdoptionFigures(models.Model):
    """Precomputed adoption figures of one unit's own employees (not the units below) for one
    month (`month`: its first day), rebuilt by a scheduled job; dashboards add the rows of a
    subtree up by the unit path."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255, db_index=True)
    month = models.DateField()
    employees = models.PositiveIntegerField(default=0)
    activated = models.PositiveIntegerField(default=0)
    active_30d = models.PositiveIntegerField(default=0)
    plans_approved = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    with_plan_due = models.PositiveIntegerField(default=0)
    supervisors = models.PositiveIntegerField(default=0)
    supervisors_feedback = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="adoption_figures_unit_month")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"
