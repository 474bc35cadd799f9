"""Spreadsheet imports: a year of realisations for one SKP, and an OPD's goals. Both are
all-or-nothing with row and column errors, and write through the services (audit included)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kinerja.core.models import AuditLog
from kinerja.performance import imports, services
from kinerja.performance.models import OrgGoal, Realisation
from tests.conftest import Org, client_for
from tests.performance.conftest import Plans

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_MONTH_COLUMN = 6  # A id, B RHK, C indicator, D unit, E target, F January


def upload(data: bytes, name: str = "realisasi.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def fill(template: bytes, values: dict[tuple[int, int], Any]) -> bytes:
    """The template with (indicator id, month) cells set."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    for (indicator_id, month), value in values.items():
        sheet.cell(row=rows[indicator_id], column=FIRST_MONTH_COLUMN + month - 1, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet_file(headers: list[str], rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def template(org: Org, employee_plan: Plans) -> bytes:
    response = client_for(org, "employee").get(
        reverse("performance:realisation_template", args=[employee_plan.employee.pk])
    )
    assert response.status_code == 200
    return response.content


def post_import(org: Org, plans: Plans, data: bytes, persona: str = "employee") -> Any:
    return client_for(org, persona).post(
        reverse("performance:realisation_import", args=[plans.employee.pk]),
        {"file": upload(data)},
        follow=True,
    )


# --- Realisations ----------------------------------------------------------------------------


def test_the_template_lists_each_indicator_with_its_stored_months(
    org: Org, employee_plan: Plans
) -> None:
    services.realisation_save_month(
        plan=employee_plan.employee,
        month=2,
        by=org.users["employee"],
        rows=[services.RealisationInput(employee_plan.response_time, Decimal("7.5"))],
    )
    data = client_for(org, "employee").get(
        reverse("performance:realisation_template", args=[employee_plan.employee.pk])
    )
    assert data["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(data.content))
    sheet = workbook.worksheets[0]
    assert [s.title for s in workbook.worksheets] == ["Realisasi 2026", "Petunjuk"]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["ID Indikator", "RHK", "Indikator", "Satuan", "Target tahunan"]
    assert headers[5:17] == ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
                             "Agustus", "September", "Oktober", "November", "Desember"]  # fmt: skip
    assert sheet.column_dimensions["A"].hidden
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    patients, response = rows[employee_plan.patients.pk], rows[employee_plan.response_time.pk]
    assert patients[2] == "Jumlah pasien terlayani" and patients[3] == "pasien"
    assert patients[4] == 1200 and all(v is None for v in patients[5:17])
    assert response[6] == 7.5  # February
    assert "Semakin rendah semakin baik" in response[17]


def test_a_good_file_saves_every_month_through_the_service(
    org: Org, employee_plan: Plans, template: bytes
) -> None:
    patients, response = employee_plan.patients, employee_plan.response_time
    values = {(patients.pk, m): 95 + m for m in range(1, 8)}
    values |= {(response.pk, m): "8,5" for m in range(1, 4)}
    values[(response.pk, 4)] = 9.25
    values[(response.pk, 5)] = 1.125  # a number, not "1.125" (which Indonesians read as 1125)
    result = post_import(org, employee_plan, fill(template, values))
    assert result.redirect_chain[-1][0].endswith(
        reverse("performance:plan_detail", args=[employee_plan.employee.pk]) + "#hasil-kerja"
    )
    assert "Impor berhasil" in result.content.decode()
    assert Realisation.objects.count() == 12
    assert Realisation.objects.get(indicator=patients, month=6).value == 101
    assert Realisation.objects.get(indicator=response, month=1).value == Decimal("8.5")
    assert Realisation.objects.get(indicator=response, month=4).value == Decimal("9.25")
    assert Realisation.objects.get(indicator=response, month=5).value == Decimal("1.125")
    # June's deadline was 5 July (today is 10 July): the service marks it late, not July.
    assert Realisation.objects.get(indicator=patients, month=6).is_late
    assert not Realisation.objects.get(indicator=patients, month=7).is_late
    audited = AuditLog.objects.filter(object_type="performance.realisation", action="create")
    assert audited.count() == 12


def test_importing_again_changes_only_what_differs_and_keeps_narratives(
    org: Org, employee_plan: Plans, template: bytes
) -> None:
    patients = employee_plan.patients
    services.realisation_save_month(
        plan=employee_plan.employee,
        month=1,
        by=org.users["employee"],
        rows=[services.RealisationInput(patients, Decimal(90), narrative="Poli umum")],
    )
    data = fill(template, {(patients.pk, 1): 90, (patients.pk, 2): 100})
    result = imports.realisation_import(
        plan=employee_plan.employee, by=org.users["employee"], data=data, filename="r.xlsx"
    )
    assert result.ok and (result.created, result.changed, result.unchanged) == (1, 0, 1)
    data = fill(template, {(patients.pk, 1): 91})
    result = imports.realisation_import(
        plan=employee_plan.employee, by=org.users["employee"], data=data, filename="r.xlsx"
    )
    assert result.ok and result.changed == 1
    january = Realisation.objects.get(indicator=patients, month=1)
    assert january.value == 91 and january.narrative == "Poli umum" and january.revision == 2


def test_bad_cells_are_explained_by_row_and_column_and_nothing_is_saved(
    org: Org, employee_plan: Plans, template: bytes
) -> None:
    patients, response = employee_plan.patients, employee_plan.response_time
    data = fill(
        template,
        {
            (patients.pk, 1): 100,  # fine, but must not be saved
            (patients.pk, 2): "seratus",
            (patients.pk, 3): -5,
            (patients.pk, 8): 100,  # August has not started on 10 July
            (response.pk, 2): "1,23456",
        },
    )
    response_page = post_import(org, employee_plan, data)
    text = response_page.content.decode()
    assert response_page.status_code == 200
    assert "Impor dibatalkan" in text and "Tidak ada data yang diubah" in text
    assert "“seratus” bukan angka." in text
    assert "Angka tidak boleh negatif." in text
    assert "Bulan Agustus 2026 belum dimulai" in text
    assert "paling banyak 4 angka di belakang koma" in text
    assert not Realisation.objects.exists()
    result = imports.realisation_import(
        plan=employee_plan.employee, by=org.users["employee"], data=data, filename="r.xlsx"
    )
    problems = {(e.row, e.column) for e in result.errors}
    row_of = {employee_plan.patients.pk: 2, employee_plan.response_time.pk: 3}
    assert problems == {
        (row_of[patients.pk], "Februari"),
        (row_of[patients.pk], "Maret"),
        (row_of[patients.pk], "Agustus"),
        (row_of[response.pk], "Februari"),
    }


def test_an_indicator_of_another_plan_or_a_doubled_row_is_refused(
    org: Org, employee_plan: Plans
) -> None:
    foreign = employee_plan.supervisor.rhks.first().indicators.first()
    headers = ["ID Indikator", "RHK", "Indikator", "Satuan", "Target tahunan", "Januari"]
    data = sheet_file(
        headers,
        [
            [foreign.pk, "", "", "", "", 5],
            [employee_plan.patients.pk, "", "", "", "", 5],
            [employee_plan.patients.pk, "", "", "", "", 6],
            ["", "catatan saya", "", "", "", 7],
        ],
    )
    result = imports.realisation_import(
        plan=employee_plan.employee, by=org.users["employee"], data=data, filename="r.xlsx"
    )
    messages = {(e.row, e.message) for e in result.errors}
    assert (2, f"Indikator “{foreign.pk}” bukan bagian dari SKP ini. Gunakan templat yang "
            "diunduh dari SKP ini.") in messages  # fmt: skip
    assert (4, "Indikator ini sudah ada di baris 3; setiap indikator cukup satu baris.") in messages
    assert (5, "ID Indikator kosong; baris ini tidak dikenali.") in messages
    assert not Realisation.objects.exists()


def test_a_reviewed_month_cannot_be_changed_but_may_stay_as_it_is(
    org: Org, employee_plan: Plans, template: bytes
) -> None:
    plan, patients = employee_plan.employee, employee_plan.patients
    services.realisation_save_month(
        plan=plan,
        month=1,
        by=org.users["employee"],
        rows=[services.RealisationInput(patients, Decimal(100), narrative="Sudah")],
    )
    services.realisation_review(plan=plan, month=1, by=org.users["supervisor"])
    fresh = client_for(org, "employee").get(
        reverse("performance:realisation_template", args=[plan.pk])
    )
    same = imports.realisation_import(
        plan=plan,
        by=org.users["employee"],
        data=fill(fresh.content, {(patients.pk, 2): 80}),
        filename="r.xlsx",
    )
    assert same.ok and same.created == 1 and same.unchanged == 1
    changed = imports.realisation_import(
        plan=plan,
        by=org.users["employee"],
        data=fill(template, {(patients.pk, 1): 120, (patients.pk, 3): 90}),
        filename="r.xlsx",
    )
    assert [e.column for e in changed.errors] == ["Januari"]
    assert "sudah diperiksa atasan" in changed.errors[0].message
    assert not Realisation.objects.filter(month=3).exists()
    assert Realisation.objects.get(indicator=patients, month=1).value == 100


def test_an_automatic_indicator_is_not_typed(org: Org, employee_plan: Plans) -> None:
    user, plan = org.users["employee"], employee_plan.employee
    services.plan_new_version(plan=plan, by=user)
    ikm = services.indicator_add(
        rhk=employee_plan.employee_rhk,
        by=user,
        aspek="kualitas",
        name="Indeks kepuasan masyarakat Puskesmas",
        unit_of_measure="indeks",
        target=Decimal(85),
        polarity="higher_is_better",
        aggregation="last",
        source="ikm",
        source_ref="PKM-01-UMUM",
    )
    services.plan_submit(plan=plan, by=user)
    services.plan_approve(plan=plan, by=org.users["supervisor"])
    template = client_for(org, "employee").get(
        reverse("performance:realisation_template", args=[plan.pk])
    )
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == ikm.pk)
    assert "Diisi otomatis" in row[17]
    result = imports.realisation_import(
        plan=plan,
        by=user,
        data=fill(template.content, {(ikm.pk, 5): 88, (employee_plan.patients.pk, 5): 100}),
        filename="r.xlsx",
    )
    assert [(e.column, e.message) for e in result.errors] == [
        (
            "Mei",
            "“Indeks kepuasan masyarakat Puskesmas” diisi otomatis oleh sistem; kosongkan sel ini.",
        )
    ]
    assert not Realisation.objects.exists()


def test_an_error_while_writing_a_later_month_undoes_the_earlier_months(
    org: Org, employee_plan: Plans, template: bytes, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    real = services.realisation_save_month

    def failing(**kwargs: Any) -> Any:
        if kwargs["month"] == 3:
            raise services.StaleRealisation("Realisasi telah diubah di tempat lain.")
        return real(**kwargs)

    monkeypatch.setattr(services, "realisation_save_month", failing)
    patients = employee_plan.patients
    data = fill(template, {(patients.pk, m): 100 for m in (1, 2, 3, 4)})
    result = imports.realisation_import(
        plan=employee_plan.employee, by=org.users["employee"], data=data, filename="r.xlsx"
    )
    assert not result.ok and result.errors[0].column == "Maret"
    assert result.created == 0
    assert not Realisation.objects.exists()
    assert not AuditLog.objects.filter(object_type="performance.realisation").exists()


def test_a_plan_not_yet_approved_or_a_wrong_file_is_refused(org: Org, plans: Plans) -> None:
    user = org.users["employee"]
    plan = services.plan_create(employee=org.employee, year=2026, by=user)
    result = imports.realisation_import(plan=plan, by=user, data=b"x", filename="r.xlsx")
    assert result.errors[0].message == "Realisasi dapat diisi setelah SKP disetujui."
    page = client_for(org, "employee").get(
        reverse("performance:realisation_import", args=[plan.pk])
    )
    assert "setelah SKP disetujui" in page.content.decode()


def test_a_file_that_is_not_a_spreadsheet_changes_nothing(org: Org, employee_plan: Plans) -> None:
    client = client_for(org, "employee")
    url = reverse("performance:realisation_import", args=[employee_plan.employee.pk])
    text = client.post(url, {"file": upload(b"%PDF-1.4 nope", "laporan.pdf")}).content.decode()
    assert "Hanya berkas .xlsx atau .csv" in text
    text = client.post(url, {"file": upload(b"PK\x03\x04broken", "rusak.xlsx")}).content.decode()
    assert "tidak dapat dibaca" in text
    headers_only = sheet_file(["Nama", "Nilai"], [["a", 1]])
    text = client.post(url, {"file": upload(headers_only)}).content.decode()
    assert "Kolom “ID Indikator” tidak ditemukan" in text
    assert not Realisation.objects.exists()


def test_a_csv_saved_from_the_template_works_too(org: Org, employee_plan: Plans) -> None:
    csv = (
        "ID Indikator;RHK;Indikator;Satuan;Target tahunan;Jan;Feb\n"
        f"{employee_plan.patients.pk};;;;;100;110\n"
    ).encode()
    result = imports.realisation_import(
        plan=employee_plan.employee, by=org.users["employee"], data=csv, filename="r.csv"
    )
    assert result.ok and result.created == 2


def test_another_persona_cannot_post_an_import(org: Org, employee_plan: Plans, template) -> None:  # type: ignore[no-untyped-def]
    data = fill(template, {(employee_plan.patients.pk, 1): 1})
    for persona in ("supervisor", "unit_head", "bkpsdm", "other"):
        response = client_for(org, persona).post(
            reverse("performance:realisation_import", args=[employee_plan.employee.pk]),
            {"file": upload(data)},
        )
        assert response.status_code == 404
    assert not Realisation.objects.exists()


# --- OPD goals --------------------------------------------------------------------------------

GOAL_HEADERS = ["Nomor", "Sasaran", "Indikator", "Satuan", "Target", "Polaritas"]


def post_goals(org: Org, data: bytes, persona: str = "admin_opd", **extra: Any) -> Any:
    return client_for(org, persona).post(
        reverse("performance:goal_import"),
        {"file": upload(data, "sasaran.xlsx"), "opd": org.dinkes.pk, "tahun": 2026, **extra},
        follow=True,
    )


def test_goals_are_added_and_updated_by_their_number(org: Org, plans: Plans) -> None:
    data = sheet_file(
        GOAL_HEADERS,
        [
            [1, "Meningkatnya derajat kesehatan masyarakat", "Angka kematian ibu",
             "per 100.000", 75, "Semakin rendah semakin baik"],
            [2, "Meningkatnya mutu pelayanan kesehatan", "Persentase Puskesmas terakreditasi",
             "persen", "92,5", "tinggi"],
            [3, "Menurunnya prevalensi stunting", "Prevalensi stunting", "persen", 14, "rendah"],
        ],
    )  # fmt: skip
    response = post_goals(org, data)
    text = response.content.decode()
    assert "Impor berhasil: 3 baris dibaca; 2 isian baru, 1 diubah, 0 tanpa perubahan." in text
    goals = {g.number: g for g in OrgGoal.objects.filter(opd=org.dinkes, year=2026)}
    assert goals[1].pk == plans.goal.pk and goals[1].target == 75
    assert goals[2].target == Decimal("92.5") and goals[2].polarity == "higher_is_better"
    assert goals[3].polarity == "lower_is_better"
    assert AuditLog.objects.filter(object_type="performance.orggoal", action="create").count() == 3
    again = imports.goal_import(
        opd=org.dinkes, year=2026, by=org.users["bkpsdm"], data=data, filename="s.xlsx"
    )
    assert again.ok and again.unchanged == 3 and again.created == again.changed == 0


def test_bad_goal_rows_are_explained_and_nothing_is_saved(org: Org, plans: Plans) -> None:
    data = sheet_file(
        GOAL_HEADERS,
        [
            [2, "Sasaran baik", "Indikator", "persen", 90, ""],
            [0, "", "Indikator", "persen", "banyak", "naik turun"],
            [2, "Sasaran ganda", "Indikator", "", -1, "tinggi"],
        ],
    )
    result = imports.goal_import(
        opd=org.dinkes, year=2026, by=org.users["admin_opd"], data=data, filename="s.xlsx"
    )
    problems = {(e.row, e.column) for e in result.errors}
    assert problems == {
        (3, "Nomor"),
        (3, "Sasaran"),
        (3, "Target"),
        (3, "Polaritas"),
        (4, "Nomor"),
        (4, "Satuan"),
        (4, "Target"),
    }
    assert "Nomor 2 sudah dipakai di baris 2." in {e.message for e in result.errors}
    assert OrgGoal.objects.count() == 1
    text = post_goals(org, data).content.decode()
    assert "Impor dibatalkan" in text and "Polaritas “naik turun” tidak dikenal" in text


def test_the_goal_template_holds_the_existing_goals(org: Org, plans: Plans) -> None:
    response = client_for(org, "admin_opd").get(
        reverse("performance:goal_template") + f"?opd={org.dinkes.pk}&tahun=2026"
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == GOAL_HEADERS
    assert rows[1][:3] == (1, "Meningkatnya derajat kesehatan masyarakat", "Angka kematian ibu")
    assert rows[1][5] == "Semakin rendah semakin baik"


def test_the_goal_list_links_to_the_import_for_managers_only(org: Org, plans: Plans) -> None:
    url = reverse("performance:goal_list") + f"?opd={org.dinkes.pk}"
    assert "Impor dari XLSX" in client_for(org, "admin_opd").get(url).content.decode()
    assert "Impor dari XLSX" not in client_for(org, "employee").get(url).content.decode()


def test_an_admin_opd_cannot_import_into_another_opd(org: Org, plans: Plans) -> None:
    data = sheet_file(GOAL_HEADERS, [[5, "Sasaran", "Indikator", "persen", 90, "tinggi"]])
    with pytest.raises(ValidationError):
        services.goal_save(
            by=org.users["admin_opd"], opd=org.disdik, year=2026, number=5, sasaran="x",
            indicator="y", unit_of_measure="z", target=Decimal(1), polarity="higher_is_better",
        )  # fmt: skip
    post_goals(org, data, opd=org.disdik.pk)  # falls back to the Admin OPD's own OPD
    assert not OrgGoal.objects.filter(opd=org.disdik).exists()
    assert OrgGoal.objects.filter(opd=org.dinkes, number=5).exists()


def test_the_template_reads_a_fixed_number_of_queries(
    org: Org, employee_plan: Plans, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, "employee")
    url = reverse("performance:realisation_template", args=[employee_plan.employee.pk])
    client.get(url)
    with django_assert_max_num_queries(8):
        client.get(url)
    user = org.users["employee"]
    services.realisation_save_month(
        plan=employee_plan.employee,
        month=3,
        by=user,
        rows=[services.RealisationInput(employee_plan.patients, Decimal(5))],
    )
    with django_assert_max_num_queries(8):  # more stored months, same queries
        client.get(url)


@pytest.mark.parametrize(
    "cell, value, expected",
    [
        ((3, 25), "catatan di samping tabel", "berisi isian di kolom ke-25 yang tidak berjudul"),
        ((1, 19), "Januari", "Judul kolom muncul lebih dari sekali: 'januari'"),
    ],
)
def test_a_value_under_no_header_or_a_column_twice_is_refused_not_dropped(
    org: Org,
    employee_plan: Plans,
    template: bytes,
    cell: tuple[int, int],
    value: str,
    expected: str,
) -> None:
    """A note typed beside the table, or a second "Januari" column: one of the values would
    be dropped without a word, so the file is refused and nothing is saved."""
    filled = fill(template, {(employee_plan.patients.pk, 1): 90})
    workbook = load_workbook(io.BytesIO(filled))
    workbook.worksheets[0].cell(row=cell[0], column=cell[1], value=value)
    out = io.BytesIO()
    workbook.save(out)
    text = post_import(org, employee_plan, out.getvalue()).content.decode()
    assert expected in text.replace("&#x27;", "'")
    assert not Realisation.objects.exists()


def test_a_decompression_bomb_is_refused_before_it_is_read(
    org: Org, employee_plan: Plans, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A few kilobytes that unpack to megabytes of one character (kinerja.core.tabular's
    archive check, shared with every other import) never reach openpyxl."""
    from kinerja.core import tabular

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl opened a decompression bomb")

    monkeypatch.setattr(tabular, "load_workbook", refuse)
    from tests.core.test_tabular import bomb

    data = bomb()
    assert len(data) < 100 * 1024
    result = imports.realisation_import(
        plan=employee_plan.employee, by=org.users["employee"], data=data, filename="r.xlsx"
    )
    assert not result.ok and "dipadatkan secara tidak wajar" in result.errors[0].message
    assert not Realisation.objects.exists()
