"""Writing a validated employee file in short transactions, and undoing it (issue 15 item 6).

A regency file holds tens of thousands of employees. Written in one transaction it held
SQLite's write lock for minutes, and every kiosk answer and login of the time failed. Here the
file is first checked whole with no write (kinerja.organisation.imports), then turned into a
plan (`plan_employees`: who is created, who changes and what each changed value was before)
and written in batches of IMPORT_BATCH_ROWS rows (`apply_employees`), each its own transaction,
with a pause of IMPORT_BATCH_PAUSE_MS between them in which other writers take the lock.

All-or-nothing for the person importing: every row the import writes carries one timestamp,
the *stamp* (created_at/updated_at of employees, valid_from/valid_to of history periods). The
journal — the stamp, the NIPs created, the values before each change — is saved before the
first write (on the ImportJob when there is one). If a batch fails (a NIP created meanwhile by
someone else, an employee edited since the check, a crash), `undo_employees` deletes what the
stamp marks as created, puts the changed rows back and reopens the closed history periods,
again in short batches. A worker killed mid-import is undone the same way when its job is
recovered (kinerja.core.importjobs.recover_stale). Audit entries stay: the trail records the
import and then its undo.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kinerja.core.audit import AuditAction, audit_entry
from kinerja.core.models import AuditLog

from .choices import ChangeReason
from .models import Employee, EmployeeHistory, User
from .services import (
    announce_supervisor_change,
    employee_path_changes,
    history_row,
    write_paths,
)

logger = logging.getLogger(__name__)
HISTORY_FIELDS = ("position_id", "unit_id", "supervisor_id", "golongan")
Journal = dict[str, Any]
Progress = Callable[[int, int], None]  # (done, total) steps


class ImportConflict(ValidationError):
    """The data changed between the check and the write (another person's save)."""


def batch_rows() -> int:
    return max(1, int(getattr(settings, "IMPORT_BATCH_ROWS", 200)))


def _pause() -> None:
    # Let writers waiting on the lock (kiosk answers, logins, saves) in between two batches.
    ms = int(getattr(settings, "IMPORT_BATCH_PAUSE_MS", 150))
    if ms > 0:
        time.sleep(ms / 1000)


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Change:
    pk: int
    nip: str
    sup_nip: str
    after: dict[str, Any]  # without supervisor_id (resolved from sup_nip when written)
    before: dict[str, Any]  # every import field and updated_at, for the undo
    history: bool


@dataclass
class EmployeePlan:
    stamp: datetime
    levels: list[list[tuple[str, dict[str, Any], str]]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    moved: bool = False

    @property
    def created_nips(self) -> list[str]:
        return [nip for level in self.levels for nip, _v, _s in level]

    def journal(self) -> Journal:
        return {
            "stamp": self.stamp.isoformat(),
            "created": self.created_nips,
            "changed": [[c.pk, c.before] for c in self.changes],
        }

    def steps(self) -> int:
        size = batch_rows()
        creates = sum(-(-len(level) // size) for level in self.levels)
        return creates + -(-len(self.changes) // size) + 1


def plan_employees(
    parsed: Sequence[tuple[int, str, dict[str, Any], str]],
    existing: dict[str, Employee],
) -> EmployeePlan:
    """What writing a validated file would do, without writing: the new employees in waves
    (each wave's supervisors exist already or come in an earlier wave) and the changes."""
    by_id = {e.pk: e for e in existing.values()}
    plan = EmployeePlan(stamp=timezone.now())
    sup_of = {nip: sup for _n, nip, _v, sup in parsed}
    values_of = {nip: values for _n, nip, values, _s in parsed}
    new = [nip for _n, nip, _v, _s in parsed if nip not in existing]
    pending, placed, new_set = list(new), set(), set(new)
    while pending:
        wave = [n for n in pending if sup_of[n] not in new_set or sup_of[n] in placed]
        plan.levels.append([(n, values_of[n], sup_of[n]) for n in wave])
        placed.update(wave)
        pending = [n for n in pending if n not in placed]
    for _number, nip, values, sup in parsed:
        employee = existing.get(nip)
        if employee is None:
            continue
        current_sup = by_id[employee.supervisor_id].nip if employee.supervisor_id else ""
        changed = {k: v for k, v in values.items() if getattr(employee, k) != v}
        if sup != current_sup:
            changed["supervisor_id"] = sup
        if not changed:
            plan.unchanged += 1
            continue
        plan.moved = plan.moved or "supervisor_id" in changed
        before = {k: getattr(employee, k) for k in (*values, "supervisor_id")}
        before["updated_at"] = employee.updated_at.isoformat()
        plan.changes.append(
            Change(
                pk=employee.pk,
                nip=nip,
                sup_nip=sup,
                after=dict(values),
                before=before,
                history=any(k in changed for k in HISTORY_FIELDS),
            )
        )
    return plan


def _history(employee: Employee, stamp: datetime, by: User | None) -> EmployeeHistory:
    return history_row(employee, valid_from=stamp, reason=ChangeReason.IMPOR, by=by)


def _ids_of(nips: Sequence[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for part in chunks(list(nips), 500):
        ids.update(Employee.objects.filter(nip__in=part).values_list("nip", "id"))
    return ids


def apply_employees(plan: EmployeePlan, *, by: User | None, progress: Progress) -> None:
    """Write the plan in short transactions. Raises on any failure; the caller undoes."""
    size, done, total = batch_rows(), 0, plan.steps()
    stamp = plan.stamp
    ids: dict[str, int] = {}
    for level in plan.levels:
        for part in chunks(level, size):
            missing = [s for _n, _v, s in part if s and s not in ids]
            ids.update(_ids_of(missing))
            started = time.monotonic()
            with transaction.atomic():
                _create_batch(part, ids, stamp, by)
            logger.debug(
                "import batch of %d: %.0f ms", len(part), 1000 * (time.monotonic() - started)
            )
            done += 1
            progress(done, total)
            _pause()
    ids.update(_ids_of([c.sup_nip for c in plan.changes if c.sup_nip and c.sup_nip not in ids]))
    new_supervisors: list[int] = []
    for part in chunks(plan.changes, size):
        with transaction.atomic():
            new_supervisors += _change_batch(part, ids, stamp, by)
        done += 1
        progress(done, total)
        _pause()
    # Paths: recomputed from the supervisor links as they now are, written in batches too.
    for rows in chunks(employee_path_changes(), size):
        with transaction.atomic():
            write_paths(rows)
        _pause()
    with transaction.atomic():
        announce_supervisor_change(new_supervisors)
    progress(total, total)


def _create_batch(
    part: Sequence[tuple[str, dict[str, Any], str]],
    ids: dict[str, int],
    stamp: datetime,
    by: User | None,
) -> None:
    batch = [
        Employee(nip=nip, **values, supervisor_id=ids[sup] if sup else None)
        for nip, values, sup in part
    ]
    Employee.objects.bulk_create(batch)
    if batch and batch[0].pk is None:  # backends without RETURNING ids
        found = _ids_of([e.nip for e in batch])
        for obj in batch:
            obj.pk = found[obj.nip]
    # bulk_create stamps created_at/updated_at itself (auto_now): set the import's stamp, by
    # which an undo finds these rows.
    Employee.objects.filter(pk__in=[e.pk for e in batch]).update(created_at=stamp, updated_at=stamp)
    ids.update({e.nip: e.pk for e in batch})
    EmployeeHistory.objects.bulk_create([_history(e, stamp, by) for e in batch])
    AuditLog.objects.bulk_create(
        [
            audit_entry(
                actor=by,
                action=AuditAction.CREATE,
                obj=employee,
                note="Impor",
                changes={k: [None, v] for k, v in values.items()}
                | {"supervisor_id": [None, employee.supervisor_id]},
            )
            for employee, (_nip, values, _sup) in zip(batch, part, strict=True)
        ]
    )
    # Imported employees get an account without a usable password: an administrator's
    # password reset hands them a temporary one (hashing thousands here would take minutes).
    accounts = []
    for employee in batch:
        user = User(
            username=employee.nip,
            employee=employee,
            email=employee.email,
            must_change_password=True,
        )
        user.set_unusable_password()
        accounts.append(user)
    User.objects.bulk_create(accounts, ignore_conflicts=True)


def _change_batch(
    part: Sequence[Change], ids: dict[str, int], stamp: datetime, by: User | None
) -> list[int]:
    current = {e.pk: e for e in Employee.objects.filter(pk__in=[c.pk for c in part])}
    moved: list[int] = []
    to_update, histories, audits, closing = [], [], [], []
    fields: set[str] = {"updated_at"}
    for change in part:
        employee = current.get(change.pk)
        if employee is None or employee.updated_at.isoformat() != change.before["updated_at"]:
            raise ImportConflict(
                f"Data pegawai NIP {change.nip} diubah orang lain selama impor berjalan."
            )
        after = {**change.after, "supervisor_id": ids[change.sup_nip] if change.sup_nip else None}
        diff = {k: [getattr(employee, k), v] for k, v in after.items() if getattr(employee, k) != v}
        if "supervisor_id" in diff:
            moved.append(employee.pk)
        for key, value in after.items():
            setattr(employee, key, value)
        employee.updated_at = stamp
        fields.update(diff)
        to_update.append(employee)
        if change.history:
            closing.append(employee.pk)
            histories.append(_history(employee, stamp, by))
        audits.append(
            audit_entry(
                actor=by, action=AuditAction.UPDATE, obj=employee, changes=diff, note="Impor"
            )
        )
    Employee.objects.bulk_update(to_update, sorted(fields))
    EmployeeHistory.objects.filter(employee_id__in=closing, valid_to__isnull=True).update(
        valid_to=stamp
    )
    EmployeeHistory.objects.bulk_create(histories)
    AuditLog.objects.bulk_create(audits)
    return moved


def undo_employees(journal: Journal) -> int:
    """Undo what an import with this journal wrote, in short transactions. Rows edited by
    someone else after the import wrote them are left as they are. Returns the rows undone."""
    if not journal.get("stamp"):
        return 0
    stamp = datetime.fromisoformat(journal["stamp"])
    size, undone = batch_rows(), 0
    # 1. Changed employees back to their values before the import.
    for part in chunks(journal.get("changed", []), size):
        before = {pk: values for pk, values in part}
        with transaction.atomic():
            rows = list(Employee.objects.filter(pk__in=before, updated_at=stamp))
            for employee in rows:
                values = before[employee.pk]
                for key, value in values.items():
                    if key != "updated_at":
                        setattr(employee, key, value)
                employee.updated_at = datetime.fromisoformat(values["updated_at"])
            if rows:
                keys = sorted({k for pk in before for k in before[pk]})
                Employee.objects.bulk_update(rows, keys)
            undone += len(rows)
        _pause()
    # 2. History periods the import opened go, the ones it closed reopen.
    opened = list(
        EmployeeHistory.objects.filter(valid_from=stamp, reason=ChangeReason.IMPOR).values_list(
            "id", flat=True
        )
    )
    for part in chunks(opened, size):
        with transaction.atomic():
            EmployeeHistory.objects.filter(pk__in=part).delete()
        _pause()
    closed = list(EmployeeHistory.objects.filter(valid_to=stamp).values_list("id", flat=True))
    for part in chunks(closed, size):
        with transaction.atomic():
            EmployeeHistory.objects.filter(pk__in=part).update(valid_to=None)
    # 3. Employees the import created, with their accounts: links first, then the rows.
    created: list[int] = []
    for part in chunks(journal.get("created", []), size):
        created += Employee.objects.filter(nip__in=part, created_at=stamp).values_list(
            "id", flat=True
        )
    for part in chunks(created, size):
        with transaction.atomic():
            User.objects.filter(employee_id__in=part).delete()
            Employee.objects.filter(pk__in=part).update(supervisor=None)
        _pause()
    for part in chunks(created, size):
        with transaction.atomic():
            Employee.objects.filter(pk__in=part).delete()
        undone += len(part)
        _pause()
    for rows in chunks(employee_path_changes(), size):
        with transaction.atomic():
            write_paths(rows)
    return undone
