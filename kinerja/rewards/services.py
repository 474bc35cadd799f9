"""Writes of the rewards app: discipline records, the TPP base table, the monthly TPP
(calculate → review per OPD → approve → lock), follow-up rules → recommendations → decisions,
coaching plans and recognitions. Keyword-only, atomic, audited; notifications and events after
commit. Every number comes from kinerja.rules (discipline, incentives, followup).

Notifications sent here (for kinerja.adoption's channels and reminders, by their message):
a decision on a recommendation (to the employee), a disciplinary record (to the employee), a
coaching plan started (to the supervisor) and its outcome (to the employee), a TPP month
locked ("Slip TPP … sudah final", to every employee in it). Event published:
"training.required" after an accepted mandatory training (BKPSDM brief, contract 2)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kinerja.core import events, figures
from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.notifications import notify, unread_changed
from kinerja.core.numbers import format_number
from kinerja.core.verification import document_issue
from kinerja.organisation import access
from kinerja.organisation.models import Employee, EmployeeHistory, Position, Unit, User
from kinerja.rules import followup
from kinerja.rules.calendar import add_months, month_bounds, month_label
from kinerja.rules.discipline import (
    DEFAULT_ATTENDANCE,
    AttendanceConfig,
    discipline_factor,
    punishment_by_kind,
    punishment_months,
)
from kinerja.rules.enums import Predikat
from kinerja.rules.incentives import DEFAULT_TPP, TppBreakdown, TppConfig, tpp
from kinerja.rules.periods import parse_period

from .choices import (
    Action,
    CoachingStatus,
    RecognitionKind,
    RecommendationStatus,
    TppLineKind,
    TppStatus,
)
from .models import (
    AttendanceMonth,
    CoachingPlan,
    CoachingSession,
    DisciplineRecord,
    FollowUpRule,
    Recognition,
    Recommendation,
    TppBaseAmount,
    TppLine,
    TppMonth,
    TppOpdReview,
)

COACHING_MONTHS = 6  # the improvement period before re-testing (DOMAIN §1)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _text(value: str | None, label: str, *, required: bool = True, limit: int = 2000) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(f"{label} wajib diisi.")
    if len(text) > limit:
        raise ValidationError(f"{label} terlalu panjang (maksimal {limit} karakter).")
    return text


# --- Discipline (PP 94/2021) ---


@transaction.atomic
def discipline_record_create(
    *,
    employee: Employee,
    kind: str,
    reason: str,
    decree_number: str,
    decree_date: date,
    effective_from: date,
    official: str,
    by: User,
    recommendation: Recommendation | None = None,
) -> DisciplineRecord:
    """Record a punishment decided by the authorised official. Its effective period follows from
    its kind (PP 94/2021 Pasal 8: 6, 9 or 12 months; none for a reprimand or dismissal), and a
    Sedang punishment cuts the TPP by 25% in each of its months (DOMAIN §6)."""
    _require(access.can_manage_rewards(by), "Hanya BKPSDM yang mencatat hukuman disiplin.")
    try:
        punishment = punishment_by_kind(kind)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    effective_to = None
    if punishment.months:
        _first, effective_to = punishment_months(effective_from, punishment.months)
    record = DisciplineRecord.objects.create(
        employee=employee,
        level=punishment.level,
        kind=punishment.kind,
        reason=_text(reason, "Pelanggaran"),
        decree_number=_text(decree_number, "Nomor SK", limit=100),
        decree_date=decree_date,
        effective_from=effective_from,
        effective_to=effective_to,
        tpp_cut_percent=punishment.tpp_cut_percent,
        official=_text(official, "Pejabat yang menjatuhkan", limit=200),
        recommendation=recommendation,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=record,
        changes={
            "kind": record.kind,
            "decree_number": record.decree_number,
            "effective_from": str(effective_from),
            "effective_to": str(effective_to or ""),
        },
    )
    notify(
        recipient=employee,
        message=f"Hukuman disiplin dicatat: {punishment.label} (SK {record.decree_number}).",
        url=reverse("rewards:discipline_list"),
    )
    return record


def heavy_punishment_ids(employee_ids: Iterable[int] | None = None) -> set[int]:
    """Employees who ever received a Sedang or Berat punishment (Satyalancana, DOMAIN §9)."""
    rows = DisciplineRecord.objects.filter(level__in=["sedang", "berat"])
    if employee_ids is not None:
        rows = rows.filter(employee_id__in=list(employee_ids))
    return set(rows.values_list("employee_id", flat=True))


# --- TPP base table ---


@transaction.atomic
def tpp_base_set(
    *, kelas: int, amount: Decimal, effective_from: date, by: User, note: str = ""
) -> TppBaseAmount:
    """Set the base amount of a kelas jabatan from a date (the Perbup's table; DOMAIN §6). A row
    for the same kelas and date is replaced; earlier rows stay as history. Locked months keep the
    base stored on their lines."""
    _require(access.can_manage_rewards(by), "Hanya BKPSDM yang mengubah besaran dasar TPP.")
    _require(isinstance(kelas, int) and 1 <= kelas <= 17, "Kelas jabatan harus 1 sampai 17.")
    _require(amount is not None and amount >= 0, "Besaran dasar tidak boleh negatif.")
    _require(amount == amount.to_integral_value(), "Besaran dasar dalam rupiah bulat.")
    row = TppBaseAmount.objects.filter(kelas=kelas, effective_from=effective_from).first()
    before = str(row.amount) if row else None
    if row is None:
        row = TppBaseAmount(kelas=kelas, effective_from=effective_from)
    row.amount = amount
    row.note = (note or "").strip()[:300]
    row.set_by = by
    row.set_at = timezone.now()
    row.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=row,
        changes={"amount": [before, str(amount)], "effective_from": str(effective_from)},
    )
    return row


def bases_on(day: date) -> dict[int, Decimal]:
    """The base amount per kelas in force on `day`: the latest row not after it."""
    result: dict[int, Decimal] = {}
    for kelas, amount in (
        TppBaseAmount.objects.filter(effective_from__lte=day)
        .order_by("kelas", "effective_from")
        .values_list("kelas", "amount")
    ):
        result[kelas] = amount
    return result


# --- Monthly TPP (PP 12/2019 Pasal 58; DOMAIN §6) ---


def _config_json(config: TppConfig, attendance: AttendanceConfig) -> dict[str, Any]:
    return {
        "performance_weight": str(config.performance_weight),
        "discipline_weight": str(config.discipline_weight),
        "performance_factors": {p.value: str(v) for p, v in config.performance_factors.items()},
        "bands": [[b.up_to_minutes, str(b.percent)] for b in attendance.bands],
        "no_record_percent": str(attendance.no_record_percent),
        "unexcused_percent": str(attendance.unexcused_percent),
    }


def config_from_json(data: dict[str, Any]) -> tuple[TppConfig, AttendanceConfig]:
    """The configuration a month was calculated with (stored on the month): reproducibility."""
    from kinerja.rules.discipline import CutBand

    if not data:
        return DEFAULT_TPP, DEFAULT_ATTENDANCE
    config = TppConfig(
        performance_weight=Decimal(data["performance_weight"]),
        discipline_weight=Decimal(data["discipline_weight"]),
        performance_factors={
            Predikat(k): Decimal(v) for k, v in data["performance_factors"].items()
        },
    )
    attendance = AttendanceConfig(
        bands=tuple(CutBand(m, Decimal(p)) for m, p in data["bands"]),
        no_record_percent=Decimal(data["no_record_percent"]),
        unexcused_percent=Decimal(data["unexcused_percent"]),
    )
    return config, attendance


def _month_start_moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def positions_on(employee_ids: Sequence[int], day: date) -> dict[int, tuple[int, int]]:
    """(position id, unit id) of each employee on `day` (00:00), from the reporting-line history:
    the record open at that moment; before the first record, the first one. A mid-month change
    therefore takes effect in the following month (DOMAIN §6: the base of the first day)."""
    moment = _month_start_moment(day)
    chosen: dict[int, tuple[datetime, int, int, bool]] = {}
    rows = (
        EmployeeHistory.objects.filter(employee_id__in=employee_ids)
        .order_by("employee_id", "valid_from", "id")
        .values_list("employee_id", "valid_from", "valid_to", "position_id", "unit_id")
    )
    for employee_id, valid_from, valid_to, position_id, unit_id in rows:
        covers = valid_from <= moment and (valid_to is None or valid_to > moment)
        current = chosen.get(employee_id)
        if current is None or (covers and not current[3]):
            chosen[employee_id] = (valid_from, position_id, unit_id, covers)
        elif not current[3] and valid_from <= moment:
            chosen[employee_id] = (valid_from, position_id, unit_id, False)
    return {k: (v[1], v[2]) for k, v in chosen.items()}


@dataclass(frozen=True)
class PredikatBasis:
    period: str
    label: str
    predikat: Predikat


def predikat_for_month(
    employee_ids: Sequence[int], year: int, month: int
) -> dict[int, PredikatBasis]:
    """The predikat the month's TPP uses (DOMAIN §6 default): the latest finalised periodic
    result whose period ended on or before the month's last day — the month's own assessment
    where the regency assesses monthly. An annual result is used only without a periodic one."""
    from kinerja.assessment.models import Assessment

    _first, last = month_bounds(year, month)
    best: dict[int, tuple[tuple[date, int], PredikatBasis]] = {}
    rows = Assessment.objects.filter(
        employee_id__in=employee_ids, status="final", year__gte=year - 1, year__lte=year
    ).values_list("employee_id", "period", "predikat")
    for employee_id, code, predikat in rows:
        period = parse_period(code)
        if period.end > last or not predikat:
            continue
        rank = (period.end, 0 if period.is_annual else 1)
        current = best.get(employee_id)
        if current is None or rank > current[0]:
            best[employee_id] = (rank, PredikatBasis(code, period.label, Predikat(predikat)))
    return {k: v[1] for k, v in best.items()}


def cuts_for_month(
    employee_ids: Sequence[int], year: int, month: int
) -> dict[int, tuple[Decimal, str]]:
    """The disciplinary TPP cut in force in the month (the largest if several) and its basis."""
    first, last = month_bounds(year, month)
    result: dict[int, tuple[Decimal, str]] = {}
    for record in DisciplineRecord.objects.filter(
        employee_id__in=employee_ids, tpp_cut_percent__gt=0, effective_from__lte=last
    ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=first)):
        current = result.get(record.employee_id)
        if current is None or record.tpp_cut_percent > current[0]:
            result[record.employee_id] = (
                record.tpp_cut_percent,
                f"{record.get_kind_display()}, SK {record.decree_number}",
            )
    return result


def _pct(value: Decimal) -> str:
    """1.50 → "1,5%", 100.00 → "100%" (Indonesian decimal comma, no trailing zeros)."""
    return f"{format_number(value)}%"


def explain_line(line: TppLine) -> str:
    """The slip's explanation in plain Indonesian (e.g. "Faktor kinerja 100% karena predikat
    Baik; potongan kehadiran 1,5% karena terlambat 2 kali")."""
    if line.kind == TppLineKind.CORRECTION:
        return f"Koreksi TPP bulan {line.corrects}: {line.reason}"
    predikat = Predikat(line.predikat).label
    parts = [
        f"Faktor kinerja {_pct(line.performance_factor * 100)} karena predikat {predikat} "
        f"({line.predikat_period})"
    ]
    a = line.attendance
    cut = Decimal(100) - line.discipline_factor
    reasons = []
    late = [m for m in a.get("late", []) if m]
    early = [m for m in a.get("early", []) if m]
    if late:
        reasons.append(f"terlambat {len(late)} kali")
    if early:
        reasons.append(f"pulang cepat {len(early)} kali")
    if a.get("missing"):
        reasons.append(f"tanpa rekam kehadiran {a['missing']} hari")
    if a.get("unexcused"):
        reasons.append(f"tidak masuk tanpa keterangan {a['unexcused']} hari")
    if reasons:
        parts.append(f"potongan kehadiran {_pct(cut)} karena " + ", ".join(reasons))
    else:
        parts.append("tanpa potongan kehadiran (faktor disiplin 100%)")
    if line.cut_percent:
        parts.append(
            f"dipotong {_pct(line.cut_percent)} karena hukuman disiplin ({line.cut_source})"
        )
    return "; ".join(parts) + "."


def recompute_line(
    line: TppLine, config: TppConfig | None = None, attendance: AttendanceConfig | None = None
) -> TppBreakdown:
    """Recompute a stored line from its stored inputs (reproducibility check)."""
    if config is None or attendance is None:
        config, attendance = config_from_json(line.tpp_month.config)
    a = line.attendance
    factor = discipline_factor(
        late_minutes=a.get("late", []),
        early_minutes=a.get("early", []),
        missing_records=a.get("missing", 0),
        unexcused_days=a.get("unexcused", 0),
        config=attendance,
    )
    return tpp(
        base=line.base,
        predikat=Predikat(line.predikat),
        discipline_factor=factor / 100,
        cut_percent=line.cut_percent,
        config=config,
    )


@transaction.atomic
def tpp_calculate(
    *,
    year: int,
    month: int,
    by: User,
    config: TppConfig = DEFAULT_TPP,
    attendance_config: AttendanceConfig = DEFAULT_ATTENDANCE,
) -> TppMonth:
    """Calculate (or recalculate, while not yet approved) the TPP of every active employee for
    a month: base of the kelas held on the first day, performance factor of the predikat,
    discipline factor of the month's attendance, cut of a Sedang punishment in force; whole
    rupiah rounded down (kinerja.rules.incentives.tpp). Employees whose inputs are incomplete
    are listed as skipped with the reason, never paid on a guess."""
    _require(access.can_manage_rewards(by), "Hanya BKPSDM yang menghitung TPP.")
    _require(1 <= month <= 12 and 2000 <= year <= 2100, "Bulan tidak valid.")
    first, _last = month_bounds(year, month)
    tpp_month = TppMonth.objects.select_for_update().filter(year=year, month=month).first()
    if tpp_month is not None:
        _require(
            tpp_month.status == TppStatus.CALCULATED,
            f"TPP {month_label(year, month)} sudah {tpp_month.get_status_display().lower()}; "
            "tidak dapat dihitung ulang. Koreksi dicatat sebagai baris di bulan berikutnya.",
        )
    now = timezone.now()
    if tpp_month is None:
        tpp_month = TppMonth(year=year, month=month)
    tpp_month.status = TppStatus.CALCULATED
    tpp_month.calculated_at = now
    tpp_month.calculated_by = by
    tpp_month.config = _config_json(config, attendance_config)
    employees = list(
        Employee.objects.filter(is_active=True).values_list(
            "pk", "name", "nip", "position_id", "unit_id"
        )
    )
    # The active employees as a subquery, not a list of 10,000 ids in every query.
    ids: Any = Employee.objects.filter(is_active=True).values("pk")
    placed = positions_on(ids, first)
    positions = {p.pk: p for p in Position.objects.only("name", "kelas")}
    units = {u.pk: u for u in Unit.objects.only("name", "opd_id")}
    bases = bases_on(first)
    predikats = predikat_for_month(ids, year, month)
    attendance = {
        a.employee_id: a
        for a in AttendanceMonth.objects.filter(year=year, month=month, employee_id__in=ids)
    }
    cuts = cuts_for_month(ids, year, month)
    lines: list[TppLine] = []
    skipped: list[dict[str, Any]] = []
    for pk, name, nip, position_id, unit_id in employees:
        position_id, unit_id = placed.get(pk, (position_id, unit_id))
        position, unit = positions[position_id], units[unit_id]
        reason = ""
        base = bases.get(position.kelas)
        basis = predikats.get(pk)
        month_att = attendance.get(pk)
        if base is None:
            reason = f"Besaran dasar TPP kelas {position.kelas} belum ditetapkan."
        elif basis is None:
            reason = "Belum ada hasil penilaian kinerja final."
        elif month_att is None:
            reason = "Data kehadiran bulan ini belum diimpor."
        if reason:
            skipped.append({"employee_id": pk, "name": name, "nip": nip, "reason": reason})
            continue
        assert base is not None and basis is not None and month_att is not None
        factor = discipline_factor(
            late_minutes=month_att.late_items,
            early_minutes=month_att.early_items,
            missing_records=month_att.missing_records,
            unexcused_days=month_att.unexcused_days,
            config=attendance_config,
        )
        cut, cut_source = cuts.get(pk, (Decimal(0), ""))
        result = tpp(
            base=base,
            predikat=basis.predikat,
            discipline_factor=factor / 100,
            cut_percent=cut,
            config=config,
        )
        line = TppLine(
            tpp_month=tpp_month,
            employee_id=pk,
            kind=TppLineKind.REGULAR,
            opd_id=unit.opd_id or unit.pk,
            unit_name=unit.name,
            position_name=position.name,
            kelas=position.kelas,
            base=base,
            predikat=basis.predikat.value,
            predikat_period=basis.label,
            attendance={
                "late": list(month_att.late_items),
                "early": list(month_att.early_items),
                "missing": month_att.missing_records,
                "unexcused": month_att.unexcused_days,
                "present": month_att.days_present,
                "excused": month_att.days_excused,
            },
            discipline_factor=factor,
            cut_percent=cut,
            cut_source=cut_source[:300],
            performance_weight=result.performance_weight,
            discipline_weight=result.discipline_weight,
            performance_factor=result.performance_factor,
            performance_part=result.performance_part.quantize(Decimal("0.01")),
            discipline_part=result.discipline_part.quantize(Decimal("0.01")),
            gross=result.gross.quantize(Decimal("0.01")),
            cut_amount=result.cut_amount.quantize(Decimal("0.01")),
            total=result.total,
        )
        line.explanation = explain_line(line)
        lines.append(line)
    tpp_month.skipped = skipped
    tpp_month.save()
    tpp_month.lines.filter(kind=TppLineKind.REGULAR).delete()
    tpp_month.reviews.all().delete()
    for line in lines:
        line.tpp_month_id = tpp_month.pk  # saved just now
    _insert_lines(lines)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=tpp_month,
        changes={"status": "dihitung", "lines": len(lines), "skipped": len(skipped)},
    )
    return tpp_month


def _insert_lines(lines: Sequence[TppLine]) -> None:
    """Write a month's lines with one prepared statement (the ORM's bulk_create prepares every
    value in Python: seconds at 10,000 lines; bench/rewards.py). Values are passed as plain
    strings and numbers, which SQLite and PostgreSQL both convert to the column's type."""
    import json

    fields = [f for f in TppLine._meta.concrete_fields if not f.primary_key]
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}

    def plain(name: str, value: Any) -> Any:
        if name in json_fields:
            return json.dumps(value)
        if isinstance(value, Decimal):
            return str(value)
        return value

    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(TppLine._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    rows = [tuple(plain(f.attname, getattr(line, f.attname)) for f in fields) for line in lines]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


@transaction.atomic
def tpp_review_opd(*, tpp_month: TppMonth, opd: Unit, by: User, note: str = "") -> TppOpdReview:
    """An OPD confirms it has checked its lines of a calculated month."""
    _require(access.can_review_tpp_opd(by, opd.pk), "Anda tidak berwenang memeriksa TPP OPD ini.")
    tpp_month = TppMonth.objects.select_for_update().get(pk=tpp_month.pk)
    _require(tpp_month.status == TppStatus.CALCULATED, "TPP bulan ini sudah disetujui.")
    review, _created = TppOpdReview.objects.update_or_create(
        tpp_month=tpp_month,
        opd=opd,
        defaults={"reviewed_by": by, "reviewed_at": timezone.now(), "note": (note or "")[:500]},
    )
    audit_record(actor=by, action=AuditAction.UPDATE, obj=review, changes={"reviewed": True})
    return review


def opds_with_lines(tpp_month: TppMonth) -> list[int]:
    return sorted(set(tpp_month.lines.values_list("opd_id", flat=True)))


@transaction.atomic
def tpp_approve(*, tpp_month: TppMonth, by: User) -> TppMonth:
    """BKPSDM approves a calculated month once every OPD with lines has reviewed it."""
    _require(access.can_manage_rewards(by), "Hanya BKPSDM yang menyetujui TPP.")
    tpp_month = TppMonth.objects.select_for_update().get(pk=tpp_month.pk)
    _require(tpp_month.status == TppStatus.CALCULATED, "TPP bulan ini sudah disetujui.")
    reviewed = set(tpp_month.reviews.values_list("opd_id", flat=True))
    missing = [o for o in opds_with_lines(tpp_month) if o not in reviewed]
    _require(
        not missing,
        f"{len(missing)} OPD belum memeriksa TPP bulan ini; persetujuan menunggu pemeriksaan.",
    )
    tpp_month.status = TppStatus.APPROVED
    tpp_month.approved_at = timezone.now()
    tpp_month.approved_by = by
    tpp_month.save(update_fields=["status", "approved_at", "approved_by"])
    audit_record(
        actor=by, action=AuditAction.UPDATE, obj=tpp_month, changes={"status": "disetujui"}
    )
    return tpp_month


@transaction.atomic
def tpp_lock(*, tpp_month: TppMonth, by: User) -> TppMonth:
    """BKPSDM locks an approved month; it never changes afterwards and each employee is told
    that their slip is ready."""
    _require(access.can_manage_rewards(by), "Hanya BKPSDM yang mengunci TPP.")
    tpp_month = TppMonth.objects.select_for_update().get(pk=tpp_month.pk)
    _require(
        tpp_month.status == TppStatus.APPROVED, "Hanya TPP yang sudah disetujui dapat dikunci."
    )
    tpp_month.status = TppStatus.LOCKED
    tpp_month.locked_at = timezone.now()
    tpp_month.locked_by = by
    tpp_month.save(update_fields=["status", "locked_at", "locked_by"])
    audit_record(actor=by, action=AuditAction.UPDATE, obj=tpp_month, changes={"status": "dikunci"})
    label = month_label(tpp_month.year, tpp_month.month)
    from kinerja.core.models import Notification

    recipients = list(
        User.objects.filter(employee__tpp_lines__tpp_month=tpp_month)
        .distinct()
        .values_list("pk", flat=True)
    )

    def send() -> None:
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=pk,
                    message=f"Slip TPP {label} sudah final.",
                    url=reverse("rewards:tpp_my"),
                )
                for pk in recipients
            ],
            batch_size=1000,
        )
        unread_changed(recipients)

    transaction.on_commit(send)
    return tpp_month


@transaction.atomic
def tpp_correction_add(
    *,
    tpp_month: TppMonth,
    employee: Employee,
    corrects: str,
    amount: Decimal,
    reason: str,
    by: User,
) -> TppLine:
    """A correction of a locked month, as a new line in a later, still open month (DOMAIN §6):
    the amount to add (negative: to recover), with its reason."""
    _require(access.can_manage_rewards(by), "Hanya BKPSDM yang mencatat koreksi TPP.")
    tpp_month = TppMonth.objects.select_for_update().get(pk=tpp_month.pk)
    _require(
        tpp_month.status == TppStatus.CALCULATED,
        "Koreksi hanya dicatat di bulan yang belum disetujui.",
    )
    try:
        year_s, month_s = corrects.split("-")
        target = TppMonth.objects.get(year=int(year_s), month=int(month_s))
    except (ValueError, TppMonth.DoesNotExist) as exc:
        raise ValidationError("Bulan yang dikoreksi tidak ditemukan (format TTTT-BB).") from exc
    _require(
        target.is_locked, "Hanya bulan yang sudah dikunci yang dikoreksi dengan baris koreksi."
    )
    _require(
        (target.year, target.month) < (tpp_month.year, tpp_month.month),
        "Koreksi dicatat di bulan sesudahnya.",
    )
    _require(amount == amount.to_integral_value(), "Jumlah koreksi dalam rupiah bulat.")
    unit = employee.unit
    zero = Decimal(0)
    line = TppLine.objects.create(
        tpp_month=tpp_month,
        employee=employee,
        kind=TppLineKind.CORRECTION,
        opd_id=unit.opd_id or unit.pk,
        unit_name=unit.name,
        position_name=employee.position.name,
        kelas=employee.position.kelas,
        base=zero,
        predikat="",
        predikat_period="",
        discipline_factor=zero,
        cut_percent=zero,
        performance_weight=zero,
        discipline_weight=zero,
        performance_factor=zero,
        performance_part=zero,
        discipline_part=zero,
        gross=zero,
        cut_amount=zero,
        total=amount,
        corrects=f"{target.year}-{target.month:02d}",
        reason=_text(reason, "Alasan koreksi", limit=500),
    )
    line.explanation = explain_line(line)
    line.save(update_fields=["explanation"])
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=line,
        changes={"total": str(amount), "corrects": line.corrects},
    )
    return line


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
    for employee_id, days, run in AttendanceMonth.objects.filter(
        employee_id__in=wanted, year=year
    ).values_list("employee_id", "unexcused_days", "longest_unexcused_run"):
        absence[employee_id][0] += days
        absence[employee_id][1] = max(absence[employee_id][1], run)
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
            longest_unexcused_run=min(run, days),
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


def piagam_issue(*, recognition: Recognition, by: User | None) -> Any:
    """The Piagam's verification record (kinerja.core.verification; idempotent: a reprint keeps
    its code)."""
    return document_issue(
        source=recognition,
        kind="Piagam Penghargaan",
        title=recognition.title,
        holder_name=recognition.employee.full_name,
        facts=(
            ("NIP", recognition.employee.nip_formatted),
            ("Tahun", str(recognition.year)),
            ("Nomor SK", recognition.decree_number or "-"),
        ),
        by=by,
    )


@transaction.atomic
def recognition_consent(*, recognition: Recognition, by: User, consent: bool) -> Recognition:
    """The employee agrees (or no longer agrees) to appear on the recognition wall."""
    _require(
        by.employee_id == recognition.employee_id,
        "Hanya pegawai yang bersangkutan yang memberi persetujuan.",
    )
    recognition.wall_consent = consent
    recognition.consent_at = timezone.now()
    recognition.save(update_fields=["wall_consent", "consent_at"])
    audit_record(
        actor=by, action=AuditAction.UPDATE, obj=recognition, changes={"wall_consent": consent}
    )
    return recognition


# --- Coaching (pembinaan) ---


@transaction.atomic
def coaching_session_add(
    *, plan: CoachingPlan, by: User, day: date, notes: str, is_checkpoint: bool = False
) -> CoachingSession:
    _require(access.can_manage_coaching(by, plan), "Anda tidak berwenang mencatat pembinaan ini.")
    _require(plan.status == CoachingStatus.RUNNING, "Pembinaan ini sudah selesai.")
    _require(plan.starts <= day <= plan.ends, "Tanggal sesi harus di dalam masa pembinaan.")
    session = CoachingSession.objects.create(
        plan=plan,
        day=day,
        notes=_text(notes, "Catatan", limit=4000),
        is_checkpoint=is_checkpoint,
        recorded_by=by,
    )
    audit_record(actor=by, action=AuditAction.CREATE, obj=session, changes={"day": str(day)})
    return session


@transaction.atomic
def coaching_outcome(*, plan: CoachingPlan, by: User, improved: bool, outcome: str) -> CoachingPlan:
    """At the end of the 6-month period the supervisor records the outcome; a failure feeds the
    reassignment rule (PP 30/2019 Pasal 56–58) at the next rules run."""
    _require(access.can_manage_coaching(by, plan), "Anda tidak berwenang mencatat pembinaan ini.")
    plan = CoachingPlan.objects.select_for_update().get(pk=plan.pk)
    _require(plan.status == CoachingStatus.RUNNING, "Hasil pembinaan ini sudah dicatat.")
    # Failure is judged at the end of the 6-month period (DOMAIN §1); improvement may be
    # recorded as soon as it shows.
    _require(
        improved or timezone.localdate() >= plan.ends,
        "Hasil “tidak berhasil” baru dapat dicatat pada akhir masa pembinaan "
        f"({plan.ends:%d-%m-%Y}).",
    )
    plan.status = CoachingStatus.IMPROVED if improved else CoachingStatus.FAILED
    plan.outcome = _text(outcome, "Hasil pembinaan", limit=4000)
    plan.outcome_at = timezone.now()
    plan.outcome_by = by
    plan.save()
    audit_record(actor=by, action=AuditAction.UPDATE, obj=plan, changes={"status": plan.status})
    notify(
        recipient=plan.employee,
        message=f"Hasil pembinaan dicatat: {plan.get_status_display()}.",
        url=reverse("rewards:coaching_detail", args=[plan.pk]),
    )
    return plan


def format_rupiah(value: Any) -> str:
    return "Rp" + format_number(value, 0)


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
