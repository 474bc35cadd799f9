"""Organisation services: validation, reporting lines, history (mutasi) and audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kinerja.core.models import AuditAction, AuditLog
from kinerja.organisation import services
from kinerja.organisation.choices import ChangeReason, UnitKind
from kinerja.organisation.models import Employee, EmployeeHistory, Unit
from tests.conftest import Org
from tests.factories import EmployeeFactory, PositionFactory, UnitFactory


def test_it_refuses_an_invalid_nip_with_a_message_naming_the_problem(org: Org) -> None:
    with pytest.raises(ValidationError) as exc:
        EmployeeFactory(nip="19860231 201505 1 001", unit=org.dinkes)
    assert "bukan tanggal yang valid" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        EmployeeFactory(nip="19860926 201505 3 001", unit=org.dinkes)
    assert "jenis kelamin" in str(exc.value)
    assert not Employee.objects.filter(nip__startswith="19860231").exists()


def test_it_stores_the_nip_without_spaces(org: Org) -> None:
    employee = EmployeeFactory(nip="19900514 201503 2 004", unit=org.dinkes)
    assert employee.nip == "199005142015032004"
    assert employee.nip_formatted == "19900514 201503 2 004"


def test_it_refuses_an_inactive_supervisor(org: Org) -> None:
    services.employee_update(employee=org.peer, by=None, is_active=False)
    with pytest.raises(ValidationError) as exc:
        EmployeeFactory(unit=org.puskesmas, supervisor=org.peer)
    assert "tidak aktif" in str(exc.value)


def test_it_refuses_a_reporting_loop_and_changes_nothing(org: Org) -> None:
    before = Employee.objects.get(pk=org.unit_head.pk).supervisor_id
    for subordinate in (org.employee, org.supervisor, org.unit_head):
        with pytest.raises(ValidationError) as exc:
            services.employee_update(
                employee=Employee.objects.get(pk=org.unit_head.pk), by=None, supervisor=subordinate
            )
        assert "berputar" in str(exc.value) or "sendiri" in str(exc.value)
    assert Employee.objects.get(pk=org.unit_head.pk).supervisor_id == before


def test_it_moves_the_whole_subtree_when_a_supervisor_changes(org: Org) -> None:
    services.employee_update(
        employee=org.supervisor, by=None, supervisor=org.other_head, reason=ChangeReason.MUTASI
    )
    head = Employee.objects.get(pk=org.other_head.pk)
    for pk in (org.supervisor.pk, org.employee.pk, org.peer.pk):
        moved = Employee.objects.get(pk=pk)
        assert moved.path.startswith(head.path)
    nurse = Employee.objects.get(pk=org.employee.pk)
    assert nurse.depth == 2
    assert nurse.path == f"{head.path}{org.supervisor.pk}/{org.employee.pk}/"
    # The old unit head no longer sees them.
    assert not Employee.objects.filter(
        pk=org.employee.pk, path__startswith=org.unit_head.path
    ).exists()


def test_it_keeps_the_history_of_position_unit_and_supervisor(
    org: Org,
) -> None:
    new_position = PositionFactory(
        name="Perawat Ahli Muda", kind="fungsional", kelas=9, jenjang="ahli_muda"
    )
    services.employee_update(
        employee=org.employee,
        by=org.users["bkpsdm"],
        position=new_position,
        reason=ChangeReason.PROMOSI,
        note="SK 821/12/2026",
    )
    history = list(
        EmployeeHistory.objects.filter(employee=org.employee).order_by("valid_from", "id")
    )
    assert len(history) == 2
    assert history[0].valid_to is not None and history[0].position.name == "Perawat Ahli Pertama"
    assert history[1].valid_to is None and history[1].position == new_position
    assert history[1].reason == ChangeReason.PROMOSI and history[1].note == "SK 821/12/2026"
    # A change that touches none of the history fields opens no new period.
    services.employee_update(employee=org.employee, by=None, phone="0812345678")
    assert EmployeeHistory.objects.filter(employee=org.employee).count() == 2


def test_it_audits_every_change_with_before_and_after(org: Org) -> None:
    admin = org.users["bkpsdm"]
    services.employee_update(employee=org.employee, by=admin, name="Siti Rahmawati Putri")
    entry = AuditLog.objects.filter(
        object_type="organisation.employee",
        object_id=str(org.employee.pk),
        action=AuditAction.UPDATE,
    ).get()
    assert entry.actor == admin
    assert entry.changes == {"name": ["Siti Rahmawati", "Siti Rahmawati Putri"]}


def test_it_refuses_a_stale_edit(org: Org) -> None:
    opened_at = Employee.objects.get(pk=org.employee.pk).updated_at
    services.employee_update(employee=org.employee, by=None, phone="0811")
    with pytest.raises(services.StaleEdit):
        services.employee_update(
            employee=org.employee, by=None, phone="0822", expected_updated_at=opened_at
        )
    assert Employee.objects.get(pk=org.employee.pk).phone == "0811"


def test_it_refuses_to_deactivate_someone_with_active_reports(org: Org) -> None:
    with pytest.raises(ValidationError) as exc:
        services.employee_update(employee=org.supervisor, by=None, is_active=False)
    assert "2 pegawai aktif" in str(exc.value)
    assert Employee.objects.get(pk=org.supervisor.pk).is_active


def test_it_refuses_a_golongan_that_does_not_match_the_status(org: Org) -> None:
    with pytest.raises(ValidationError) as exc:
        EmployeeFactory(unit=org.dinkes, status="pppk", golongan="III/a")
    assert "tidak berlaku" in str(exc.value)


def test_it_keeps_unit_paths_and_opd_when_a_unit_moves(org: Org) -> None:
    seksi = UnitFactory(
        code="DINKES-PKM-01-TU",
        name="Subbagian Tata Usaha",
        kind=UnitKind.SUBBAGIAN,
        parent=org.puskesmas,
    )
    assert seksi.opd_id == org.dinkes.pk and seksi.depth == 2
    bidang = UnitFactory(
        code="DISDIK-SD", name="Bidang SD", kind=UnitKind.BIDANG, parent=org.disdik
    )
    services.unit_update(unit=org.puskesmas, by=None, parent=bidang)
    seksi = Unit.objects.get(pk=seksi.pk)
    assert seksi.opd_id == org.disdik.pk
    assert seksi.path == f"/{org.disdik.pk}/{bidang.pk}/{org.puskesmas.pk}/{seksi.pk}/"
    assert seksi.depth == 3
    with pytest.raises(ValidationError):
        services.unit_update(unit=Unit.objects.get(pk=bidang.pk), by=None, parent=seksi)


def test_it_refuses_an_opd_with_a_parent_and_a_part_without_one(org: Org) -> None:
    with pytest.raises(ValidationError):
        services.unit_create(by=None, code="X", name="X", kind=UnitKind.DINAS, parent=org.dinkes)
    with pytest.raises(ValidationError):
        services.unit_create(by=None, code="Y", name="Y", kind=UnitKind.SEKSI, parent=None)
    assert not Unit.objects.filter(code__in=["X", "Y"]).exists()


def test_it_rebuilds_paths_after_bulk_changes(org: Org) -> None:
    Employee.objects.filter(pk=org.employee.pk).update(path="/broken/", depth=9)
    assert services.rebuild_employee_paths() == 1
    nurse = Employee.objects.get(pk=org.employee.pk)
    assert nurse.path == f"/{org.unit_head.pk}/{org.supervisor.pk}/{org.employee.pk}/"


def test_it_locks_an_account_after_repeated_failures(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    """The authentication layer counts (kinerja.organisation.auth); the account records it."""
    from django.test import Client

    user = org.users["employee"]
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post("/login/", {"username": user.username, "password": "salah"})
    user.refresh_from_db()
    assert user.is_locked()
    lock = user.locked_until - timezone.now()
    assert timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES - 1) < lock
    assert lock <= timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    assert AuditLog.objects.filter(action=AuditAction.LOCKED, object_id=str(user.pk)).exists()
    password = services.account_reset_password(user=user, by=org.users["bkpsdm"])
    user.refresh_from_db()
    assert not user.is_locked() and user.must_change_password and user.check_password(password)
    assert (
        client.post("/login/", {"username": user.username, "password": password}).status_code == 302
    )


def test_the_audit_log_is_append_only(org: Org) -> None:
    entry = AuditLog.objects.first()
    assert entry is not None
    entry.note = "diubah"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.update(note="x")


@pytest.mark.parametrize("write", ["create", "update"])
def test_unit_writes_hold_the_unit_tree_lock_until_the_transaction_ends(
    org: Org, write: str
) -> None:
    """One unit write at a time (PostgreSQL's advisory lock; SQLite has one writer anyway): a
    unit created under a subtree being moved cannot copy the subtree's old path, and two
    writers cannot lock a unit and its parent in opposite orders."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time")
    if write == "create":
        services.unit_create(
            by=None, code="X-1", name="Unit X", kind=UnitKind.BIDANG, parent=org.dinkes
        )
    else:
        services.unit_update(unit=org.puskesmas, by=None, parent=org.disdik)
    key = services.UNIT_TREE_LOCK % 2**64
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND pid = pg_backend_pid() AND classid::bigint = %s AND objid::bigint = %s",
            [key >> 32, key & 0xFFFFFFFF],
        )
        assert cursor.fetchone()[0] == 1
