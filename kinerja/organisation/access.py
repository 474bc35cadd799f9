"""The access policy: the one place that decides who may see and do what.

- BKPSDM admins, the regent's office (Pimpinan Daerah), the Inspektorat and superusers see
  every employee. Only BKPSDM admins and superusers change regency-wide data.
- An Admin OPD sees the employees of their OPD and manages those whose account is a plain
  Pegawai one; accounts with a higher role are managed by BKPSDM (and superusers by superusers).
- A supervisor sees their whole reporting subtree (rights come from the reporting lines,
  not from a role); every employee sees themself.
- Everything else is invisible, and views answer 404 for it (never 403, which would confirm
  that the object exists).

Selectors build their querysets from the filters here; views never decide access themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from kinerja.organisation.choices import Role

if TYPE_CHECKING:
    from kinerja.organisation.models import Employee, Unit, User

READ_ALL_ROLES = frozenset({Role.ADMIN_BKPSDM, Role.PIMPINAN, Role.INSPEKTORAT})


def _active(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def sees_all(user: User | None) -> bool:
    """Reads every employee of the regency."""
    return _active(user) and (user.is_superuser or user.role in READ_ALL_ROLES)  # type: ignore[union-attr]


def is_regency_admin(user: User | None) -> bool:
    """Changes regency-wide data: units, positions, employees everywhere, imports."""
    return _active(user) and (user.is_superuser or user.role == Role.ADMIN_BKPSDM)  # type: ignore[union-attr]


def is_opd_admin(user: User | None) -> bool:
    return _active(user) and user.role == Role.ADMIN_OPD and user.managed_opd_id is not None  # type: ignore[union-attr]


def can_read_audit(user: User | None) -> bool:
    return _active(user) and (
        user.is_superuser or user.role in {Role.ADMIN_BKPSDM, Role.INSPEKTORAT}  # type: ignore[union-attr]
    )


def under(path: str, field: str = "path") -> Q:
    """Rows whose materialised `field` starts with `path` ("/1/8/": the subtree below and
    including 8), as a condition the database answers from the path index.

    Django's `startswith` is a LIKE, which SQLite never answers from an index (its LIKE is
    case-insensitive); there the same set is the range [path, path with its final "/" raised to
    "0"), exact because paths hold only digits and "/" and SQLite compares bytes, so the LIKE
    is left out (evaluating it on every row of the Sekda's 100,000 took most of a count).
    PostgreSQL keeps the LIKE, answered by the varchar_pattern_ops index on the path.
    """
    if connection.vendor == "sqlite" and path.endswith("/"):
        upper = path[:-1] + chr(ord("/") + 1)
        return Q(**{f"{field}__gte": path, f"{field}__lt": upper})
    return Q(**{f"{field}__startswith": path})


def employee_filter(user: User | None, prefix: str = "") -> Q:
    """A filter selecting exactly the employees `user` may see.

    `prefix` applies it to a related model, e.g. ``employee_filter(user, "employee__")`` on Plan.
    """
    if not _active(user):
        return Q(pk__in=[])
    assert user is not None
    if sees_all(user):
        return Q()
    scope = Q(pk__in=[])
    if is_opd_admin(user):
        scope |= Q(**{f"{prefix}unit__opd_id": user.managed_opd_id})
    if user.employee_id is not None:
        scope |= under(user.employee.path, f"{prefix}path")
    return scope


def can_view_employee(user: User | None, employee: Employee) -> bool:
    """The same decision as `employee_filter`, for one employee already in memory."""
    if not _active(user):
        return False
    assert user is not None
    if sees_all(user):
        return True
    if is_opd_admin(user) and employee.unit.opd_id == user.managed_opd_id:
        return True
    own = user.employee if user.employee_id is not None else None
    return own is not None and employee.path.startswith(own.path)


def _privileged_account_filter(prefix: str = "") -> Q:
    """Employees whose account holds more than the Pegawai role: a regency-wide or OPD-wide
    role, Django admin access, or superuser rights."""
    return (
        ~Q(**{f"{prefix}user__role": Role.PEGAWAI})
        | Q(**{f"{prefix}user__is_staff": True})
        | Q(**{f"{prefix}user__is_superuser": True})
    ) & Q(**{f"{prefix}user__isnull": False})


def is_privileged_account(account: User | None) -> bool:
    """An account above Pegawai: taking it over would give more than one employee's rights."""
    return account is not None and (
        account.role != Role.PEGAWAI or account.is_staff or account.is_superuser
    )


def manageable_employee_filter(user: User | None) -> Q:
    """Employees whose record and account `user` may change (edit, reset password).

    An Admin OPD manages the employees of their OPD whose account is a plain Pegawai one (or
    who have none yet); an account with a higher role (e.g. a Dinas Kesehatan employee who is
    also Admin BKPSDM) is managed by BKPSDM only, or an Admin OPD could take it over by resetting
    its password. A superuser's account is managed by superusers only."""
    if not _active(user):
        return Q(pk__in=[])
    assert user is not None
    if user.is_superuser:
        return Q()
    if is_regency_admin(user):
        return ~Q(user__is_superuser=True)
    if is_opd_admin(user):
        return Q(unit__opd_id=user.managed_opd_id) & ~_privileged_account_filter()
    return Q(pk__in=[])


def _account_of(employee: Employee) -> User | None:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return employee.user  # type: ignore[no-any-return]
    except ObjectDoesNotExist:
        return None


def can_manage_employee(user: User | None, employee: Employee) -> bool:
    """The same decision as `manageable_employee_filter`, for one employee in memory."""
    if not _active(user):
        return False
    assert user is not None
    if user.is_superuser:
        return True
    account = _account_of(employee)
    if is_regency_admin(user):
        return account is None or not account.is_superuser
    return (
        is_opd_admin(user)
        and employee.unit.opd_id == user.managed_opd_id
        and not is_privileged_account(account)
    )


def can_manage_organisation(user: User | None) -> bool:
    """Units, positions and the regency profile; imports of units, positions, employees."""
    return is_regency_admin(user)


def can_create_employee(user: User | None) -> bool:
    return is_regency_admin(user) or is_opd_admin(user)


def headed_opd_id(user: User | None) -> int | None:
    """The OPD whose head `user` is (Kepala Dinas/Badan, camat, ...), else None: an active
    employee in a structural position in the OPD's own top unit whose supervisor works outside
    the OPD (or who has none). The head of an OPD reads their OPD wherever its Admin OPD does
    (dashboards, the directory export); where the admin writes, the head only reads. One query,
    remembered on the user object for the request."""
    if not _active(user) or user.employee_id is None:  # type: ignore[union-attr]
        return None
    assert user is not None
    cached = getattr(user, "_kinerja_headed_opd", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    from kinerja.organisation.choices import PositionKind
    from kinerja.organisation.models import Employee

    structural = [PositionKind.JPT, PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS]
    found = (
        Employee.objects.filter(
            pk=user.employee_id,
            is_active=True,
            unit__parent__isnull=True,
            position__kind__in=structural,
        )
        .exclude(supervisor__unit__opd_id=F("unit_id"))
        .exclude(supervisor__unit_id=F("unit_id"))
        .values_list("unit_id", flat=True)
        .first()
    )
    user._kinerja_headed_opd = found  # type: ignore[attr-defined]
    return found


def can_export_directory(user: User | None) -> bool:
    """The directory export: the regency-wide readers, an Admin OPD and the head of an OPD
    (each gets the employees they may see)."""
    return sees_all(user) or is_opd_admin(user) or headed_opd_id(user) is not None


def is_supervisor(user: User | None) -> bool:
    if not _active(user) or user.employee_id is None:  # type: ignore[union-attr]
        return False
    return user.employee.direct_reports.filter(is_active=True).exists()  # type: ignore[union-attr]


# --- Performance (SKP) ---------------------------------------------------------------------
# Who may see a plan is who may see its employee. Writing is narrower: the employee writes their
# own plan and realisations; the assessing official (pejabat penilai, by default the direct
# supervisor) approves, returns, reviews and reopens; anyone above the employee in the reporting
# lines may give feedback; Pimpinan Daerah approves the plans of those without a supervisor
# (the Sekretaris Daerah, whose assessor is the regent).


def is_plan_owner(user: User | None, plan: Any) -> bool:
    return _active(user) and user.employee_id is not None and user.employee_id == plan.employee_id  # type: ignore[union-attr]


def is_plan_assessor(user: User | None, plan: Any) -> bool:
    if not _active(user):
        return False
    assert user is not None
    if plan.assessor_id is None:
        return user.role == Role.PIMPINAN or user.is_superuser
    return user.employee_id is not None and user.employee_id == plan.assessor_id


def is_above(user: User | None, employee: Employee) -> bool:
    """`user` is somewhere above `employee` in the reporting lines."""
    if not _active(user) or user.employee_id is None:  # type: ignore[union-attr]
        return False
    own = user.employee  # type: ignore[union-attr]
    return employee.pk != own.pk and employee.path.startswith(own.path)


def can_comment_on_plan(user: User | None, plan: Any) -> bool:
    return (
        is_plan_owner(user, plan) or is_plan_assessor(user, plan) or is_above(user, plan.employee)
    )


def can_enter_realisations(user: User | None, plan: Any) -> bool:
    """Who writes a plan's monthly realisations: the employee (the grid, imports, the API),
    and BKPSDM on the employee's behalf, as it may create their plan (`plan_create`): the
    integration accounts that carry a month's figures over from the regency's other systems
    in one bulk API request (issue 17). The grid page stays the owner's own; every entry
    records who wrote it (Realisation.entered_by and the audit trail)."""
    return is_plan_owner(user, plan) or is_regency_admin(user)


def can_manage_goals(user: User | None, opd: Any) -> bool:
    """The OPD's goals (Perjanjian Kinerja): its Admin OPD, BKPSDM, superusers."""
    return is_regency_admin(user) or (is_opd_admin(user) and user.managed_opd_id == opd.pk)  # type: ignore[union-attr]


# --- Public services (kinerja.public) -----------------------------------------------------------
# A public-facing unit's services, survey results, complaint inbox and forum are administered by
# the Admin OPD of the unit's OPD, Admin BKPSDM and superusers. They are read, in addition, by
# the regency-wide readers (Pimpinan Daerah, Inspektorat) and by the heads and supervisors who
# work in the unit or above it (an employee with active direct reports whose own unit is the unit
# or one of its ancestors). Citizens use the public pages (survey, complaints, forum,
# transparency) without an account.


def public_unit_admin_filter(user: User | None) -> Q:
    """A filter on Unit selecting the public-facing units whose services `user` administers."""
    if is_regency_admin(user):
        return Q()
    if is_opd_admin(user):
        return Q(opd_id=user.managed_opd_id)  # type: ignore[union-attr]
    return Q(pk__in=[])


def can_administer_public_unit(user: User | None, unit: Unit) -> bool:
    if is_regency_admin(user):
        return True
    return is_opd_admin(user) and unit.opd_id == user.managed_opd_id  # type: ignore[union-attr]


def public_unit_read_filter(user: User | None) -> Q:
    """A filter on Unit selecting the units whose survey results and complaints `user` reads."""
    if sees_all(user):
        return Q()
    scope = public_unit_admin_filter(user)
    if is_supervisor(user):
        scope |= Q(path__startswith=user.employee.unit.path)  # type: ignore[union-attr]
    return scope


def can_read_public_unit(user: User | None, unit: Unit) -> bool:
    if sees_all(user) or can_administer_public_unit(user, unit):
        return True
    return is_supervisor(user) and unit.path.startswith(user.employee.unit.path)  # type: ignore[union-attr]


def can_edit_survey_questions(user: User | None) -> bool:
    """The regency's wording of the nine SKM questions (one text for every service): BKPSDM."""
    return is_regency_admin(user)


def can_use_public_admin(user: User | None) -> bool:
    """Whether the menu shows the public-services pages (decided on the role alone, no query)."""
    return sees_all(user) or is_opd_admin(user)


# --- Assessment (kinerja.assessment) -----------------------------------------------------------
# Seeing an assessment is seeing its employee (employee_filter), except that the employee sees
# their own result only once it is final. Rating is narrower: only the assessing official
# (pejabat penilai, the plan's assessor snapshot; Pimpinan Daerah for those without one).
# Objections are decided by the assessing official's own superior (PP 30/2019 Pasal 59; Pimpinan
# Daerah when the assessor has no superior or there is no assessor). The organisation predikat of
# an OPD is set by the regent's office (Pimpinan Daerah); that of a unit inside an OPD by the
# head of the OPD. Calibration is for the regency-wide readers (BKPSDM, Pimpinan, Inspektorat);
# only BKPSDM (and superusers) return finalised results to their assessor for calibration.


def is_assessment_assessor(user: User | None, assessment: Any) -> bool:
    """The assessing official recorded on an assessment (who rated it; see below)."""
    return is_plan_assessor(user, assessment)


# A transfer (mutasi, or any change of the direct supervisor) and the assessing official. Project
# rule: the assessing official of a period is the employee's direct supervisor on record at the
# period's end (while the period runs: the current one), from the reporting-line history; when the
# history starts after the period's end, the first supervisor on record. So a former supervisor
# keeps rating rights for the periods they supervised to the end, and nothing else: they no
# longer see the employee, the plan or its pages (employee_filter follows today's lines), and
# the plan's current assessor (approval, review of realisations) follows the new supervisor
# (kinerja.performance.services.plan_assessor_follow). Every assessment view and service asks
# `is_period_assessor`.


def _period_moment(period: Any) -> datetime:
    end = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))
    return min(end - timedelta(microseconds=1), timezone.now())


def period_assessor_ids(employee_ids: Iterable[int], period: Any) -> dict[int, int | None]:
    """The assessing official (an employee id; None: Pimpinan Daerah) of each employee for
    `period`, by the rule above, in one query. Employees without any history are left out
    (callers fall back to the plan's assessor)."""
    from kinerja.organisation.models import EmployeeHistory

    moment = _period_moment(period)
    found: dict[int, int | None] = {}
    first: dict[int, int | None] = {}
    rows = (
        EmployeeHistory.objects.filter(employee_id__in=list(employee_ids))
        .order_by("employee_id", "valid_from", "pk")
        .values_list("employee_id", "supervisor_id", "valid_from", "valid_to")
    )
    for employee_id, supervisor_id, valid_from, valid_to in rows:
        first.setdefault(employee_id, supervisor_id)
        if valid_from <= moment and (valid_to is None or valid_to > moment):
            found[employee_id] = supervisor_id
    return {**first, **found}


def is_assessor_id(user: User | None, assessor_id: int | None) -> bool:
    """`user` is the assessing official `assessor_id` (None: Pimpinan Daerah, or a superuser)."""
    if not _active(user):
        return False
    assert user is not None
    if assessor_id is None:
        return user.role == Role.PIMPINAN or user.is_superuser
    return user.employee_id is not None and user.employee_id == assessor_id


def period_assessor_id(plan: Any, period: Any) -> int | None:
    return period_assessor_ids([plan.employee_id], period).get(plan.employee_id, plan.assessor_id)


def is_period_assessor(user: User | None, plan: Any, period: Any) -> bool:
    """`user` rates `plan`'s employee for `period` (the rule above)."""
    return _active(user) and is_assessor_id(user, period_assessor_id(plan, period))


def is_objection_decider(user: User | None, objection: Any) -> bool:
    if not _active(user):
        return False
    assert user is not None
    if objection.decider_id is None:
        return user.role == Role.PIMPINAN or user.is_superuser
    return user.employee_id is not None and user.employee_id == objection.decider_id


def can_calibrate(user: User | None) -> bool:
    """The regency view of all assessments: BKPSDM, the regent's office, the inspectorate."""
    return sees_all(user)


def can_return_for_calibration(user: User | None) -> bool:
    """Returning an assessor's finalised results for calibration (they become drafts again):
    BKPSDM admins and superusers only; the regent's office and the inspectorate read."""
    return is_regency_admin(user)


def can_export_siasn(user: User | None) -> bool:
    """The SIASN "kinerja periodik" export and its dry-run (page, API, command): BKPSDM, which
    uploads the regency's results to the national system, and superusers. Through the API,
    only with a token of scope "admin" (kinerja.assessment.siasn.api)."""
    return is_regency_admin(user)


def can_set_org_predikat(user: User | None, unit: Unit, opd_head_id: int | None) -> bool:
    """`opd_head_id`: the employee heading the unit's OPD (None when unknown)."""
    if not _active(user):
        return False
    assert user is not None
    if unit.parent_id is None:
        return user.role == Role.PIMPINAN or user.is_superuser
    return user.employee_id is not None and user.employee_id == opd_head_id


# --- Monitoring (kinerja.monitoring) --------------------------------------------------------------
# The team board ("Tim saya") shows a supervisor's reporting subtree and "Kinerja saya" the user's
# own figures: both follow `employee_filter`. The regency dashboard ("Dasbor daerah") is for the
# regency's leaders and overseers: Pimpinan Daerah, BKPSDM, Inspektorat and superusers. An Admin
# OPD and the head of an OPD (`headed_opd_id`) may drill into the units of their own OPD; the
# people listed there are still filtered by `employee_filter`.


def can_view_regency_dashboard(user: User | None) -> bool:
    """Pimpinan Daerah, Admin BKPSDM, Inspektorat and superusers (decided on the role alone)."""
    return sees_all(user)


def can_view_unit_dashboard(user: User | None, unit: Unit) -> bool:
    """The dashboard of one unit: the regency dashboard's readers for every unit, an Admin OPD
    and the head of an OPD for the units of their OPD."""
    if can_view_regency_dashboard(user):
        return True
    opd_id = unit.opd_id or unit.pk
    if is_opd_admin(user) and opd_id == user.managed_opd_id:  # type: ignore[union-attr]
        return True
    return headed_opd_id(user) == opd_id


# --- Rewards, sanctions and TPP (kinerja.rewards) ------------------------------------------
# BKPSDM (and superusers) keep the follow-up rules, the TPP base table, attendance imports and
# discipline records, run the rules, approve and lock the TPP. An Admin OPD reviews its OPD's TPP
# lines and reads its OPD's payroll. Salary data (TPP lines) is read by the employee themself,
# the regency-wide readers and the Admin OPD of the employee's OPD — not by supervisors.
# Recommendations are read like the employee (employee_filter), except that an employee sees
# their own only once decided. They are decided by the authorised official: BKPSDM for every
# action (on behalf of the Pejabat Pembina Kepegawaian); the head of the employee's OPD for the
# actions inside the OPD's own authority (recognition, coaching, mandatory training) — the
# reassignment, the referral and disciplinary punishments are BKPSDM's (PP 94/2021 Pasal 18–20
# puts Sedang/Berat with the PPK; PP 30/2019 Pasal 56–58). The fairness report is for BKPSDM and
# the Inspektorat.


BKPSDM_ONLY_ACTIONS = frozenset({"mutasi", "rujukan_bkpsdm", "hukuman_disiplin"})
"""Actions of kinerja.rewards.choices.Action that only BKPSDM decides."""


def can_manage_rewards(user: User | None) -> bool:
    """Follow-up rules, TPP base table, attendance import, discipline records, TPP approval."""
    return is_regency_admin(user)


def can_view_rewards_admin(user: User | None) -> bool:
    """The regency-wide follow-up pages (TPP overview, discipline records, Satyalancana list,
    ASN Berprestasi ranking): the regency-wide readers and the Admin OPD (for their OPD)."""
    return sees_all(user) or is_opd_admin(user)


def tpp_line_filter(user: User | None, prefix: str = "") -> Q:
    """TPP lines `user` may read: their own, every line for the regency-wide readers, their
    OPD's for an Admin OPD."""
    if not _active(user):
        return Q(pk__in=[])
    assert user is not None
    if sees_all(user):
        return Q()
    scope = Q(pk__in=[])
    if is_opd_admin(user):
        scope |= Q(**{f"{prefix}opd_id": user.managed_opd_id})
    if user.employee_id is not None:
        scope |= Q(**{f"{prefix}employee_id": user.employee_id})
    return scope


def can_review_tpp_opd(user: User | None, opd_id: int) -> bool:
    return is_regency_admin(user) or (is_opd_admin(user) and user.managed_opd_id == opd_id)  # type: ignore[union-attr]


def can_read_tpp_opd(user: User | None, opd_id: int) -> bool:
    return sees_all(user) or can_review_tpp_opd(user, opd_id)


def recommendation_filter(user: User | None) -> Q:
    """Recommendations `user` may read (see above)."""
    if not _active(user):
        return Q(pk__in=[])
    assert user is not None
    if sees_all(user):
        return Q()
    scope = Q(pk__in=[])
    if is_opd_admin(user):
        scope |= Q(opd_id=user.managed_opd_id)
    if user.employee_id is not None:
        below = under(user.employee.path, "employee__path") & ~Q(employee_id=user.employee_id)
        scope |= below | (Q(employee_id=user.employee_id) & ~Q(status="menunggu"))
    return scope


def can_decide_recommendation(user: User | None, recommendation: Any) -> bool:
    """BKPSDM for every action; the head of the employee's OPD for the OPD's own actions."""
    if not _active(user) or not recommendation.is_pending:
        return False
    if is_regency_admin(user):
        return True
    if recommendation.action in BKPSDM_ONLY_ACTIONS:
        return False
    assert user is not None
    if user.employee_id == recommendation.employee_id:
        return False
    return headed_opd_id(user) == recommendation.opd_id


def can_read_fairness(user: User | None) -> bool:
    """The fairness report: BKPSDM and the Inspektorat (and superusers)."""
    return can_read_audit(user)


def can_manage_coaching(user: User | None, plan: Any) -> bool:
    """Sessions and the outcome of a coaching plan: the employee's supervisor on the plan, and
    anyone above the employee; BKPSDM."""
    if is_regency_admin(user):
        return True
    if not _active(user) or user.employee_id is None:  # type: ignore[union-attr]
        return False
    assert user is not None
    return user.employee_id == plan.supervisor_id or is_above(user, plan.employee)


# --- Adoption (kinerja.adoption) --------------------------------------------------------------
# Activation codes are issued by BKPSDM (every account it manages) and by an Admin OPD (the plain
# Pegawai accounts of their OPD): the same people whose password each may reset
# (`manageable_employee_filter`). The adoption figures are read by BKPSDM, Pimpinan Daerah and
# superusers for the whole regency and by an Admin OPD for their OPD. The help centre is read by
# everyone logged in and edited by BKPSDM; announcements are written by BKPSDM (any audience)
# and by an Admin OPD (audiences inside their OPD). Reports that a supervisor on record is wrong
# go to the Admin OPD of the employee's OPD (and BKPSDM). The scheduled jobs' last runs are for
# BKPSDM.


def can_issue_activation(user: User | None) -> bool:
    return is_regency_admin(user) or is_opd_admin(user)


def activation_employee_filter(user: User | None) -> Q:
    """Employees whose account `user` may (re)issue an activation code for."""
    return manageable_employee_filter(user)


def can_view_adoption(user: User | None) -> bool:
    """The adoption dashboard at all (decided on the role alone)."""
    return _active(user) and (
        user.is_superuser  # type: ignore[union-attr]
        or user.role in {Role.ADMIN_BKPSDM, Role.PIMPINAN}  # type: ignore[union-attr]
        or is_opd_admin(user)
    )


def adoption_opd_id(user: User | None) -> int | None:
    """The OPD an Admin OPD's adoption figures are limited to (None: the whole regency)."""
    if is_opd_admin(user) and not user.is_superuser:  # type: ignore[union-attr]
        return user.managed_opd_id  # type: ignore[union-attr]
    return None


def can_view_adoption_unit(user: User | None, unit: Unit) -> bool:
    if not can_view_adoption(user):
        return False
    opd_id = adoption_opd_id(user)
    return opd_id is None or (unit.opd_id or unit.pk) == opd_id


def can_edit_help(user: User | None) -> bool:
    return is_regency_admin(user)


def can_manage_announcements(user: User | None) -> bool:
    return is_regency_admin(user) or is_opd_admin(user)


def announcement_opd_id(user: User | None) -> int | None:
    """The OPD an Admin OPD's announcements must target (None: any audience, BKPSDM)."""
    return None if is_regency_admin(user) else adoption_opd_id(user)


def can_view_jobs(user: User | None) -> bool:
    return is_regency_admin(user)


def supervisor_report_filter(user: User | None, prefix: str = "employee__") -> Q:
    """Reports of a wrong supervisor that `user` handles: BKPSDM all, an Admin OPD their OPD's."""
    if is_regency_admin(user):
        return Q()
    if is_opd_admin(user):
        return Q(**{f"{prefix}unit__opd_id": user.managed_opd_id})  # type: ignore[union-attr]
    return Q(pk__in=[])
