"""Read-only aggregates for the dashboards, and the feed of changes for live updates.

Nothing here is entered by people: every row is derived from kinerja.performance and rewritten
by kinerja.monitoring.services when the underlying data changes (the events subscriber, after
commit) or when `manage.py monitoring_rebuild` runs. Dashboards read only these tables, never
the realisation table, so their cost does not grow with the regency.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.organisation.models import Employee, Unit


class ChangeEvent(models.Model):
    """One committed change that open pages may need to show (the live-update feed).

    Written after commit by the events subscriber and announced on the live bus
    (kinerja.monitoring.hub); read by a stream when it opens (resuming from its Last-Event-ID)
    and by each worker's hub when its bus cannot be trusted (SQLite's shared poll, a listener
    reconnecting, the periodic sweep). `path` is the employee's reporting path at the time, so
    a supervisor's filter is one prefix comparison. Topic "notifications" rows name, in
    `employee_id`, the account whose unread count changed (no path: no team sees them). Old
    rows are pruned.
    """

    id = models.BigAutoField(primary_key=True)
    topic = models.CharField(max_length=20)
    employee_id = models.BigIntegerField()
    path = models.CharField(max_length=400)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("perubahan (umpan langsung)")
        verbose_name_plural = _("perubahan (umpan langsung)")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.id} {self.topic} {self.employee_id}"


class PersonFigures(models.Model):
    """The monitoring figures of one employee for one year: one row of a team board.

    `indicators` keeps, per indicator, what the projection needs (target, polarity, aggregation,
    monthly targets, the monthly values), so that the at-risk flags can be recomputed without
    reading realisations when the calendar moves on; `at_risk` holds them as computed for
    `risk_basis` closed months. `months` holds, per month, [expected entries, entered, on time,
    sum of monthly capaian, number of capaian] for the unit roll-ups and the trend.
    """

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    plan_id = models.BigIntegerField(null=True, blank=True)
    plan_status = models.CharField(max_length=20, blank=True)
    assessor_id = models.BigIntegerField(null=True, blank=True)
    indicator_count = models.PositiveSmallIntegerField(default=0)
    capaian = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    trend = models.JSONField(default=list)
    indicators = models.JSONField(default=list)
    months = models.JSONField(default=list)
    risk_basis = models.PositiveSmallIntegerField(default=0)
    at_risk = models.JSONField(default=list)
    last_realisation_at = models.DateTimeField(null=True, blank=True)
    waiting_review = models.PositiveIntegerField(default=0)
    late_entries = models.PositiveIntegerField(default=0)
    # Columns the large boards filter on in the database (kept with `at_risk` and `months`):
    # whether any indicator is at risk, and the first month with a manual entry missing
    # (13 when none), so "late as of today" is `late_entries > 0 or first_missing_month <= due`.
    is_at_risk = models.BooleanField(default=False)
    first_missing_month = models.PositiveSmallIntegerField(default=13)
    feedback_count = models.PositiveIntegerField(default=0)
    last_feedback_at = models.DateTimeField(null=True, blank=True)
    last_reply_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("angka kinerja pegawai")
        verbose_name_plural = _("angka kinerja pegawai")
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="person_figures_unique"),
        ]
        indexes = [
            models.Index(fields=["assessor_id", "year"], name="person_figures_assessor"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.year}"


class TeamFigures(models.Model):
    """The figures of everyone below one employee in the reporting lines (their whole team,
    not themself), for one year: what a head of a large unit sees per direct report, so the
    board of the Sekda reads one row per direct report instead of ten thousand people.

    Rewritten per chain of supervisors after a person's figures change (a background task),
    and in bulk by `monitoring_rebuild`; `late` counts people late as of `refreshed_at`.
    """

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    people = models.PositiveIntegerField(default=0)
    plans = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    with_capaian = models.PositiveIntegerField(default=0)
    capaian_sum = models.DecimalField(max_digits=24, decimal_places=4, default=0)
    at_risk = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    waiting = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("angka kinerja tim")
        verbose_name_plural = _("angka kinerja tim")
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="team_figures_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.year}"

    @property
    def capaian(self) -> Decimal | None:
        if not self.with_capaian:
            return None
        return (Decimal(self.capaian_sum) / self.with_capaian).quantize(Decimal("0.01"))


class UnitFigures(models.Model):
    """The figures of the employees who work directly in one unit, for one year.

    The regency dashboard adds them up along the unit tree (an OPD is its own row plus its
    sub-units'), so a change of one person rewrites one row here. `months` holds, per month,
    [expected entries, entered, on time, sum of monthly capaian, number of capaian].
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    employees = models.PositiveIntegerField(default=0)
    plans = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    with_capaian = models.PositiveIntegerField(default=0)
    capaian_sum = models.DecimalField(max_digits=20, decimal_places=4, default=0)
    at_risk_people = models.PositiveIntegerField(default=0)
    months = models.JSONField(default=list)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("angka kinerja unit")
        verbose_name_plural = _("angka kinerja unit")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="unit_figures_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"
