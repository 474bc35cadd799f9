"""Competency development (DOMAIN §4; PP 11/2017 as amended, PerLAN 10/2018): the catalogue of
programmes and their sessions, enrolments with a waitlist, attendance per day, completion with
JP credit and a certificate, external learning approved by BKPSDM, session ratings, and the
yearly development plan (rencana pengembangan kompetensi).

JP are counted in the calendar year in which the learning was completed (DOMAIN §4): an
enrolment's `completed_year`, an external learning's `year`. Arithmetic lives in
kinerja.rules.training; these models hold data and invariants.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.core.uploads import upload_path
from kinerja.organisation.models import Employee, Unit

from .choices import (
    AttendanceSource,
    EnrolmentStatus,
    ExternalStatus,
    GapSource,
    LearningForm,
    LearningKind,
    PlanItemStatus,
    SessionStatus,
)


class Programme(models.Model):
    """A programme of the catalogue: what is learnt, its JP value and form (DOMAIN §4), who
    provides it, whom it is for, whether a certificate is issued and the post-test pass mark.
    `owner_opd` is the OPD that runs its own programme (None: BKPSDM's regency catalogue)."""

    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("deskripsi"), blank=True, max_length=4000)
    tags = models.JSONField(_("kompetensi"), default=list, blank=True)
    jp = models.DecimalField(_("JP"), max_digits=6, decimal_places=2)
    form = models.CharField(_("bentuk"), max_length=20, choices=LearningForm.choices)
    kind = models.CharField(_("jalur"), max_length=30, choices=LearningKind.choices)
    provider = models.CharField(_("penyelenggara"), max_length=200)
    owner_opd = models.ForeignKey(
        Unit,
        verbose_name=_("OPD pemilik"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience_kinds = models.JSONField(_("sasaran jenis jabatan"), default=list, blank=True)
    audience_units = models.ManyToManyField(
        Unit, verbose_name=_("sasaran unit"), blank=True, related_name="+"
    )
    issues_certificate = models.BooleanField(_("menerbitkan sertifikat"), default=True)
    post_test_pass_mark = models.DecimalField(
        _("nilai lulus post-test"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    completion_threshold = models.DecimalField(
        _("ambang kehadiran (%)"), max_digits=5, decimal_places=2, default=80
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("program pengembangan kompetensi")
        verbose_name_plural = _("program pengembangan kompetensi")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(jp__gt=0), name="programme_jp_positive"),
            models.CheckConstraint(
                condition=Q(completion_threshold__gte=0) & Q(completion_threshold__lte=100),
                name="programme_threshold_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """One run (angkatan) of a programme: days and daily hours, place or online link, quota and
    registration deadline, the organiser, and whether enrolment needs the supervisor's approval.

    `seats_taken` counts the enrolments holding a seat; it is changed only by a conditional
    UPDATE (seats_taken < quota) so that concurrent enrolments can never overbook, and the
    check constraint is the last guard (kinerja.competency.services.enrolment_create)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="sessions"
    )
    name = models.CharField(_("angkatan"), max_length=100, blank=True)
    starts_on = models.DateField(_("tanggal mulai"))
    ends_on = models.DateField(_("tanggal selesai"))
    start_time = models.TimeField(_("jam mulai"))
    end_time = models.TimeField(_("jam selesai"))
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    online_link = models.URLField(_("tautan daring"), blank=True)
    quota = models.PositiveIntegerField(_("kuota"))
    seats_taken = models.PositiveIntegerField(_("kursi terisi"), default=0, editable=False)
    registration_deadline = models.DateTimeField(_("batas pendaftaran"))
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penyelenggara (akun)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    needs_approval = models.BooleanField(_("perlu persetujuan atasan"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    checkin_secret = models.CharField(max_length=40, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sesi pelatihan")
        verbose_name_plural = _("sesi pelatihan")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("quota")), name="session_no_overbooking"
            ),
            models.CheckConstraint(condition=Q(quota__gt=0), name="session_quota_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="session_hours_positive"
            ),
        ]
        indexes = [models.Index(fields=["starts_on"], name="session_starts_on")]

    def __str__(self) -> str:
        label = f"{self.programme.title}"
        return f"{label} — {self.name}" if self.name else label

    @property
    def days(self) -> list[date]:
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + timedelta(days=i) for i in range(count)]

    @property
    def daily_minutes(self) -> int:
        start = datetime.combine(self.starts_on, self.start_time)
        end = datetime.combine(self.starts_on, self.end_time)
        return int((end - start).total_seconds() // 60)

    @property
    def scheduled_minutes(self) -> int:
        return self.daily_minutes * len(self.days)

    @property
    def seats_left(self) -> int:
        return max(self.quota - self.seats_taken, 0)


class Enrolment(models.Model):
    """One employee in one session: self-registered or nominated (by the supervisor or an admin),
    waiting for the supervisor's approval, holding a seat, waitlisted (in `waitlist_position`
    order), cancelled, rejected, or finished (completed / not completed). On completion the
    programme's JP are credited to `completed_year` (DOMAIN §4)."""

    session = models.ForeignKey(
        Session, verbose_name=_("sesi"), on_delete=models.PROTECT, related_name="enrolments"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices)
    waitlist_position = models.PositiveIntegerField(_("urutan tunggu"), null=True, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("catatan"), max_length=500, blank=True)
    post_test_score = models.DecimalField(
        _("nilai post-test"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    completed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    completed_year = models.PositiveSmallIntegerField(null=True, blank=True)
    jp_credited = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pendaftaran pelatihan")
        verbose_name_plural = _("pendaftaran pelatihan")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "employee"],
                condition=Q(
                    status__in=[
                        "enrolled",
                        "pending_approval",
                        "waitlisted",
                        "completed",
                        "not_completed",
                    ]
                ),
                name="enrolment_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["session", "waitlist_position"],
                condition=Q(waitlist_position__isnull=False),
                name="enrolment_waitlist_position_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "status"], name="enrolment_employee_status"),
            models.Index(fields=["completed_year", "status"], name="enrolment_year_status"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} — {self.session}"


class Attendance(models.Model):
    """Attendance of one enrolment on one day of the session, in minutes (the day's scheduled
    minutes when present), from the organiser's sheet or a QR check-in."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField(_("tanggal"))
    minutes = models.PositiveIntegerField(_("menit hadir"))
    source = models.CharField(max_length=10, choices=AttendanceSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "day"], name="attendance_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.day}"


def external_evidence_path(instance: ExternalLearning, filename: str) -> str:
    return upload_path(f"kompetensi/eksternal/{instance.employee_id}", filename, 300)


class ExternalLearning(models.Model):
    """Learning outside the catalogue (seminar, e-learning elsewhere, a course paid by the
    employee, coaching, mentoring), submitted with evidence and approved or returned by BKPSDM.
    Only approved ones count, with the JP BKPSDM confirms (DOMAIN §4), in the year it ended."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("nama kegiatan"), max_length=200)
    kind = models.CharField(_("jalur"), max_length=30, choices=LearningKind.choices)
    provider = models.CharField(_("penyelenggara"), max_length=200)
    started_on = models.DateField(_("tanggal mulai"))
    ended_on = models.DateField(_("tanggal selesai"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    hours = models.DecimalField(_("jumlah jam"), max_digits=6, decimal_places=2)
    evidence = models.FileField(_("bukti"), upload_to=external_evidence_path, max_length=300)
    evidence_name = models.CharField(max_length=200)
    evidence_type = models.CharField(max_length=100)
    status = models.CharField(
        _("status"), max_length=20, choices=ExternalStatus.choices, default=ExternalStatus.SUBMITTED
    )
    jp_confirmed = models.DecimalField(
        _("JP diakui"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    return_reason = models.CharField(_("alasan dikembalikan"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("pembelajaran eksternal")
        verbose_name_plural = _("pembelajaran eksternal")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="external_hours_positive"),
            models.CheckConstraint(
                condition=~Q(status="disetujui") | Q(jp_confirmed__isnull=False),
                name="external_approved_has_jp",
            ),
            models.CheckConstraint(
                condition=~Q(status="dikembalikan") | ~Q(return_reason=""),
                name="external_returned_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="external_year_status")]

    def __str__(self) -> str:
        return self.title


class SessionRating(models.Model):
    """A participant's rating of a session after it (1–5 and a comment)."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("nilai"))
    comment = models.TextField(_("komentar"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penilaian sesi")
        verbose_name_plural = _("penilaian sesi")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment}: {self.score}"


class DevelopmentPlan(models.Model):
    """The yearly development plan (rencana pengembangan kompetensi) of one employee: gaps from
    finalised assessments and the supervisor's notes, each with a matching programme; agreed by
    the employee and the supervisor."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    employee_agreed_at = models.DateTimeField(null=True, blank=True)
    supervisor_agreed_at = models.DateTimeField(null=True, blank=True)
    supervisor_note = models.TextField(_("catatan atasan"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rencana pengembangan kompetensi")
        verbose_name_plural = _("rencana pengembangan kompetensi")
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="devplan_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.year}"


class DevelopmentItem(models.Model):
    """One gap of a development plan with the competency tag that closes it and, once chosen,
    a programme; `source` makes items from other apps idempotent ("rewards:decision:12")."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="items")
    tag = models.CharField(_("kompetensi"), max_length=100)
    gap = models.CharField(_("kesenjangan"), max_length=500)
    origin = models.CharField(_("asal"), max_length=20, choices=GapSource.choices)
    source = models.CharField(max_length=100, blank=True)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanItemStatus.choices, default=PlanItemStatus.PROPOSED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("butir rencana pengembangan")
        verbose_name_plural = _("butir rencana pengembangan")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "source"], condition=~Q(source=""), name="devitem_source_once"
            ),
            models.UniqueConstraint(
                fields=["plan", "tag", "origin"],
                condition=Q(source=""),
                name="devitem_tag_once_per_origin",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tag}: {self.gap}"


class UnitJp(models.Model):
    """The 20 JP compliance of one unit's active employees in one year (DOMAIN §4): how many,
    how many have met their requirement, how many are at risk of missing it, and the JP they
    completed. The regency dashboard sums these per OPD (a few hundred rows) instead of
    computing every employee's JP (kinerja.competency.unit_jp keeps them: the units of the
    people a JP write concerns after it commits, every unit after reporting lines change, and
    every night). `months_left` is the calendar the at-risk count was computed for: rows of an
    earlier month are stale and not read."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    people = models.PositiveIntegerField(default=0)
    met = models.PositiveIntegerField(default=0)
    at_risk = models.PositiveIntegerField(default=0)
    completed_jp = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    months_left = models.PositiveSmallIntegerField()
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kepatuhan JP unit")
        verbose_name_plural = _("kepatuhan JP unit")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unit_jp_once")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.met}/{self.people}"
