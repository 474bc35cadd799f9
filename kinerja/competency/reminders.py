"""Reminder sources of competency development, for kinerja.adoption's reminder runner (BRIEF-
PILLARS §3: the lead plugs them in). Each function returns what to send, never sends:

kind (notify(..., kind=…))        source function           recipient
--------------------------------  ------------------------  ----------------------------------
"competency.session_starting"     sessions_starting(day)    each participant, the day before
"competency.approval_pending"     approvals_waiting(days)   the supervisor of a self-registration
                                                            pending for `days` or more
"competency.plan_item"            plan_items_open(year)     employees with agreed plan items and
                                                            no enrolment in their programme yet
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import EnrolmentStatus, PlanItemStatus, SessionStatus
from .models import DevelopmentItem, Enrolment


@dataclass(frozen=True)
class Reminder:
    kind: str
    employee_id: int  # the recipient (notify reaches their account)
    message: str
    url: str


def sessions_starting(day: date) -> list[Reminder]:
    """Participants of the sessions that start on `day` (send the day before)."""
    return [
        Reminder(
            "competency.session_starting",
            e.employee_id,
            _("Besok: %(t)s, %(h)s di %(p)s.")
            % {
                "t": e.session.programme.title,
                "h": e.session.start_time.strftime("%H:%M"),
                "p": e.session.place or _("daring"),
            },
            reverse("competency:session_detail", args=[e.session_id]),
        )
        for e in Enrolment.objects.filter(
            status=EnrolmentStatus.ENROLLED,
            session__starts_on=day,
            session__status=SessionStatus.OPEN,
        ).select_related("session", "session__programme")
    ]


def approvals_waiting(days: int = 2) -> list[Reminder]:
    """Supervisors with self-registrations waiting `days` or more for their decision."""
    before = timezone.now() - timedelta(days=days)
    return [
        Reminder(
            "competency.approval_pending",
            e.employee.supervisor_id,
            _("%(n)s menunggu persetujuan Anda untuk %(t)s.")
            % {"n": e.employee.full_name, "t": e.session.programme.title},
            reverse("competency:approvals"),
        )
        for e in Enrolment.objects.filter(
            status=EnrolmentStatus.PENDING_APPROVAL,
            created_at__lte=before,
            employee__supervisor__isnull=False,
        ).select_related("employee", "session__programme")
    ]


def plan_items_open(year: int) -> list[Reminder]:
    """Agreed development-plan items whose programme the employee has not enrolled in."""
    items = DevelopmentItem.objects.filter(
        plan__year=year, status=PlanItemStatus.AGREED, programme__isnull=False
    ).select_related("plan", "programme")
    enrolled = set(
        Enrolment.objects.filter(
            session__ends_on__year=year, status__in=EnrolmentStatus.active()
        ).values_list("employee_id", "session__programme_id")
    )
    return [
        Reminder(
            "competency.plan_item",
            i.plan.employee_id,
            _("Rencana pengembangan Anda: daftar %(t)s.") % {"t": i.programme.title},  # type: ignore[union-attr]
            reverse("competency:programme_detail", args=[i.programme_id]),
        )
        for i in items
        if (i.plan.employee_id, i.programme_id) not in enrolled
    ]
