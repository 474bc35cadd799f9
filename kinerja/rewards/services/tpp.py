"""The TPP: the base table per kelas and the monthly calculation (calculate → review per OPD →
approve → lock), corrections of locked months as lines of a later month, and the slip's
explanation (PP 12/2019 Pasal 58; DOMAIN §6). Every number comes from kinerja.rules.incentives
and kinerja.rules.discipline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.bulk import insert_rows
from kinerja.core.notifications import unread_changed
from kinerja.core.numbers import format_number
from kinerja.organisation import access
from kinerja.organisation.models import Employee, EmployeeHistory, Position, Unit, User
from kinerja.rules.calendar import month_bounds, month_label
from kinerja.rules.discipline import DEFAULT_ATTENDANCE, AttendanceConfig, discipline_factor
from kinerja.rules.enums import Predikat
from kinerja.rules.incentives import DEFAULT_TPP, TppBreakdown, TppConfig, tpp
from kinerja.rules.periods import parse_period

from ..choices import TppLineKind, TppStatus
from ..models import (
    AttendanceMonth,
    DisciplineRecord,
    TppBaseAmount,
    TppLine,
    TppMonth,
    TppOpdReview,
)
from .checks import _require, _text

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
    best: dict[int, tuple[tuple[int, date], PredikatBasis]] = {}
    rows = Assessment.objects.filter(
        employee_id__in=employee_ids, status="final", year__gte=year - 1, year__lte=year
    ).values_list("employee_id", "period", "predikat")
    for employee_id, code, predikat in rows:
        period = parse_period(code)
        if period.end > last or not predikat:
            continue
        # Any periodic result before an annual one, then the latest (DOMAIN §6): with Q4 not
        # yet final, January's TPP uses Q3, not the year's annual result.
        rank = (0 if period.is_annual else 1, period.end)
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
    """Write a month's lines with kinerja.core.bulk (the ORM's bulk_create prepares every value
    in Python: seconds at 10,000 lines; bench/rewards.py). Values are passed as plain strings
    and numbers, which SQLite and PostgreSQL both convert to the column's type."""
    import json

    fields = [f for f in TppLine._meta.concrete_fields if not f.primary_key]
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}

    def plain(name: str, value: Any) -> Any:
        if name in json_fields:
            return json.dumps(value)
        if isinstance(value, Decimal):
            return str(value)
        return value

    rows = [tuple(plain(f.attname, getattr(line, f.attname)) for f in fields) for line in lines]
    insert_rows(TppLine._meta.db_table, [f.column for f in fields], rows)


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


def format_rupiah(value: Any) -> str:
    return "Rp" + format_number(value, 0)
