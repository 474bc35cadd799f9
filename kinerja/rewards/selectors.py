"""Reads of the rewards app, scoped by kinerja.organisation.access (404 outside scope)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from kinerja.organisation import access
from kinerja.organisation.models import Employee, Unit, User
from kinerja.rules.enums import Mutu, Predikat
from kinerja.rules.incentives import DEFAULT_TPP, satyalancana_due_in
from kinerja.rules.nip import InvalidNip, parse_nip
from kinerja.rules.skm import mutu

from . import services
from .choices import RecognitionKind, RecommendationStatus, TppLineKind
from .models import (
    AttendanceMonth,
    CoachingPlan,
    DisciplineRecord,
    Recognition,
    Recommendation,
    TppLine,
    TppMonth,
)


def recommendations_visible_to(user: User) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(access.recommendation_filter(user)).select_related(
        "employee", "rule", "opd"
    )


def recommendation_get_for_user(*, user: User, pk: int) -> Recommendation:
    found = recommendations_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def assessment_basis(rec: Recommendation) -> Any:
    """The finalised result a performance-based recommendation rests on (its latest of the
    year), linked so the employee can object to it through the assessment's own path."""
    from kinerja.assessment.models import Assessment

    from .choices import Action

    if rec.action not in {Action.PEMBINAAN, Action.RUJUKAN, Action.MUTASI, Action.PIAGAM}:
        return None
    return (
        Assessment.objects.filter(employee_id=rec.employee_id, status="final", year=rec.year)
        .order_by("-period")
        .first()
    )


def discipline_visible_to(user: User) -> QuerySet[DisciplineRecord]:
    return DisciplineRecord.objects.filter(
        access.employee_filter(user, "employee__")
    ).select_related("employee", "employee__unit")


def coaching_visible_to(user: User) -> QuerySet[CoachingPlan]:
    return CoachingPlan.objects.filter(access.employee_filter(user, "employee__")).select_related(
        "employee", "supervisor"
    )


def coaching_get_for_user(*, user: User, pk: int) -> CoachingPlan:
    found = coaching_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def tpp_lines_visible_to(user: User) -> QuerySet[TppLine]:
    return TppLine.objects.filter(access.tpp_line_filter(user)).select_related(
        "tpp_month", "employee", "opd"
    )


def tpp_line_get_for_user(*, user: User, pk: int) -> TppLine:
    found = tpp_lines_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def tpp_month_get(year: int, month: int) -> TppMonth:
    found = TppMonth.objects.filter(year=year, month=month).first()
    if found is None:
        raise Http404
    return found


def opd_get_for_tpp(*, user: User, opd_id: int) -> Unit:
    opd = Unit.objects.filter(pk=opd_id, parent__isnull=True).first()
    if opd is None or not access.can_read_tpp_opd(user, opd.pk):
        raise Http404
    return opd


@dataclass
class OpdTotal:
    opd: Unit
    lines: int
    total: Decimal
    reviewed: Any = None


def tpp_month_opds(tpp_month: TppMonth, user: User) -> list[OpdTotal]:
    """Per OPD: number of lines, total to pay, review — the OPDs `user` may read."""
    rows = tpp_month.lines.values("opd_id").annotate(n=Count("id"), total=Sum("total"))
    reviews = {r.opd_id: r for r in tpp_month.reviews.select_related("reviewed_by")}
    opds = {u.pk: u for u in Unit.objects.filter(pk__in=[r["opd_id"] for r in rows])}
    result = [
        OpdTotal(opds[r["opd_id"]], r["n"], r["total"] or Decimal(0), reviews.get(r["opd_id"]))
        for r in rows
        if access.can_read_tpp_opd(user, r["opd_id"])
    ]
    return sorted(result, key=lambda o: o.opd.name)


def attendance_months_visible_to(user: User, year: int, month: int) -> QuerySet[AttendanceMonth]:
    return (
        AttendanceMonth.objects.filter(year=year, month=month)
        .filter(access.employee_filter(user, "employee__"))
        .select_related("employee", "employee__unit")
        .order_by("employee__name")
    )


# --- Recognition ---


def tmt_cpns(employee: Employee) -> date | None:
    """TMT CPNS from NIP digits 9–14 (DOMAIN §9; the employee record holds no exact date)."""
    try:
        nip = parse_nip(employee.nip)
    except InvalidNip:
        return None
    return date(nip.appointment_year, nip.appointment_month, 1)


SATYALANCANA_DOCUMENTS = [
    "Salinan SK CPNS",
    "Salinan SK pangkat terakhir",
    "Salinan SK jabatan terakhir",
    "Surat pernyataan tidak pernah dijatuhi hukuman disiplin dari kepala OPD",
]


@dataclass
class SatyalancanaRow:
    employee: Employee
    years: int
    tmt: date
    documents: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return {10: "X (perunggu)", 20: "XX (perak)", 30: "XXX (emas)"}[self.years]


def satyalancana_candidates(user: User, year: int) -> list[SatyalancanaRow]:
    """PNS reaching 10, 20 or 30 years of service in `year` with no Sedang/Berat punishment
    (DOMAIN §9), visible to `user`; the system lists, BKPSDM proposes."""
    employees = list(
        Employee.objects.filter(is_active=True, status="pns")
        .filter(access.employee_filter(user))
        .select_related("unit", "position")
        .order_by("name")
    )
    punished = services.heavy_punishment_ids(e.pk for e in employees)
    rows = []
    for e in employees:
        tmt = tmt_cpns(e)
        if tmt is None:
            continue
        years = satyalancana_due_in(
            tmt_cpns=tmt, year=year, sedang_or_berat_punishment=e.pk in punished
        )
        if years is None:
            continue
        documents = list(SATYALANCANA_DOCUMENTS)
        if years > 10:
            documents.append(f"Salinan Keppres Satyalancana Karya Satya {years - 10} tahun")
        rows.append(SatyalancanaRow(e, years, tmt, documents))
    return rows


@dataclass
class RankingRow:
    employee: Employee
    predikat: Predikat | None
    capaian: Decimal | None
    ikm: Decimal | None
    jp_shortfall: Decimal | None
    punished: bool
    score: int = 0
    factors: list[str] = field(default_factory=list)
    nominated: bool = False


PREDIKAT_POINTS = {
    Predikat.SANGAT_BAIK: 40,
    Predikat.BAIK: 25,
    Predikat.BUTUH_PERBAIKAN: 10,
    Predikat.KURANG: 0,
    Predikat.SANGAT_KURANG: 0,
}


def asn_berprestasi_ranking(opd: Unit, year: int, limit: int = 50) -> list[RankingRow]:
    """A transparent ranking of an OPD's employees for the ASN Berprestasi nomination: the
    annual (else latest) predikat, capaian, the unit's IKM, JP compliance and no punishment,
    each factor shown with its points. Unknown figures score nothing and say "belum tersedia"."""
    from kinerja.assessment.models import Assessment

    employees = {
        e.pk: e
        for e in Employee.objects.filter(is_active=True)
        .filter(Q(unit=opd) | Q(unit__opd=opd))
        .select_related("unit", "position")
    }
    ids = list(employees)
    latest: dict[int, tuple[str, str, Decimal | None]] = {}
    for employee_id, period, predikat_code, capaian in (
        Assessment.objects.filter(employee_id__in=ids, status="final", year=year)
        .order_by("period")
        .values_list("employee_id", "period", "predikat", "capaian")
    ):
        current = latest.get(employee_id)
        if current is None or period.endswith("-TH") or not current[0].endswith("-TH"):
            latest[employee_id] = (period, predikat_code, capaian)
    jp = services.jp_shortfalls(ids, year)
    ikm = services.unit_ikm([opd.pk], year).get(opd.pk)
    facts = services.facts_for(ids, year)
    nominated = set(
        Recognition.objects.filter(
            year=year, kind=RecognitionKind.ASN_BERPRESTASI, employee_id__in=ids
        ).values_list("employee_id", flat=True)
    )
    rows = []
    for pk, e in employees.items():
        period, predikat_value, capaian = latest.get(pk, ("", "", None))
        predikat = Predikat(predikat_value) if predikat_value else None
        shortfall = None if jp is None else jp.get(pk)
        row = RankingRow(e, predikat, capaian, ikm, shortfall, facts[pk].punished)
        points = PREDIKAT_POINTS.get(predikat, 0) if predikat else 0
        row.factors.append(f"Predikat: {predikat.label if predikat else 'belum ada'} (+{points})")
        score = points
        cap_points = min(int(capaian or 0) // 10, 15) if capaian is not None else 0
        row.factors.append(
            f"Capaian: {capaian if capaian is not None else 'belum ada'} (+{cap_points})"
        )
        score += cap_points
        # Mutu A (PermenPANRB 14/2017, kinerja.rules.skm.mutu) +10, any other known IKM +5.
        ikm_points = 0 if ikm is None else 10 if mutu(ikm) is Mutu.A else 5
        row.factors.append(
            f"IKM unit: {ikm if ikm is not None else 'belum tersedia'} (+{ikm_points})"
        )
        score += ikm_points
        if shortfall is None:
            row.factors.append("JP: belum tersedia (+0)")
        else:
            jp_points = 15 if shortfall <= 0 else 0
            row.factors.append(f"Kekurangan JP: {shortfall} (+{jp_points})")
            score += jp_points
        discipline_points = 0 if row.punished else 20
        row.factors.append(
            f"Hukuman disiplin: {'ada' if row.punished else 'tidak ada'} (+{discipline_points})"
        )
        row.score = score + discipline_points
        row.nominated = pk in nominated
        rows.append(row)
    rows.sort(key=lambda r: (-r.score, r.employee.name))
    return rows[:limit]


def recognitions_on_wall(limit: int = 60) -> QuerySet[Recognition]:
    return (
        Recognition.objects.filter(wall_consent=True)
        .select_related("employee", "employee__unit")
        .order_by("-issued_at")[:limit]
    )


def recognition_get_for_user(*, user: User, pk: int) -> Recognition:
    found = (
        Recognition.objects.filter(pk=pk)
        .filter(access.employee_filter(user, "employee__"))
        .select_related("employee", "employee__unit", "employee__position")
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- Fairness (Inspektorat, BKPSDM) ---


@dataclass
class FairnessRow:
    opd: Unit
    decided: int = 0
    rejected: int = 0
    rewards: int = 0
    employees: int = 0
    disagreements: int = 0
    flags: list[str] = field(default_factory=list)

    @property
    def rejected_share(self) -> float:
        return self.rejected / self.decided if self.decided else 0.0

    @property
    def reward_share(self) -> float:
        return self.rewards / self.employees if self.employees else 0.0


def fairness(year: int) -> tuple[list[FairnessRow], dict[str, float]]:
    """Per OPD: how often recommendations were rejected, how concentrated rewards are, and TPP
    lines whose performance factor disagrees with the predikat's configured factor. An OPD is
    flagged when its share is far (≥ 25 points, or twice) above the regency's."""
    opds = {u.pk: u for u in Unit.objects.filter(parent__isnull=True)}
    rows = {pk: FairnessRow(opd) for pk, opd in opds.items()}
    for opd_id, status, n in (
        Recommendation.objects.filter(year=year)
        .exclude(status=RecommendationStatus.PENDING)
        .values_list("opd_id", "status")
        .annotate(n=Count("id"))
    ):
        if opd_id in rows:
            rows[opd_id].decided += n
            if status == RecommendationStatus.REJECTED:
                rows[opd_id].rejected += n
    for opd_id, n in (
        Recognition.objects.filter(year=year)
        .values_list("recommendation__opd_id")
        .annotate(n=Count("id"))
    ):
        if opd_id in rows:
            rows[opd_id].rewards += n
    for opd_id, n in (
        Employee.objects.filter(is_active=True).values_list("unit__opd_id").annotate(n=Count("id"))
    ):
        if opd_id in rows:
            rows[opd_id].employees += n
    factors = DEFAULT_TPP.performance_factors
    disagree: Counter[int] = Counter()
    for opd_id, predikat, factor in TppLine.objects.filter(
        tpp_month__year=year, kind=TppLineKind.REGULAR
    ).values_list("opd_id", "predikat", "performance_factor"):
        if predikat and factors[Predikat(predikat)] != factor:
            disagree[opd_id] += 1
    decided = sum(r.decided for r in rows.values())
    rejected = sum(r.rejected for r in rows.values())
    rewards = sum(r.rewards for r in rows.values())
    employees = sum(r.employees for r in rows.values())
    regency = {
        "rejected": rejected / decided if decided else 0.0,
        "rewards": rewards / employees if employees else 0.0,
    }
    for pk, row in rows.items():
        row.disagreements = disagree.get(pk, 0)
        if row.decided >= 3 and row.rejected_share >= max(
            regency["rejected"] + 0.25, 2 * regency["rejected"]
        ):
            row.flags.append("Rekomendasi jauh lebih sering ditolak daripada rata-rata kabupaten.")
        if row.rewards >= 3 and row.reward_share >= max(
            regency["rewards"] + 0.25, 2 * regency["rewards"]
        ):
            row.flags.append("Penghargaan terpusat di OPD ini.")
        if row.disagreements:
            row.flags.append(
                f"{row.disagreements} baris TPP dengan faktor kinerja yang tidak sesuai predikat."
            )
    ordered = sorted(rows.values(), key=lambda r: (-len(r.flags), r.opd.name))
    return [r for r in ordered if r.decided or r.rewards or r.flags], regency


def recognition_counts_by_kind(year: int) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for kind, n in (
        Recognition.objects.filter(year=year).values_list("kind").annotate(n=Count("id"))
    ):
        counts[str(RecognitionKind(kind).label)] = n
    return dict(counts)
