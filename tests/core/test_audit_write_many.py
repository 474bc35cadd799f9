"""audit_write_many writes the same audit rows as saving each entry would (kinerja.core.audit):
the bulk realisation writes rely on it for their audit trail."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.core.audit import AuditAction, audit_entry, audit_record, audit_write_many, current_ip
from kinerja.core.models import AuditLog
from tests.conftest import Org

FIELDS = ("actor_id", "actor_repr", "action", "object_type", "object_id", "object_repr")


@pytest.mark.parametrize("ip", ["10.1.2.3", "2001:db8::1", None])
def test_rows_match_those_saved_one_by_one(org: Org, ip: str | None) -> None:
    actor = org.users["employee"]
    token = current_ip.set(ip)
    try:
        kwargs = {
            "actor": actor,
            "action": AuditAction.UPDATE,
            "object_type": "performance.realisation",
            "object_id": "42",
            "object_repr": "Jumlah pasien / 6",
            "changes": {"value": ["10.0000", str(Decimal("12.5"))], "late": [None, False]},
            "note": "catatan",
        }
        saved = audit_record(**kwargs)
        audit_write_many([audit_entry(**kwargs), audit_entry(**kwargs)])
    finally:
        current_ip.reset(token)
    rows = list(AuditLog.objects.filter(pk__gte=saved.pk).order_by("id"))
    assert len(rows) == 3
    for row in rows[1:]:
        assert row.pk > saved.pk
        assert [getattr(row, f) for f in FIELDS] == [getattr(saved, f) for f in FIELDS]
        assert row.changes == {"value": ["10.0000", "12.5"], "late": [None, False]}
        assert row.note == "catatan" and row.ip_address == ip
        assert abs((row.at - saved.at).total_seconds()) < 60  # an aware time, stored as such


def test_nothing_to_write_runs_no_query(db, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(0):
        audit_write_many([])
