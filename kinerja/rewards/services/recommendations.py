"""Follow-up rules → recommendations → decisions: the facts the rules see, the idempotent rules
run, the official's decision and its effect (a Piagam or nomination, a coaching plan, a
disciplinary record, a mandatory training published as "training.required"), and BKPSDM's
changes to a rule."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kinerja.core import events, figures
from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.calendar import holidays
from kinerja.core.notifications import notify
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User
from kinerja.rules import followup
from kinerja.rules.calendar import add_months
from kinerja.rules.discipline import longest_run
from kinerja.rules.enums import Predikat
from kinerja.rules.periods import parse_period

from ..choices import (
    Action,
    AttendanceStatus,
    CoachingStatus,
    RecognitionKind,
    RecommendationStatus,
)
from ..models import (
    AttendanceDay,
    AttendanceMonth,
    CoachingPlan,
    DisciplineRecord,
    FollowUpRule,
    Recognition,
    Recommendation,
)
from .checks import _require, _text
from .discipline import discipline_record_create
from .recognition import piagam_issue

COACHING_MONTHS = 6  # the improvement period before re-testing (DOMAIN §1)


# --- Follow-up rules → recommendations ---


def condition_of(rule: FollowUpRule) -> followup.Condition:
    p = rule.parameters or {}
    return followup.Condition(
        kind=rule.condition,
        predikat=frozenset(Predikat(v) for v in p.get("predikat", [])),
        periods=int(p.get("periods", 1)),
        count=int(p.get("count", 1)),
        no_punishment=bool(p.get("no_punishment", False)),
        jp_compliant=bool(p.get("jp_compliant", False)),
        min_ikm=Decimal(str(p["min_ikm"])) if p.get("min_ikm") not in (None, "") else None,
    )


def jp_shortfalls(employee_ids: Sequence[int], year: int) -> dict[int, Decimal] | None:
    """JP shortfall per employee through the figures seam ("competency.jp"); None when the
    competency app does not provide it (unknown, never zero)."""
    totals = figures.value("competency.jp", employee_ids=list(employee_ids), year=year)
    if totals is None:
        return None
    return {pk: Decimal(t.shortfall_jp) for pk, t in totals.items()}


def facts_for(
    employee_ids: Sequence[int], year: int, *, scope: Any = None
) -> dict[int, followup.Facts]:
    """What the rules see of each employee in `year`, gathered in a fixed number of queries.
    `scope` (a queryset of employee pks) replaces the id list in the queries when given, so that
    a whole regency is not sent as a list of ids."""
    from kinerja.assessment.models import Assessment

    wanted: Any = employee_ids if scope is None else scope

    periodic: dict[int, list[tuple[str, str, Predikat]]] = defaultdict(list)
    annual: dict[int, tuple[str, str, Predikat]] = {}
    for employee_id, code, predikat in (
        Assessment.objects.filter(employee_id__in=wanted, status="final", year=year)
        .order_by("period")
        .values_list("employee_id", "period", "predikat")
    ):
        period = parse_period(code)
        item = (code, period.label, Predikat(predikat))
        if period.is_annual:
            annual[employee_id] = item
        else:
            periodic[employee_id].append(item)
    absence: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for employee_id, count in AttendanceMonth.objects.filter(
        employee_id__in=wanted, year=year
    ).values_list("employee_id", "unexcused_days"):
        absence[employee_id][0] += count
    # The longest run ending in the year, from the days themselves: a run across a month's end
    # (26 January – 6 February) is one run, not two of five, and one begun in December goes on
    # into January (PP 94/2021 Pasal 11; DOMAIN §5). Read only for the people absent this year.
    absent_days: dict[int, list[date]] = defaultdict(list)
    absentees = [pk for pk, (count, _) in absence.items() if count]
    for employee_id, day in (
        AttendanceDay.objects.filter(
            employee_id__in=absentees if len(absentees) <= 2000 else wanted,
            day__range=(date(year - 1, 12, 1), date(year, 12, 31)),
            status=AttendanceStatus.TANPA_KETERANGAN,
        )
        .order_by()
        .values_list("employee_id", "day")
    ):
        absent_days[employee_id].append(day)
    free_days, first_day = holidays(), date(year, 1, 1)
    for employee_id, absent in absent_days.items():
        absence[employee_id][1] = longest_run(absent, free_days, ending_from=first_day)
    first, last = date(year, 1, 1), date(year, 12, 31)
    punished = set(
        DisciplineRecord.objects.filter(employee_id__in=wanted)
        .filter(
            Q(decree_date__range=(first, last))
            | (
                Q(effective_from__lte=last)
                & (Q(effective_to__isnull=True) | Q(effective_to__gte=first))
            )
        )
        .values_list("employee_id", flat=True)
    )
    failed: dict[int, int] = defaultdict(int)
    for employee_id in CoachingPlan.objects.filter(
        employee_id__in=wanted, status=CoachingStatus.FAILED
    ).values_list("employee_id", flat=True):
        failed[employee_id] += 1
    jp = jp_shortfalls(employee_ids, year)
    result = {}
    for pk in employee_ids:
        days, run = absence.get(pk, [0, 0])
        result[pk] = followup.Facts(
            year=year,
            periodic=tuple(periodic.get(pk, ())),
            annual=annual.get(pk),
            unexcused_days=days,
            longest_unexcused_run=run,
            punished=pk in punished,
            jp_shortfall=None if jp is None else jp.get(pk),
            failed_coaching=failed.get(pk, 0),
        )
    return result


def unit_ikm(opd_ids: Iterable[int], year: int) -> dict[int, Decimal | None]:
    """The IKM of each OPD through the figures seam ("public.ikm"); None when unknown."""
    return {pk: figures.value("public.ikm", opd_id=pk, year=year) for pk in set(opd_ids)}


@dataclass
class RunReport:
    created: int = 0
    existing: int = 0
    evaluated: int = 0
    not_evaluated: dict[str, tuple[int, str]] = field(default_factory=dict)

    def summary(self) -> str:
        text = (
            f"Aturan dijalankan: {self.created} rekomendasi baru, "
            f"{self.existing} sudah ada sebelumnya."
        )
        for name, (count, reason) in self.not_evaluated.items():
            text += f" Aturan “{name}” tidak dievaluasi untuk {count} pegawai: {reason}"
        return text


@transaction.atomic
def rules_run(*, year: int, by: User, employee_ids: Sequence[int] | None = None) -> RunReport:
    """Evaluate every active follow-up rule over the employees' facts of `year` and create a
    recommendation for each rule that triggers. Each recommendation has an idempotent key
    (rule, employee, scope of the facts), so running again never duplicates; a rule whose figure
    is unknown is not evaluated and the report says so."""
    _require(access.can_manage_rewards(by), "Hanya BKPSDM yang menjalankan aturan tindak lanjut.")
    rules = list(FollowUpRule.objects.filter(is_active=True))
    employees = Employee.objects.filter(is_active=True)
    if employee_ids is not None:
        employees = employees.filter(pk__in=list(employee_ids))
    people = list(employees.values_list("pk", "unit__opd_id", "unit_id"))
    ids = [p[0] for p in people]
    opd_of = {pk: opd or unit for pk, opd, unit in people}
    facts = facts_for(ids, year, scope=employees.values("pk"))
    needs_ikm = any(rule.parameters.get("min_ikm") not in (None, "") for rule in rules)
    ikm = unit_ikm(opd_of.values(), year) if needs_ikm else {}
    conditions = {rule.pk: condition_of(rule) for rule in rules}
    report = RunReport()
    candidates: list[Recommendation] = []
    now = timezone.now()
    for rule in rules:
        unknown = 0
        reason = ""
        for pk in ids:
            base = facts[pk]
            if needs_ikm:
                base = followup.Facts(**{**base.__dict__, "ikm": ikm.get(opd_of[pk])})
            outcome = followup.evaluate(conditions[rule.pk], base)
            report.evaluated += 1
            if outcome.triggered is None:
                unknown += 1
                reason = outcome.facts[-1] if outcome.facts else ""
                continue
            if not outcome.triggered:
                continue
            parameters = dict(rule.action_parameters or {})
            if outcome.punishment_kind:
                parameters["punishment_kind"] = outcome.punishment_kind
            candidates.append(
                Recommendation(
                    key=f"{rule.code}:{pk}:{outcome.scope}"[:200],
                    rule=rule,
                    action=rule.action,
                    employee_id=pk,
                    opd_id=opd_of[pk],
                    year=year,
                    facts=list(outcome.facts),
                    parameters=parameters,
                    created_at=now,
                )
            )
        if unknown:
            report.not_evaluated[rule.name] = (unknown, reason)
    keys = [c.key for c in candidates]
    existing = set()
    for start in range(0, len(keys), 900):
        existing |= set(
            Recommendation.objects.filter(key__in=keys[start : start + 900]).values_list(
                "key", flat=True
            )
        )
    new = [c for c in candidates if c.key not in existing]
    Recommendation.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    report.created = len(new)
    report.existing = len(candidates) - len(new)
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        object_type="rewards.rules_run",
        object_repr=f"Aturan tindak lanjut {year}",
        changes={"created": report.created, "existing": report.existing},
    )
    return report


@transaction.atomic
def recommendation_decide(
    *,
    recommendation: Recommendation,
    by: User,
    accept: bool,
    reason: str,
    official: str,
    decree_number: str = "",
    decree_date: date | None = None,
    effective_from: date | None = None,
    effective_to: date | None = None,
) -> Recommendation:
    """The authorised official decides a recommendation (no sanction without this decision).
    Accepting gives it effect: a Piagam or nomination, a 6-month coaching plan, a disciplinary
    record (with its TPP cut), or a mandatory training published to the competency app. The
    employee is notified and sees the facts and the rule it rests on."""
    rec = (
        Recommendation.objects.select_for_update()
        .select_related("rule", "employee")
        .get(pk=recommendation.pk)
    )
    _require(rec.is_pending, "Rekomendasi ini sudah diputuskan.")
    _require(
        access.can_decide_recommendation(by, rec),
        "Anda tidak berwenang memutuskan rekomendasi ini.",
    )
    rec.decision_reason = _text(reason, "Alasan keputusan")
    rec.official = _text(official, "Pejabat yang memutuskan", limit=200)
    rec.decree_number = (decree_number or "").strip()[:100]
    rec.decree_date = decree_date
    rec.effective_from = effective_from
    rec.effective_to = effective_to
    if effective_from and effective_to:
        _require(
            effective_to >= effective_from, "Tanggal akhir berlaku harus sesudah tanggal mulai."
        )
    needs_decree = rec.action in {Action.HUKUMAN, Action.MUTASI, Action.PIAGAM}
    if accept and needs_decree:
        _require(
            bool(rec.decree_number and rec.decree_date),
            "Nomor dan tanggal SK wajib diisi untuk keputusan ini.",
        )
    if accept and rec.action in {Action.HUKUMAN, Action.PEMBINAAN}:
        _require(effective_from is not None, "Tanggal mulai berlaku wajib diisi.")
    rec.status = RecommendationStatus.ACCEPTED if accept else RecommendationStatus.REJECTED
    rec.decided_by = by
    rec.decided_at = timezone.now()
    rec.save()
    if accept:
        _give_effect(rec, by)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=rec,
        changes={
            "status": rec.status,
            "reason": rec.decision_reason,
            "decree_number": rec.decree_number,
            "official": rec.official,
        },
    )
    verdict = "diterima" if accept else "ditolak"
    notify(
        recipient=rec.employee,
        message=f"Keputusan tindak lanjut: {rec.get_action_display()} — {verdict}. "
        "Lihat dasar keputusannya.",
        url=reverse("rewards:recommendation_detail", args=[rec.pk]),
    )
    return rec


def _give_effect(rec: Recommendation, by: User) -> None:
    employee = rec.employee
    today = timezone.localdate()
    if rec.action in {Action.PIAGAM, Action.ASN_BERPRESTASI}:
        kind = (
            RecognitionKind.PIAGAM
            if rec.action == Action.PIAGAM
            else RecognitionKind.ASN_BERPRESTASI
        )
        title = (
            f"Piagam Penghargaan Kinerja Tahun {rec.year}"
            if kind == RecognitionKind.PIAGAM
            else f"Nominasi ASN Berprestasi Tahun {rec.year}"
        )
        recognition = Recognition.objects.create(
            employee=employee,
            kind=kind,
            title=title,
            year=rec.year,
            recommendation=rec,
            decree_number=rec.decree_number,
            issued_at=timezone.now(),
        )
        if kind == RecognitionKind.PIAGAM:
            piagam_issue(recognition=recognition, by=by)
    elif rec.action == Action.PEMBINAAN:
        starts = rec.effective_from or today
        CoachingPlan.objects.create(
            employee=employee,
            supervisor_id=employee.supervisor_id,
            recommendation=rec,
            goals="Meningkatkan kinerja sampai sesuai ekspektasi. Dasar: " + " ".join(rec.facts),
            starts=starts,
            ends=rec.effective_to or add_months(starts, COACHING_MONTHS),
            created_at=timezone.now(),
        )
        notify(
            recipient=employee.supervisor,
            message=f"Rencana pembinaan 6 bulan untuk {employee.full_name} dimulai; "
            "catat sesi dan hasilnya.",
            url=reverse("rewards:coaching_list"),
        )
    elif rec.action == Action.HUKUMAN:
        assert rec.decree_date is not None and rec.effective_from is not None
        discipline_record_create(
            employee=employee,
            kind=rec.parameters.get("punishment_kind", ""),
            reason=" ".join(rec.facts),
            decree_number=rec.decree_number,
            decree_date=rec.decree_date,
            effective_from=rec.effective_from,
            official=rec.official,
            by=by,
            recommendation=rec,
        )
    elif rec.action == Action.PELATIHAN:
        employee_id = employee.pk
        data = {
            "year": rec.year,
            "tag": str(rec.parameters.get("tag", "pengembangan-kompetensi")),
            "reason": "Pelatihan wajib: " + " ".join(rec.facts),
            "source": f"rewards:decision:{rec.pk}",
        }
        transaction.on_commit(
            lambda: events.publish("training.required", employee_id=employee_id, **data)
        )


@transaction.atomic
def rule_update(
    *,
    rule: FollowUpRule,
    by: User,
    name: str,
    explanation: str,
    is_active: bool,
    parameters: dict[str, Any],
    action_parameters: dict[str, Any],
) -> FollowUpRule:
    """BKPSDM changes a follow-up rule (the policy is data). The condition is checked by
    kinerja.rules.followup before anything is saved; recommendations already made keep the
    facts they were made on."""
    _require(access.can_manage_rewards(by), "Hanya BKPSDM yang mengubah aturan tindak lanjut.")
    rule = FollowUpRule.objects.select_for_update().get(pk=rule.pk)
    before = {
        "name": rule.name,
        "explanation": rule.explanation,
        "is_active": rule.is_active,
        "parameters": rule.parameters,
        "action_parameters": rule.action_parameters,
    }
    rule.name = _text(name, "Nama aturan", limit=200)
    rule.explanation = _text(explanation, "Penjelasan")
    rule.is_active = is_active
    rule.parameters = parameters
    rule.action_parameters = action_parameters
    try:
        condition_of(rule)
    except (ValueError, TypeError, KeyError, ArithmeticError) as exc:
        raise ValidationError(f"Parameter kondisi tidak valid: {exc}") from exc
    rule.save()
    after = {**before, "name": rule.name, "explanation": rule.explanation}
    after.update(is_active=is_active, parameters=parameters, action_parameters=action_parameters)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=rule,
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
    )
    return rule
