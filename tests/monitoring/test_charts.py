"""The server-side SVG charts (kinerja.core.charts): accessible, escaped, and drawable by
WeasyPrint as they are on the page."""

from __future__ import annotations

import re
from decimal import Decimal

from kinerja.core import charts
from kinerja.rules.assessment import indicator_status
from kinerja.rules.enums import Rating


def test_every_chart_is_an_image_with_a_title_and_a_description() -> None:
    drawn = [
        charts.sparkline([90, None, 110], title="Tren", desc="Naik"),
        charts.progress_bar(Decimal("95.5"), title="Capaian", desc="95,5%"),
        charts.line_chart(
            [charts.Series("Realisasi", [1, 2, None, 4])], labels=list("ABCD"), title="T", desc="D"
        ),
        charts.bar_chart([("Dinas Kesehatan", 97), ("Dinas Sosial", None)], title="T", desc="D"),
    ]
    for svg in drawn:
        assert svg.startswith("<svg") and 'role="img"' in svg
        labelled = re.search(r'aria-labelledby="(chart-t\d+) (chart-d\d+)"', svg)
        assert labelled
        assert f'<title id="{labelled[1]}">' in svg and f'<desc id="{labelled[2]}">' in svg


def test_text_in_charts_is_escaped() -> None:
    svg = charts.bar_chart([("<script>", 50)], title="a & b", desc='"quoted"')
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "a &amp; b" in svg


def test_a_sparkline_without_data_says_so() -> None:
    svg = charts.sparkline([None, None], title="Tren")
    assert "Belum ada data" in svg and "polyline" not in svg


def test_gaps_break_the_line() -> None:
    svg = charts.sparkline([80, 90, None, 100, 105], title="Tren")
    assert svg.count("<polyline") == 2


def test_over_achievement_stays_visible_on_a_progress_bar() -> None:
    full = charts.progress_bar(200, title="Capaian", scale=150)
    assert 'width="240.0"' in full and "<path" in full  # full bar with a notch


def test_heat_bands_follow_the_capaian_bands() -> None:
    assert [charts.band(v) for v in (None, "", 120, 110, 95, 90, 80, 50)] == [
        "kosong",
        "kosong",
        "di_atas",
        "di_atas",
        "sesuai",
        "sesuai",
        "dekat",
        "di_bawah",
    ]
    assert charts.heat_class(95) == "heat-sesuai"
    assert charts.heat_class(None) == "heat-kosong"


def test_a_capaian_a_hair_under_a_band_is_not_rounded_into_it() -> None:
    """The band of a Decimal is the band of its status: a float rounded 89.99…98 to 90."""
    hair = Decimal("89.99999999999999999999999998")
    assert indicator_status(hair) is Rating.DI_BAWAH
    assert charts.band(hair) == "dekat"
    assert charts.band(Decimal("109.99999999999999999999")) == "sesuai"
    assert charts.band(Decimal("NaN")) == "kosong"


def test_a_figure_carries_its_numbers_as_a_table() -> None:
    html = charts.figure(
        charts.sparkline([1, 2], title="T"),
        caption="Judul",
        headers=["Bulan", "Nilai"],
        rows=[("Januari", "1"), ("Februari", "<2>")],
    )
    assert "<figcaption>Judul</figcaption>" in html
    assert "<summary>Tabel data</summary>" in html
    assert "<td>&lt;2&gt;</td>" in html
    assert "<details" in html and " open" not in html
    printed = charts.figure(
        charts.sparkline([1], title="T"), caption="x", headers=[], rows=[], open_table=True
    )
    assert '<details class="chart-data" open>' in printed


def test_weasyprint_draws_the_charts() -> None:
    from kinerja.core.pdf import html_to_pdf

    svg = charts.line_chart(
        [charts.Series("Realisasi", [1, 3, 2]), charts.Series("Target", [2, 2, 2], dashed=True)],
        labels=["Jan", "Feb", "Mar"],
        title="T",
        desc="D",
    )
    pdf = html_to_pdf(f"<html><body>{svg}</body></html>")
    assert pdf.startswith(b"%PDF")
