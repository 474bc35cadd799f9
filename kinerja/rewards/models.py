"""Follow-up of performance (tindak lanjut, PermenPANRB 6/2022 Pasal 5): recognition, discipline
(PP 94/2021), attendance, the monthly TPP (PP 12/2019 Pasal 58 via the regency's Perbup), the
follow-up rules kept as data by BKPSDM, their recommendations and the decisions on them,
coaching (pembinaan) plans. Arithmetic lives in kinerja.rules (discipline, incentives, followup).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.organisation.models import Employee, Unit
from kinerja.rules.calendar import month_label

from .choices import (
    Action,
    AttendanceStatus,
    CoachingStatus,
    ConditionKind,
    DisciplineKind,
    DisciplineLevel,
    RecognitionKind,
    RecommendationStatus,
    TppLineKind,
    TppStatus,
)

MONEY = {"max_digits": 16, "decimal_places": 2}


class DisciplineRecord(models.Model):
    """A disciplinary punishment decided by the authorised official (PP 94/2021 Pasal 8): level,
    kind, decree, effective period and who decided. A Sedang punishment cuts the TPP by its
    ``tpp_cut_percent`` in every month of ``effective_from``–``effective_to`` (DOMAIN §6)."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.PROTECT, related_name="discipline"
    )
    level = models.CharField(_("tingkat"), max_length=10, choices=DisciplineLevel.choices)
    kind = models.CharField(_("jenis hukuman"), max_length=40, choices=DisciplineKind.choices)
    reason = models.TextField(_("pelanggaran"), max_length=2000)
    decree_number = models.CharField(_("nomor SK"), max_length=100)
    decree_date = models.DateField(_("tanggal SK"))
    effective_from = models.DateField(_("berlaku mulai"))
    effective_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    tpp_cut_percent = models.DecimalField(
        _("potongan TPP (%)"), max_digits=5, decimal_places=2, default=0
    )
    official = models.CharField(_("pejabat yang menjatuhkan"), max_length=200)
    recommendation = models.OneToOneField(
        "Recommendation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discipline_record",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat"))

    class Meta:
        verbose_name = _("hukuman disiplin")
        verbose_name_plural = _("hukuman disiplin")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="discipline_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(tpp_cut_percent__gte=0, tpp_cut_percent__lte=100),
                name="discipline_cut_0_100",
            ),
        ]
        indexes = [models.Index(fields=["employee", "effective_from"], name="discipline_emp")]

    def __str__(self) -> str:
        return f"{self.employee} — {self.get_kind_display()}"

    def in_force_during(self, first: date, last: date) -> bool:
        return self.effective_from <= last and (
            self.effective_to is None or self.effective_to >= first
        )


class AttendanceImport(models.Model):
    """One upload of the fingerprint machines' export (all-or-nothing; the report lists every
    row that was refused, or what was imported)."""

    filename = models.CharField(_("nama berkas"), max_length=200)
    rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    employees = models.PositiveIntegerField(_("jumlah pegawai"), default=0)
    months = models.JSONField(_("bulan"), default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("diunggah"))

    class Meta:
        verbose_name = _("impor kehadiran")
        verbose_name_plural = _("impor kehadiran")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.filename


class AttendanceDay(models.Model):
    """One working day of one employee from the fingerprint export: times and status code, with
    the minutes late / left early measured against the office hours (kinerja.rules.discipline)."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="attendance")
    day = models.DateField(_("tanggal"))
    check_in = models.TimeField(_("jam masuk"), null=True, blank=True)
    check_out = models.TimeField(_("jam pulang"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=2, choices=AttendanceStatus.choices)
    late_minutes = models.PositiveSmallIntegerField(_("menit terlambat"), default=0)
    early_minutes = models.PositiveSmallIntegerField(_("menit pulang cepat"), default=0)
    no_record = models.BooleanField(_("tanpa rekam kehadiran"), default=False)
    source = models.ForeignKey(
        AttendanceImport, on_delete=models.PROTECT, related_name="days", null=True
    )

    class Meta:
        verbose_name = _("kehadiran harian")
        verbose_name_plural = _("kehadiran harian")
        ordering = ["employee", "day"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "day"], name="attendance_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.day} {self.status}"


class AttendanceMonth(models.Model):
    """An employee's month of attendance, summed from the days (rebuilt on every import): the
    inputs of the TPP discipline factor (DOMAIN §5), stored as lists so they can be recomputed."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    month = models.PositiveSmallIntegerField(_("bulan"))
    days_recorded = models.PositiveSmallIntegerField(_("hari tercatat"), default=0)
    days_present = models.PositiveSmallIntegerField(_("hari hadir"), default=0)
    days_excused = models.PositiveSmallIntegerField(_("hari dengan alasan sah"), default=0)
    unexcused_days = models.PositiveSmallIntegerField(_("tanpa keterangan"), default=0)
    longest_unexcused_run = models.PositiveSmallIntegerField(default=0)
    missing_records = models.PositiveSmallIntegerField(_("tanpa rekam"), default=0)
    late_items = models.JSONField(_("menit terlambat per kejadian"), default=list)
    early_items = models.JSONField(_("menit pulang cepat per kejadian"), default=list)
    discipline_factor = models.DecimalField(
        _("faktor disiplin (%)"), max_digits=5, decimal_places=2
    )

    class Meta:
        verbose_name = _("rekap kehadiran bulanan")
        verbose_name_plural = _("rekap kehadiran bulanan")
        ordering = ["year", "month", "employee__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year", "month"], name="attendance_month_one"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="attendance_month_1_12"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.year}-{self.month:02d}"

    @property
    def late_count(self) -> int:
        return sum(1 for m in self.late_items if m)

    @property
    def early_count(self) -> int:
        return sum(1 for m in self.early_items if m)

    @property
    def late_total(self) -> int:
        return sum(self.late_items)

    @property
    def early_total(self) -> int:
        return sum(self.early_items)


class TppBaseAmount(models.Model):
    """The regency's TPP base amount for a kelas jabatan, in force from ``effective_from``
    (Perbup under PP 12/2019 Pasal 58; edited by BKPSDM). The row in force on the first day of a
    month is the month's base (DOMAIN §6)."""

    kelas = models.PositiveSmallIntegerField(_("kelas jabatan"))
    amount = models.DecimalField(_("besaran dasar (Rp)"), max_digits=14, decimal_places=0)
    effective_from = models.DateField(_("berlaku mulai"))
    note = models.CharField(_("dasar hukum / catatan"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("diubah"))

    class Meta:
        verbose_name = _("besaran dasar TPP")
        verbose_name_plural = _("besaran dasar TPP")
        ordering = ["kelas", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["kelas", "effective_from"], name="tpp_base_one"),
            models.CheckConstraint(condition=Q(kelas__gte=1, kelas__lte=17), name="tpp_base_kelas"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="tpp_base_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Kelas {self.kelas} dari {self.effective_from}: {self.amount}"


class TppMonth(models.Model):
    """The TPP of one month: calculated, reviewed per OPD, approved and locked by BKPSDM. A
    locked month never changes; a correction is a new line in a later month (DOMAIN §6)."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    month = models.PositiveSmallIntegerField(_("bulan"))
    status = models.CharField(
        _("status"), max_length=10, choices=TppStatus.choices, default=TppStatus.CALCULATED
    )
    config = models.JSONField(_("konfigurasi perhitungan"), default=dict)
    calculated_at = models.DateTimeField(_("dihitung"))
    calculated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField(_("dikunci"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    skipped = models.JSONField(_("pegawai yang belum dapat dihitung"), default=list, blank=True)

    class Meta:
        verbose_name = _("TPP bulanan")
        verbose_name_plural = _("TPP bulanan")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="tpp_month_one"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="tpp_month_1_12"),
            models.CheckConstraint(
                condition=~Q(status="dikunci")
                | Q(locked_at__isnull=False, approved_at__isnull=False),
                name="tpp_month_locked_is_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"TPP {self.month:02d}/{self.year}"

    @property
    def is_locked(self) -> bool:
        return self.status == TppStatus.LOCKED

    @property
    def label(self) -> str:
        """ "Oktober 2026"."""
        return month_label(self.year, self.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


class TppOpdReview(models.Model):
    """An OPD's review of its lines of a month (Admin OPD or BKPSDM)."""

    tpp_month = models.ForeignKey(TppMonth, on_delete=models.CASCADE, related_name="reviews")
    opd = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("diperiksa"))

    class Meta:
        verbose_name = _("pemeriksaan TPP OPD")
        verbose_name_plural = _("pemeriksaan TPP OPD")
        constraints = [
            models.UniqueConstraint(fields=["tpp_month", "opd"], name="tpp_review_one_per_opd")
        ]

    def __str__(self) -> str:
        return f"{self.tpp_month} {self.opd}"


class TppLine(models.Model):
    """One employee's TPP of one month with every input and every component, so that it can be
    recomputed with kinerja.rules.incentives.tpp and compared (DOMAIN §6). Amounts are exact;
    ``total`` is whole rupiah rounded down. A correction (kind ``koreksi``) carries the month it
    corrects and its reason, and ``total`` is the difference to pay (may be negative)."""

    tpp_month = models.ForeignKey(TppMonth, on_delete=models.CASCADE, related_name="lines")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="tpp_lines")
    kind = models.CharField(max_length=10, choices=TppLineKind.choices, default=TppLineKind.REGULAR)
    opd = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField(_("unit kerja"), max_length=200)
    position_name = models.CharField(_("jabatan"), max_length=200)
    kelas = models.PositiveSmallIntegerField(_("kelas jabatan"))
    base = models.DecimalField(_("besaran dasar"), max_digits=14, decimal_places=0)
    predikat = models.CharField(_("predikat"), max_length=20)
    predikat_period = models.CharField(_("periode predikat"), max_length=40)
    attendance = models.JSONField(_("masukan kehadiran"), default=dict)
    discipline_factor = models.DecimalField(
        _("faktor disiplin (%)"), max_digits=5, decimal_places=2
    )
    cut_percent = models.DecimalField(_("potongan hukuman (%)"), max_digits=5, decimal_places=2)
    cut_source = models.CharField(_("dasar potongan"), max_length=300, blank=True)
    performance_weight = models.DecimalField(max_digits=5, decimal_places=4)
    discipline_weight = models.DecimalField(max_digits=5, decimal_places=4)
    performance_factor = models.DecimalField(_("faktor kinerja"), max_digits=5, decimal_places=4)
    performance_part = models.DecimalField(**MONEY)
    discipline_part = models.DecimalField(**MONEY)
    gross = models.DecimalField(**MONEY)
    cut_amount = models.DecimalField(**MONEY)
    total = models.DecimalField(_("TPP diterima (Rp)"), max_digits=14, decimal_places=0)
    explanation = models.TextField(_("penjelasan"), blank=True)
    corrects = models.CharField(_("mengoreksi bulan"), max_length=7, blank=True)
    reason = models.CharField(_("alasan koreksi"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("baris TPP")
        verbose_name_plural = _("baris TPP")
        ordering = ["tpp_month", "opd__name", "employee__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tpp_month", "employee"],
                condition=Q(kind="reguler"),
                name="tpp_line_one_regular",
            ),
            models.CheckConstraint(
                condition=Q(kind="reguler") | (~Q(reason="") & ~Q(corrects="")),
                name="tpp_correction_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["tpp_month", "opd"], name="tpp_line_month_opd")]

    def __str__(self) -> str:
        return f"{self.tpp_month} {self.employee_id}"

    @property
    def performance_weight_percent(self) -> Decimal:
        return self.performance_weight * 100

    @property
    def discipline_weight_percent(self) -> Decimal:
        return self.discipline_weight * 100

    @property
    def performance_factor_percent(self) -> Decimal:
        return self.performance_factor * 100


class FollowUpRule(models.Model):
    """A follow-up rule kept by BKPSDM as data: a condition (kinerja.rules.followup) and the
    action it recommends, with a plain-Indonesian explanation shown to everyone concerned."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama aturan"), max_length=200)
    condition = models.CharField(_("kondisi"), max_length=30, choices=ConditionKind.choices)
    parameters = models.JSONField(_("parameter kondisi"), default=dict, blank=True)
    action = models.CharField(_("tindakan"), max_length=30, choices=Action.choices)
    action_parameters = models.JSONField(_("parameter tindakan"), default=dict, blank=True)
    explanation = models.TextField(_("penjelasan"), max_length=2000)
    is_active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("aturan tindak lanjut")
        verbose_name_plural = _("aturan tindak lanjut")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Recommendation(models.Model):
    """What running the rules proposes for one employee: the facts and the rule that triggered
    it. ``key`` makes running again idempotent. Only an authorised official's decision gives it
    effect (no sanction without a human decision); the decision is kept with its reason, decree
    and effective period."""

    key = models.CharField(max_length=200, unique=True)
    rule = models.ForeignKey(FollowUpRule, on_delete=models.PROTECT, related_name="recommendations")
    action = models.CharField(_("tindakan"), max_length=30, choices=Action.choices)
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("pegawai"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    opd = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    facts = models.JSONField(_("fakta"), default=list)
    parameters = models.JSONField(default=dict, blank=True)
    assessment_id_basis = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PENDING,
    )
    created_at = models.DateTimeField(_("dibuat"))
    decision_reason = models.TextField(_("alasan keputusan"), blank=True, max_length=2000)
    decree_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    effective_from = models.DateField(_("berlaku mulai"), null=True, blank=True)
    effective_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    official = models.CharField(_("pejabat yang memutuskan"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    class Meta:
        verbose_name = _("rekomendasi tindak lanjut")
        verbose_name_plural = _("rekomendasi tindak lanjut")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="menunggu")
                | (Q(decided_at__isnull=False) & ~Q(decision_reason="") & ~Q(official="")),
                name="recommendation_decision_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "opd"], name="recommendation_status_opd"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.employee}"

    @property
    def is_pending(self) -> bool:
        return self.status == RecommendationStatus.PENDING


class CoachingPlan(models.Model):
    """A pembinaan plan for an employee below standard: goals, sessions with the supervisor,
    checkpoints and the 6-month improvement period (DOMAIN §1); at its end the supervisor records
    the outcome. A failed plan feeds the reassignment rule (PP 30/2019 Pasal 56–58)."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="coaching")
    supervisor = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recommendation = models.OneToOneField(
        Recommendation, null=True, blank=True, on_delete=models.PROTECT, related_name="coaching"
    )
    goals = models.TextField(_("sasaran perbaikan"), max_length=4000)
    starts = models.DateField(_("mulai"))
    ends = models.DateField(_("berakhir"))
    status = models.CharField(
        _("status"), max_length=20, choices=CoachingStatus.choices, default=CoachingStatus.RUNNING
    )
    outcome = models.TextField(_("hasil pembinaan"), blank=True, max_length=4000)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("rencana pembinaan")
        verbose_name_plural = _("rencana pembinaan")
        ordering = ["-starts", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="coaching_period"
            ),
            models.CheckConstraint(
                condition=Q(status="berjalan") | ~Q(outcome=""), name="coaching_outcome_text"
            ),
        ]

    def __str__(self) -> str:
        return f"Pembinaan {self.employee}"


class CoachingSession(models.Model):
    """A session with the supervisor, or a checkpoint, within a coaching plan."""

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(_("tanggal"))
    is_checkpoint = models.BooleanField(_("titik evaluasi"), default=False)
    notes = models.TextField(_("catatan"), max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("sesi pembinaan")
        verbose_name_plural = _("sesi pembinaan")
        ordering = ["plan", "day", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.day}"


class Recognition(models.Model):
    """A recognition given after an accepted recommendation: a Piagam Penghargaan (PDF with the
    shared QR verification) or an ASN Berprestasi nomination. It appears on the recognition wall
    only with the employee's consent (``wall_consent``)."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="recognitions")
    kind = models.CharField(_("jenis"), max_length=20, choices=RecognitionKind.choices)
    title = models.CharField(_("judul"), max_length=300)
    year = models.PositiveSmallIntegerField(_("tahun"))
    recommendation = models.OneToOneField(
        Recommendation, null=True, blank=True, on_delete=models.PROTECT, related_name="recognition"
    )
    decree_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    issued_at = models.DateTimeField(_("diberikan"))
    wall_consent = models.BooleanField(_("tampil di dinding penghargaan"), default=False)
    consent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("penghargaan")
        verbose_name_plural = _("penghargaan")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} — {self.employee}"
