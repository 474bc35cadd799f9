"""Periodic and annual assessment of employees (PermenPANRB 6/2022), the organisation's predikat
that fixes the distribution curve (SE MenPANRB 3/2023), and objections (PP 30/2019 Pasal 59).

A period is stored as its code (``2026-T1``; see kinerja.rules.periods). The "organisation" whose
curve applies is the OPD: every assessment stores the OPD its employee belonged to when it was
made, and the curve is checked over the assessments of one OPD in one period.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.uploads import upload_path
from kinerja.organisation.models import Employee, Unit
from kinerja.performance.models import Plan
from kinerja.rules.enums import Predikat as RulesPredikat
from kinerja.rules.periods import Period, parse_period

from .choices import AssessmentStatus, ObjectionStatus, OrgPredikat, Party, Predikat, Rating


class OrgAssessment(models.Model):
    """The predikat kinerja organisasi of a unit for one period (SE MenPANRB 3/2023), set by the
    official above it, with the capaian and suggestion it was set against. For an OPD it fixes
    the distribution curve of the employees the OPD rates in that period; for any unit it is the
    head's rating hasil kerja (through kinerja.rules.assessment.unit_rating)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="org_assessments"
    )
    period = models.CharField(_("periode"), max_length=10)
    year = models.PositiveSmallIntegerField(_("tahun"))
    predikat = models.CharField(
        _("predikat organisasi"), max_length=20, choices=OrgPredikat.choices
    )
    suggested = models.CharField(
        _("saran sistem"), max_length=20, choices=OrgPredikat.choices, blank=True
    )
    capaian = models.DecimalField(
        _("capaian organisasi"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    reason = models.TextField(_("alasan"), blank=True, max_length=2000)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("ditetapkan"))

    class Meta:
        verbose_name = _("predikat kinerja organisasi")
        verbose_name_plural = _("predikat kinerja organisasi")
        ordering = ["period", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period"], name="org_assessment_one_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}: {self.get_predikat_display()}"

    @property
    def period_obj(self) -> Period:
        return parse_period(self.period)


class Finalisation(models.Model):
    """One act of finalising: an assessing official locks the results of their employees in a
    period. The distribution check of the OPD at that moment is stored with the written
    justification required when it failed (shown to BKPSDM in calibration). BKPSDM may return
    the results to the assessor for calibration with a note (``returned_*``): they become
    drafts again and the record stays as history."""

    opd = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("periode"), max_length=10)
    assessor = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    org_predikat = models.CharField(
        _("predikat organisasi"), max_length=20, choices=OrgPredikat.choices, blank=True
    )
    count = models.PositiveIntegerField(_("jumlah pegawai"))
    violations = models.JSONField(_("pelanggaran kurva"), default=list, blank=True)
    justification = models.TextField(_("justifikasi"), blank=True, max_length=4000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("waktu"))
    returned_at = models.DateTimeField(_("dikembalikan untuk kalibrasi"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_note = models.TextField(_("catatan kalibrasi"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("finalisasi penilaian")
        verbose_name_plural = _("finalisasi penilaian")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(violations=[]) | ~Q(justification=""),
                name="finalisation_violation_needs_justification",
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True)
                | (Q(returned_by__isnull=False) & ~Q(return_note="")),
                name="finalisation_return_has_note",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "opd"], name="finalisation_period_opd"),
            # The calibration's "finalised despite the curve": a few hundred of the period's
            # tens of thousands of finalisations at 100,000 employees, latest first.
            models.Index(
                fields=["period", "-at"],
                condition=~Q(violations=[]),
                name="finalisation_justified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opd} {self.period} ({self.count})"

    @property
    def is_returned(self) -> bool:
        return self.returned_at is not None


class Assessment(models.Model):
    """The assessment of one employee in one period (PermenPANRB 6/2022: periodik or tahunan).

    The assessing official sets rating hasil kerja and rating perilaku kerja (the latter from
    the seven BerAKHLAK values, ``behaviour`` = {value code: rating}); the predikat follows from
    the matrix. The system's suggestions are stored beside them, and a rating that differs from
    its suggestion carries a written reason. Finalised results are locked: only an objection's
    decision changes them. ``shown_at`` is when the employee first saw the final result, which
    starts the 14-day objection window; ``code`` is the unguessable verification code printed
    on the document.
    """

    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.PROTECT, related_name="assessments"
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    period = models.CharField(_("periode"), max_length=10)
    year = models.PositiveSmallIntegerField(_("tahun"))
    opd = models.ForeignKey(Unit, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="+"
    )
    assessor = models.ForeignKey(
        Employee,
        verbose_name=_("pejabat penilai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments_given",
    )
    employee_snapshot = models.JSONField(default=dict)
    assessor_snapshot = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    capaian = models.DecimalField(
        _("capaian"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    suggested_hasil = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    suggested_perilaku = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    hasil = models.CharField(
        _("rating hasil kerja"), max_length=10, choices=Rating.choices, blank=True
    )
    perilaku = models.CharField(
        _("rating perilaku kerja"), max_length=10, choices=Rating.choices, blank=True
    )
    behaviour = models.JSONField(_("rating per nilai BerAKHLAK"), default=dict, blank=True)
    hasil_reason = models.TextField(_("alasan rating hasil kerja"), blank=True, max_length=2000)
    perilaku_reason = models.TextField(
        _("alasan rating perilaku kerja"), blank=True, max_length=2000
    )
    predikat = models.CharField(_("predikat"), max_length=20, choices=Predikat.choices, blank=True)
    is_unit_head = models.BooleanField(_("kepala unit"), default=False)
    angka_kredit = models.DecimalField(
        _("angka kredit"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    snapshot = models.JSONField(_("isi dokumen saat final"), default=dict, blank=True)
    finalisation = models.ForeignKey(
        Finalisation, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    shown_at = models.DateTimeField(_("diperlihatkan kepada pegawai"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("diterima pegawai"), null=True, blank=True)
    code = models.CharField(_("kode verifikasi"), max_length=40, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("penilaian kinerja")
        verbose_name_plural = _("penilaian kinerja")
        ordering = ["period", "employee__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "period"], name="assessment_one_per_employee_period"
            ),
            models.CheckConstraint(
                condition=Q(status="draf")
                | (~Q(hasil="") & ~Q(perilaku="") & ~Q(predikat="") & Q(code__isnull=False)),
                name="assessment_final_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(hasil__in=["", "di_atas", "sesuai", "di_bawah"])
                & Q(perilaku__in=["", "di_atas", "sesuai", "di_bawah"]),
                name="assessment_rating_values",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "opd", "status"], name="assessment_period_opd"),
            models.Index(fields=["period", "assessor"], name="assessment_period_assessor"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} — {self.period_label}"

    @property
    def period_obj(self) -> Period:
        return parse_period(self.period)

    @property
    def period_label(self) -> str:
        return self.period_obj.label

    @property
    def is_final(self) -> bool:
        return self.status == AssessmentStatus.FINAL

    @property
    def hasil_overridden(self) -> bool:
        return bool(self.hasil and self.suggested_hasil and self.hasil != self.suggested_hasil)

    @property
    def perilaku_overridden(self) -> bool:
        return bool(
            self.perilaku and self.suggested_perilaku and self.perilaku != self.suggested_perilaku
        )


def objection_path(instance: ObjectionAttachment, filename: str) -> str:
    return upload_path(f"keberatan/{instance.uploaded_at:%Y/%m}", filename, 200)


class Objection(models.Model):
    """A keberatan (PP 30/2019 Pasal 59): filed by the employee within 14 days of being shown the
    final result, decided by the assessing official's own superior (``decider``; none → the
    regent's office). The decision is final; ``before`` keeps the ratings it replaced."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="objections")
    decider = models.ForeignKey(
        Employee,
        verbose_name=_("atasan pejabat penilai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections_to_decide",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.SUBMITTED,
    )
    reasons = models.TextField(_("alasan keberatan"), max_length=4000)
    submitted_at = models.DateTimeField(_("diajukan"))
    explanations_requested_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True, max_length=4000)
    before = models.JSONField(_("penilaian sebelum keputusan"), default=dict, blank=True)
    after = models.JSONField(_("penilaian sesudah keputusan"), default=dict, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("keberatan")
        verbose_name_plural = _("keberatan")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment"], name="objection_one_per_assessment"),
            models.CheckConstraint(
                condition=Q(status__in=["diajukan", "klarifikasi"])
                | (Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="objection_decision_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Keberatan {self.assessment}"

    @property
    def is_open(self) -> bool:
        return self.status in ObjectionStatus.open_values()


class ObjectionAttachment(models.Model):
    """A file attached to an objection (PDF/JPG/PNG, at most 5 MB, checked by content)."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=objection_path, max_length=200)
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lampiran keberatan")
        verbose_name_plural = _("lampiran keberatan")
        ordering = ["objection", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=5 * 1024 * 1024), name="objection_attachment_max_5mb"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class Explanation(models.Model):
    """An explanation the decider asked for (PP 30/2019 Pasal 59: the superior asks both the
    employee and the assessor); ``body`` is empty until the party answers."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="explanations")
    party = models.CharField(_("pihak"), max_length=10, choices=Party.choices)
    body = models.TextField(_("penjelasan"), blank=True, max_length=4000)
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("penjelasan")
        verbose_name_plural = _("penjelasan")
        ordering = ["objection", "party"]
        constraints = [
            models.UniqueConstraint(
                fields=["objection", "party"], name="explanation_one_per_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()}: {self.body[:40]}"


class AssessorTally(models.Model):
    """How many assessments of one period, OPD and assessor carry each predikat, and how many
    of them differ from the system's suggestion: the whole input of the calibration view and of
    the OPD distributions (kinerja.assessment.selectors), so that the regency at 100,000
    employees reads a few thousand tallies instead of grouping every assessment.

    Kept by the database (migration 0003): triggers on `assessment_assessment` add and take away
    every inserted, updated or deleted row with a predikat, in the same statement, whatever
    wrote it (services, bulk loads, raw SQL). `manage.py assessment_rebuild_tallies` recomputes
    them from scratch. `assessor_id` is 0 for assessments without an assessor (the regent's);
    neither id is a foreign key, so the tallies never block deleting or changing a row."""

    period = models.CharField(max_length=10)
    opd_id = models.BigIntegerField()
    assessor_id = models.BigIntegerField()  # 0: no assessor (Pimpinan Daerah)
    sangat_baik = models.IntegerField(default=0)
    baik = models.IntegerField(default=0)
    butuh_perbaikan = models.IntegerField(default=0)
    kurang = models.IntegerField(default=0)
    sangat_kurang = models.IntegerField(default=0)
    overrides = models.IntegerField(default=0)  # hasil or perilaku not the suggested one

    class Meta:
        verbose_name = _("rekap penilai")
        verbose_name_plural = _("rekap penilai")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "opd_id", "assessor_id"], name="assessor_tally_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} OPD {self.opd_id} penilai {self.assessor_id}: {self.total}"

    def counts(self) -> dict[RulesPredikat, int]:
        """{predikat: assessments} without the zeros."""
        return {p: n for p in RulesPredikat if (n := getattr(self, p.value))}

    @property
    def total(self) -> int:
        return sum(getattr(self, p.value) for p in RulesPredikat)
