"""Writes to the organisation: units, positions, employees, their history and accounts.

Every function here is the only way its change is made: it validates first (raising
ValidationError with an Indonesian message and changing nothing), saves inside one transaction,
keeps the materialised paths true, and writes the audit record.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import events
from kinerja.core.audit import AuditAction, audit_record, diff, snapshot
from kinerja.rules.nip import InvalidNip, parse_nip

from .choices import ChangeReason, Golongan, Role, UnitKind
from .models import Employee, EmployeeHistory, Position, Regency, Unit, User

UNIT_FIELDS = ("code", "name", "kind", "sector", "parent", "serves_public", "address", "is_active")
POSITION_FIELDS = ("name", "kind", "kelas", "jenjang")
EMPLOYEE_FIELDS = (
    "nip",
    "name",
    "front_title",
    "back_title",
    "status",
    "golongan",
    "position",
    "unit",
    "supervisor",
    "email",
    "phone",
    "is_active",
)
HISTORY_FIELDS = ("position_id", "unit_id", "supervisor_id", "golongan")
REGENCY_CACHE_KEY = "kinerja:regency"


def normalise_nip(text: str) -> str:
    """The NIP as stored: validated (DOMAIN §7) and without spaces; raises ValidationError."""
    try:
        return parse_nip(text).value
    except InvalidNip as exc:
        raise ValidationError({"nip": str(exc)}) from exc


# --- Regency -----------------------------------------------------------------------------


def regency_get_cached() -> Regency:
    regency: Regency | None = cache.get(REGENCY_CACHE_KEY)
    if regency is None:
        regency = Regency.get()
        cache.set(REGENCY_CACHE_KEY, regency, 300)
    return regency


@transaction.atomic
def regency_update(*, by: User, **fields: Any) -> Regency:
    regency = Regency.get()
    before = snapshot(regency, ("name", "short_name", "address"))
    for name, value in fields.items():
        setattr(regency, name, value)
    regency.full_clean()
    regency.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=regency,
        changes=diff(before, snapshot(regency, ("name", "short_name", "address"))),
    )
    transaction.on_commit(lambda: cache.delete(REGENCY_CACHE_KEY))
    return regency


# --- Units -------------------------------------------------------------------------------


UNIT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


def unit_code_problem(code: str) -> str | None:
    """Why `code` cannot be a unit's code, or None. A code is typed into files, addresses and
    reports: letters, digits and . _ / - only, starting with a letter or digit (no spaces,
    tabs or control characters that look alike on screen but match nothing)."""
    if UNIT_CODE.fullmatch(code):
        return None
    return _(
        "Kode unit '%(code)s' tidak valid: gunakan huruf, angka, titik, garis bawah, garis "
        "miring, atau tanda hubung saja, diawali huruf atau angka, tanpa spasi."
    ) % {"code": code.encode("unicode_escape").decode()[:40]}


def unit_code_twin(code: str, pk: int | None = None) -> str | None:
    """The problem when another unit's code differs from `code` only in letter case ("dinkes"
    beside "DINKES": two units that read as one), or None."""
    others = Unit.objects.filter(code__iexact=code)
    if pk is not None:
        others = others.exclude(pk=pk)
    twin = next((c for c in others.values_list("code", flat=True) if c != code), None)
    if twin is None:
        return None
    return _("Kode unit %(code)s hanya berbeda huruf besar/kecil dari unit terdaftar %(twin)s.") % {
        "code": code,
        "twin": twin,
    }


# Any 64-bit constant names the lock: here the bytes of "UNITTREE" read as a number, moved into
# PostgreSQL's signed range.
UNIT_TREE_LOCK = int.from_bytes(b"UNITTREE", "big") - 2**63


def _lock_unit_tree() -> None:
    """Unit writes one at a time, until the transaction ends.

    Moving a unit rewrites its descendants' paths with one UPDATE. Were two writers allowed at
    once, a unit created under a descendant while its ancestor moved would copy the old path
    (the UPDATE does not see rows committed after it started), and a writer locking a unit
    then its parent could deadlock with one moving the parent. Units change a few times a
    year, so serialising their writes costs nothing. PostgreSQL: a transaction-scoped advisory
    lock; SQLite already lets one writer in at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [UNIT_TREE_LOCK])


def _fresh_parent(unit: Unit) -> None:
    """The unit's parent as the database holds it now (under `_lock_unit_tree`).

    A parent object held by the caller may be stale: moving a unit rewrites its descendants'
    paths with one UPDATE, so a descendant read before (an import's list of units, for one)
    still carries its old path and OPD. Copying those put a new or moved unit in the wrong
    OPD."""
    if unit.parent_id is not None:
        unit.parent = Unit.objects.get(pk=unit.parent_id)


def _unit_place(unit: Unit) -> None:
    """Set `opd`, `path` and `depth` from the parent (the unit must have a pk)."""
    parent = unit.parent
    if parent is None:
        unit.opd_id, unit.path, unit.depth = unit.pk, f"/{unit.pk}/", 0
    else:
        unit.opd_id = parent.opd_id
        unit.path, unit.depth = f"{parent.path}{unit.pk}/", parent.depth + 1


def _check_unit_parent(unit: Unit, *, code_changed: bool = True) -> None:
    if code_changed and (problem := unit_code_problem(unit.code)):
        raise ValidationError({"code": problem})
    if code_changed and (twin := unit_code_twin(unit.code, unit.pk)):
        raise ValidationError({"code": twin})
    _fresh_parent(unit)
    unit.full_clean(exclude=["opd"], validate_unique=True)
    if problem := unit_parent_problem(unit, unit.parent):
        raise ValidationError({"parent": problem})


def unit_parent_problem(unit: Unit, parent: Unit | None) -> str | None:
    """Why `parent` cannot hold the saved `unit`: it is the unit or one of its sub-units (the
    tree would loop), or None."""
    if parent is not None and unit.pk is not None and parent.path.startswith(unit.path):
        return _("Unit induk tidak boleh unit itu sendiri atau salah satu sub-unitnya.")
    return None


@transaction.atomic
def unit_create(*, by: User | None, **fields: Any) -> Unit:
    _lock_unit_tree()
    unit = Unit(**fields)
    _check_unit_parent(unit)
    unit.save()
    _unit_place(unit)
    unit.save(update_fields=["opd", "path", "depth"])
    audit_record(
        actor=by, action=AuditAction.CREATE, obj=unit, changes=diff({}, snapshot(unit, UNIT_FIELDS))
    )
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, by: User | None, **fields: Any) -> Unit:
    _lock_unit_tree()
    unit = Unit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    old_path, old_depth = unit.path, unit.depth
    for name, value in fields.items():
        setattr(unit, name, value)
    _check_unit_parent(unit, code_changed=unit.code != before["code"])
    _unit_place(unit)
    unit.save()
    if unit.path != old_path:
        Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
            path=Concat(Value(unit.path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (unit.depth - old_depth),
            opd=unit.opd_id,
        )
    changes = diff(before, snapshot(unit, UNIT_FIELDS))
    if changes:
        audit_record(actor=by, action=AuditAction.UPDATE, obj=unit, changes=changes)
    return unit


# --- Positions -----------------------------------------------------------------------------


@transaction.atomic
def position_create(*, by: User | None, **fields: Any) -> Position:
    position = Position(**fields)
    position.full_clean()
    position.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=position,
        changes=diff({}, snapshot(position, POSITION_FIELDS)),
    )
    return position


@transaction.atomic
def position_update(*, position: Position, by: User | None, **fields: Any) -> Position:
    before = snapshot(position, POSITION_FIELDS)
    for name, value in fields.items():
        setattr(position, name, value)
    position.full_clean()
    position.save()
    changes = diff(before, snapshot(position, POSITION_FIELDS))
    if changes:
        audit_record(actor=by, action=AuditAction.UPDATE, obj=position, changes=changes)
    return position


# --- Employees -----------------------------------------------------------------------------


def employee_path(employee_id: int, supervisor: Employee | None) -> tuple[str, int]:
    if supervisor is None:
        return f"/{employee_id}/", 0
    return f"{supervisor.path}{employee_id}/", supervisor.depth + 1


def _check_supervisor(employee: Employee) -> None:
    """Reporting lines: the supervisor must be active and no loop may form."""
    if employee.supervisor_id is None:
        return
    supervisor = Employee.objects.get(pk=employee.supervisor_id)
    if not supervisor.is_active:
        raise ValidationError(
            {
                "supervisor": _("Atasan langsung %(name)s tidak aktif.")
                % {"name": supervisor.full_name}
            }
        )
    if employee.pk is not None and (
        supervisor.pk == employee.pk or supervisor.path.startswith(employee.path)
    ):
        raise ValidationError(
            {
                "supervisor": _(
                    "%(name)s tidak dapat menjadi atasan karena merupakan bawahan (langsung "
                    "atau tidak langsung) dari pegawai ini; hubungan atasan akan berputar."
                )
                % {"name": supervisor.full_name}
            }
        )
    employee.supervisor = supervisor


def history_row(
    employee: Employee,
    *,
    valid_from: datetime,
    reason: str,
    note: str = "",
    by: User | None = None,
) -> EmployeeHistory:
    """The (unsaved) history row that opens at `valid_from` with the employee's current
    position, unit, supervisor and golongan: one rule for the services, the import and the demo
    (the last two write theirs in bulk)."""
    return EmployeeHistory(
        employee_id=employee.pk,
        position_id=employee.position_id,
        unit_id=employee.unit_id,
        supervisor_id=employee.supervisor_id,
        golongan=employee.golongan,
        valid_from=valid_from,
        reason=reason,
        note=note[:300],
        recorded_by=by if getattr(by, "pk", None) else None,
    )


def _open_history(
    employee: Employee, *, by: User | None, reason: str, note: str = "", at: datetime | None = None
) -> EmployeeHistory:
    row = history_row(employee, valid_from=at or timezone.now(), reason=reason, note=note, by=by)
    row.save(force_insert=True)
    return row


@transaction.atomic
def employee_create(*, by: User | None, nip: str, **fields: Any) -> Employee:
    """Add an employee; the NIP is validated (DOMAIN §7) and the history starts."""
    employee = Employee(nip=normalise_nip(nip), **fields)
    _check_supervisor(employee)
    employee.full_clean(exclude=["path"])
    employee.save()
    employee.path, employee.depth = employee_path(employee.pk, employee.supervisor)
    employee.save(update_fields=["path", "depth"])
    _open_history(employee, by=by, reason=ChangeReason.INITIAL)
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=employee,
        changes=diff({}, snapshot(employee, EMPLOYEE_FIELDS)),
    )
    announce_employee_change(employee.pk)
    return employee


# What other apps count by: who is active, in which unit, with which status.
COUNTED_FIELDS = ("unit_id", "status", "is_active")


def announce_employee_change(employee_id: int) -> None:
    """After commit, tell the other apps that this employee was added or changed unit, status
    or activity (the "employee" event: figures kept per unit are counted again)."""
    transaction.on_commit(lambda: events.publish("employee", employee_id=employee_id))


def announce_supervisor_change(employee_ids: Iterable[int]) -> None:
    """After commit, tell the other apps that these employees have a new direct supervisor (the
    "supervisor" event: their running plans take the new assessing official)."""
    ids = list(employee_ids)

    def publish() -> None:
        for employee_id in ids:
            events.publish("supervisor", employee_id=employee_id)

    if ids:
        transaction.on_commit(publish)


class StaleEdit(ValidationError):
    """Raised when a form was based on an older version of the record (no lost update)."""


@transaction.atomic
def employee_update(
    *,
    employee: Employee,
    by: User | None,
    reason: str = ChangeReason.KOREKSI,
    note: str = "",
    expected_updated_at: datetime | None = None,
    **fields: Any,
) -> Employee:
    """Change an employee; a new history period opens when position, unit, supervisor or
    golongan change. `expected_updated_at` (from the edit form) refuses a stale save."""
    current = Employee.objects.select_for_update(of=("self",)).get(pk=employee.pk)
    if expected_updated_at is not None and current.updated_at != expected_updated_at:
        raise StaleEdit(
            _(
                "Data pegawai ini telah diubah oleh pengguna lain sejak Anda membukanya. "
                "Muat ulang halaman, lalu ulangi perubahan Anda."
            )
        )
    before = snapshot(current, EMPLOYEE_FIELDS)
    before_supervisor = current.supervisor_id
    counted_before = tuple(getattr(current, f) for f in COUNTED_FIELDS)
    history_before = tuple(getattr(current, f) for f in HISTORY_FIELDS)
    if "nip" in fields:
        fields["nip"] = normalise_nip(fields["nip"])
    for name, value in fields.items():
        setattr(current, name, value)
    _check_supervisor(current)
    current.full_clean(exclude=["path"])
    if before["is_active"] and not current.is_active:
        active_reports = current.direct_reports.filter(is_active=True).count()
        if active_reports:
            raise ValidationError(
                {
                    "is_active": _(
                        "Pegawai ini masih menjadi atasan langsung %(n)d pegawai aktif. Pindahkan "
                        "bawahannya ke atasan lain sebelum menonaktifkan."
                    )
                    % {"n": active_reports}
                }
            )
    old_path, old_depth = current.path, current.depth
    current.path, current.depth = employee_path(current.pk, current.supervisor)
    current.save()
    if current.path != old_path:
        Employee.objects.filter(path__startswith=old_path).exclude(pk=current.pk).update(
            path=Concat(Value(current.path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (current.depth - old_depth),
        )
    if tuple(getattr(current, f) for f in HISTORY_FIELDS) != history_before:
        now = timezone.now()
        EmployeeHistory.objects.filter(employee=current, valid_to__isnull=True).update(valid_to=now)
        _open_history(current, by=by, reason=reason, note=note, at=now)
    if current.supervisor_id != before_supervisor:
        announce_supervisor_change([current.pk])
    if tuple(getattr(current, f) for f in COUNTED_FIELDS) != counted_before:
        announce_employee_change(current.pk)
    changes = diff(before, snapshot(current, EMPLOYEE_FIELDS))
    if changes:
        audit_record(actor=by, action=AuditAction.UPDATE, obj=current, changes=changes, note=note)
    employee.__dict__.update(current.__dict__)
    return current


def write_paths(rows: Sequence[tuple[str, int, int]]) -> None:
    """Set (path, depth) of many employees by id in one prepared statement: far cheaper than
    bulk_update's CASE expressions for thousands of rows (bulk tools only)."""
    if not rows:
        return
    table = connection.ops.quote_name(Employee._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET path = %s, depth = %s WHERE id = %s", list(rows))


def rebuild_employee_paths(ids_to_supervisor: Mapping[int, int | None] | None = None) -> int:
    """Recompute every employee's path and depth from the supervisor links (bulk tools: the
    importer and the demo seeder). Returns the number of rows changed. Raises ValueError on a
    loop, which the callers have already excluded."""
    changed = employee_path_changes(ids_to_supervisor)
    write_paths(changed)
    return len(changed)


def employee_path_changes(
    ids_to_supervisor: Mapping[int, int | None] | None = None,
) -> list[tuple[str, int, int]]:
    """The (path, depth, id) rows whose stored path differs from the supervisor links (the
    batched importer writes them a few hundred per transaction)."""
    rows = Employee.objects.values_list("id", "supervisor_id", "path", "depth")
    parent: dict[int, int | None] = {}
    current: dict[int, tuple[str, int]] = {}
    for pk, sup, path, depth in rows:
        parent[pk] = sup
        current[pk] = (path, depth)
    if ids_to_supervisor:
        parent.update(ids_to_supervisor)
    computed: dict[int, tuple[str, int]] = {}

    def resolve(pk: int) -> tuple[str, int]:
        chain: list[int] = []
        node: int | None = pk
        while node is not None and node not in computed:
            if node in chain:
                raise ValueError(f"reporting loop at employee {node}")
            chain.append(node)
            node = parent[node]
        base_path, base_depth = computed[node] if node is not None else ("/", -1)
        for item in reversed(chain):
            base_path, base_depth = f"{base_path}{item}/", base_depth + 1
            computed[item] = (base_path, base_depth)
        return computed[pk]

    changed = []
    for pk in parent:
        path, depth = resolve(pk)
        if current.get(pk) != (path, depth):
            changed.append((path, depth, pk))
    return changed


# --- Accounts ------------------------------------------------------------------------------


def temporary_password() -> str:
    """A random first password, readable over the phone (no 0/O, 1/l/I)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


@transaction.atomic
def account_create_for_employee(
    *, employee: Employee, by: User | None, role: str = Role.PEGAWAI
) -> tuple[User, str]:
    """An account whose username is the NIP, with a temporary password that must be changed
    at first login. Returns the account and the temporary password (shown once)."""
    if User.objects.filter(employee=employee).exists():
        raise ValidationError(_("Pegawai ini sudah memiliki akun."))
    password = temporary_password()
    user = User(
        username=employee.nip,
        employee=employee,
        role=role,
        email=employee.email,
        must_change_password=True,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=user,
        changes={"role": [None, role]},
        note=_("Akun dibuat"),
    )
    return user, password


@transaction.atomic
def account_reset_password(*, user: User, by: User) -> str:
    """An administrator's reset: a new temporary password, unlocked (from every address), to be
    changed at login."""
    from .lockout import unlock

    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
    unlock(user.username)
    audit_record(actor=by, action=AuditAction.PASSWORD_RESET, obj=user)
    return password


@transaction.atomic
def account_change_password(*, user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=user, action=AuditAction.PASSWORD_CHANGE, obj=user)


@transaction.atomic
def account_login_failed(*, user: User, locked_until: datetime | None = None) -> None:
    """Record a wrong password for an existing account (called by the authentication layer,
    kinerja.organisation.auth, which counts and locks): the account's count of failures in a
    row, and when this failure locked it, until when (for the administrators' pages)."""
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    locked.failed_logins += 1
    fields = ["failed_logins"]
    action = AuditAction.LOGIN_FAILED
    if locked_until is not None:
        locked.locked_until = locked_until
        locked.failed_logins = 0
        fields.append("locked_until")
        action = AuditAction.LOCKED
    locked.save(update_fields=fields)
    audit_record(actor=None, action=action, obj=locked)


@transaction.atomic
def account_login_succeeded(*, user: User) -> None:
    if user.failed_logins or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user)


@transaction.atomic
def account_update(*, user: User, by: User, **fields: Any) -> User:
    fields_audited = ("role", "managed_opd", "is_active", "is_staff")
    before = snapshot(user, fields_audited)
    for name, value in fields.items():
        setattr(user, name, value)
    if user.role != Role.ADMIN_OPD:
        user.managed_opd = None
    user.full_clean(exclude=["password"])
    if user.role == Role.ADMIN_OPD and user.managed_opd_id is None:
        raise ValidationError({"managed_opd": _("Admin OPD harus memiliki OPD yang dikelola.")})
    user.save()
    changes = diff(before, snapshot(user, fields_audited))
    if changes:
        audit_record(actor=by, action=AuditAction.UPDATE, obj=user, changes=changes)
    return user


def golongan_valid(status: str, golongan: str) -> bool:
    return golongan in Golongan.for_status(status)


def opd_kinds() -> Iterable[str]:
    return UnitKind.opd_kinds()
