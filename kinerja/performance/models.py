"""Performance plans (SKP), their cascade, monthly realisations with evidence, and feedback.

PermenPANRB 6/2022: one SKP per employee per year with hasil kerja (RHK grouped Utama/Tambahan,
each with indicators and targets) and perilaku kerja (the seven BerAKHLAK values); every RHK of
a staff member hangs from one RHK of the direct supervisor (intervensi), the unit head's from the
OPD's goals. Realisations are recorded monthly (project rule, DOMAIN §1).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.uploads import upload_path
from kinerja.organisation.models import Employee, Unit

from .choices import (
    ActionStatus,
    Aggregation,
    Aspek,
    EvidenceKind,
    IndicatorSource,
    PlanStatus,
    Polarity,
    RhkKind,
)


class OrgGoal(models.Model):
    """One row of an OPD's Perjanjian Kinerja: a goal (sasaran) with its indicator and target.

    The root of the cascade: the unit head's RHK hang from these.
    """

    opd = models.ForeignKey(
        Unit, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="goals"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    number = models.PositiveSmallIntegerField(_("nomor"), default=1)
    sasaran = models.CharField(_("sasaran strategis"), max_length=400)
    indicator = models.CharField(_("indikator kinerja"), max_length=400)
    unit_of_measure = models.CharField(_("satuan"), max_length=50)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    polarity = models.CharField(
        _("polaritas"), max_length=20, choices=Polarity.choices, default=Polarity.HIGHER_IS_BETTER
    )

    class Meta:
        verbose_name = _("sasaran OPD")
        verbose_name_plural = _("sasaran OPD")
        ordering = ["opd", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["opd", "year", "number"], name="org_goal_unique_number"
            ),
            models.CheckConstraint(condition=Q(target__gte=0), name="org_goal_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.sasaran} — {self.indicator}"


class Plan(models.Model):
    """An employee's SKP for one year.

    Editable while Draf or Dikembalikan; locked once Disetujui. A change after approval reopens
    it as a new version: every approval stores an immutable PlanVersion snapshot, so all
    versions stay readable with what changed. Employee and assessing-official details are
    snapshots taken when the plan is created or its assessor changes.
    """

    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    assessor = models.ForeignKey(
        Employee,
        verbose_name=_("pejabat penilai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessed_plans",
    )
    employee_snapshot = models.JSONField(_("data pegawai"), default=dict)
    assessor_snapshot = models.JSONField(_("data pejabat penilai"), default=dict)
    dukungan_sumber_daya = models.TextField(_("dukungan sumber daya"), blank=True)
    skema_pertanggungjawaban = models.TextField(_("skema pertanggungjawaban"), blank=True)
    konsekuensi = models.TextField(_("konsekuensi"), blank=True)
    return_note = models.TextField(_("catatan pengembalian"), blank=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disetujui oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SKP")
        verbose_name_plural = _("SKP")
        ordering = ["-year", "employee__name"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="plan_one_per_employee_year"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "status"], name="plan_year_status"),
            models.Index(fields=["assessor", "status"], name="plan_assessor_status"),
        ]

    def __str__(self) -> str:
        return f"SKP {self.year} — {self.employee}"

    @property
    def has_been_approved(self) -> bool:
        """Whether some version of the plan has been approved: it is approved now, or it was
        reopened after an approval (a version above 1 exists only through plan_new_version of
        an approved plan, and every approval stored a PlanVersion). Read from the row itself, so
        lists and dashboards decide it without a query per plan."""
        return self.status == PlanStatus.APPROVED or self.version > 1

    @property
    def accepts_realisations(self) -> bool:
        """Realisations can be entered once the plan has been approved, and keep being entered
        while a new version is drafted after a mid-year change (DOMAIN §1; the approved
        version stays in force until the next approval)."""
        return self.has_been_approved

    @property
    def is_editable(self) -> bool:
        return self.status in {PlanStatus.DRAFT, PlanStatus.RETURNED}


class Rhk(models.Model):
    """A Rencana Hasil Kerja of a plan, hanging from the supervisor's RHK it intervenes in
    (`parent`) or, for a unit head, from an OPD goal (`goal`)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rhks")
    kind = models.CharField(
        _("jenis"), max_length=10, choices=RhkKind.choices, default=RhkKind.UTAMA
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("rencana hasil kerja"), max_length=500)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("RHK atasan yang diintervensi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    goal = models.ForeignKey(
        OrgGoal,
        verbose_name=_("sasaran OPD"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rhks",
    )

    class Meta:
        verbose_name = _("RHK")
        verbose_name_plural = _("RHK")
        ordering = ["plan", "-kind", "order", "id"]  # A. Utama before B. Tambahan
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(goal__isnull=True),
                name="rhk_one_parent_at_most",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Indicator(models.Model):
    """An indicator (indikator kinerja individu) of an RHK, with its annual target."""

    rhk = models.ForeignKey(Rhk, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(default=0)
    aspek = models.CharField(
        _("aspek"), max_length=10, choices=Aspek.choices, default=Aspek.KUANTITAS
    )
    name = models.CharField(_("indikator"), max_length=400)
    unit_of_measure = models.CharField(_("satuan"), max_length=50)
    target = models.DecimalField(_("target tahunan"), max_digits=18, decimal_places=4)
    polarity = models.CharField(
        _("polaritas"), max_length=20, choices=Polarity.choices, default=Polarity.HIGHER_IS_BETTER
    )
    aggregation = models.CharField(
        _("cara menghitung setahun"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    monthly_targets = models.JSONField(_("target bulanan"), null=True, blank=True)
    source = models.CharField(
        _("sumber realisasi"),
        max_length=12,
        choices=IndicatorSource.choices,
        default=IndicatorSource.MANUAL,
    )
    source_ref = models.CharField(
        _("rujukan sumber"),
        max_length=60,
        blank=True,
        help_text=_("Kode layanan untuk indikator IKM otomatis."),
    )

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["rhk", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__gte=0), name="indicator_target_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(target=0) | Q(polarity="lower_is_better"),
                name="indicator_zero_target_only_lower_is_better",
                violation_error_message=_(
                    "Target 0 hanya boleh untuk indikator yang semakin rendah semakin baik."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BehaviourExpectation(models.Model):
    """The perilaku kerja section: one row per BerAKHLAK value with the leader's optional
    specific expectation (ekspektasi khusus pimpinan)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="behaviours")
    value_code = models.CharField(_("nilai"), max_length=30)
    expectation = models.TextField(_("ekspektasi khusus pimpinan"), blank=True)

    class Meta:
        verbose_name = _("perilaku kerja")
        verbose_name_plural = _("perilaku kerja")
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "value_code"], name="behaviour_one_per_value")
        ]

    def __str__(self) -> str:
        return self.value_code


class PlanVersion(models.Model):
    """An immutable snapshot of a plan as approved, and what changed since the previous one."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("SKP"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("versi"))
    snapshot = models.JSONField(_("isi SKP saat disetujui"))
    changes = models.JSONField(_("perubahan"), default=list)
    approved_at = models.DateTimeField(_("disetujui"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disetujui oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("versi SKP")
        verbose_name_plural = _("versi SKP")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class Realisation(models.Model):
    """The realisation of one indicator in one month, with a short narrative.

    Editable by the employee until the supervisor reviews it; `revision` guards against lost
    updates (a save based on an older revision is refused). `is_late` is fixed when the value
    is first saved after the month's deadline.
    """

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="realisations",
    )
    month = models.PositiveSmallIntegerField(_("bulan"))
    value = models.DecimalField(_("realisasi"), max_digits=18, decimal_places=4)
    narrative = models.TextField(_("uraian singkat"), blank=True, max_length=2000)
    is_late = models.BooleanField(_("terlambat"), default=False)
    is_automatic = models.BooleanField(_("diisi sistem"), default=False)
    revision = models.PositiveIntegerField(_("revisi"), default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diisi oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diperiksa oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        ordering = ["indicator", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "month"], name="realisation_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="realisation_month_1_12"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="realisation_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} / {self.month}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


def evidence_path(instance: Evidence, filename: str) -> str:
    # The caller already replaced the name with a random token; keep files in per-year folders.
    return upload_path(f"bukti/{instance.uploaded_at:%Y/%m}", filename, 200)


class Evidence(models.Model):
    """Evidence of a realisation: a file (stored under a random name) or a link."""

    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=5, choices=EvidenceKind.choices)
    file = models.FileField(upload_to=evidence_path, blank=True, max_length=200)
    original_name = models.CharField(_("nama berkas"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    url = models.URLField(_("tautan"), blank=True, max_length=500)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")
        ordering = ["realisation", "uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="")) | (Q(kind="link") & ~Q(url="")),
                name="evidence_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or self.url


class Comment(models.Model):
    """Continuous feedback (umpan balik berkelanjutan): a message in the thread of a plan's
    realisation, RHK or behaviour value. Threads are kept; nothing is edited or deleted."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    realisation = models.ForeignKey(
        Realisation, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    rhk = models.ForeignKey(
        Rhk, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    behaviour = models.ForeignKey(
        BehaviourExpectation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("umpan balik"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("umpan balik")
        verbose_name_plural = _("umpan balik")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(realisation__isnull=False, rhk__isnull=True, behaviour__isnull=True)
                    | Q(realisation__isnull=True, rhk__isnull=False, behaviour__isnull=True)
                    | Q(realisation__isnull=True, rhk__isnull=True, behaviour__isnull=False)
                ),
                name="comment_exactly_one_target",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class Dialog(models.Model):
    """A dialog kinerja: the record of a performance conversation (PermenPANRB 6/2022 Pasal 5)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="dialogs")
    held_on = models.DateField(_("tanggal"))
    participants = models.CharField(_("peserta"), max_length=300)
    notes = models.TextField(_("catatan pembicaraan"), max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dialog kinerja")
        verbose_name_plural = _("dialog kinerja")
        ordering = ["plan", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.held_on}"


class AgreedAction(models.Model):
    """An action agreed in a dialog, with its due date and follow-up."""

    dialog = models.ForeignKey(Dialog, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("tindak lanjut yang disepakati"), max_length=500)
    due_date = models.DateField(_("tenggat"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    follow_up = models.TextField(_("catatan tindak lanjut"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["dialog", "due_date", "id"]

    def __str__(self) -> str:
        return self.description
