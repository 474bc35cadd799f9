"""Monthly realisations (the grid and the rules the bulk API shares), review and reopening,
and the evidence attached to a realisation."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_entry, audit_record, audit_write_many, diff
from kinerja.core.calendar import month_deadline
from kinerja.core.notifications import notify
from kinerja.core.numbers import (
    decimal_text,
    format_number,
    unclear_number,
    unclear_number_message,
)
from kinerja.organisation import access
from kinerja.organisation.models import User
from kinerja.rules.calendar import MONTHS, month_has_started
from kinerja.rules.realisation import MAX_TIMES_TARGET, is_plausible

from .. import evidence as evidence_rules
from ..choices import EvidenceKind, IndicatorSource, Polarity
from ..models import Evidence, Indicator, Plan, Realisation
from ..selectors import PlanYear
from ._shared import lock_plan, require

logger = logging.getLogger(__name__)

# --- Realisations ------------------------------------------------------------------------


def parse_value(raw: Any) -> Decimal:
    """A typed number, written the Indonesian way: a decimal comma (7,5), dots grouping the
    thousands (1.200; 1.234,5); a decimal point alone is read too (7.5). A number that mixes the
    two another way ("1,234.5", English grouping) is refused rather than guessed: read the
    Indonesian way it would be a thousand times too small (kinerja.core.numbers)."""
    if unclear_number(raw):
        raise ValidationError(unclear_number_message(raw))
    text = decimal_text(raw)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(v)s” bukan angka.") % {"v": raw}) from None
    if not value.is_finite():
        raise ValidationError(_("“%(v)s” bukan angka.") % {"v": raw})
    if value < 0:
        raise ValidationError(_("Angka tidak boleh negatif."))
    if abs(value) >= Decimal("1e14"):
        raise ValidationError(_("Angka terlalu besar (paling besar 99.999.999.999.999,9999)."))
    exponent = value.as_tuple().exponent  # an int: the value is finite (checked above)
    if not isinstance(exponent, int) or exponent < -4:
        raise ValidationError(_("Angka terlalu panjang (paling banyak 4 angka di belakang koma)."))
    return value


def _check_month_open(plan: Plan, month: int) -> None:
    require(1 <= month <= 12, _("Bulan tidak valid."))
    require(
        plan.accepts_realisations,
        _("Realisasi dapat diisi setelah SKP disetujui."),
    )
    require(
        month_has_started(plan.year, month, timezone.localdate()),
        _("Realisasi bulan %(m)s %(y)d belum dapat diisi.")
        % {"m": MONTHS[month - 1], "y": plan.year},
    )


@dataclass(frozen=True)
class RealisationInput:
    indicator: Indicator
    value: Decimal | None  # None: leave the month empty (or unchanged)
    narrative: str = ""
    revision: int | None = None  # the revision the form showed; None: the form showed no entry
    overwrite: bool = False  # bulk imports: the file is the source of truth, no revision check


class StaleRealisation(ValidationError):
    """Another save happened since the form was opened (no lost update)."""


NARRATIVE_MAX_LENGTH = 2000  # Realisation.narrative


def realisation_input_problem(indicator: Indicator, value: Decimal, narrative: str) -> str:
    """Why one month's input cannot be stored as typed ("" when it can): never cut or stored
    out of what the derived figures can hold (kinerja.rules.realisation.is_plausible)."""
    length = len(narrative.strip())
    if length > NARRATIVE_MAX_LENGTH:
        return _(
            "Uraian “%(n)s” terlalu panjang: %(len)s karakter, maksimal %(max)s. Belum ada yang "
            "disimpan."
        ) % {
            "n": indicator.name,
            "len": format_number(length),
            "max": format_number(NARRATIVE_MAX_LENGTH),
        }
    if not is_plausible(
        value, indicator.target, higher_is_better=indicator.polarity == Polarity.HIGHER_IS_BETTER
    ):
        return _(
            "Realisasi “%(n)s” (%(v)s) lebih dari %(x)s kali target tahunan (%(t)s). Periksa "
            "angka dan satuannya."
        ) % {
            "n": indicator.name,
            "v": format_number(value),
            "x": format_number(MAX_TIMES_TARGET),
            "t": format_number(indicator.target),
        }
    return ""


def realisation_month_problem(plan: Plan, month: int, by: User) -> None:
    """Whether `by` may write `month` of `plan` now (ValidationError when not): the writer, the
    plan approved, the month begun. `plan` must be locked by the caller."""
    require(
        access.can_enter_realisations(by, plan),
        _("Hanya pegawai pemilik SKP yang mengisi realisasinya."),
    )
    _check_month_open(plan, month)


def realisation_row_decision(
    plan: Plan, row: RealisationInput, current: Realisation | None
) -> tuple[str, str]:
    """The grid's rule for one indicator's month: ("skip" | "keep" | "update" | "create", "")
    or ("error", why). A stale revision raises StaleRealisation (the whole save stops)."""
    indicator = row.indicator
    if indicator.rhk.plan_id != plan.pk:
        return "error", _("Indikator bukan bagian dari SKP ini.")
    if row.value is None:
        return "skip", ""
    if indicator.source != IndicatorSource.MANUAL:
        return "error", _("“%(n)s” diisi otomatis oleh sistem.") % {"n": indicator.name}
    problem = realisation_input_problem(indicator, row.value, row.narrative)
    if problem:
        return "error", problem
    if current is None:
        return "create", ""
    unchanged = current.value == row.value and current.narrative == row.narrative.strip()
    if current.is_reviewed:
        if not unchanged:
            return "error", _(
                "“%(n)s” bulan ini sudah diperiksa atasan; minta atasan membuka kembali untuk "
                "mengubahnya."
            ) % {"n": indicator.name}
        return "skip", ""
    if not row.overwrite and row.revision != current.revision and not unchanged:
        raise StaleRealisation(
            _(
                "Realisasi “%(n)s” telah diubah di tempat lain sejak halaman ini dibuka. Muat "
                "ulang halaman; perubahan Anda belum disimpan."
            )
            % {"n": indicator.name}
        )
    return ("keep" if unchanged else "update"), ""


def realisation_apply_update(
    current: Realisation, row: RealisationInput, *, by: User, now: datetime
) -> dict[str, str]:
    """Apply an "update" decision to a stored realisation in memory (its caller saves it, the
    grid one by one, the bulk API in one statement); returns the old values for the audit."""
    assert row.value is not None  # "update" is decided only for a value
    before = {"value": str(current.value), "narrative": current.narrative}
    current.value, current.narrative = row.value, row.narrative.strip()[:2000]
    current.revision += 1
    current.entered_by = by
    current.updated_at = now
    return before


class SavedMonth(list[Realisation]):
    """What `realisation_save_month` returns: the month's saved rows, and `year`, the plan's
    indicators and year of realisations as the save committed them, when its caller passed
    the plan's indicators (None otherwise)."""

    year: PlanYear | None = None


# Realisation.value as the database gives it back: DecimalField(18, 4), so four places; SQLite
# stores it as a float and Django reads 15 significant digits back (its decimal converter).
VALUE_PLACES = Decimal(1).scaleb(-Realisation._meta.get_field("value").decimal_places)
EXACT_DIGITS = 15


def _as_stored(value: Decimal) -> Decimal | None:
    """`value` exactly as reading it back would give it, or None when that cannot be known
    without reading it (more than 15 significant digits: SQLite rounds those)."""
    stored = value.quantize(VALUE_PLACES)
    return stored if len(stored.normalize().as_tuple().digits) <= EXACT_DIGITS else None


@transaction.atomic
def realisation_save_month(
    *,
    plan: Plan,
    month: int,
    by: User,
    rows: Sequence[RealisationInput],
    indicators: Sequence[Indicator] | None = None,
) -> SavedMonth:
    """Save a month of realisations at once (the grid): all rows or none.

    `indicators`, every indicator of the plan as the caller read them (the grid's page:
    `selectors.plan_indicators`), make the save hand on what it holds after writing: the
    plan's whole year as committed, to the live figures (the "realisation" event's `rows`)
    and to the caller (the result's `year`, the page shown next), so that neither reads the
    plan, its indicators and its realisations again."""
    plan = lock_plan(plan, related=("employee",))  # the assessor is not shown nor checked
    realisation_month_problem(plan, month, by)
    # The plan's whole year, locked with the month written (every writer of a plan's
    # realisations locks the plan first, so the other months' locks wait for no one): one
    # read, which after the writes below is the year as committed.
    year = list(
        Realisation.objects.select_for_update(of=("self",))
        .filter(indicator__rhk__plan=plan)
        .order_by()  # sorted below: Meta's ordering would join the plan and employee to sort
    )
    existing = {r.indicator_id: r for r in year if r.month == month}
    now = timezone.now()
    late = now > month_deadline(plan.year, month)
    saved: list[Realisation] = []
    errors: list[str] = []
    creates: list[Realisation] = []
    updates: list[tuple[Realisation, dict[str, str]]] = []
    written: list[tuple[Realisation, dict[str, str] | None]] = []  # in row order, for the audit
    for row in rows:
        current = existing.get(row.indicator.pk)
        if current is not None:
            current.indicator = row.indicator  # loaded already: the audit entry names it
        decision, message = realisation_row_decision(plan, row, current)
        if decision == "error":
            errors.append(message)
        elif decision == "keep":
            saved.append(current)  # type: ignore[arg-type]
        elif decision == "update":
            assert current is not None
            before = realisation_apply_update(current, row, by=by, now=now)
            updates.append((current, before))
            written.append((current, before))
            saved.append(current)
        elif decision == "create":
            assert row.value is not None  # "create" is decided only for a value
            created = Realisation(
                indicator=row.indicator,
                month=month,
                value=row.value,
                narrative=row.narrative.strip()[:2000],
                is_late=late,
                entered_by=by,
            )
            creates.append(created)
            written.append((created, None))
            saved.append(created)
    if errors:
        raise ValidationError(errors)
    # Every row was decided before anything is written: the new rows are one query, the audit
    # records of every written row another. Changed rows are saved one by one, only their
    # changed fields: bulk_update's CASE took 57 ms on SQLite for a 10-row grid (at 300,000
    # realisations), ten single-row UPDATEs about 1 ms.
    Realisation.objects.bulk_create(creates)
    for changed, _before in updates:
        changed.save(update_fields=["value", "narrative", "revision", "entered_by", "updated_at"])
    audit_write_many(
        [
            audit_entry(
                actor=by,
                action=AuditAction.CREATE,
                obj=r,
                changes={"value": [None, str(r.value)], "late": [None, late]},
            )
            if before is None
            else audit_entry(
                actor=by,
                action=AuditAction.UPDATE,
                obj=r,
                changes=diff(before, {"value": str(r.value), "narrative": r.narrative}),
            )
            for r, before in written
        ]
    )
    result = SavedMonth(saved)
    if indicators is not None:
        result.year = _year_as_committed(
            plan, indicators, year + creates, creates + [r for r, _b in updates]
        )
    if saved:
        shared = result.year
        transaction.on_commit(lambda: realisations_changed(plan, month, rows=shared))
    return result


def _year_as_committed(
    plan: Plan,
    indicators: Sequence[Indicator],
    rows: list[Realisation],
    written: list[Realisation],
) -> PlanYear | None:
    """The plan's year after the save's writes, from the rows it read and wrote, or None when
    they cannot stand for what is stored: an indicator the caller did not pass, or a value
    the database rounds (then the readers read, as they would without `indicators`)."""
    known = {i.pk for i in indicators}
    if any(r.indicator_id not in known for r in rows):
        return None
    for r in written:  # the new and the changed rows hold the values as typed
        stored = _as_stored(r.value)
        if stored is None:
            return None
        r.value = stored
    by_indicator: dict[int, list[Realisation]] = {}
    for r in sorted(rows, key=lambda r: (r.indicator_id, r.month)):
        by_indicator.setdefault(r.indicator_id, []).append(r)
    return PlanYear(plan=plan, indicators=list(indicators), realisations=by_indicator)


def realisations_changed(plan: Plan, month: int, *, rows: PlanYear | None = None) -> None:
    """Side effects after commit: the live team board and dashboards listen here. `rows`, the
    plan's year as the save committed it, spares the listeners reading it again."""
    from kinerja.core import events

    data: dict[str, Any] = {"rows": rows} if rows is not None else {}
    events.publish(
        "realisation",
        employee_id=plan.employee_id,
        plan_id=plan.pk,
        year=plan.year,
        month=month,
        **data,
    )


@transaction.atomic
def realisation_review(*, plan: Plan, month: int, by: User) -> int:
    """The assessor marks a month's entries as reviewed; they lock for the employee."""
    plan = lock_plan(plan)
    require(access.is_plan_assessor(by, plan), _("Hanya pejabat penilai yang memeriksa realisasi."))
    count = Realisation.objects.filter(
        indicator__rhk__plan=plan, month=month, reviewed_at__isnull=True
    ).update(reviewed_at=timezone.now(), reviewed_by=by)
    transaction.on_commit(lambda: realisations_changed(plan, month))
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=plan,
        note=_("Realisasi %(m)s diperiksa (%(n)d entri)") % {"m": MONTHS[month - 1], "n": count},
    )
    if count:
        notify(
            recipient=plan.employee,
            url=reverse("performance:realisation_grid", args=[plan.pk, month]),
            message=_("Atasan telah memeriksa realisasi %(m)s %(y)d Anda.")
            % {"m": MONTHS[month - 1], "y": plan.year},
        )
    return count


@transaction.atomic
def realisation_reopen(*, realisation: Realisation, by: User) -> Realisation:
    plan = lock_plan(realisation.indicator.rhk.plan)
    require(
        access.is_plan_assessor(by, plan), _("Hanya pejabat penilai yang dapat membuka kembali.")
    )
    realisation = Realisation.objects.select_for_update(of=("self",)).get(pk=realisation.pk)
    require(realisation.is_reviewed, _("Realisasi ini belum diperiksa."))
    realisation.reviewed_at = None
    realisation.reviewed_by = None
    realisation.revision += 1
    realisation.save(update_fields=["reviewed_at", "reviewed_by", "revision", "updated_at"])
    month = realisation.month
    transaction.on_commit(lambda: realisations_changed(plan, month))
    audit_record(
        actor=by, action=AuditAction.UPDATE, obj=realisation, note=_("Dibuka kembali untuk diubah")
    )
    notify(
        recipient=plan.employee,
        url=reverse("performance:realisation_grid", args=[plan.pk, realisation.month]),
        message=_("Atasan membuka kembali realisasi “%(n)s” bulan %(m)s untuk Anda ubah.")
        % {"n": realisation.indicator.name[:80], "m": MONTHS[realisation.month - 1]},
    )
    return realisation


# --- Evidence ----------------------------------------------------------------------------


def _check_evidence_open(realisation: Realisation, by: User) -> None:
    plan = realisation.indicator.rhk.plan
    require(access.is_plan_owner(by, plan), _("Hanya pegawai pemilik SKP yang mengunggah bukti."))
    require(
        not realisation.is_reviewed,
        _("Realisasi sudah diperiksa atasan; bukti tidak dapat diubah."),
    )


@transaction.atomic
def evidence_add_file(*, realisation: Realisation, by: User, name: str, data: bytes) -> Evidence:
    """Store a file under a random name after checking its type by content and its size."""
    _check_evidence_open(realisation, by)
    require(len(data) > 0, _("Berkas kosong."))
    require(
        len(data) <= evidence_rules.MAX_EVIDENCE_BYTES, _("Berkas terlalu besar (maksimal 10 MB).")
    )
    try:
        kind = evidence_rules.detect_kind(data[:16], data)
    except evidence_rules.ArchiveTooLarge as exc:
        raise ValidationError(str(exc)) from None
    require(
        kind is not None,
        _("Jenis berkas tidak diizinkan. Unggah %(k)s.") % {"k": evidence_rules.ALLOWED_LABEL},
    )
    assert kind is not None
    mismatch = evidence_rules.extension_mismatch(name, kind)
    require(mismatch is None, mismatch or "")
    extension, content_type = evidence_rules.KINDS[kind]
    item = Evidence(
        realisation=realisation,
        kind=EvidenceKind.FILE,
        uploaded_by=by,
        original_name=evidence_rules.safe_display_name(name, kind),
        content_type=content_type,
        size=len(data),
        uploaded_at=timezone.now(),
    )
    wanted = item.file.field.generate_filename(item, f"{secrets.token_hex(16)}{extension}")
    storage = item.file.storage
    try:
        item.file.save(wanted.rsplit("/", 1)[-1], ContentFile(data), save=False)
        item.save()
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            obj=item,
            changes={"file": [None, item.original_name], "size": [None, item.size]},
        )
    except Exception as exc:
        # Never an orphan: a file written (even partly, e.g. on a full disk) before the failure
        # is removed, and the database write is rolled back with the transaction.
        for name in {wanted, item.file.name or wanted}:
            try:
                if storage.exists(name):
                    storage.delete(name)
            except OSError:
                logger.exception("could not remove the partial evidence file %s", name)
        if isinstance(exc, OSError):
            raise ValidationError(
                _(
                    "Berkas belum tersimpan: ruang penyimpanan server penuh atau tidak dapat "
                    "ditulis. Coba lagi nanti, atau hubungi admin kepegawaian."
                )
            ) from exc
        raise
    return item


@transaction.atomic
def evidence_add_link(*, realisation: Realisation, by: User, url: str) -> Evidence:
    _check_evidence_open(realisation, by)
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            _("Tautan harus alamat web yang lengkap (diawali http:// atau https://).")
        ) from None
    item = Evidence.objects.create(
        realisation=realisation,
        kind=EvidenceKind.LINK,
        url=url[:500],
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    audit_record(actor=by, action=AuditAction.CREATE, obj=item, changes={"url": [None, item.url]})
    return item


@transaction.atomic
def evidence_delete(*, item: Evidence, by: User) -> None:
    _check_evidence_open(item.realisation, by)
    audit_record(
        actor=by,
        action=AuditAction.DELETE,
        obj=item,
        changes={"file": [item.original_name or item.url, None]},
    )
    stored = item.file.name if item.file else ""
    item.delete()
    if stored:
        storage = Evidence._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(stored))
