"""Employee imports in the background, written in short batches, undone whole on failure
(issue 15 item 6; kinerja.core.importjobs, kinerja.organisation.import_apply)."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from kinerja.core import importjobs
from kinerja.core.models import AuditLog, ImportJob, ImportStatus
from kinerja.organisation import import_apply
from kinerja.organisation.models import Employee, EmployeeHistory, User
from tests.conftest import Org, client_for
from tests.factories import make_nip
from tests.organisation.test_imports import HEADERS, csv, row

pytestmark = pytest.mark.django_db


def chain_file(org: Org, count: int) -> tuple[bytes, list[str]]:
    """`count` new employees, each the supervisor of the next (one per wave), plus a change to
    an existing employee (the org's employee moves under the first new one)."""
    nips = [make_nip() for _ in range(count)]
    rows = [row(nips[0], "Pegawai 0", supervisor=org.supervisor.nip)]
    rows += [row(nips[i], f"Pegawai {i}", supervisor=nips[i - 1]) for i in range(1, count)]
    e = org.employee
    rows.append(
        row(
            e.nip,
            "Nama Baru Sekali",
            golongan="III/b",
            supervisor=nips[0],
            unit=e.unit.code,
            position=e.position.name,
        )
    )
    return csv(HEADERS, rows), nips


def snapshot() -> dict[str, Any]:
    return {
        "employees": sorted(
            Employee.objects.values_list(
                "id", "nip", "name", "golongan", "supervisor_id", "path", "depth", "updated_at"
            )
        ),
        "history": sorted(EmployeeHistory.objects.values_list("id", "employee_id", "valid_to")),
        "users": User.objects.count(),
    }


def job_for(org: Org, data: bytes) -> ImportJob:
    return importjobs.import_request(
        kind="organisation.employees",
        data=data,
        filename="pegawai.csv",
        user=org.users["bkpsdm"],
        enqueue=False,
    )


def test_the_page_queues_the_file_and_shows_progress_then_the_result(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(org, "bkpsdm")
    data, nips = chain_file(org, 3)
    upload = ContentFile(data, name="pegawai.csv")
    response = client.post(reverse("organisation:import"), {"kind": "employees", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/impor/{job.pk}/"
    assert job.status == ImportStatus.QUEUED and not Employee.objects.filter(nip__in=nips)
    poll = client.get(f"/impor/{job.pk}/?bagian=status", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in poll.content.decode()
    assert "Menunggu giliran" in poll.content.decode()

    importjobs.run(job.pk)  # what the worker does
    job.refresh_from_db()
    assert (job.status, job.progress, job.created, job.updated) == (ImportStatus.DONE, 100, 3, 1)
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert "Impor berhasil: 4 baris; 3 baru, 1 diubah" in page and "every 2s" not in page
    assert "pegawai.csv" in client.get(reverse("organisation:import")).content.decode()
    assert client_for(org, "admin_opd").get(f"/impor/{job.pk}/").status_code == 404


def test_a_rejected_file_lists_its_rows_and_changes_nothing(org: Org) -> None:
    before = snapshot()
    job = job_for(org, csv(HEADERS, [row("1986", "Salah"), row(make_nip(), "")]))
    importjobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED and job.journal == {}
    assert [e[:2] for e in job.errors] == [[2, "NIP"], [3, "Nama"]]
    assert snapshot() == before


@pytest.mark.parametrize("batch", [1, 2, 500])
def test_batches_write_the_same_result_as_one_transaction(
    org: Org, settings: Any, batch: int
) -> None:
    settings.IMPORT_BATCH_ROWS = batch
    settings.IMPORT_BATCH_PAUSE_MS = 0
    data, nips = chain_file(org, 5)
    job = job_for(org, data)
    seen: list[int] = []
    original = importjobs._update

    def spy(job: ImportJob, **fields: Any) -> None:
        if "progress" in fields:
            seen.append(fields["progress"])
        original(job, **fields)

    importjobs._update = spy  # type: ignore[assignment]
    try:
        importjobs.run(job.pk)
    finally:
        importjobs._update = original  # type: ignore[assignment]
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.summary
    assert seen == sorted(seen) and seen[-1] == 100
    if batch == 1:
        assert len(set(seen)) >= 7  # one step per batch: five waves, one change, the end
    people = {e.nip: e for e in Employee.objects.filter(nip__in=nips)}
    for upper, lower in itertools.pairwise(nips):
        assert people[lower].supervisor_id == people[upper].pk
        assert people[lower].path == f"{people[upper].path}{people[lower].pk}/"
    moved = Employee.objects.get(pk=org.employee.pk)
    assert (moved.name, moved.golongan, moved.supervisor_id) == (
        "Nama Baru Sekali",
        "III/b",
        people[nips[0]].pk,
    )
    assert moved.path == f"{people[nips[0]].path}{moved.pk}/"
    assert moved.depth == people[nips[0]].depth + 1
    assert EmployeeHistory.objects.filter(employee=moved, valid_to__isnull=True).count() == 1
    assert User.objects.filter(username__in=nips).count() == 5
    assert AuditLog.objects.filter(object_type="import").count() == 1


def test_a_failing_batch_undoes_every_batch_before_it(org: Org, settings: Any) -> None:
    settings.IMPORT_BATCH_ROWS = 2
    settings.IMPORT_BATCH_PAUSE_MS = 0
    before = snapshot()
    data, nips = chain_file(org, 5)
    job = job_for(org, data)
    calls = {"n": 0}
    original = import_apply._change_batch

    def crash(*args: Any, **kwargs: Any) -> Any:  # the last batch: every creation is written
        calls["n"] += 1
        raise OSError("disk I/O error")

    import_apply._change_batch = crash  # type: ignore[assignment]
    try:
        importjobs.run(job.pk)
    finally:
        import_apply._change_batch = original  # type: ignore[assignment]
    job.refresh_from_db()
    assert calls["n"] == 1 and job.status == ImportStatus.FAILED
    assert "dibatalkan" in job.summary and job.journal["created"] == nips
    assert snapshot() == before


def test_an_employee_edited_during_the_import_stops_it_and_undoes_it(
    org: Org, settings: Any
) -> None:
    settings.IMPORT_BATCH_ROWS = 1
    settings.IMPORT_BATCH_PAUSE_MS = 0
    data, nips = chain_file(org, 2)
    job = job_for(org, data)
    original = import_apply._create_batch

    def someone_saves(*args: Any, **kwargs: Any) -> None:
        original(*args, **kwargs)  # meanwhile an administrator corrects the employee's name
        Employee.objects.filter(pk=org.employee.pk).update(
            name="Koreksi Admin", updated_at=timezone.now()
        )

    import_apply._create_batch = someone_saves  # type: ignore[assignment]
    try:
        importjobs.run(job.pk)
    finally:
        import_apply._create_batch = original  # type: ignore[assignment]
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert f"NIP {org.employee.nip} diubah orang lain" in job.summary
    assert not Employee.objects.filter(nip__in=nips).exists()
    assert Employee.objects.get(pk=org.employee.pk).name == "Koreksi Admin"  # their edit stays


def test_a_job_whose_worker_died_mid_import_is_undone_by_the_recovery(
    org: Org, settings: Any
) -> None:
    settings.IMPORT_BATCH_ROWS = 2
    settings.IMPORT_BATCH_PAUSE_MS = 0
    before = snapshot()
    data, nips = chain_file(org, 5)
    job = job_for(org, data)
    original = import_apply._change_batch

    def killed(*args: Any, **kwargs: Any) -> None:
        raise SystemExit(-9)  # not an Exception: nothing in the process gets to clean up

    import_apply._change_batch = killed  # type: ignore[assignment]
    try:
        with pytest.raises(SystemExit):
            importjobs.run(job.pk)
    finally:
        import_apply._change_batch = original  # type: ignore[assignment]
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLYING
    assert Employee.objects.filter(nip__in=nips).count() == 5  # half-applied, as after kill -9
    assert importjobs.recover_stale() == 0  # still "fresh": its worker may be alive
    later = timezone.now() + timedelta(minutes=settings.TASKS_STALE_MINUTES + 1)
    assert importjobs.recover_stale(now=later) == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "pekerja latar berhenti" in job.error
    assert snapshot() == before
    assert AuditLog.objects.filter(object_type="core.importjob").count() == 1


def test_the_retried_task_undoes_a_half_applied_job(org: Org, settings: Any) -> None:
    settings.IMPORT_BATCH_ROWS = 2
    data, nips = chain_file(org, 3)
    job = job_for(org, data)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.APPLYING)
    job.refresh_from_db()
    # The journal the job kept before its first write, and that write itself.
    report = importjobs._kinds["organisation.employees"].importer(
        data=data,
        filename="x.csv",
        by=None,
        params={},
        on_apply=lambda journal: ImportJob.objects.filter(pk=job.pk).update(journal=journal),
        progress=lambda p: None,
    )
    assert report.ok and Employee.objects.filter(nip__in=nips).count() == 3
    importjobs.run_import.call(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert not Employee.objects.filter(nip__in=nips).exists()


def test_a_long_file_name_keeps_its_extension(org: Org) -> None:
    job = importjobs.import_request(
        kind="organisation.employees",
        data=csv(HEADERS, [row(make_nip(), "Baru")]),
        filename="Data pegawai " + "x" * 300 + ".csv",
        user=org.users["bkpsdm"],
        enqueue=False,
    )
    assert len(job.filename) == 200 and job.filename.endswith("x.csv")
    assert job.file.name.endswith(".csv") and len(job.file.name) <= 100
