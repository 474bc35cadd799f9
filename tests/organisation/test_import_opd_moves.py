"""A units file that moves registered units to another OPD (an OPD merged into another, a unit
made an OPD, a unit put under another OPD's unit) moves their sub-units and people with them.
A wrong "Kode Induk" did that silently; now such a file is refused, naming each move, unless
the upload ticks "Izinkan pindah OPD", and an allowed move is in the import's audit entry."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kinerja.core import importjobs
from kinerja.core.models import AuditLog, ImportJob, ImportStatus
from kinerja.organisation.choices import UnitKind
from kinerja.organisation.imports import import_file
from kinerja.organisation.models import Employee, Unit
from tests.conftest import Org, client_for
from tests.factories import UnitFactory

from .test_import_odd_files import PKM_TO_DISDIK, UNIT_HEADERS, messages, snapshot
from .test_imports import csv

pytestmark = pytest.mark.django_db


def units(rows: list[list[str]], **options: Any):  # type: ignore[no-untyped-def]
    return import_file(
        kind="units", data=csv(UNIT_HEADERS, rows), filename="unit.csv", by=None, **options
    )


DINKES_UNDER_DISDIK = ["DINKES", "Dinas Kesehatan", "Bidang", "DISDIK", "", "", ""]
PKM_AS_OPD = ["DINKES-PKM-01", "UPT Puskesmas Bukitintan", "Dinas", "", "", "Ya", ""]


def people_of(code: str) -> int:
    unit = Unit.objects.get(code=code)
    return Employee.objects.filter(unit__path__startswith=unit.path, is_active=True).count()


DINKES_ADMIN = (
    "; akun Admin OPD-nya (admin.dinkes) tidak akan lagi menjangkau siapa pun sampai perannya "
    "diatur ulang"
)


@pytest.mark.parametrize(
    ("row", "told"),
    [
        (
            PKM_TO_DISDIK,
            "Unit DINKES-PKM-01 (UPT Puskesmas Bukitintan) akan pindah dari OPD "
            "DINKES ke OPD DISDIK, bersama 0 subunit dan {pkm} pegawai aktif.",
        ),
        (
            DINKES_UNDER_DISDIK,
            "OPD DINKES (Dinas Kesehatan) akan menjadi bagian dari OPD "
            "DISDIK, bersama 1 subunit dan {dinkes} pegawai aktif" + DINKES_ADMIN + ".",
        ),
        (
            PKM_AS_OPD,
            "Unit DINKES-PKM-01 (UPT Puskesmas Bukitintan) akan keluar dari OPD DINKES "
            "dan menjadi OPD sendiri, bersama 0 subunit dan {pkm} pegawai aktif.",
        ),
    ],
)
def test_a_move_to_another_opd_is_refused_and_named_unless_allowed(
    org: Org, row: list[str], told: str
) -> None:
    counts = {"pkm": people_of("DINKES-PKM-01"), "dinkes": people_of("DINKES")}
    assert counts["pkm"] > 0 and counts["dinkes"] > counts["pkm"]
    before = snapshot()
    report = units([row])
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(2, "Kode Induk")]
    assert told.format(**counts) in messages(report)
    assert 'centang "Izinkan pindah OPD"' in messages(report)
    assert snapshot() == before

    allowed = units([row], allow_opd_change=True)
    assert allowed.ok, allowed.errors
    done = told.format(**counts).replace("akan ", "")  # told as done, not as to come
    assert allowed.opd_moves == [done]
    assert "1 unit pindah OPD." in allowed.summary()
    entry = AuditLog.objects.filter(object_type="import").latest("pk")
    assert entry.changes["opd_moves"] == [done]


def test_a_unit_and_its_sub_unit_moved_together_are_told_once(org: Org) -> None:
    report = units([DINKES_UNDER_DISDIK, [*PKM_TO_DISDIK[:3], "DINKES", *PKM_TO_DISDIK[4:]]])
    assert len(report.errors) == 1 and "OPD DINKES (Dinas Kesehatan)" in messages(report)


def test_opds_merged_in_a_chain_are_each_told(org: Org) -> None:
    """DISDIK merged into DINSOS and DINKES into DISDIK: DINKES ends up under DISDIK, but it was
    never among DISDIK's units, so its own move (and its people) must be named too (a review
    found it left out of the refusal, the summary and the audit entry)."""
    UnitFactory(code="DINSOS", name="Dinas Sosial", kind=UnitKind.DINAS)
    rows = [
        ["DISDIK", "Dinas Pendidikan", "Bidang", "DINSOS", "", "", ""],
        ["DINKES", "Dinas Kesehatan", "Bidang", "DISDIK", "", "", ""],
    ]
    report = units(rows)
    told = messages(report)
    assert "OPD DISDIK (Dinas Pendidikan) akan menjadi bagian dari OPD DINSOS" in told
    assert (
        f"OPD DINKES (Dinas Kesehatan) akan menjadi bagian dari OPD DINSOS, bersama 1 subunit "
        f"dan {people_of('DINKES')} pegawai aktif" in told
    )
    allowed = units(rows, allow_opd_change=True)
    assert allowed.ok and len(allowed.opd_moves) == 2
    assert Unit.objects.get(code="DINKES-PKM-01").opd.code == "DINSOS"


def test_a_move_is_told_with_the_files_other_errors(org: Org) -> None:
    """The refusal of a move comes with the file's other errors, not one upload after they are
    fixed; a row whose own place is in error (an unknown parent, a loop) names no OPD."""
    bad_name = ["DINKES-PKM-02", "", "UPT Puskesmas", "DINKES", "", "Ya", ""]
    UnitFactory(
        code="DINKES-PKM-03", name="UPT Puskesmas Tiga", kind=UnitKind.PUSKESMAS, parent=org.dinkes
    )
    orphan = ["DINKES-PKM-03", "UPT Puskesmas Tiga", "UPT Puskesmas", "TIDAK-ADA", "", "Ya", ""]
    before = snapshot()
    report = units([PKM_TO_DISDIK, bad_name, orphan])
    assert sorted((e.row, e.column) for e in report.errors) == [
        (2, "Kode Induk"),
        (3, "Nama Unit"),
        (4, "Kode Induk"),
    ]
    told = messages(report)
    assert "Unit DINKES-PKM-01 (UPT Puskesmas Bukitintan) akan pindah dari OPD DINKES" in told
    assert "OPD TIDAK-ADA" not in told
    assert snapshot() == before
    # Allowed, the failed file records no move: nothing was applied.
    allowed = units([PKM_TO_DISDIK, bad_name], allow_opd_change=True)
    assert [(e.row, e.column) for e in allowed.errors] == [(3, "Nama Unit")]
    assert allowed.opd_moves == []
    assert snapshot() == before


def test_a_registered_unit_under_a_row_in_error_names_no_move(org: Org) -> None:
    """DINKES given an unknown type and a parent: its puskesmas, moved under it in the file,
    has no OPD to name until DINKES's own row is right."""
    rows = [
        ["DINKES", "Dinas Kesehatan", "Entah", "DISDIK", "", "", ""],
        [*PKM_TO_DISDIK[:3], "DINKES", *PKM_TO_DISDIK[4:]],
    ]
    report = units(rows)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Jenis")]
    assert "pindah" not in messages(report) and "bagian dari OPD" not in messages(report)


def test_changes_within_an_opd_need_no_permission(org: Org) -> None:
    report = units(
        [
            ["DINKES", "Dinas Kesehatan Kabupaten", "Dinas", "", "", "", "Jl. Merdeka 1"],
            ["DINKES-PKM-02", "UPT Puskesmas Baru", "UPT Puskesmas", "DINKES", "", "Ya", ""],
            [*PKM_TO_DISDIK[:3], "DINKES-PKM-02", *PKM_TO_DISDIK[4:]],
            ["DISDIK-NEW", "Dinas Baru", "Dinas", "", "", "", ""],
        ]
    )
    assert report.ok, report.errors
    assert report.opd_moves == []
    assert Unit.objects.get(code="DINKES-PKM-01").opd.code == "DINKES"


def test_the_import_page_carries_the_permission_to_the_job(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(org, "bkpsdm")
    page = client.get(reverse("organisation:import")).content.decode()
    assert 'type="checkbox" name="allow_opd_change"' in page
    for ticked in ("", "on"):
        upload = ContentFile(csv(UNIT_HEADERS, [PKM_TO_DISDIK]), name="unit.csv")
        data = {"kind": "units", "file": upload, "allow_opd_change": ticked}
        assert client.post(reverse("organisation:import"), data).status_code == 302
        job = ImportJob.objects.latest("pk")
        importjobs.run(job.pk)
        job.refresh_from_db()
        if not ticked:
            assert job.status == ImportStatus.REJECTED
            assert "Izinkan pindah OPD" in client.get(f"/impor/{job.pk}/").content.decode()
            assert Unit.objects.get(code="DINKES-PKM-01").opd.code == "DINKES"
        else:
            assert job.status == ImportStatus.DONE, job.errors
            assert "1 unit pindah OPD." in client.get(f"/impor/{job.pk}/").content.decode()
            assert Unit.objects.get(code="DINKES-PKM-01").opd.code == "DISDIK"


def test_the_command_line_refuses_a_move_and_applies_it_when_told(org: Org, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "unit.csv"
    path.write_bytes(csv(UNIT_HEADERS, [PKM_TO_DISDIK]))
    for dry_run in ([], ["--dry-run"]):
        errors = io.StringIO()
        with pytest.raises(CommandError, match="Impor dibatalkan"):
            call_command("import_employees", str(path), "--kind", "units", *dry_run, stderr=errors)
        assert "akan pindah dari OPD DINKES ke OPD DISDIK" in errors.getvalue()
        assert "tambahkan --allow-opd-change" in errors.getvalue()
    assert Unit.objects.get(code="DINKES-PKM-01").opd.code == "DINKES"
    out = io.StringIO()
    call_command("import_employees", str(path), "--kind", "units", "--allow-opd-change", stdout=out)
    assert "1 unit pindah OPD." in out.getvalue()
    assert Unit.objects.get(code="DINKES-PKM-01").opd.code == "DISDIK"
