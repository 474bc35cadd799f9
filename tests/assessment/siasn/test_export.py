"""The SIASN "kinerja periodik" export (issue 17): the mapping file and its check, the period
names, the dry-run's reasons, only final results exported, the XLSX read back (NIP as text),
the page, the background export, the command and the API through tokens.

Time is frozen by the `team` fixture (28 November 2026); the assessments are of Triwulan I."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.assessment.models import Assessment
from kinerja.assessment.siasn import mapping as siasn_mapping
from kinerja.assessment.siasn import xlsx
from kinerja.assessment.siasn.checks import check_siasn_mapping
from kinerja.assessment.siasn.mapping import MappingError, load_mapping, parse_mapping
from kinerja.assessment.siasn.selectors import (
    COLUMNS,
    BadRequest,
    resolve_period,
    siasn_export,
)
from kinerja.core.models import AuditLog, ExportJob, ExportStatus
from kinerja.organisation.models import Employee
from kinerja.rules.enums import Predikat, Rating
from kinerja.rules.periods import Period, Periodicity
from tests.conftest import Org

from ..conftest import Q1, Team, rate
from .conftest import SHIPPED, full_mapping

pytestmark = pytest.mark.django_db


def export_of(org: Org, period: Period = Q1, unit=None):  # type: ignore[no-untyped-def]
    return siasn_export(user=org.users["bkpsdm"], period=period, unit=unit, mapping=load_mapping())


def reasons_of(export, nip: str) -> list[str]:  # type: ignore[no-untyped-def]
    person = next(r for r in export.rejected if r.nip == nip)
    return [key for key, _message in person.reasons]


# --- The mapping ------------------------------------------------------------------------------


def test_the_shipped_mapping_is_valid_and_invents_no_code() -> None:
    shipped = load_mapping(SHIPPED)
    for table, (_field, _what, labels) in siasn_mapping.TABLES.items():
        assert set(shipped.codes[table]) == set(labels)
        assert all(code == "" for code in shipped.codes[table].values()), table
    assert shipped.pimpinan_nama == ""


def test_every_kinerja_enum_has_a_key_in_the_mapping() -> None:
    tables = siasn_mapping.TABLES
    assert set(tables["hasil_kerja"][2]) == {r.value for r in Rating}
    assert set(tables["perilaku"][2]) == {r.value for r in Rating}
    assert set(tables["predikat"][2]) == {p.value for p in Predikat}
    assert set(tables["status_penilai"][2]) == {"pns", "pppk", "pejabat"}
    assert {"TH", "T1", "T4", "S2", "B01", "B12"} <= set(tables["periode"][2])


def test_it_maps_each_enum_to_its_configured_code(tmp_path: Path) -> None:
    m = load_mapping(full_mapping(tmp_path, pimpinan="H. Bupati"))
    assert m.code("hasil_kerja", "di_atas") == "HK-A"
    assert m.code("perilaku", "di_bawah") == "PK-B"
    assert m.code("predikat", "kurang") == "KW-K"
    assert m.code("status_penilai", "pppk") == "ST-PPPK"
    assert m.code("periode", "T3") == "PER-T3"
    assert m.pimpinan_nama == "H. Bupati"
    assert m.missing() == []


def test_an_integer_code_is_read_as_text(tmp_path: Path) -> None:
    path = full_mapping(tmp_path)
    path.write_text(path.read_text().replace('di_atas = "HK-A"', "di_atas = 1"), encoding="utf-8")
    assert load_mapping(path).code("hasil_kerja", "di_atas") == "1"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (("[predikat]", "[predikat]\ncemerlang = 'X'"), "kunci 'cemerlang' tidak dikenal"),
        (('sangat_kurang = "KW-SK"', ""), "kunci 'sangat_kurang' tidak ada"),
        (('pns = "ST-PNS"', "pns = true"), "kode harus teks atau bilangan bulat"),
        (('pns = "ST-PNS"', "pns = 1.5"), "kode harus teks atau bilangan bulat"),
        (("[perilaku]", "[perilakuu]"), "tabel [perilakuu] tidak dikenal"),
        (("[hasil_kerja]", "[hasil_kerja"), "bukan TOML yang valid"),
    ],
)
def test_a_malformed_mapping_is_refused_with_the_reason(
    tmp_path: Path, change: tuple[str, str], fragment: str
) -> None:
    path = full_mapping(tmp_path)
    path.write_text(path.read_text().replace(*change, 1), encoding="utf-8")
    with pytest.raises(MappingError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        load_mapping(path)


def test_the_system_check_reports_a_malformed_or_missing_file(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.SIASN_MAPPING_PATH = str(SHIPPED)
    assert check_siasn_mapping() == []
    bad = tmp_path / "bad.toml"
    bad.write_text("[predikat]\nsangat_baik = []\n", encoding="utf-8")
    settings.SIASN_MAPPING_PATH = str(bad)
    (error,) = check_siasn_mapping()
    assert error.id == "kinerja.E101"
    assert "tabel [hasil_kerja] tidak ada" in error.msg
    settings.SIASN_MAPPING_PATH = str(tmp_path / "none.toml")
    assert "tidak ditemukan" in check_siasn_mapping()[0].msg


def test_parse_mapping_names_unknown_tables() -> None:
    with pytest.raises(MappingError, match="tidak dikenal"):
        parse_mapping({"lain": {}})


# --- Periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("periode", "code", "months"),
    [
        ("", "2026-TH", (1, 12)),
        ("tahunan", "2026-TH", (1, 12)),
        ("TH", "2026-TH", (1, 12)),
        ("T1", "2026-T1", (1, 3)),
        ("t4", "2026-T4", (10, 12)),
        ("S2", "2026-S2", (7, 12)),
        ("B3", "2026-B03", (3, 3)),
        ("B11", "2026-B11", (11, 11)),
        ("2026-T2", "2026-T2", (4, 6)),
    ],
)
def test_it_names_periods_and_their_months(periode: str, code: str, months: tuple) -> None:  # type: ignore[type-arg]
    period = resolve_period("2026", periode)
    assert period.code == code
    assert (period.months[0], period.months[-1]) == months


@pytest.mark.parametrize(
    ("tahun", "periode", "fragment"),
    [
        ("dua ribu", "T1", "Tahun harus bilangan bulat"),
        ("1999", "T1", "antara 2000 dan 2100"),
        ("2026", "T5", "tidak dikenal"),
        ("2026", "X1", "tidak dikenal"),
        ("2026", "2025-T1", "bukan periode tahun 2026"),
    ],
)
def test_a_bad_period_is_refused_in_indonesian(tahun: str, periode: str, fragment: str) -> None:
    with pytest.raises(BadRequest, match=fragment):
        resolve_period(tahun, periode)


# --- Dry-run and rows -------------------------------------------------------------------------


def test_only_final_results_are_exported_and_the_rest_are_listed(
    org: Org, finalised: Team, mapped: Path
) -> None:
    rate(org, finalised.plans.supervisor, "sesuai", "sesuai", by="unit_head")  # a draft
    export = export_of(org)
    assert sorted(r["nip"] for r in export.rows) == sorted([org.employee.nip, org.peer.nip])
    assert reasons_of(export, org.supervisor.nip) == ["belum_final"]
    assert next(r for r in export.rejected if r.nip == org.supervisor.nip).status == "draf"
    for unassessed in (org.unit_head, org.other_head, org.other_employee):
        assert reasons_of(export, unassessed.nip) == ["belum_final"]
    summary = export.summary()
    assert summary["siap"] == 2
    assert summary["ditolak"] == summary["total"] - 2
    assert summary["alasan"] == {"belum_final": summary["ditolak"]}


def test_a_row_holds_the_submission_fields(org: Org, finalised: Team, mapped: Path) -> None:
    export = export_of(org)
    row = next(r for r in export.rows if r["nip"] == org.employee.nip)
    assert row["nama"] == org.employee.full_name
    assert row["unit_kerja"] == "UPT Puskesmas Bukitintan"
    assert row["opd"] == "Dinas Kesehatan"
    assert (row["tahun"], row["bulan_mulai"], row["bulan_selesai"]) == (2026, 1, 3)
    assert (row["tahun_mulai"], row["tahun_selesai"]) == (2026, 2026)
    assert row["periode"] == "Triwulan I 2026"
    assert row["kode_periode"] == "PER-T1"
    assert (row["hasil_kerja"], row["kode_hasil_kerja"]) == ("Di Atas Ekspektasi", "HK-A")
    assert (row["perilaku"], row["kode_perilaku"]) == ("Sesuai Ekspektasi", "PK-S")
    assert (row["predikat"], row["kode_predikat"]) == ("Baik", "KW-B")
    assert row["penilai_nip"] == org.supervisor.nip
    assert row["penilai_nama"] == org.supervisor.full_name
    assert row["penilai_jabatan"] == "Kepala UPT Puskesmas Bukitintan"
    assert row["penilai_golongan"] == "III/d"
    assert (row["status_penilai"], row["kode_status_penilai"]) == ("PNS", "ST-PNS")
    assert row["tanggal_final"] == "2026-11-28"
    peer = next(r for r in export.rows if r["nip"] == org.peer.nip)
    assert (peer["predikat"], peer["kode_predikat"]) == ("Butuh Perbaikan", "KW-BP")


def test_the_shipped_mapping_rejects_with_code_not_set(org: Org, finalised: Team) -> None:
    export = export_of(org)  # the shipped file: every code empty
    assert export.rows == []
    nurse = next(r for r in export.rejected if r.nip == org.employee.nip)
    messages = [m for _k, m in nurse.reasons]
    assert "Kode SIASN untuk rating hasil kerja “Di Atas Ekspektasi” belum diatur." in messages
    assert "Kode SIASN untuk predikat “Baik” belum diatur." in messages
    assert "Kode SIASN untuk periode “T1” belum diatur." in messages
    assert "Kode SIASN untuk status penilai “PNS” belum diatur." in messages
    assert "predikat “Sangat Baik”" in export.missing_codes


def test_one_unknown_code_rejects_only_the_rows_that_need_it(
    org: Org,
    finalised: Team,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    settings.SIASN_MAPPING_PATH = str(full_mapping(tmp_path, drop="butuh_perbaikan"))
    export = export_of(org)
    assert [r["nip"] for r in export.rows] == [org.employee.nip]
    assert reasons_of(export, org.peer.nip) == ["kode_belum_diatur"]
    assert export.missing_codes == ["predikat “Butuh Perbaikan”"]


def test_a_missing_or_invalid_nip_is_a_reason(org: Org, finalised: Team, mapped: Path) -> None:
    Employee.objects.filter(pk=org.employee.pk).update(nip="1986092620150510")
    Employee.objects.filter(pk=org.other_employee.pk).update(nip="")
    export = export_of(org)
    assert reasons_of(export, "1986092620150510") == ["nip_tidak_valid"]
    bad = next(r for r in export.rejected if r.nip == "1986092620150510")
    assert "NIP tidak valid (18 digit): NIP harus 18 digit" in bad.reasons[0][1]
    assert reasons_of(export, "") == ["tanpa_nip", "belum_final"]
    assert [r["nip"] for r in export.rows] == [org.peer.nip]


def test_no_assessor_is_a_reason_unless_the_regent_is_named(
    org: Org,
    finalised: Team,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    Assessment.objects.filter(employee=org.employee).update(assessor=None, assessor_snapshot={})
    settings.SIASN_MAPPING_PATH = str(full_mapping(tmp_path))
    assert reasons_of(export_of(org), org.employee.nip) == ["tanpa_penilai"]
    settings.SIASN_MAPPING_PATH = str(full_mapping(tmp_path, pimpinan="Drs. H. Bupati"))
    row = next(r for r in export_of(org).rows if r["nip"] == org.employee.nip)
    assert (row["penilai_nama"], row["penilai_jabatan"]) == ("Drs. H. Bupati", "Bupati Bukitintan")
    assert (row["penilai_nip"], row["status_penilai"]) == ("", "Pejabat negara")
    assert row["kode_status_penilai"] == "ST-PJB"


def test_the_unit_narrows_the_scope_to_its_subtree(org: Org, finalised: Team, mapped: Path) -> None:
    export = export_of(org, unit=org.puskesmas)
    everyone = {r["nip"] for r in export.rows} | {r.nip for r in export.rejected}
    assert everyone == {org.employee.nip, org.peer.nip, org.supervisor.nip}
    assert export_of(org, unit=org.disdik).rows == []


def test_the_annual_period_exports_annual_results_only(
    org: Org, finalised: Team, mapped: Path
) -> None:
    export = export_of(org, period=Period(2026, Periodicity.ANNUAL))
    assert export.rows == []
    assert reasons_of(export, org.employee.nip) == ["belum_final"]


def test_the_dry_run_reads_in_a_fixed_number_of_queries(
    org: Org,
    finalised: Team,
    mapped: Path,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    user = org.users["bkpsdm"]
    mapping = load_mapping()
    with django_assert_num_queries(2):
        siasn_export(user=user, period=Q1, unit=None, mapping=mapping)


def test_only_bkpsdm_may_export(org: Org, mapped: Path) -> None:
    for persona in ("employee", "unit_head", "admin_opd", "pimpinan", "inspektorat"):
        with pytest.raises(PermissionError):
            siasn_export(user=org.users[persona], period=Q1, unit=None, mapping=load_mapping())


# --- XLSX -------------------------------------------------------------------------------------


def test_the_xlsx_reads_back_with_nip_as_text(org: Org, finalised: Team, mapped: Path) -> None:
    data, name, content_type = services_build(org)
    assert name == "siasn-kinerja-periodik-2026-T1.xlsx"
    assert content_type == xlsx.XLSX_MIME
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Kinerja Periodik", "Ditolak", "Ringkasan"]
    sheet = book["Kinerja Periodik"]
    headers = [c.value for c in sheet[1]]
    assert headers == [h for _k, h in COLUMNS]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    nurse = rows[org.employee.nip]
    assert isinstance(nurse[0].value, str) and nurse[0].data_type == "s"
    assert nurse[0].number_format == "@"
    by_header = {h: c.value for h, c in zip(headers, nurse, strict=True)}
    assert by_header["Rating Hasil Kerja"] == "Di Atas Ekspektasi"
    assert by_header["Kode Hasil Kerja (hasilKinerjaNilai)"] == "HK-A"
    assert by_header["Predikat Kinerja"] == "Baik"
    assert by_header["Bulan Mulai Penilaian"] == 1
    assert by_header["Bulan Selesai Penilaian"] == 3
    penilai = by_header["NIP Penilai (penilaiNipNrp)"]
    assert penilai == org.supervisor.nip and isinstance(penilai, str)
    rejected = [[c.value for c in r] for r in book["Ditolak"].iter_rows(min_row=2)]
    assert [org.supervisor.nip, org.supervisor.full_name] == rejected_row(rejected, org)[:2]
    assert "Belum final" in rejected_row(rejected, org)[5]
    summary = {r[0].value: r[1].value for r in book["Ringkasan"].iter_rows()}
    assert summary["Siap diunggah"] == 2
    assert summary["Periode"] == "Triwulan I 2026"


def services_build(org: Org):  # type: ignore[no-untyped-def]
    from kinerja.assessment.siasn.services import siasn_export_build

    return siasn_export_build(user=org.users["bkpsdm"], params={"tahun": "2026", "periode": "T1"})


def rejected_row(rows: list[list], org: Org) -> list:  # type: ignore[type-arg]
    return next(r for r in rows if r[0] == org.supervisor.nip)


def test_each_export_is_audited(org: Org, finalised: Team, mapped: Path) -> None:
    services_build(org)
    entry = AuditLog.objects.filter(object_type="assessment.siasn").get()
    assert entry.action == "export"
    assert entry.actor == org.users["bkpsdm"]
    assert entry.changes["siap"] == 2 and entry.changes["kanal"] == "xlsx"


def test_the_background_export_makes_the_file(org: Org, finalised: Team, mapped: Path) -> None:
    from kinerja.core import exports

    job = exports.export_request(
        kind="assessment.siasn",
        params={"tahun": "2026", "periode": "T1"},
        user=org.users["bkpsdm"],
    )
    exports.run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    assert job.filename == "siasn-kinerja-periodik-2026-T1.xlsx"
    book = load_workbook(job.file.open("rb"))
    assert book["Kinerja Periodik"].max_row == 3  # header + two results


def test_the_background_export_refuses_someone_without_the_right(
    org: Org, finalised: Team, mapped: Path
) -> None:
    from kinerja.core import exports

    job = exports.export_request(
        kind="assessment.siasn", params={"tahun": "2026"}, user=org.users["pimpinan"]
    )
    exports.run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert not ExportJob.objects.filter(pk=job.pk).exclude(file="").exists()


# --- The page ---------------------------------------------------------------------------------


def test_the_page_shows_the_dry_run_and_the_download(
    org: Org,
    finalised: Team,
    mapped: Path,
    client,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(org.users["bkpsdm"])
    response = client.get(reverse("siasn:export"), {"tahun": 2026, "periode": "T1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Triwulan I 2026" in html
    assert "Belum final: belum dinilai pada periode ini." in html
    assert org.supervisor.full_name in html
    assert reverse("core:export_request", args=["assessment.siasn"]) in html
    assert 'name="periode" value="T1"' in html
    assert "Kode SIASN belum diatur" not in html


def test_the_page_warns_of_codes_not_set_and_a_broken_file(
    org: Org,
    finalised: Team,
    client,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(org.users["bkpsdm"])
    html = client.get(reverse("siasn:export"), {"tahun": 2026, "periode": "T1"}).content.decode()
    assert "Kode SIASN belum diatur" in html
    assert "rating hasil kerja “Di Atas Ekspektasi”" in html
    broken = tmp_path / "broken.toml"
    broken.write_text("[predikat\n", encoding="utf-8")
    settings.SIASN_MAPPING_PATH = str(broken)
    html = client.get(reverse("siasn:export"), {"tahun": 2026, "periode": "T1"}).content.decode()
    assert "Berkas pemetaan kode SIASN tidak valid" in html
    assert "Unduh XLSX" not in html


def test_the_page_refuses_a_bad_year_with_a_field_error(org: Org, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(org.users["bkpsdm"])
    response = client.get(reverse("siasn:export"), {"tahun": "1800", "periode": "T1"})
    assert response.status_code == 200
    assert "tahun" in response.context["form"].errors
    assert 'class="error" role="alert"' in response.content.decode()
    assert response.context.get("export") is None


def test_the_rejected_list_is_paginated(org: Org, finalised: Team, mapped: Path, client) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import EmployeeFactory

    for i in range(55):
        EmployeeFactory(
            name=f"Pegawai {i:02d}", unit=org.disdik, position=org.other_employee.position
        )
    client.force_login(org.users["bkpsdm"])
    first = client.get(reverse("siasn:export"), {"tahun": 2026, "periode": "T1"})
    assert len(first.context["page"].object_list) == 50
    assert "page=2" in first.content.decode()
    second = client.get(reverse("siasn:export"), {"tahun": 2026, "periode": "T1", "page": 2})
    assert second.context["page"].number == 2


# --- The command ------------------------------------------------------------------------------


def test_the_command_dry_run_lists_the_rejected(org: Org, finalised: Team, mapped: Path) -> None:
    out = io.StringIO()
    call_command("export_siasn", "--tahun", "2026", "--periode", "T1", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "2 siap" in text
    assert org.supervisor.nip in text and "Belum final" in text
    assert not AuditLog.objects.filter(object_type="assessment.siasn").exists()


def test_the_command_writes_the_xlsx(
    org: Org, finalised: Team, mapped: Path, tmp_path: Path
) -> None:
    target = tmp_path / "siasn.xlsx"
    call_command(
        "export_siasn",
        "--tahun",
        "2026",
        "--periode",
        "T1",
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    sheet = load_workbook(target)["Kinerja Periodik"]
    assert {sheet.cell(row=r, column=1).value for r in (2, 3)} == {org.employee.nip, org.peer.nip}
    assert AuditLog.objects.filter(object_type="assessment.siasn", actor=None).count() == 1


def test_the_command_refuses_a_bad_period(db) -> None:  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="tidak dikenal"):
        call_command("export_siasn", "--tahun", "2026", "--periode", "T9", stdout=io.StringIO())


def test_the_page_reads_in_a_number_of_queries_independent_of_the_rows(
    org: Org,
    finalised: Team,
    mapped: Path,
    client,  # type: ignore[no-untyped-def]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import EmployeeFactory

    client.force_login(org.users["bkpsdm"])
    url = reverse("siasn:export") + "?tahun=2026&periode=T1"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    position = org.other_employee.position
    for i in range(30):
        EmployeeFactory(name=f"Guru {i:02d}", unit=org.disdik, position=position)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) > 30
    assert len(many.captured_queries) == len(few.captured_queries)
