"""The access policy: the one place that decides who may see and do what.

- BKPSDM admins, the regent's office (Pimpinan Daerah), the Inspektorat and superusers see
  every employee. Only BKPSDM admins and superusers change regency-wide data.
- An Admin OPD sees and manages the employees of their OPD.
- A supervisor sees their whole reporting subtree (rights come from the reporting lines,
  not from a role); every employee sees themself.
- Everything else is invisible, and views answer 404 for it (never 403, which would confirm
  that the object exists).

Selectors build their querysets from the filters here; views never decide access themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from kinerja.organisation.choices import Role

if TYPE_CHECKING:
    from kinerja.organisation.models import Employee, User

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


def employee_filter(user: User | None) -> Q:
    """A filter on Employee selecting exactly the employees `user` may see."""
    if not _active(user):
        return Q(pk__in=[])
    assert user is not None
    if sees_all(user):
        return Q()
    scope = Q(pk__in=[])
    if is_opd_admin(user):
        scope |= Q(unit__opd_id=user.managed_opd_id)
    if user.employee_id is not None:
        scope |= Q(path__startswith=user.employee.path)
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


def manageable_employee_filter(user: User | None) -> Q:
    """Employees whose record and account `user` may change (edit, reset password)."""
    if is_regency_admin(user):
        return Q()
    if is_opd_admin(user):
        return Q(unit__opd_id=user.managed_opd_id)  # type: ignore[union-attr]
    return Q(pk__in=[])


def can_manage_employee(user: User | None, employee: Employee) -> bool:
    if is_regency_admin(user):
        return True
    return is_opd_admin(user) and employee.unit.opd_id == user.managed_opd_id  # type: ignore[union-attr]


def can_manage_organisation(user: User | None) -> bool:
    """Units, positions and the regency profile; imports of units, positions, employees."""
    return is_regency_admin(user)


def can_create_employee(user: User | None) -> bool:
    return is_regency_admin(user) or is_opd_admin(user)


def can_export_directory(user: User | None) -> bool:
    return sees_all(user) or is_opd_admin(user)


def is_supervisor(user: User | None) -> bool:
    if not _active(user) or user.employee_id is None:  # type: ignore[union-attr]
        return False
    return user.employee.direct_reports.filter(is_active=True).exists()  # type: ignore[union-attr]
