"""Monthly realisations: the grid's all-or-nothing save, lateness, review lock, no lost update,
evidence checked by content, and the capaian figures from kinerja.rules."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kinerja.core.models import AuditLog
from kinerja.performance import selectors, services
from kinerja.performance.models import Evidence, Realisation
from kinerja.rules.enums import Rating
from tests.conftest import Org
from tests.performance.conftest import Plans

RI = services.RealisationInput


def save(
    org: Org, plans: Plans, month: int, patients: str | None, minutes: str | None = None, **kw
) -> list[Realisation]:  # type: ignore[no-untyped-def]
    rows = [
        RI(
            plans.patients,
            Decimal(patients) if patients else None,
            kw.get("note", ""),
            kw.get("revision"),
        )
    ]
    if minutes is not None:
        rows.append(RI(plans.response_time, Decimal(minutes)))
    return services.realisation_save_month(
        plan=plans.employee, month=month, by=org.users["employee"], rows=rows
    )


def test_it_saves_a_month_and_marks_entries_after_the_deadline_late(
    org: Org, employee_plan: Plans, time_machine
) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-07-05 23:00 +07:00")  # June's deadline is the 5th of July
    save(org, employee_plan, 6, "100", "8")
    time_machine.move_to("2026-07-06 00:30 +07:00")
    save(org, employee_plan, 5, "90")
    june = Realisation.objects.get(indicator=employee_plan.patients, month=6)
    may = Realisation.objects.get(indicator=employee_plan.patients, month=5)
    assert not june.is_late and may.is_late
    assert AuditLog.objects.filter(object_type="performance.realisation").count() == 3


def test_future_months_and_unapproved_plans_are_refused(org: Org, employee_plan: Plans) -> None:
    with pytest.raises(ValidationError, match="belum dapat diisi"):
        save(org, employee_plan, 9, "10")
    services.plan_new_version(plan=employee_plan.employee, by=org.users["employee"])
    save(org, employee_plan, 6, "10")  # an approved version exists: entry continues
    assert Realisation.objects.filter(month=6).exists()


def test_only_the_owner_enters_realisations(org: Org, employee_plan: Plans) -> None:
    with pytest.raises(ValidationError):
        services.realisation_save_month(
            plan=employee_plan.employee,
            month=6,
            by=org.users["supervisor"],
            rows=[RI(employee_plan.patients, Decimal(1))],
        )


def test_a_reviewed_entry_is_locked_until_the_supervisor_reopens_it(
    org: Org, employee_plan: Plans
) -> None:
    save(org, employee_plan, 6, "100")
    assert (
        services.realisation_review(
            plan=employee_plan.employee, month=6, by=org.users["supervisor"]
        )
        == 1
    )
    with pytest.raises(ValidationError, match="sudah diperiksa"):
        save(org, employee_plan, 6, "120")
    with pytest.raises(ValidationError):
        services.realisation_review(plan=employee_plan.employee, month=6, by=org.users["employee"])
    entry = Realisation.objects.get(month=6)
    services.realisation_reopen(realisation=entry, by=org.users["supervisor"])
    save(org, employee_plan, 6, "120", revision=Realisation.objects.get(month=6).revision)
    assert Realisation.objects.get(month=6).value == 120


def test_the_second_of_two_concurrent_saves_is_refused(org: Org, employee_plan: Plans) -> None:
    save(org, employee_plan, 6, "100")
    opened = Realisation.objects.get(month=6).revision  # both tabs opened at this revision
    save(org, employee_plan, 6, "110", revision=opened)
    with pytest.raises(services.StaleRealisation, match="diubah di tempat lain"):
        save(org, employee_plan, 6, "999", revision=opened)
    assert Realisation.objects.get(month=6).value == 110


def test_a_bad_row_saves_nothing(org: Org, employee_plan: Plans) -> None:
    from kinerja.performance.models import Indicator

    Indicator.objects.filter(pk=employee_plan.response_time.pk).update(
        source="ikm", source_ref="PKM-01"
    )
    employee_plan.response_time.refresh_from_db()
    with pytest.raises(ValidationError, match="otomatis"):
        save(org, employee_plan, 6, "100", "5")
    assert not Realisation.objects.exists()


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("12", "12"),
        ("12,5", "12.5"),
        ("1.234,5", "1234.5"),
        ("0", "0"),
        (" 7 ", "7"),
        ("3.25", "3.25"),
        ("1.200", "1200"),
        ("1.234.567,25", "1234567.25"),
        ("99.999.999.999.999,9999", "99999999999999.9999"),
    ],
)
def test_values_accept_indonesian_number_formats(raw: str, expected: str) -> None:
    assert services.parse_value(raw) == Decimal(expected)


@pytest.mark.parametrize(
    "raw, told",
    [
        ("dua belas", "bukan angka"),
        ("-1", "negatif"),
        ("NaN", "bukan angka"),
        ("1,23456", "4 angka di belakang koma"),
        ("1e40", "terlalu besar"),
        ("18446744073709551616", "terlalu besar"),
        ("100.000.000.000.000", "terlalu besar"),
        # English grouping: read the Indonesian way it would be a thousand times too small.
        ("1,234.5", "tidak jelas"),
        ("1,234,567.5", "tidak jelas"),
        ("12.34,5", "tidak jelas"),
        ("1.234,5.6", "tidak jelas"),
    ],
)
def test_bad_values_are_refused_clearly(raw: str, told: str) -> None:
    with pytest.raises(ValidationError, match=told):
        services.parse_value(raw)


def test_capaian_to_date_follows_the_rules(org: Org, employee_plan: Plans, time_machine) -> None:  # type: ignore[no-untyped-def]
    for month, patients, minutes in [(1, "100", "12"), (2, "100", "10"), (3, "130", "8")]:
        save(org, employee_plan, month, patients, minutes)
    view = selectors.plan_view(employee_plan.employee)
    patients, minutes = view.all_progress
    # Sum indicator: 330 against 1200 × 3/12 = 300 → 110% (di atas); 27.5% of the year.
    assert patients.value == 330 and patients.target_to_date == 300
    assert patients.capaian_to_date == 110 and patients.status == Rating.DI_ATAS
    assert patients.capaian_year == Decimal("27.5")
    # Average, lower is better: mean 10 minutes against 10 → (2×10 − 10)/10 = 100%.
    assert minutes.value == 10 and minutes.capaian_to_date == 100
    assert minutes.status == Rating.SESUAI
    assert patients.missing_months == [4, 5, 6, 7]
    assert view.capaian == Decimal(105)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%..." + b"0" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def entry(org: Org, employee_plan: Plans) -> Realisation:
    return save(org, employee_plan, 6, "100")[0]


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("foto.png", PNG, "image/png"),
        ("laporan.pdf", PDF, "application/pdf"),
        ("notulen.docx", docx_bytes(), "wordprocessingml"),
    ],
)
def test_evidence_files_are_accepted_by_content(
    org: Org, entry: Realisation, name: str, data: bytes, kind: str
) -> None:
    item = services.evidence_add_file(
        realisation=entry, by=org.users["employee"], name=name, data=data
    )
    assert kind in item.content_type and item.original_name == name
    stored = item.file.name.rsplit("/", 1)[-1]
    assert name not in item.file.name and len(stored.split(".")[0]) == 32


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("virus.pdf", b"MZ\x90\x00 this is an exe", "tidak diizinkan"),
        ("skrip.png", b"<script>alert(1)</script>", "tidak diizinkan"),
        ("kosong.pdf", b"", "kosong"),
        ("besar.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "terlalu besar"),
        ("arsip.docx", b"PK\x03\x04 not really a zip", "tidak diizinkan"),
    ],
)
def test_evidence_that_is_not_what_it_claims_is_refused(
    org: Org, entry: Realisation, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        services.evidence_add_file(
            realisation=entry, by=org.users["employee"], name=name, data=data
        )
    assert not Evidence.objects.exists()


def test_path_parts_in_a_file_name_are_dropped(org: Org, entry: Realisation) -> None:
    item = services.evidence_add_file(
        realisation=entry,
        by=org.users["employee"],
        name="../../etc/passwd\\..\\bukti.png",
        data=PNG,
    )
    assert item.original_name == "bukti.png" and ".." not in item.file.name


def test_links_must_be_web_addresses(org: Org, entry: Realisation) -> None:
    with pytest.raises(ValidationError):
        services.evidence_add_link(
            realisation=entry, by=org.users["employee"], url="javascript:alert(1)"
        )
    link = services.evidence_add_link(
        realisation=entry, by=org.users["employee"], url="https://drive.bukitintan.go.id/laporan"
    )
    assert link.kind == "link"


def test_feedback_threads_notify_the_other_side(
    org: Org, entry: Realisation, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from kinerja.core.models import Notification

    plan = entry.indicator.rhk.plan
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(
            plan=plan, by=org.users["supervisor"], body="Bagus, pertahankan.", realisation=entry
        )
        services.comment_add(
            plan=plan, by=org.users["employee"], body="Terima kasih, Bu.", realisation=entry
        )
    assert Notification.objects.filter(recipient=org.users["employee"]).exists()
    assert Notification.objects.filter(
        recipient=org.users["supervisor"], message__contains="membalas"
    ).exists()
    with pytest.raises(ValidationError):
        services.comment_add(
            plan=plan,
            by=org.users["peer"] if "peer" in org.users else org.users["other"],
            body="Ikut campur",
            realisation=entry,
        )
    # The unit head, two levels up, may give feedback too.
    services.comment_add(
        plan=plan, by=org.users["unit_head"], body="Lanjutkan", rhk=entry.indicator.rhk
    )


def test_two_blank_forms_for_the_same_month_do_not_overwrite_each_other(
    org: Org, employee_plan: Plans
) -> None:
    save(org, employee_plan, 6, "100")  # the first tab created the entry
    with pytest.raises(services.StaleRealisation):
        save(org, employee_plan, 6, "150")  # the second tab never saw it (revision None)
    services.realisation_save_month(
        plan=employee_plan.employee,
        month=6,
        by=org.users["employee"],
        rows=[RI(employee_plan.patients, Decimal(150), overwrite=True)],
    )  # an import states the truth for the month
    assert Realisation.objects.get(month=6).value == 150


# --- What the derived figures can hold (issue 15, items 2 and 3) ---------------------------


def test_a_value_thousands_of_times_the_target_is_refused_with_the_reason(
    org: Org, employee_plan: Plans
) -> None:
    """99,999,999,999,999 patients against a target of 1,200 used to be stored, and then every
    monitoring page answered 500 (the capaian no longer fit its column)."""
    with pytest.raises(ValidationError, match=r"lebih dari 1\.000 kali target tahunan"):
        save(org, employee_plan, 6, "99999999999999")
    assert not Realisation.objects.exists()
    save(org, employee_plan, 6, "1200000")  # exactly 1,000 × the target: over-achievement
    assert Realisation.objects.get(month=6).value == Decimal(1200000)


def test_a_narrative_longer_than_the_limit_is_refused_not_cut(
    org: Org, employee_plan: Plans
) -> None:
    with pytest.raises(ValidationError, match=r"5\.000 karakter, maksimal 2\.000"):
        save(org, employee_plan, 6, "100", note="x" * 5000)
    assert not Realisation.objects.exists()
    save(org, employee_plan, 6, "100", note="x" * 2000)
    assert len(Realisation.objects.get(month=6).narrative) == 2000


def test_the_grid_names_the_limit_of_a_too_long_narrative(org: Org, employee_plan: Plans) -> None:
    from tests.conftest import client_for

    indicator = employee_plan.patients
    response = client_for(org, "employee").post(
        f"/skp/{employee_plan.employee.pk}/realisasi/6/",
        {f"value-{indicator.pk}": "100", f"narrative-{indicator.pk}": "x" * 5000},
        follow=True,
    )
    assert "maksimal 2.000" in response.content.decode()
    assert not Realisation.objects.exists()


def test_a_too_long_feedback_is_refused_with_the_limit_not_called_empty(
    org: Org, entry: Realisation
) -> None:
    from kinerja.performance.models import Comment
    from tests.conftest import client_for

    plan = entry.indicator.rhk.plan
    response = client_for(org, "supervisor").post(
        f"/skp/{plan.pk}/umpan-balik/",
        {"target": "realisation", "target_id": entry.pk, "body": "y" * 5000},
        follow=True,
    )
    page = response.content.decode()
    assert "2000" in page and "Tulis umpan balik terlebih dahulu" not in page
    assert not Comment.objects.exists()


def _office_bomb(expanded_mb: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/padding.bin", b"\0" * (expanded_mb * 1024 * 1024))
    return buffer.getvalue()


def test_an_office_file_that_expands_enormously_is_refused(org: Org, entry: Realisation) -> None:
    """Issue 15, item 14: a DOCX of a few hundred KB that expands to 200 MB."""
    bomb = _office_bomb(200)
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ValidationError, match="mengembang menjadi 200 MB"):
        services.evidence_add_file(
            realisation=entry, by=org.users["employee"], name="laporan.docx", data=bomb
        )
    with pytest.raises(ValidationError, match="tidak wajar"):
        services.evidence_add_file(
            realisation=entry, by=org.users["employee"], name="laporan.docx", data=_office_bomb(20)
        )
    assert not Evidence.objects.exists()


def test_a_full_disk_leaves_no_partial_file_and_says_so(org: Org, entry: Realisation) -> None:
    """Issue 15, item 5: the upload used to answer 500 and leave a 1 MB orphan file."""
    import errno
    from unittest import mock

    from django.core.files.storage import FileSystemStorage

    written: list[str] = []
    real_save = FileSystemStorage._save

    def half_then_full(self, name, content):  # type: ignore[no-untyped-def]
        stored = real_save(self, name, content)  # the bytes reach the disk …
        written.append(stored)
        raise OSError(errno.ENOSPC, "No space left on device")  # … then the disk is full

    pdf = b"%PDF-1.4\n" + b"x" * 1024 * 1024
    with (
        mock.patch.object(FileSystemStorage, "_save", half_then_full),
        pytest.raises(ValidationError, match="ruang penyimpanan server penuh"),
    ):
        services.evidence_add_file(
            realisation=entry, by=org.users["employee"], name="bukti.pdf", data=pdf
        )
    assert written and not FileSystemStorage().exists(written[0])
    assert not Evidence.objects.exists()


def test_a_long_file_name_keeps_its_extension(org: Org, entry: Realisation) -> None:
    name = "Laporan kegiatan " + "sangat panjang " * 20 + ".pdf"
    assert len(name) > 300
    item = services.evidence_add_file(
        realisation=entry, by=org.users["employee"], name=name, data=PDF
    )
    assert len(item.original_name) <= 200 and item.original_name.endswith("panjang.pdf")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("laporan.xlsx", PNG, "Isi berkas adalah gambar PNG, tidak sesuai dengan ekstensi .xlsx"),
        ("foto.PNG.pdf", PNG, "ekstensi .pdf"),
        ("notulen.pdf", docx_bytes(), "Isi berkas adalah dokumen DOCX"),
    ],
)
def test_a_file_whose_content_and_extension_disagree_is_refused(
    org: Org, entry: Realisation, name: str, data: bytes, message: str
) -> None:
    """The content check found the truth but the person was not told: a PNG named laporan.xlsx
    was stored as an image under a spreadsheet's name. They most likely picked the wrong file."""
    with pytest.raises(ValidationError, match=message):
        services.evidence_add_file(
            realisation=entry, by=org.users["employee"], name=name, data=data
        )
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "stored"),
    [
        ("FOTO.JPEG", b"\xff\xd8\xff\xe0" + b"0" * 40, "FOTO.JPEG"),
        ("scan", PDF, "scan.pdf"),  # no extension: the content's is added
        ("Surat No. 12", PNG, "Surat No. 12.png"),  # ". 12" is not an extension
        ("SK Bupati 188.45", PDF, "SK Bupati 188.45.pdf"),
        ("tangkapan-layar.jpg", PNG, "tangkapan-layar.jpg"),  # a photo is a photo
        ("Laporan Jan.Feb", PDF, "Laporan Jan.Feb.pdf"),  # a word, not a file type
        ("SK No.12a", PNG, "SK No.12a.png"),
    ],
)
def test_names_that_fit_their_content_are_kept(
    org: Org, entry: Realisation, name: str, data: bytes, stored: str
) -> None:
    item = services.evidence_add_file(
        realisation=entry, by=org.users["employee"], name=name, data=data
    )
    assert item.original_name == stored
