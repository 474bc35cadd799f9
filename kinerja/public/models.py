"""Community participation (pillar 4): public services and their satisfaction survey (SKM,
PermenPANRB 14/2017), complaints with tracking, the citizens' forum.

Survey results are read from `SurveyDay` and `SurveyProfileDay`, per-service-per-day totals kept
by the database in the same statement as every questionnaire stored (an AFTER INSERT trigger,
migration 0002), so that a year of any service is at most 366 rows to add up, whichever path
wrote the questionnaires. `manage.py skm_rebuild_aggregates` recomputes them from the responses.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    Channel,
    ComplaintCategory,
    ComplaintKind,
    ComplaintStatus,
    Education,
    Occupation,
    PostStatus,
    ProfileDimension,
    Sex,
    TimeSlot,
    UpdateKind,
)

ANSWER = [MinValueValidator(1), MaxValueValidator(4)]
SERVICE_CODE = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{1,29}$",
    _("Kode layanan 2–30 karakter: huruf besar, angka, dan tanda minus (misalnya PKM01-UMUM)."),
)


def _answer_field(code: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(code, null=True, blank=True, validators=ANSWER)


def _answer_check(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 4}),
        name=f"skm_response_{field}_1_4",
        violation_error_message=_("Jawaban harus 1 sampai 4."),
    )


class SurveyQuestion(models.Model):
    """The regency's wording of one unsur's question (defaults: choices.DEFAULT_QUESTIONS and
    kinerja.rules.skm.UNSUR). Only the words change; the nine unsur and their scale are fixed."""

    code = models.CharField(_("unsur"), max_length=3, unique=True)
    question = models.CharField(_("pertanyaan"), max_length=300)
    label_1 = models.CharField(_("jawaban 1"), max_length=60)
    label_2 = models.CharField(_("jawaban 2"), max_length=60)
    label_3 = models.CharField(_("jawaban 3"), max_length=60)
    label_4 = models.CharField(_("jawaban 4"), max_length=60)

    class Meta:
        verbose_name = _("pertanyaan survei")
        verbose_name_plural = _("pertanyaan survei")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__in=[f"U{i}" for i in range(1, 10)]),
                name="skm_question_code_u1_u9",
                violation_error_message=_("Kode unsur harus U1 sampai U9."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.question}"


class Service(models.Model):
    """A service (layanan) that a public-facing unit gives to citizens; surveyed on its own.

    The code is the short name on QR posters and in the survey address (/survei/<code>/).
    """

    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit pelayanan"),
        on_delete=models.PROTECT,
        related_name="public_services",
    )
    code = models.CharField(
        _("kode layanan"), max_length=30, unique=True, validators=[SERVICE_CODE]
    )
    name = models.CharField(_("nama layanan"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True, max_length=1000)
    is_active = models.BooleanField(_("aktif (survei dibuka)"), default=True)
    ask_counter = models.BooleanField(_("tanyakan loket yang melayani"), default=False)
    counters = models.TextField(
        _("daftar loket"), blank=True, help_text=_("Satu loket per baris, misalnya Loket 1.")
    )
    ask_officer = models.BooleanField(_("tanyakan petugas yang melayani"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("layanan publik")
        verbose_name_plural = _("layanan publik")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def counter_list(self) -> list[str]:
        return [line.strip() for line in self.counters.splitlines() if line.strip()]


class ServicePopulation(models.Model):
    """The number of users a service served in one month: N of the minimum sample (Krejcie &
    Morgan, DOMAIN §3). A period's N is the sum of its months."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField(_("tahun"))
    month = models.PositiveSmallIntegerField(_("bulan"))
    population = models.PositiveIntegerField(_("jumlah pengguna layanan"))

    class Meta:
        verbose_name = _("populasi pengguna layanan")
        verbose_name_plural = _("populasi pengguna layanan")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "year", "month"], name="skm_population_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="skm_population_month_1_12",
                violation_error_message=_("Bulan harus 1 sampai 12."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.year}-{self.month:02d}: {self.population}"


class KioskDevice(models.Model):
    """A counter tablet allowed to submit questionnaires for one service through the API.

    Only the SHA-256 of its bearer token is stored; the token is shown once when issued.
    """

    service = models.ForeignKey(
        Service, verbose_name=_("layanan"), on_delete=models.PROTECT, related_name="devices"
    )
    name = models.CharField(_("nama perangkat"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("akhir token"), max_length=4, editable=False)
    created_at = models.DateTimeField(_("diterbitkan"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diterbitkan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicabut oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("perangkat kios")
        verbose_name_plural = _("perangkat kios")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} (…{self.token_hint})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SurveyResponse(models.Model):
    """One filled-in SKM questionnaire (PermenPANRB 14/2017): answers 1–4 to U1..U9 (an unsur
    may be left blank on paper), the respondent profile and an optional suggestion.

    No name is asked. `ip_hash` and `browser_hash` (salted HMACs, never the address or cookie
    itself) enforce the abuse rules and are erased after PUBLIC_IP_RETENTION_DAYS.
    """

    # Foreign keys without their own index where a composite index below starts with them, or
    # with a partial index where the column is usually empty: the kiosk insert is the busiest
    # write of the system and every index is one more b-tree to update (docs/PERFORMANCE.md).
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="responses", db_index=False
    )
    submitted_at = models.DateTimeField(_("dikirim"), default=timezone.now)
    survey_date = models.DateField(_("tanggal survei"))
    time_slot = models.CharField(
        _("jam survei"), max_length=5, choices=TimeSlot.choices, blank=True
    )
    channel = models.CharField(_("cara mengisi"), max_length=5, choices=Channel.choices)
    u1 = _answer_field("U1")
    u2 = _answer_field("U2")
    u3 = _answer_field("U3")
    u4 = _answer_field("U4")
    u5 = _answer_field("U5")
    u6 = _answer_field("U6")
    u7 = _answer_field("U7")
    u8 = _answer_field("U8")
    u9 = _answer_field("U9")
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField(_("usia"), null=True, blank=True)
    education = models.CharField(
        _("pendidikan"), max_length=5, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("pekerjaan"), max_length=10, choices=Occupation.choices, blank=True
    )
    suggestion = models.TextField(_("saran"), blank=True, max_length=1000)
    counter = models.CharField(_("loket"), max_length=60, blank=True)
    officer = models.ForeignKey(
        "organisation.Employee",
        verbose_name=_("petugas"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    device = models.ForeignKey(
        KioskDevice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
        db_index=False,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    browser_hash = models.CharField(max_length=64, blank=True, editable=False)

    ANSWER_FIELDS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")

    class Meta:
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")
        indexes = [
            models.Index(fields=["service", "survey_date"], name="skm_response_service_day"),
            models.Index(fields=["device", "submitted_at"], name="skm_response_device"),
            models.Index(fields=["submitted_at"], name="skm_response_submitted"),
            models.Index(
                fields=["officer"], name="skm_response_officer", condition=Q(officer__isnull=False)
            ),
            models.Index(
                fields=["entered_by"],
                name="skm_response_entered_by",
                condition=Q(entered_by__isnull=False),
            ),
        ]
        constraints = [
            *(_answer_check(f) for f in ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")),
            models.UniqueConstraint(
                fields=["service", "browser_hash", "survey_date"],
                condition=~Q(browser_hash=""),
                name="skm_response_once_per_browser_day",
                violation_error_message=_("Browser ini sudah mengisi survei layanan ini hari ini."),
            ),
            models.CheckConstraint(
                condition=Q(age__isnull=True) | Q(age__gte=15, age__lte=100),
                name="skm_response_age_15_100",
                violation_error_message=_("Usia harus 15 sampai 100 tahun."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.survey_date} #{self.pk}"

    @property
    def answers(self) -> list[int | None]:
        return [getattr(self, f) for f in self.ANSWER_FIELDS]


class SurveyDay(models.Model):
    """Totals of one service's responses on one survey date: respondents, and per unsur the sum
    and the number of answers — exactly what kinerja.rules.skm.ikm_from_totals takes."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    respondents = models.PositiveIntegerField(default=0)
    s1 = models.PositiveIntegerField(default=0)
    s2 = models.PositiveIntegerField(default=0)
    s3 = models.PositiveIntegerField(default=0)
    s4 = models.PositiveIntegerField(default=0)
    s5 = models.PositiveIntegerField(default=0)
    s6 = models.PositiveIntegerField(default=0)
    s7 = models.PositiveIntegerField(default=0)
    s8 = models.PositiveIntegerField(default=0)
    s9 = models.PositiveIntegerField(default=0)
    c1 = models.PositiveIntegerField(default=0)
    c2 = models.PositiveIntegerField(default=0)
    c3 = models.PositiveIntegerField(default=0)
    c4 = models.PositiveIntegerField(default=0)
    c5 = models.PositiveIntegerField(default=0)
    c6 = models.PositiveIntegerField(default=0)
    c7 = models.PositiveIntegerField(default=0)
    c8 = models.PositiveIntegerField(default=0)
    c9 = models.PositiveIntegerField(default=0)

    SUM_FIELDS = ("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9")
    COUNT_FIELDS = ("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9")
    TOTAL_FIELDS = ("respondents", *SUM_FIELDS, *COUNT_FIELDS)

    class Meta:
        verbose_name = _("rekap survei harian")
        verbose_name_plural = _("rekap survei harian")
        constraints = [
            models.UniqueConstraint(fields=["service", "day"], name="skm_day_one_per_service_day")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.day}: {self.respondents}"


class SurveyProfileDay(models.Model):
    """How many of one service's respondents on one day had one profile value (e.g. education
    SMA); "" counts those who left it blank."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    dimension = models.CharField(max_length=12, choices=ProfileDimension.choices)
    value = models.CharField(max_length=12, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rekap profil responden harian")
        verbose_name_plural = _("rekap profil responden harian")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "day", "dimension", "value"], name="skm_profile_day_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.day} {self.dimension}={self.value}: {self.count}"


class FollowUpPlan(models.Model):
    """The unit's rencana tindak lanjut for one survey period (printed in the SKM report)."""

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="skm_follow_ups"
    )
    period = models.CharField(_("periode"), max_length=8)
    text = models.TextField(_("rencana tindak lanjut"), max_length=4000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("rencana tindak lanjut SKM")
        verbose_name_plural = _("rencana tindak lanjut SKM")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="skm_follow_up_one_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period}"


# --- Complaints --------------------------------------------------------------------------------


class Complaint(models.Model):
    """A citizen's complaint or suggestion to a unit, followed with its tracking code.

    The citizen's text is never changed after filing; the unit answers through the timeline
    (ComplaintUpdate). `first_response_due` is the service-level deadline of the first official
    response (PUBLIC_COMPLAINT_RESPONSE_WORKDAYS working days after the filing day), fixed at
    filing; `clock_due` is the deadline the unit is currently working against (again after the
    citizen reopens), null while nobody waits for the unit.
    """

    tracking_code = models.CharField(_("kode pelacakan"), max_length=16, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=ComplaintKind.choices)
    category = models.CharField(_("kategori"), max_length=12, choices=ComplaintCategory.choices)
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit tujuan"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("layanan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    description = models.TextField(_("uraian"), max_length=4000)
    attachment = models.FileField(_("lampiran"), upload_to="public/complaints/", blank=True)
    attachment_type = models.CharField(_("jenis lampiran"), max_length=40, blank=True)
    contact_name = models.CharField(_("nama"), max_length=100, blank=True)
    contact_email = models.EmailField(_("surel"), blank=True)
    contact_phone = models.CharField(_("telepon"), max_length=30, blank=True)
    anonymous = models.BooleanField(_("anonim"), default=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
    )
    rejection_reason = models.CharField(_("alasan penolakan"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("diterima"), default=timezone.now)
    first_response_due = models.DateTimeField(_("batas tanggapan pertama"))
    first_response_at = models.DateTimeField(_("tanggapan pertama"), null=True, blank=True)
    clock_due = models.DateTimeField(_("batas tanggapan berjalan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("dibuka kembali"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("penilaian pelapor"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    removed_at = models.DateTimeField(_("dihapus (spam)"), null=True, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="complaint_unit_status"),
            models.Index(fields=["unit", "received_at"], name="complaint_unit_received"),
            models.Index(fields=["clock_due"], name="complaint_clock_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="complaint_rating_1_5",
                violation_error_message=_("Penilaian harus 1 sampai 5."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ComplaintStatus.REJECTED) | ~Q(rejection_reason=""),
                name="complaint_rejection_has_reason",
                violation_error_message=_("Pengaduan yang ditolak harus disertai alasan."),
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False)
                | Q(contact_name="", contact_email="", contact_phone=""),
                name="complaint_anonymous_without_contact",
                violation_error_message=_("Pengaduan anonim tidak menyimpan kontak."),
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def code_display(self) -> str:
        code = self.tracking_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

    @property
    def is_final(self) -> bool:
        return self.status in ComplaintStatus.final()

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class ComplaintUpdate(models.Model):
    """One entry of a complaint's timeline: a status change, an official response, the
    citizen's reopening or rating, or the removal as spam. `message` is shown to the citizen."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=10, choices=UpdateKind.choices)
    status_from = models.CharField(max_length=12, choices=ComplaintStatus.choices, blank=True)
    status_to = models.CharField(max_length=12, choices=ComplaintStatus.choices, blank=True)
    message = models.TextField(_("pesan"), blank=True, max_length=4000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("riwayat pengaduan")
        verbose_name_plural = _("riwayat pengaduan")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.at:%Y-%m-%d}"


# --- Forum ---------------------------------------------------------------------------------


class ForumParticipant(models.Model):
    """A citizen who posts in the forum under a nickname after confirming an e-mail address.

    Posts wait for moderation until a moderator has approved one (`trusted`)."""

    email = models.EmailField(_("surel"), unique=True)
    nickname = models.CharField(_("nama panggilan"), max_length=40, unique=True)
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    token_expires = models.DateTimeField(
        _("tautan konfirmasi berlaku sampai"), null=True, blank=True
    )
    confirmed_at = models.DateTimeField(_("surel dikonfirmasi"), null=True, blank=True)
    trusted = models.BooleanField(_("tepercaya"), default=False)
    blocked = models.BooleanField(_("diblokir"), default=False)
    created_at = models.DateTimeField(_("terdaftar"), default=timezone.now)
    # Set when the participant deleted their account: the e-mail address is gone and the
    # nickname replaced; published posts stay, under that neutral name (services.participant_erase).
    erased_at = models.DateTimeField(_("akun dihapus"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("peserta forum")
        verbose_name_plural = _("peserta forum")
        constraints = [models.UniqueConstraint(Lower("nickname"), name="forum_nickname_unique_ci")]

    def __str__(self) -> str:
        return self.nickname


class ForumTopic(models.Model):
    """A discussion about one unit or one of its services. Visible once its opening post is
    published."""

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="forum_topics"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="forum_topics"
    )
    title = models.CharField(_("judul"), max_length=150)
    started_by = models.ForeignKey(
        ForumParticipant, null=True, blank=True, on_delete=models.SET_NULL, related_name="topics"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now, db_index=True)
    is_visible = models.BooleanField(default=False)
    has_official_answer = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("topik forum")
        verbose_name_plural = _("topik forum")
        ordering = ["-last_post_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ForumPost(models.Model):
    """A post in a topic: by a participant, or an official answer of the unit (`official`, written
    by a staff account)."""

    topic = models.ForeignKey(ForumTopic, on_delete=models.CASCADE, related_name="posts")
    participant = models.ForeignKey(
        ForumParticipant, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    official = models.BooleanField(_("jawaban resmi"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("isi"), max_length=4000)
    status = models.CharField(max_length=10, choices=PostStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    reports = models.PositiveIntegerField(default=0)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("kiriman forum")
        verbose_name_plural = _("kiriman forum")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["topic", "status"], name="forum_post_topic_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(official=False) | Q(author__isnull=False),
                name="forum_post_official_has_author",
                violation_error_message=_("Jawaban resmi harus ditulis oleh petugas."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic_id} #{self.pk}"


class ForumReport(models.Model):
    """A reader's report of a post ("laporkan"); one per post and reader."""

    post = models.ForeignKey(ForumPost, on_delete=models.CASCADE, related_name="report_rows")
    reason = models.CharField(_("alasan"), max_length=200)
    reporter_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("laporan kiriman")
        verbose_name_plural = _("laporan kiriman")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter_hash"],
                condition=~Q(reporter_hash=""),
                name="forum_report_once_per_reader",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.reason}"
