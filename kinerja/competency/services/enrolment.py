"""Enrolment: registration and nomination (no overbooking under concurrency: a conditional
UPDATE on the seats, backed by a check constraint), the waitlist, the supervisor's approval,
cancellation. Seats and the waitlist's order are kept by .seats."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.notifications import notify
from kinerja.core.text import trimmed
from kinerja.organisation.models import Employee, User

from ..choices import EnrolmentStatus, SessionStatus
from ..models import Enrolment, Session
from .common import AlreadyEnrolled, _require, jp_changed
from .rights import can_decide_enrolment, can_manage_session, can_nominate
from .seats import (
    _free_seat,
    _lock_session,
    _next_waitlist_position,
    _promote_waitlist,
    _take_seat,
    session_url,
)

# --- Enrolment ----------------------------------------------------------------------------------


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
    jp_changed([employee.pk], session.ends_on.year)
    return enrolment


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
    jp_changed(year=session.ends_on.year)
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
    note = trimmed(note)
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
    jp_changed(year=session.ends_on.year)
    return enrolment
