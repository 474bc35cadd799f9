"""Seats and the waitlist of a session: the locked session row, taking and freeing a seat
atomically (a conditional UPDATE backed by the session_no_overbooking check constraint), the
waitlist's order and its promotion. Shared by enrolment, attendance and the catalogue."""

from __future__ import annotations

from django.db.models import F, Max
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.notifications import notify
from kinerja.organisation.models import User

from ..choices import EnrolmentStatus
from ..models import Enrolment, Session


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
