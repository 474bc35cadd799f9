"""Long exports in the background (kinerja.core.exports): asked from the page, made by the task
worker (inline here: the suite's task backend runs tasks at once), followed on a progress page,
downloaded by the person who asked and nobody else; a failure is shown, never lost."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.core import exports
from kinerja.core.models import AuditLog, ExportJob, ExportStatus
from tests.conftest import Org, client_for


def test_the_directory_is_made_in_the_background_and_downloaded_by_its_owner(
    org: Org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, "bkpsdm")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:export_request", args=["organisation.directory"]))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "core:export_status", args=[job.pk]
    )
    assert job.status == ExportStatus.DONE and job.progress == 100
    page = client.get(response["Location"]).content.decode()
    assert "Berkas siap" in page and "direktori-pegawai-" in page

    download = client.get(reverse("core:export_download", args=[job.pk]))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    nips = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert org.employee.nip in nips
    assert AuditLog.objects.filter(object_type="core.exportjob").exists()

    other = client_for(org, "admin_opd")
    assert other.get(reverse("core:export_status", args=[job.pk])).status_code == 404
    assert other.get(reverse("core:export_download", args=[job.pk])).status_code == 404


def test_an_export_the_user_may_not_have_fails_visibly_and_holds_no_data(
    org: Org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, "employee")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:export_request", args=["monitoring.regency_pdf"]))
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED and not job.file
    assert "tidak lagi berhak" in client.get(response["Location"]).content.decode()
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 404


def test_a_crashing_builder_is_recorded_on_the_job(org: Org) -> None:
    def broken(**kwargs: object) -> tuple[bytes, str, str]:
        raise RuntimeError("disk penuh")

    exports.register("test.broken", "Rusak", broken)
    job = exports.export_request(kind="test.broken", params={}, user=org.users["bkpsdm"])
    exports.run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "RuntimeError" in job.error


def test_an_unknown_kind_is_404(org: Org) -> None:
    response = client_for(org, "bkpsdm").post(reverse("core:export_request", args=["tidak.ada"]))
    assert response.status_code == 404
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    "kind, params, name",
    [
        ("assessment.recap", {"periode": "2026-T2"}, "rekap-penilaian-2026-T2.xlsx"),
        ("monitoring.regency_pdf", {"tahun": "2026"}, "dasbor-kinerja-2026.pdf"),
    ],
)
def test_the_regency_exports_are_made_in_the_background(
    org: Org, kind: str, params: dict[str, str], name: str
) -> None:
    job = exports.export_request(kind=kind, params=params, user=org.users["bkpsdm"])
    exports.run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    assert job.filename == name and job.file.size > 0


def test_old_exports_and_their_files_are_deleted(org: Org, time_machine) -> None:  # type: ignore[no-untyped-def]
    """Exports hold personnel data: after EXPORT_RETENTION_DAYS the row and the file go."""
    time_machine.move_to("2026-10-01 09:00 +07:00")
    job = exports.export_request(kind="organisation.directory", params={}, user=org.users["bkpsdm"])
    exports.run(job.pk)
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    time_machine.move_to("2026-10-05 09:00 +07:00")
    assert exports.prune() == 0
    time_machine.move_to("2026-10-09 09:00 +07:00")
    assert exports.prune() == 1
    assert not ExportJob.objects.exists() and not storage.exists(name)
