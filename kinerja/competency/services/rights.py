"""Who may manage a session or a programme, nominate an employee, decide an enrolment (the
selectors ask the same questions, through kinerja.competency.services)."""

from __future__ import annotations

from kinerja.organisation import access
from kinerja.organisation.models import Employee, User

from ..models import Enrolment, Programme, Session


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


def can_open_approvals(user: User | None) -> bool:
    """The approvals page ("Persetujuan"): BKPSDM (external learning to verify) and supervisors
    (self-registrations of their people); anyone else with something pending is let in by the
    page itself."""
    return access.is_regency_admin(user) or access.is_supervisor(user)


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
