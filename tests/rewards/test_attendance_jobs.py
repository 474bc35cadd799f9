"""The attendance import as a background job (issue 15 item 6; kinerja.core.importjobs,
kinerja.rewards.attendance_apply): checked whole with no write, applied in short batches,
undone whole when a batch fails or the worker dies half-way."""

from __future__ import annotations

from typing import Any

import pytest

from kinerja.core import importjobs
from kinerja.core.models import AuditLog, ImportJob, ImportStatus
from kinerja.rewards import attendance_apply
from kinerja.rewards.models import AttendanceDay, AttendanceImport, AttendanceMonth
from tests.conftest import Org, client_for
from tests.rewards.conftest import csv_of, import_rows

pytestmark = pytest.mark.django_db


def job_for(org: Org, data: bytes, name: str = "absen.csv") -> ImportJob:
    return importjobs.import_request(
        kind="rewards.attendance",
        data=data,
        filename=name,
        user=org.users["bkpsdm"],
        enqueue=False,
    )


def snapshot() -> dict[str, Any]:
    return {
        "days": sorted(
            AttendanceDay.objects.values_list(
                "employee_id", "day", "check_in", "check_out", "status", "late_minutes", "source_id"
            )
        ),
        "months": sorted(
            AttendanceMonth.objects.values_list(
                "employee_id", "year", "month", "days_recorded", "late_items", "discipline_factor"
            )
        ),
        "imports": sorted(AttendanceImport.objects.values_list("pk", flat=True)),
    }


def earlier_october(org: Org) -> None:
    """Two days of October already imported, for the new file to replace."""
    import_rows(
        org,
        [
            (org.employee.nip, "2026-10-01", "07:30", "16:00", "H"),
            (org.employee.nip, "2026-10-02", "", "", "S"),
        ],
    )


def new_file(org: Org) -> bytes:
    return csv_of(
        [
            (org.employee.nip, "2026-10-01", "07:50", "16:00", "H"),  # replaces: 20 late
            (org.employee.nip, "2026-10-02", "07:30", "16:00", "H"),  # replaces the sick day
            (org.employee.nip, "2026-10-05", "07:30", "16:00", "H"),
            (org.peer.nip, "2026-10-01", "07:30", "16:00", "H"),  # a month the peer had not
            (org.peer.nip, "2026-10-02", "", "", "TK"),
        ]
    )


def test_a_bad_row_rejects_the_whole_file_with_row_errors_and_writes_nothing(org: Org) -> None:
    earlier_october(org)
    before = snapshot()
    data = csv_of(
        [
            (org.employee.nip, "2026-10-01", "08:00", "16:00", "H"),
            (org.peer.nip, "2026-10-31x", "07:30", "16:00", "H"),
            ("199001012015011999", "2026-10-02", "07:30", "16:00", "H"),
        ]
    )
    job = job_for(org, data)
    importjobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED and job.journal == {}
    assert [e[:2] for e in job.errors] == [[3, "Tanggal"], [4, "NIP"]]
    assert "Tidak ada data yang diubah" in job.summary
    assert snapshot() == before


def test_a_good_file_is_applied_in_batches_with_progress(org: Org, settings: Any) -> None:
    settings.ATTENDANCE_IMPORT_BATCH_ROWS = 2
    earlier_october(org)
    job = job_for(org, new_file(org))
    seen: list[int] = []
    original = importjobs._update

    def spy(target: ImportJob, **fields: Any) -> None:
        if "progress" in fields:
            seen.append(fields["progress"])
        original(target, **fields)

    importjobs._update = spy  # type: ignore[assignment]
    try:
        importjobs.run(job.pk)
    finally:
        importjobs._update = original  # type: ignore[assignment]
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.error
    assert (job.rows, job.created, job.updated) == (5, 3, 2)
    assert "Impor berhasil: 5 baris kehadiran untuk 2 pegawai" in job.summary
    assert seen == sorted(seen) and seen[-1] == 100 and len(set(seen)) >= 5  # 3 day batches …
    assert len(job.journal["before"]) == 2  # the two replaced days, as they were
    source = AttendanceImport.objects.get(filename="absen.csv", rows=5)
    assert AttendanceDay.objects.filter(source=source).count() == 5
    month = AttendanceMonth.objects.get(employee=org.employee, year=2026, month=10)
    assert (month.days_recorded, month.late_items) == (3, [20])
    peer = AttendanceMonth.objects.get(employee=org.peer, year=2026, month=10)
    assert peer.unexcused_days == 1
    assert AuditLog.objects.filter(object_type="rewards.attendanceimport").exists()
    page = client_for(org, "bkpsdm").get(f"/impor/{job.pk}/").content.decode()
    assert "Impor berhasil: 5 baris kehadiran" in page and "every 2s" not in page
    assert client_for(org, "admin_opd").get(f"/impor/{job.pk}/").status_code == 404


@pytest.mark.parametrize("failing", ["upsert_days", "audit_record"])
def test_a_failure_mid_apply_is_undone_whole(
    org: Org, settings: Any, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """Fails in the second batch of days, or after every day and month summary was written."""
    settings.ATTENDANCE_IMPORT_BATCH_ROWS = 2
    earlier_october(org)
    before = snapshot()
    original = getattr(attendance_apply, failing)
    calls = {"n": 0}

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if failing == "audit_record" or calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(attendance_apply, failing, flaky)
    job = job_for(org, new_file(org))
    importjobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "semua perubahan dibatalkan" in job.error
    assert snapshot() == before
    assert AuditLog.objects.filter(object_repr__contains="absen.csv dibatalkan").exists()


class WorkerKilled(BaseException):
    """Stands for `kill -9`: nothing in the worker catches it."""


def test_a_job_whose_worker_died_mid_apply_is_undone_by_its_retry(
    org: Org, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.ATTENDANCE_IMPORT_BATCH_ROWS = 2
    earlier_october(org)
    before = snapshot()
    original = attendance_apply.upsert_days
    calls = {"n": 0}

    def dies(rows: Any) -> None:
        calls["n"] += 1
        original(rows)
        if calls["n"] == 2:
            raise WorkerKilled

    monkeypatch.setattr(attendance_apply, "upsert_days", dies)
    job = job_for(org, new_file(org))
    with pytest.raises(WorkerKilled):
        importjobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLYING and snapshot() != before  # half written
    monkeypatch.setattr(attendance_apply, "upsert_days", original)
    importjobs.run(job.pk)  # the task's retry (or the queue's recovery)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "dibatalkan" in job.error
    assert snapshot() == before


def test_a_month_of_attendance_has_its_own_row_limit(org: Org, settings: Any) -> None:
    """A month of attendance is one row per person per working day (220,000 for 10,000 people):
    it is bounded by ATTENDANCE_IMPORT_MAX_ROWS, not by the general IMPORT_MAX_ROWS."""
    settings.IMPORT_MAX_ROWS = 3  # the five-row file would be refused by the general bound
    settings.ATTENDANCE_IMPORT_MAX_ROWS = 5
    job = job_for(org, new_file(org))
    importjobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, (job.summary, job.errors)

    settings.ATTENDANCE_IMPORT_MAX_ROWS = 4
    refused = job_for(org, new_file(org))
    importjobs.run(refused.pk)
    refused.refresh_from_db()
    assert refused.status == ImportStatus.REJECTED
    assert "lebih dari 4 baris data" in str(refused.errors)
