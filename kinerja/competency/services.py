"""Writes of the competency app: enrolment (no overbooking under concurrency), waitlist,
approval, cancellation, attendance (sheet and QR), completion with JP credit and certificate,
external learning, ratings and development plans. Every change is validated first, audited,
and notifications run after commit. JP arithmetic comes from kinerja.rules.training.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.notifications import notify
from kinerja.core.verification import document_issue
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User
from kinerja.performance import evidence as evidence_rules
from kinerja.rules import berakhlak
from kinerja.rules.enums import Rating
from kinerja.rules.numbers import round2
from kinerja.rules.training import external_jp, is_completed

from .choices import (
    AttendanceSource,
    EnrolmentStatus,
    ExternalStatus,
    GapSource,
    PlanItemStatus,
    SessionStatus,
)
from .models import (
    Attendance,
    DevelopmentItem,
    DevelopmentPlan,
    Enrolment,
    ExternalLearning,
    Programme,
    Session,
    SessionRating,
)


def jp_changed() -> None:
    """After commit, make cached JP dashboards stale (kinerja.competency.selectors.jp_version)."""

    def bump() -> None:
        from django.core.cache import cache

        try:
            cache.incr("competency:jp-version")
        except ValueError:
            cache.set("competency:jp-version", 2, None)

    transaction.on_commit(bump)


class AlreadyEnrolled(ValidationError):
    """The employee already holds an active enrolment in the session (API: 409)."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _employee_of(user: User) -> Employee | None:
    return user.employee if getattr(user, "employee_id", None) else None


def can_manage_session(user: User | None, session: Session) -> bool:
    """The session's organiser, BKPSDM, and the Admin OPD of the OPD that owns the programme."""
    if access.is_regency_admin(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    if session.organiser_id is not None and session.organiser_id == user.pk:
        return True
    owner = session.programme.owner_opd_id
    return owner is not None and access.is_opd_admin(user) and user.managed_opd_id == owner


def can_manage_programme(user: User | None, programme: Programme | None = None) -> bool:
    """BKPSDM for every programme; an Admin OPD for their OPD's own programmes."""
    if access.is_regency_admin(user):
        return True
    if not access.is_opd_admin(user):
        return False
    return programme is None or programme.owner_opd_id == user.managed_opd_id  # type: ignore[union-attr]  # an OPD admin is a user


def can_nominate(user: User | None, employee: Employee) -> bool:
    """Supervisors (anyone above in the reporting lines) and admins (BKPSDM; Admin OPD of the
    employee's OPD) nominate an employee to a session."""
    if access.is_regency_admin(user) or access.is_above(user, employee):
        return True
    return access.is_opd_admin(user) and employee.unit.opd_id == user.managed_opd_id  # type: ignore[union-attr]  # an OPD admin is a user


def can_decide_enrolment(user: User | None, enrolment: Enrolment) -> bool:
    """The direct supervisor of the employee approves a self-registration; BKPSDM may too."""
    if access.is_regency_admin(user):
        return True
    supervisor_id = enrolment.employee.supervisor_id
    return bool(
        user is not None
        and user.is_authenticated
        and supervisor_id is not None
        and user.employee_id == supervisor_id
    )


# --- Enrolment ----------------------------------------------------------------------------------


def _lock_session(session_id: int) -> Session:
    """The session row, locked for this transaction on PostgreSQL (SELECT … FOR UPDATE); on
    SQLite the IMMEDIATE transaction mode (config/settings.py) already holds the database's
    write lock from BEGIN, so concurrent enrolments queue one behind the other."""
    return Session.objects.select_related("programme").select_for_update().get(pk=session_id)


def _take_seat(session: Session) -> bool:
    """Take one seat if one is left: a conditional UPDATE that the database applies atomically
    (seats_taken < quota), backed by the session_no_overbooking check constraint."""
    taken = Session.objects.filter(pk=session.pk, seats_taken__lt=F("quota")).update(
        seats_taken=F("seats_taken") + 1
    )
    if taken:
        session.seats_taken += 1
    return bool(taken)


def _free_seat(session: Session) -> None:
    Session.objects.filter(pk=session.pk, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )
    session.seats_taken = max(session.seats_taken - 1, 0)


def _next_waitlist_position(session: Session) -> int:
    top = Enrolment.objects.filter(session=session).aggregate(m=Max("waitlist_position"))["m"]
    return (top or 0) + 1


def session_url(session: Session) -> str:
    return reverse("competency:session_detail", args=[session.pk])


def registration_open(session: Session, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return session.status == SessionStatus.OPEN and now <= session.registration_deadline


@transaction.atomic
def enrolment_create(*, session: Session, employee: Employee, by: User) -> Enrolment:
    """Enrol `employee` in `session`: by themself (waiting for their supervisor when the session
    asks for approval) or nominated by a supervisor or an admin (no further approval). A seat is
    taken in this one transaction, which cannot race (see `_lock_session` and `_take_seat`);
    without a seat the enrolment joins the waitlist in arrival order."""
    own = by.employee_id == employee.pk
    _require(
        own or can_nominate(by, employee),
        _("Anda tidak berwenang mendaftarkan pegawai ini."),
    )
    session = _lock_session(session.pk)
    _require(session.status == SessionStatus.OPEN, _("Sesi ini tidak lagi menerima pendaftaran."))
    _require(
        timezone.now() <= session.registration_deadline,
        _("Pendaftaran sesi ini sudah ditutup pada %(d)s.")
        % {"d": timezone.localtime(session.registration_deadline).strftime("%d-%m-%Y %H:%M")},
    )
    if Enrolment.objects.filter(
        session=session, employee=employee, status__in=EnrolmentStatus.active()
    ).exists():
        raise AlreadyEnrolled(_("%(n)s sudah terdaftar di sesi ini.") % {"n": employee.full_name})
    nominated = not own
    if _take_seat(session):
        needs_ok = session.needs_approval and not nominated and employee.supervisor_id is not None
        status = EnrolmentStatus.PENDING_APPROVAL if needs_ok else EnrolmentStatus.ENROLLED
        position = None
    else:
        status = EnrolmentStatus.WAITLISTED
        position = _next_waitlist_position(session)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                session=session,
                employee=employee,
                status=status,
                waitlist_position=position,
                nominated_by=by if nominated else None,
            )
    except IntegrityError:
        raise AlreadyEnrolled(
            _("%(n)s sudah terdaftar di sesi ini.") % {"n": employee.full_name}
        ) from None
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=enrolment,
        changes={"status": status, "waitlist_position": position, "nominated": nominated},
    )
    url = session_url(session)
    if nominated:
        notify(
            recipient=employee,
            message=_("Anda diusulkan mengikuti %(s)s (%(st)s).")
            % {"s": session, "st": enrolment.get_status_display()},
            url=url,
        )
    if status == EnrolmentStatus.PENDING_APPROVAL:
        notify(
            recipient=employee.supervisor,
            message=_("%(n)s mendaftar %(s)s dan menunggu persetujuan Anda.")
            % {"n": employee.full_name, "s": session},
            url=reverse("competency:approvals"),
        )
    jp_changed()
    return enrolment


def _promote_waitlist(session: Session, by: User | None) -> list[Enrolment]:
    """Give freed seats to the waitlist in order (the session row is locked by the caller)."""
    promoted = []
    queue = (
        Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITLISTED)
        .select_related("employee")
        .order_by("waitlist_position", "pk")
    )
    for enrolment in queue:
        if not _take_seat(session):
            break
        needs_ok = (
            session.needs_approval
            and enrolment.nominated_by_id is None
            and enrolment.employee.supervisor_id is not None
        )
        enrolment.status = (
            EnrolmentStatus.PENDING_APPROVAL if needs_ok else EnrolmentStatus.ENROLLED
        )
        enrolment.waitlist_position = None
        enrolment.save(update_fields=["status", "waitlist_position"])
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            obj=enrolment,
            changes={"status": [EnrolmentStatus.WAITLISTED, enrolment.status]},
            note="naik dari daftar tunggu",
        )
        notify(
            recipient=enrolment.employee,
            message=_("Kursi tersedia: Anda naik dari daftar tunggu %(s)s.") % {"s": session},
            url=session_url(session),
        )
        promoted.append(enrolment)
    return promoted


@transaction.atomic
def enrolment_cancel(*, enrolment: Enrolment, by: User) -> Enrolment:
    """Cancel an enrolment until the registration deadline (the employee, whoever may nominate
    them, or the organiser); a freed seat goes to the first on the waitlist."""
    session = _lock_session(enrolment.session_id)
    enrolment = Enrolment.objects.select_related("employee", "employee__unit").get(pk=enrolment.pk)
    _require(
        by.employee_id == enrolment.employee_id
        or can_nominate(by, enrolment.employee)
        or can_manage_session(by, session),
        _("Anda tidak berwenang membatalkan pendaftaran ini."),
    )
    _require(
        enrolment.status
        in (EnrolmentStatus.ENROLLED, EnrolmentStatus.PENDING_APPROVAL, EnrolmentStatus.WAITLISTED),
        _("Pendaftaran ini tidak dapat dibatalkan lagi."),
    )
    _require(
        timezone.now() <= session.registration_deadline,
        _("Batas pembatalan sudah lewat (sama dengan batas pendaftaran)."),
    )
    held_seat = enrolment.status in EnrolmentStatus.seat_holding()
    before = enrolment.status
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.waitlist_position = None
    enrolment.cancelled_at = timezone.now()
    enrolment.save(update_fields=["status", "waitlist_position", "cancelled_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=enrolment,
        changes={"status": [before, EnrolmentStatus.CANCELLED]},
    )
    if held_seat:
        _free_seat(session)
        _promote_waitlist(session, by)
    jp_changed()
    return enrolment


@transaction.atomic
def enrolment_decide(*, enrolment: Enrolment, by: User, approve: bool, note: str = "") -> Enrolment:
    """The supervisor approves or rejects a self-registration; a rejection frees the seat."""
    session = _lock_session(enrolment.session_id)
    enrolment = Enrolment.objects.select_related("employee").get(pk=enrolment.pk)
    _require(
        can_decide_enrolment(by, enrolment), _("Anda tidak berwenang memutuskan pendaftaran ini.")
    )
    _require(
        enrolment.status == EnrolmentStatus.PENDING_APPROVAL,
        _("Pendaftaran ini tidak sedang menunggu persetujuan."),
    )
    note = (note or "").strip()
    _require(approve or bool(note), _("Tuliskan alasan tidak menyetujui."))
    enrolment.status = EnrolmentStatus.ENROLLED if approve else EnrolmentStatus.REJECTED
    enrolment.decided_by = by
    enrolment.decided_at = timezone.now()
    enrolment.decision_note = note[:500]
    enrolment.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=enrolment,
        changes={"status": [EnrolmentStatus.PENDING_APPROVAL, enrolment.status]},
        note=note,
    )
    notify(
        recipient=enrolment.employee,
        message=(
            _("Pendaftaran %(s)s disetujui atasan.")
            if approve
            else _("Pendaftaran %(s)s tidak disetujui: %(r)s")
        )
        % {"s": session, "r": note},
        url=session_url(session),
    )
    if not approve:
        _free_seat(session)
        _promote_waitlist(session, by)
    jp_changed()
    return enrolment


# --- Attendance -----------------------------------------------------------------------------


def _window(moment: datetime) -> int:
    seconds = max(int(getattr(settings, "COMPETENCY_CHECKIN_WINDOW_SECONDS", 60)), 10)
    return int(moment.timestamp()) // seconds


def checkin_code(session: Session, moment: datetime | None = None) -> str:
    """The rotating check-in code shown at the venue: 6 digits from an HMAC of the session's
    secret and the current time window (no table to write, nothing to guess)."""
    window = _window(moment or timezone.now())
    key = f"{settings.SECRET_KEY}:{session.checkin_secret}".encode()
    digest = hmac.new(key, str(window).encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"


def checkin_code_valid(session: Session, code: str, moment: datetime | None = None) -> bool:
    moment = moment or timezone.now()
    seconds = max(int(getattr(settings, "COMPETENCY_CHECKIN_WINDOW_SECONDS", 60)), 10)
    current = checkin_code(session, moment)
    previous = checkin_code(
        session, datetime.fromtimestamp(moment.timestamp() - seconds, tz=moment.tzinfo)
    )
    code = (code or "").strip()
    return hmac.compare_digest(code, current) or hmac.compare_digest(code, previous)


def _mark(enrolment: Enrolment, day: date, minutes: int, source: str, by: User | None) -> bool:
    """Set one day's attendance; True when it changed."""
    found = Attendance.objects.filter(enrolment=enrolment, day=day).first()
    if found is not None and found.minutes == minutes:
        return False
    if found is None:
        Attendance.objects.create(
            enrolment=enrolment, day=day, minutes=minutes, source=source, recorded_by=by
        )
    else:
        found.minutes = minutes
        found.source = source
        found.recorded_by = by
        found.save(update_fields=["minutes", "source", "recorded_by", "recorded_at"])
    return True


@transaction.atomic
def attendance_checkin(*, session: Session, by: User, code: str) -> Attendance:
    """A participant checks in at the venue with the rotating code: today's attendance, full day."""
    today = timezone.localdate()
    _require(today in session.days, _("Hari ini bukan jadwal sesi ini."))
    _require(checkin_code_valid(session, code), _("Kode presensi salah atau sudah kedaluwarsa."))
    enrolment = Enrolment.objects.filter(
        session=session, employee=by.employee_id, status=EnrolmentStatus.ENROLLED
    ).first()
    _require(enrolment is not None, _("Anda tidak terdaftar sebagai peserta sesi ini."))
    assert enrolment is not None
    if _mark(enrolment, today, session.daily_minutes, AttendanceSource.QR, by):
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            obj=enrolment,
            changes={"attendance": [str(today), session.daily_minutes]},
            note="presensi QR",
        )
    return Attendance.objects.get(enrolment=enrolment, day=today)


def _decimal(value: Any, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("%(l)s harus berupa angka.") % {"l": label}) from None
    if not number.is_finite() or number < 0 or number > 100:
        raise ValidationError(_("%(l)s harus di antara 0 dan 100.") % {"l": label})
    return number


@transaction.atomic
def attendance_sheet_save(
    *,
    session: Session,
    by: User,
    present: Mapping[int, Iterable[date]],
    scores: Mapping[int, Any] | None = None,
) -> int:
    """The organiser's sheet: for every participant the days present (absent days are cleared)
    and the post-test score. All or nothing; returns the number of changed cells."""
    _require(can_manage_session(by, session), _("Anda bukan penyelenggara sesi ini."))
    _require(session.status != SessionStatus.CANCELLED, _("Sesi ini dibatalkan."))
    days = set(session.days)
    participants = {
        e.pk: e
        for e in Enrolment.objects.filter(
            session=session,
            status__in=[
                EnrolmentStatus.ENROLLED,
                EnrolmentStatus.COMPLETED,
                EnrolmentStatus.NOT_COMPLETED,
            ],
        )
    }
    scores = scores or {}
    parsed = {pk: _decimal(raw, _("Nilai post-test")) for pk, raw in scores.items()}
    for pk in list(present) + list(parsed):
        _require(pk in participants, _("Peserta tidak dikenal di lembar presensi."))
    for marked in present.values():
        _require(set(marked) <= days, _("Tanggal di luar jadwal sesi."))
    changed = 0
    existing = {
        (a.enrolment_id, a.day): a for a in Attendance.objects.filter(enrolment__session=session)
    }
    for pk, enrolment in participants.items():
        marked = set(present.get(pk, ()))
        for day in sorted(days):
            if day in marked:
                changed += _mark(enrolment, day, session.daily_minutes, AttendanceSource.SHEET, by)
            elif (pk, day) in existing:
                existing[(pk, day)].delete()
                changed += 1
        if pk in parsed and parsed[pk] != enrolment.post_test_score:
            enrolment.post_test_score = parsed[pk]
            enrolment.save(update_fields=["post_test_score"])
            changed += 1
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=session,
        changes={"attendance_cells": changed},
        note="lembar presensi",
    )
    return changed


# --- Completion and certificates --------------------------------------------------------------


def certificate_issue(enrolment: Enrolment, by: User | None) -> Any:
    """The certificate's record in the one verification registry (kinerja.core.verification):
    the holder's name, the programme, the dates and the JP; nothing more."""
    session = enrolment.session
    programme = session.programme
    dates = (
        session.starts_on.strftime("%d-%m-%Y")
        if session.starts_on == session.ends_on
        else f"{session.starts_on:%d-%m-%Y} s.d. {session.ends_on:%d-%m-%Y}"
    )
    return document_issue(
        source=enrolment,
        kind=_("Sertifikat pengembangan kompetensi"),
        title=programme.title,
        holder_name=enrolment.employee.full_name,
        facts=[
            (_("Program"), programme.title),
            (_("Penyelenggara"), programme.provider),
            (_("Tanggal"), dates),
            (_("Jam pelajaran"), f"{programme.jp} JP"),
        ],
        by=by,
    )


@transaction.atomic
def session_close(*, session: Session, by: User) -> dict[str, int]:
    """Close a session after its last day: each participant completes when attendance reaches
    the programme's threshold and the post-test is passed where there is one (DOMAIN §4,
    kinerja.rules.training.is_completed); completion credits the programme's JP in the year the
    session ended and issues the certificate."""
    session = _lock_session(session.pk)
    _require(can_manage_session(by, session), _("Anda bukan penyelenggara sesi ini."))
    _require(session.status == SessionStatus.OPEN, _("Sesi ini sudah ditutup."))
    _require(
        timezone.localdate() >= session.ends_on,
        _("Sesi baru dapat ditutup setelah hari terakhirnya."),
    )
    programme = session.programme
    scheduled = session.scheduled_minutes
    counts = {"completed": 0, "not_completed": 0}
    participants = Enrolment.objects.filter(
        session=session, status=EnrolmentStatus.ENROLLED
    ).select_related("employee", "session", "session__programme")
    minutes: dict[int, int] = {}
    for a in Attendance.objects.filter(enrolment__session=session):
        minutes[a.enrolment_id] = minutes.get(a.enrolment_id, 0) + a.minutes
    now = timezone.now()
    for enrolment in participants:
        passed: bool | None = None
        if programme.post_test_pass_mark is not None:
            passed = (
                enrolment.post_test_score is not None
                and enrolment.post_test_score >= programme.post_test_pass_mark
            )
        done = is_completed(
            attended_minutes=min(minutes.get(enrolment.pk, 0), scheduled),
            scheduled_minutes=scheduled,
            threshold_percent=programme.completion_threshold,
            post_test_passed=passed,
        )
        if done:
            enrolment.status = EnrolmentStatus.COMPLETED
            enrolment.completed_at = now
            enrolment.completed_year = session.ends_on.year
            enrolment.jp_credited = programme.jp
            counts["completed"] += 1
        else:
            enrolment.status = EnrolmentStatus.NOT_COMPLETED
            counts["not_completed"] += 1
        enrolment.save(update_fields=["status", "completed_at", "completed_year", "jp_credited"])
        if done and programme.issues_certificate:
            certificate_issue(enrolment, by)
        notify(
            recipient=enrolment.employee,
            message=(
                _("Selamat, Anda menyelesaikan %(s)s: %(jp)s JP tercatat.")
                if done
                else _("%(s)s: syarat kelulusan belum terpenuhi.")
            )
            % {"s": session, "jp": programme.jp},
            url=reverse("competency:my_learning"),
        )
    # Waiting lists and pending approvals end with the session.
    Enrolment.objects.filter(
        session=session,
        status__in=[EnrolmentStatus.WAITLISTED, EnrolmentStatus.PENDING_APPROVAL],
    ).update(status=EnrolmentStatus.CANCELLED, waitlist_position=None, cancelled_at=now)
    session.status = SessionStatus.CLOSED
    session.save(update_fields=["status"])
    audit_record(actor=by, action=AuditAction.UPDATE, obj=session, changes={"closed": counts})
    jp_changed()
    return counts


# --- Ratings --------------------------------------------------------------------------------


@transaction.atomic
def rating_submit(
    *, enrolment: Enrolment, by: User, score: int, comment: str = ""
) -> SessionRating:
    """A participant rates a session after it (1–5 and a comment), once; a second rating
    replaces the first."""
    _require(by.employee_id == enrolment.employee_id, _("Hanya peserta yang dapat menilai sesi."))
    _require(
        enrolment.status in (EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)
        or (
            enrolment.status == EnrolmentStatus.ENROLLED
            and timezone.localdate() >= enrolment.session.ends_on
        ),
        _("Sesi dapat dinilai setelah selesai diikuti."),
    )
    _require(isinstance(score, int) and 1 <= score <= 5, _("Pilih nilai 1 sampai 5."))
    rating, _created = SessionRating.objects.update_or_create(
        enrolment=enrolment, defaults={"score": score, "comment": (comment or "").strip()[:2000]}
    )
    audit_record(actor=by, action=AuditAction.UPDATE, obj=rating, changes={"score": score})
    return rating


# --- External learning ---------------------------------------------------------------------------


def _check_upload(upload: UploadedFile) -> tuple[bytes, str]:
    """The same rules as realisation evidence (kinerja.performance.evidence): content type from
    the bytes, at most MAX_EVIDENCE_BYTES."""
    _require(
        upload is not None, _("Lampirkan bukti (sertifikat, surat tugas, atau tangkapan layar).")
    )
    _require(
        (upload.size or 0) <= evidence_rules.MAX_EVIDENCE_BYTES,
        _("Berkas terlalu besar (maksimal %(mb)d MB).")
        % {"mb": evidence_rules.MAX_EVIDENCE_BYTES // (1024 * 1024)},
    )
    data = upload.read()
    kind = evidence_rules.detect_kind(data[:16], data)
    _require(
        kind is not None,
        _("Jenis berkas tidak didukung. Gunakan %(k)s.") % {"k": evidence_rules.ALLOWED_LABEL},
    )
    assert kind is not None
    return data, kind


@transaction.atomic
def external_submit(
    *,
    employee: Employee,
    by: User,
    title: str,
    kind: str,
    provider: str,
    started_on: date,
    ended_on: date,
    hours: Decimal,
    upload: UploadedFile,
    item: ExternalLearning | None = None,
) -> ExternalLearning:
    """Record learning outside the catalogue for BKPSDM to verify (or resubmit a returned one)."""
    _require(
        by.employee_id == employee.pk, _("Hanya pegawai yang bersangkutan yang dapat mengajukan.")
    )
    _require(bool((title or "").strip()), _("Tuliskan nama kegiatan."))
    _require(ended_on >= started_on, _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    _require(
        ended_on <= timezone.localdate(), _("Kegiatan yang belum selesai belum dapat diajukan.")
    )
    _require(hours is not None and hours > 0 and hours <= 1000, _("Jumlah jam harus lebih dari 0."))
    if item is not None:
        _require(
            item.employee_id == employee.pk and item.status == ExternalStatus.RETURNED,
            _("Hanya pengajuan yang dikembalikan yang dapat diajukan ulang."),
        )
    data, detected = _check_upload(upload)
    extension, content_type = evidence_rules.KINDS[detected]
    item = item or ExternalLearning(employee=employee)
    item.title = title.strip()[:200]
    item.kind = kind
    item.provider = (provider or "").strip()[:200] or "-"
    item.started_on = started_on
    item.ended_on = ended_on
    item.year = ended_on.year  # DOMAIN §4: counted in the year the learning was completed
    item.hours = round2(hours)
    item.status = ExternalStatus.SUBMITTED
    item.return_reason = ""
    item.jp_confirmed = None
    item.submitted_at = timezone.now()
    item.evidence_name = evidence_rules.safe_display_name(upload.name or "bukti")
    item.evidence_type = content_type
    item.evidence.save(f"{secrets.token_hex(8)}{extension}", ContentFile(data), save=False)
    item.full_clean(exclude=["evidence"])
    item.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=item,
        changes={"hours": str(item.hours), "year": item.year},
    )
    return item


@transaction.atomic
def external_review(
    *, item: ExternalLearning, by: User, approve: bool, jp: Decimal | None = None, reason: str = ""
) -> ExternalLearning:
    """BKPSDM approves (with the JP it confirms; default hours × 60 / 45, DOMAIN §4) or returns
    with a reason."""
    _require(
        access.is_regency_admin(by), _("Hanya BKPSDM yang memverifikasi pembelajaran eksternal.")
    )
    item = ExternalLearning.objects.select_for_update().get(pk=item.pk)
    _require(item.status == ExternalStatus.SUBMITTED, _("Pengajuan ini sudah diverifikasi."))
    reason = (reason or "").strip()
    if approve:
        confirmed = external_jp(item.hours) if jp is None else round2(jp)
        _require(confirmed > 0 and confirmed <= 1000, _("JP yang diakui harus lebih dari 0."))
        item.status = ExternalStatus.APPROVED
        item.jp_confirmed = confirmed
        item.return_reason = ""
    else:
        _require(bool(reason), _("Tuliskan alasan pengembalian."))
        item.status = ExternalStatus.RETURNED
        item.return_reason = reason[:500]
    item.reviewed_by = by
    item.reviewed_at = timezone.now()
    item.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=item,
        changes={"status": [ExternalStatus.SUBMITTED, item.status], "jp": str(item.jp_confirmed)},
        note=reason,
    )
    notify(
        recipient=item.employee,
        message=(
            _("Pembelajaran eksternal \u201c%(t)s\u201d disetujui: %(jp)s JP.")
            if approve
            else _("Pembelajaran eksternal \u201c%(t)s\u201d dikembalikan: %(r)s")
        )
        % {"t": item.title, "jp": item.jp_confirmed, "r": reason},
        url=reverse("competency:my_learning"),
    )
    jp_changed()
    return item


# --- Development plans ------------------------------------------------------------------------

BEHAVIOUR_TAGS = {v.code: v.name for v in berakhlak.VALUES}


def assessment_gaps(employee: Employee, year: int) -> list[tuple[str, str, str]]:
    """(tag, gap, origin) from the employee's finalised assessments of `year` and the year
    before: BerAKHLAK values rated Di Bawah Ekspektasi and indicators whose status is di bawah.
    Read through kinerja.assessment (below this app)."""
    from kinerja.assessment.choices import AssessmentStatus
    from kinerja.assessment.models import Assessment

    gaps: dict[tuple[str, str], tuple[str, str, str]] = {}
    below_label = str(Rating.DI_BAWAH.label)
    for a in Assessment.objects.filter(
        employee=employee, status=AssessmentStatus.FINAL, year__in=[year, year - 1]
    ).order_by("-year", "-period"):
        for code, rating in (a.behaviour or {}).items():
            if rating == Rating.DI_BAWAH.value and code in BEHAVIOUR_TAGS:
                tag = BEHAVIOUR_TAGS[code]
                gaps.setdefault(
                    (tag, GapSource.BEHAVIOUR),
                    (
                        tag,
                        _("Perilaku %(v)s di bawah ekspektasi (%(p)s)")
                        % {"v": tag, "p": a.period_label},
                        GapSource.BEHAVIOUR,
                    ),
                )
        for row in (a.snapshot or {}).get("rows", []):
            if row.get("status") == below_label:
                gaps.setdefault(
                    ("Kompeten", GapSource.INDICATOR),
                    (
                        "Kompeten",
                        _("Indikator di bawah target: %(i)s (%(p)s)")
                        % {"i": row.get("indicator", ""), "p": a.period_label},
                        GapSource.INDICATOR,
                    ),
                )
    return list(gaps.values())


def _plan_for(employee: Employee, year: int) -> DevelopmentPlan:
    plan, _created = DevelopmentPlan.objects.get_or_create(employee=employee, year=year)
    return plan


def _suggested_programme(tag: str) -> Programme | None:
    return (
        Programme.objects.filter(is_active=True, tags__contains=tag).order_by("title").first()
        if connection.vendor == "postgresql"
        else next(
            (
                p
                for p in Programme.objects.filter(is_active=True).order_by("title")
                if tag in p.tags
            ),
            None,
        )
    )


@transaction.atomic
def plan_refresh(*, employee: Employee, year: int, by: User) -> DevelopmentPlan:
    """Create the year's plan if needed and add the gaps found in finalised assessments, each
    with a suggested programme of the same tag (existing items are left alone)."""
    _require(
        by.employee_id == employee.pk or can_nominate(by, employee),
        _("Anda tidak berwenang menyusun rencana pegawai ini."),
    )
    plan = _plan_for(employee, year)
    known = set(plan.items.values_list("tag", "origin"))
    added = 0
    for tag, gap, origin in assessment_gaps(employee, year):
        if (tag, origin) in known:
            continue
        DevelopmentItem.objects.create(
            plan=plan, tag=tag, gap=gap[:500], origin=origin, programme=_suggested_programme(tag)
        )
        added += 1
    if added:
        audit_record(actor=by, action=AuditAction.UPDATE, obj=plan, changes={"gaps_added": added})
    return plan


@transaction.atomic
def plan_item_add(
    *, plan: DevelopmentPlan, by: User, tag: str, gap: str, programme: Programme | None = None
) -> DevelopmentItem:
    """The employee or the supervisor adds a gap (supervisor's note or the employee's wish)."""
    employee = plan.employee
    own = by.employee_id == employee.pk
    _require(own or can_nominate(by, employee), _("Anda tidak berwenang mengubah rencana ini."))
    tag = (tag or "").strip()
    gap = (gap or "").strip()
    _require(bool(tag), _("Pilih kompetensi yang akan dikembangkan."))
    _require(bool(gap), _("Tuliskan kesenjangan kompetensinya."))
    origin = GapSource.SELF if own else GapSource.SUPERVISOR
    _require(
        not plan.items.filter(tag=tag, origin=origin, source="").exists(),
        _("Kompetensi ini sudah ada di rencana."),
    )
    item = DevelopmentItem.objects.create(
        plan=plan,
        tag=tag[:100],
        gap=gap[:500],
        origin=origin,
        programme=programme or _suggested_programme(tag),
    )
    plan.employee_agreed_at = plan.supervisor_agreed_at = None
    plan.save(update_fields=["employee_agreed_at", "supervisor_agreed_at"])
    audit_record(actor=by, action=AuditAction.CREATE, obj=item, changes={"tag": tag})
    return item


@transaction.atomic
def plan_agree(*, plan: DevelopmentPlan, by: User) -> DevelopmentPlan:
    """The employee and the supervisor each agree the plan; its proposed items become agreed
    once both have."""
    employee = plan.employee
    now = timezone.now()
    if by.employee_id == employee.pk:
        plan.employee_agreed_at = now
    elif can_nominate(by, employee):
        plan.supervisor_agreed_at = now
    else:
        raise ValidationError(_("Anda tidak berwenang menyetujui rencana ini."))
    plan.save(update_fields=["employee_agreed_at", "supervisor_agreed_at"])
    if plan.employee_agreed_at and plan.supervisor_agreed_at:
        plan.items.filter(status=PlanItemStatus.PROPOSED).update(status=PlanItemStatus.AGREED)
    other = employee.supervisor if by.employee_id == employee.pk else employee
    notify(
        recipient=other,
        message=_("Rencana pengembangan kompetensi %(n)s %(y)s disetujui oleh %(b)s.")
        % {"n": employee.full_name, "y": plan.year, "b": by.get_full_name()},
        url=reverse("competency:plan_employee", args=[employee.pk]),
    )
    audit_record(actor=by, action=AuditAction.UPDATE, obj=plan, changes={"agreed": str(now)})
    return plan


def on_training_required(
    *,
    topic: str,
    employee_id: int,
    year: int,
    tag: str,
    reason: str,
    source: str,
    **_extra: Any,
) -> None:
    """Subscriber of "training.required" (rewards' "pelatihan wajib", BRIEF-PILLARS §2): a
    mandatory item in the employee's development plan, idempotent by `source`."""
    del topic
    employee = Employee.objects.filter(pk=employee_id).first()
    if employee is None:
        return
    with transaction.atomic():
        plan = _plan_for(employee, int(year))
        if plan.items.filter(source=source[:100]).exists():
            return
        item = DevelopmentItem.objects.create(
            plan=plan,
            tag=(tag or "Kompeten")[:100],
            gap=(reason or _("Pelatihan wajib"))[:500],
            origin=GapSource.MANDATORY,
            source=source[:100],
            status=PlanItemStatus.AGREED,
            programme=_suggested_programme(tag or ""),
        )
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            obj=item,
            changes={"tag": item.tag, "source": source},
            note="pelatihan wajib",
        )
        notify(
            recipient=employee,
            message=_("Pelatihan wajib ditambahkan ke rencana pengembangan Anda: %(t)s.")
            % {"t": item.tag},
            url=reverse("competency:plan"),
        )


# --- Catalogue (BKPSDM; an Admin OPD for its own programmes) ------------------------------------


@transaction.atomic
def programme_save(
    *, by: User, programme: Programme, audience_units: Iterable[Any] = ()
) -> Programme:
    """Create or change a programme (the form validated its fields)."""
    _require(
        can_manage_programme(by, programme if programme.pk else None),
        _("Anda tidak berwenang mengelola program ini."),
    )
    if access.is_opd_admin(by) and not access.is_regency_admin(by):
        programme.owner_opd_id = by.managed_opd_id
    created = programme.pk is None
    programme.full_clean()
    programme.save()
    programme.audience_units.set(list(audience_units))
    audit_record(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=programme,
        changes={"jp": str(programme.jp), "kind": programme.kind},
    )
    return programme


@transaction.atomic
def session_save(*, by: User, session: Session) -> Session:
    """Create or change a session of a programme; the quota never drops below the seats taken."""
    _require(
        can_manage_programme(by, session.programme),
        _("Anda tidak berwenang mengelola program ini."),
    )
    created = session.pk is None
    if created:
        session.checkin_secret = secrets.token_hex(16)
        session.organiser = session.organiser or by
    else:
        current = Session.objects.select_for_update().get(pk=session.pk)
        session.seats_taken = current.seats_taken
        _require(
            session.quota >= current.seats_taken,
            _("Kuota tidak boleh kurang dari kursi yang sudah terisi (%(n)d).")
            % {"n": current.seats_taken},
        )
    session.full_clean(exclude=["checkin_secret"])
    session.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=session,
        changes={"quota": session.quota, "starts_on": str(session.starts_on)},
    )
    if not created:
        locked = _lock_session(session.pk)
        _promote_waitlist(locked, by)
    jp_changed()
    return session
