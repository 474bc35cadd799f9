"""Writing the audit trail. Services call `audit_record`; nothing else writes AuditLog rows."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import connection, models

from .bulk import insert_rows
from .models import AuditAction, AuditLog

# The client IP of the request being served (set by RequestContextMiddleware), so that services
# need not pass the request around to record it.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The audit-relevant values of `obj`: foreign keys as their id, other values as JSON."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            data[name] = getattr(obj, field.attname)
        else:
            data[name] = _plain(getattr(obj, name))
    return data


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_entry(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: Mapping[str, Any] | None = None,
    note: str = "",
    record_ip: bool = True,
) -> AuditLog:
    """An unsaved audit row (for bulk_create by importers); `audit_record` saves one.

    `record_ip=False` for what a citizen does without an account (the audit log keeps
    addresses in plain text and for good; the public app keeps only salted hashes)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    actor_obj = actor if getattr(actor, "pk", None) else None
    return AuditLog(
        actor=actor_obj,
        actor_repr=(actor.get_username() if actor_obj else "sistem")[:200],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        changes=dict(changes or {}),
        note=note[:500],
        ip_address=current_ip.get() if record_ip else None,
    )


def audit_record(**kwargs: Any) -> AuditLog:
    entry = audit_entry(**kwargs)
    entry.save()
    return entry


def audit_write_many(entries: Sequence[AuditLog]) -> None:
    """Insert unsaved audit rows (from `audit_entry`) with kinerja.core.bulk: the same rows
    `bulk_create` writes, without compiling every value into SQL one by one (a bulk API request
    writes thousands; the compiler took about a fifth of its time). The ids are not read back:
    nothing refers to an audit row. Values are adapted as the fields would: datetimes and
    addresses by the backend, `changes` by its JSONField."""
    if not entries:
        return
    fields = [f for f in AuditLog._meta.concrete_fields if not f.primary_key]
    adapters: list[tuple[str, Callable[[Any], Any] | None]] = []
    for f in fields:
        adapt: Callable[[Any], Any] | None = None
        if isinstance(f, models.DateTimeField):
            adapt = connection.ops.adapt_datetimefield_value
        elif isinstance(f, models.JSONField | models.GenericIPAddressField):
            adapt = partial(f.get_db_prep_save, connection=connection)
        adapters.append((f.attname, adapt))
    rows = [
        tuple(
            adapt(getattr(entry, name)) if adapt else getattr(entry, name)
            for name, adapt in adapters
        )
        for entry in entries
    ]
    insert_rows(AuditLog._meta.db_table, [f.column for f in fields], rows)


__all__ = [
    "AuditAction",
    "audit_entry",
    "audit_record",
    "audit_write_many",
    "current_ip",
    "diff",
    "snapshot",
]
