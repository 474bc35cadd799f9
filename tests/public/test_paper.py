"""Paper questionnaires: the entry grid and the XLSX import, all or nothing, row errors explained,
the daily totals kept exact."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from bench.datagen import xlsx_file
from kinerja.core.models import AuditLog
from kinerja.public.models import SurveyDay, SurveyResponse
from kinerja.public.views import PAPER_HEADERS

pytestmark = pytest.mark.django_db
URL = "/layanan-publik/layanan/PKM01-UMUM/kuesioner/"


def grid(rows: list[dict[str, str]]) -> dict[str, str]:
    data = {"q-TOTAL_FORMS": str(len(rows)), "q-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"q-{i}-{key}"] = value
    return data


def row(**extra: str) -> dict[str, str]:
    values = {
        "survey_date": "2026-11-02",
        "time_slot": "pagi",
        **{f"u{i}": "3" for i in range(1, 10)},
    }
    values.update(extra)
    return values


def test_the_grid_stores_all_filled_rows_and_skips_blank_ones(pub, clients) -> None:  # type: ignore[no-untyped-def]
    blank = {"survey_date": "2026-11-02"}
    response = clients["admin_opd"].post(
        URL, grid([row(sex="P", age="30", education="SMA"), row(u4="", time_slot="siang"), blank])
    )
    assert response.status_code == 302
    assert SurveyResponse.objects.filter(channel="paper").count() == 2
    assert SurveyDay.objects.get().c4 == 1
    assert SurveyDay.objects.aggregate(n=Sum("respondents"))["n"] == 2
    assert AuditLog.objects.filter(action="import", object_type="public.service").exists()


def test_one_bad_row_stores_nothing_and_is_pointed_out(pub, clients) -> None:  # type: ignore[no-untyped-def]
    response = clients["admin_opd"].post(
        URL, grid([row(), row(u2="7"), row(survey_date="2030-01-01")])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tidak ada yang disimpan" in html
    assert "Baris 2: U2 harus 1–4." in html
    assert "Baris 3: Tanggal survei tidak boleh setelah hari ini." in html
    assert SurveyResponse.objects.count() == 0


def upload(rows: list[list[object]]) -> SimpleUploadedFile:
    return SimpleUploadedFile("kuesioner.xlsx", xlsx_file(PAPER_HEADERS, rows, title="Kuesioner"))


def test_an_xlsx_of_questionnaires_is_imported(pub, clients) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ["2026-10-01", "pagi", 4, 4, 3, 3, 4, 4, 3, 3, 4, "L", 40, "D4/S1", "PNS", "Bagus"],
        ["02/10/2026", "13.00-17.00", 3, 3, 3, 3, 3, 3, 3, 3, 3, "P", "", "", "", ""],
    ]
    response = clients["admin_opd"].post(URL + "impor/", {"file": upload(rows)})
    assert response.status_code == 302
    stored = SurveyResponse.objects.order_by("survey_date")
    assert [r.survey_date.isoformat() for r in stored] == ["2026-10-01", "2026-10-02"]
    assert (stored[0].education, stored[0].occupation, stored[1].time_slot) == (
        "d4s1",
        "pns",
        "siang",
    )
    assert SurveyDay.objects.aggregate(n=Sum("respondents"))["n"] == 2


def test_an_xlsx_with_bad_rows_is_refused_with_reasons(pub, clients) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ["2026-10-01", "pagi", 4, 4, 3, 3, 4, 4, 3, 3, 4, "L", 40, "", "", ""],
        ["kemarin", "pagi", 4, 4, 3, 3, 4, 4, 3, 3, 4, "", "", "", "", ""],
        ["2026-10-03", "malam", 4, 4, 3, 3, 4, 4, 3, 3, 9, "X", "", "TK", "", ""],
    ]
    html = clients["admin_opd"].post(URL + "impor/", {"file": upload(rows)}).content.decode()
    assert "Impor dibatalkan" in html
    for message in (
        "Tanggal tidak dikenal",
        "Jam: tulis pagi",
        "U9 harus 1–4",
        "Jenis kelamin harus L atau P",
    ):
        assert message in html, message
    assert SurveyResponse.objects.count() == 0


def test_a_file_without_the_columns_is_refused(pub, clients) -> None:  # type: ignore[no-untyped-def]
    bad = SimpleUploadedFile("x.xlsx", xlsx_file(["Nama", "Nilai"], [["a", 1]]))
    html = clients["admin_opd"].post(URL + "impor/", {"file": bad}).content.decode()
    assert "Kolom wajib tidak ada" in html
    not_xlsx = SimpleUploadedFile("x.xlsx", b"not a zip")
    assert "XLSX" in clients["admin_opd"].post(URL + "impor/", {"file": not_xlsx}).content.decode()


def test_the_template_downloads(pub, clients) -> None:  # type: ignore[no-untyped-def]
    response = clients["admin_opd"].get(URL + "templat.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
