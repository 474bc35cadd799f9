"""Attendance (the QR check-in and the organiser's sheet) and completion: closing a session
credits JP to those who completed it and issues their certificates."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.notifications import notify
from kinerja.core.verification import document_issue
from kinerja.organisation.models import User
from kinerja.rules.training import is_completed

from ..choices import AttendanceSource, EnrolmentStatus, SessionStatus
from ..models import Attendance, Enrolment, Session
from .common import _require, jp_changed
from .rights import can_manage_session
from .seats import _lock_session

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
    jp_changed(year=session.ends_on.year)
    return counts
