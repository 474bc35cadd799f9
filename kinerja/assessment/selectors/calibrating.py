"""Calibration: the regency's picture of a period (shares per OPD, assessors whose ratings
stand out), an OPD's assessments and finalisations, results returned for calibration."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from kinerja.organisation.models import Employee, Unit, User
from kinerja.rules.enums import Predikat
from kinerja.rules.periods import Period

from ..models import Assessment, AssessorTally, Finalisation, Objection
from .assessors import Distribution, distributions

# --- Calibration ----------------------------------------------------------------------------


@dataclass
class AssessorFlag:
    assessor: Employee | None
    assessor_name: str
    opd_name: str
    total: int
    sangat_baik: int
    overrides: int
    distinct: int
    reasons: list[str]

    @property
    def sangat_baik_share(self) -> int:
        return round(100 * self.sangat_baik / self.total) if self.total else 0


@dataclass
class Calibration:
    period: Period
    distributions: list[Distribution]
    flags: list[AssessorFlag]
    objections: list[Objection]
    objection_counts: dict[str, int]
    justified: list[Finalisation]
    regency_counts: dict[Predikat, int]
    violating_by_opd: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.regency_counts.values())


MIN_GROUP_FOR_FLAGS = 4  # "everyone rated the same" means nothing for two or three people
SANGAT_BAIK_GAP = 30  # percentage points above the regency's share
OVERRIDE_SHARE = 50  # percent of an assessor's ratings that differ from the suggestion


@dataclass(frozen=True)
class _AssessorRow:
    """One assessor's ratings in one OPD and period, from their tally."""

    assessor_id: int  # 0: the regent's own ratings (no assessor)
    opd_id: int
    total: int
    sangat_baik: int
    overrides: int
    distinct: int  # how many different predikat they gave


_TALLY = ("opd_id", "assessor_id", *(p.value for p in Predikat), "overrides")


def _assessor_rows(period: Period) -> list[_AssessorRow]:
    """Every assessor's tally of `period` in an OPD: one query over the tallies (a few thousand
    plain rows at 100,000 employees) instead of grouping every assessment."""
    rows = []
    for opd_id, assessor_id, *counts, overrides in (
        AssessorTally.objects.filter(period=period.code).values_list(*_TALLY).order_by()
    ):
        total = sum(counts)
        if total:
            distinct = sum(1 for n in counts if n)
            rows.append(_AssessorRow(assessor_id, opd_id, total, counts[0], overrides, distinct))
    return rows


def calibration(period: Period) -> Calibration:
    """The regency view for BKPSDM, Pimpinan and Inspektorat: each OPD's spread against its
    curve, assessors whose ratings stand out, objections and justified violations. A fixed
    number of queries whatever the size of the regency (aggregates in the database)."""
    opds = list(Unit.objects.filter(parent__isnull=True).order_by("name"))
    dists = distributions([u.pk for u in opds], period)
    regency: Counter[Predikat] = Counter()
    for d in dists.values():
        regency.update(d.counts)
    total = sum(regency.values())
    regency_sb = 100 * regency[Predikat.SANGAT_BAIK] / total if total else 0
    flagged = []
    for row in _assessor_rows(period):
        reasons = []
        if row.total >= MIN_GROUP_FOR_FLAGS:
            share = 100 * row.sangat_baik / row.total
            if share - regency_sb >= SANGAT_BAIK_GAP:
                reasons.append(f"Sangat Baik {round(share)}% (kabupaten {round(regency_sb)}%)")
            if row.distinct == 1:
                reasons.append("semua pegawai berpredikat sama")
        if row.total and 100 * row.overrides / row.total >= OVERRIDE_SHARE and row.overrides >= 2:
            reasons.append(f"{row.overrides} rating berbeda dari saran sistem")
        if reasons:
            flagged.append((row, reasons))
    # The names of the flagged assessors only; the regent's own ratings after the named
    # assessors of their OPD.
    names = dict(
        Employee.objects.filter(pk__in=[r.assessor_id for r, _ in flagged if r.assessor_id])
        .values_list("pk", "name")
        .order_by()
    )
    opd_names = {u.pk: u.name for u in opds}
    ordered = sorted(
        flagged,
        key=lambda f: (
            opd_names.get(f[0].opd_id, ""),
            f[0].assessor_id == 0,
            names.get(f[0].assessor_id, ""),
        ),
    )
    flags = [
        AssessorFlag(
            None,
            names.get(row.assessor_id) or "Pimpinan Daerah",
            opd_names.get(row.opd_id, ""),
            row.total,
            row.sangat_baik,
            row.overrides,
            row.distinct,
            reasons,
        )
        for row, reasons in ordered
    ]
    objections = list(
        Objection.objects.filter(assessment__period=period.code)
        .select_related("assessment__employee", "assessment__opd")
        .order_by("-submitted_at")[:50]
    )
    objection_counts = dict(
        Objection.objects.filter(assessment__period=period.code)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    justified = list(
        Finalisation.objects.filter(period=period.code)
        .exclude(violations=[])
        .select_related("opd", "assessor", "by")
        .order_by("-at")[:50]
    )
    violating_by_opd = dict(
        Finalisation.objects.filter(period=period.code, returned_at__isnull=True)
        .exclude(violations=[])
        .values_list("opd_id")
        .annotate(n=Count("id"))
        .values_list("opd_id", "n")
    )
    return Calibration(
        period=period,
        distributions=[dists[u.pk] for u in opds if u.pk in dists],
        flags=flags,
        objections=objections,
        objection_counts=objection_counts,
        justified=justified,
        regency_counts=dict(regency),
        violating_by_opd=violating_by_opd,
    )


def opd_assessments(opd: Unit, period: Period) -> list[Assessment]:
    """Every assessment of an OPD in a period (calibration drill-down), one query."""
    return list(
        Assessment.objects.filter(opd=opd, period=period.code)
        .select_related("employee", "employee__position", "unit", "assessor")
        .order_by("unit__path", "assessor__name", "employee__name")
    )


def opd_finalisations(opd: Unit, period: Period) -> list[Finalisation]:
    """Every act of finalising in an OPD and period (calibration drill-down): who finalised how
    many results, the curve's violations then, the justification, and any return for
    calibration. One query."""
    return list(
        Finalisation.objects.filter(opd=opd, period=period.code)
        .select_related("assessor", "by", "returned_by")
        .order_by("-at", "-pk")
    )


def returned_for_calibration(user: User, period: Period) -> list[Finalisation]:
    """The finalisations of `user` (as assessor, or as the official who finalised for the
    regent's office) that BKPSDM returned for calibration in a period and that were not
    finalised again since, latest first. Two queries."""
    mine = Q(by=user)
    if user.employee_id is not None:
        mine |= Q(assessor_id=user.employee_id)
    ours = Finalisation.objects.filter(mine, period=period.code)
    since = ours.filter(returned_at__isnull=True).aggregate(last=Max("at"))["last"]
    returned = ours.filter(returned_at__isnull=False)
    if since is not None:
        returned = returned.filter(returned_at__gt=since)
    return list(returned.select_related("returned_by", "opd").order_by("-returned_at"))
