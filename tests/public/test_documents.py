"""The official SKM report and the QR poster as PDFs; the accessible trend chart."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import segno
from pypdf import PdfReader

from kinerja.public import documents, services
from kinerja.public.models import ServicePopulation

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def test_the_skm_report_holds_the_regulations_parts(pub, clients) -> None:  # type: ignore[no-untyped-def]
    services.responses_enter(
        service=pub.pkm,
        rows=[
            services.PaperRow(
                date(2026, 3, 2),
                "pagi",
                [4, 3, 3, 2, 4, 4, 3, 3, 4],
                services.Profile(sex="L", education="sma"),
                "Antrean perlu nomor daring.",
            ),
            services.PaperRow(
                date(2026, 3, 3),
                "siang",
                [3, 3, 2, 2, 4, 3, 3, 2, 4],
                services.Profile(sex="P"),
                "",
            ),
        ],
        by=None,
        source="test",
    )
    ServicePopulation.objects.create(service=pub.pkm, year=2026, month=3, population=100)
    admin = clients["admin_opd"]
    unit = pub.org.puskesmas.pk
    admin.post(
        f"/layanan-publik/unit/{unit}/tindak-lanjut/?periode=2026-T1",
        {"text": "Menambah loket pendaftaran dan antrean daring mulai April."},
    )
    response = admin.get(f"/layanan-publik/unit/{unit}/laporan-skm.pdf", {"periode": "2026-T1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    for expected in (
        "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT",
        "UPT Puskesmas Bukitintan",
        "Triwulan I 2026",
        "77,78",  # IKM of the two questionnaires (see test_ikm)
        "Baik",
        "U4",
        "Biaya/Tarif",
        "80",  # minimum sample for N = 100
        "belum representatif",
        "Antrean perlu nomor daring",
        "Menambah loket pendaftaran",
        "Laki-laki",
    ):
        assert expected in text, expected


def test_the_poster_carries_the_survey_address_and_its_qr_code(
    pub, clients, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://kinerja.bukitintan.go.id"
    seen = {}
    real = documents.render_pdf

    def spy(template, context):  # type: ignore[no-untyped-def]
        seen.update(context)
        return real(template, context)

    monkeypatch.setattr(documents, "render_pdf", spy)
    response = clients["admin_opd"].get("/layanan-publik/layanan/PKM01-UMUM/poster.pdf")
    assert response.status_code == 200
    url = "https://kinerja.bukitintan.go.id/survei/PKM01-UMUM/"
    assert seen["url"] == url
    assert seen["qr"] == segno.make(url, error="m", micro=False).svg_data_uri(
        scale=10, border=2, dark="#000"
    )
    text = text_of(response.content)
    assert url in text.replace("\n", "") and "Pemeriksaan Umum" in text
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1


def test_the_trend_chart_is_accessible_and_marks_gaps() -> None:
    svg = str(
        documents.trend_svg(
            [
                ("Jan", None),
                ("Feb", documents.Decimal("80.50")),
                ("Mar", documents.Decimal("90.00")),
            ],
            title="Tren IKM",
            desc="IKM per bulan",
            element_id="x",
        )
    )
    assert 'role="img"' in svg and 'aria-labelledby="x-t x-d"' in svg
    assert (
        '<title id="x-t">Tren IKM</title>' in svg and '<desc id="x-d">IKM per bulan</desc>' in svg
    )
    assert len(re.findall(r"<circle", svg)) == 2
    assert "Feb: 80,50" in svg


def test_the_transparency_page_has_a_chart_with_a_data_table(pub, answer) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    answer(pub.pkm, [4] * 9)
    html = Client().get(f"/transparansi/unit/{pub.org.puskesmas.pk}/").content.decode()
    assert '<svg class="ikm-chart"' in html and "Tampilkan sebagai tabel" in html
    assert "<desc" in html and "100,00" in html


def test_the_trend_charts_description_writes_the_ikm_the_indonesian_way(
    pub, answer, time_machine
) -> None:  # type: ignore[no-untyped-def]
    """The chart's text for screen readers says what the page shows: 78,13, not 78.13."""
    from django.db.models import Q

    from kinerja.public.survey.charts import trend_chart

    time_machine.move_to("2026-11-10 10:00 +07:00", tick=False)
    answer(pub.pkm, [4, 4, 4, 4, 4, 4, 4, 4, 4])
    answer(pub.pkm, [3, 3, 3, 3, 3, 3, 3, 3, 3])
    answer(pub.pkm, [4, 4, 4, 4, 4, 4, 4, 4, 4])
    answer(pub.pkm, [2, 2, 2, 2, 2, 2, 2, 2, 2])  # mean 3,25 → 81,25
    desc = trend_chart(Q(), 2026, "trend-test", "uji")["chart"]
    assert "Nov 81,25" in desc and "81.25" not in desc
