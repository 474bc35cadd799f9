"""What "Kinerja saya" says about a projection, in plain Indonesian."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.monitoring.wording import month_list, need_text, projection_text
from kinerja.rules.projection import Comparison, Need, NeedKind, project

AT_LEAST, AT_MOST = Comparison.AT_LEAST, Comparison.AT_MOST


@pytest.mark.parametrize(
    ("need", "unit", "text"),
    [
        (
            Need(NeedKind.PER_MONTH, AT_LEAST, Decimal("141.666"), 6),
            "pasien",
            "perlu rata-rata 142 pasien per bulan",
        ),
        (
            Need(NeedKind.PER_MONTH, AT_LEAST, Decimal("2.5"), 6),
            "kegiatan",
            "perlu rata-rata 2,5 kegiatan per bulan",
        ),
        (
            Need(NeedKind.PER_MONTH, AT_MOST, Decimal("0.5"), 6),
            "kasus",
            "perlu rata-rata paling banyak 0,5 kasus per bulan",
        ),
        (
            Need(NeedKind.MONTHLY_AVERAGE, AT_MOST, Decimal("8.333"), 6),
            "menit",
            "perlu rata-rata ≤ 8,3 menit pada bulan-bulan tersisa",
        ),
        (
            Need(NeedKind.FINAL_VALUE, AT_LEAST, Decimal(80), 6),
            "persen",
            "perlu mencapai ≥ 80 persen pada Desember",
        ),
        (
            Need(NeedKind.EVERY_MONTH, AT_LEAST, Decimal(90), 6),
            "persen",
            "perlu bertahan ≥ 90 persen setiap bulan",
        ),
        (
            Need(NeedKind.ONE_MONTH, AT_MOST, Decimal(30), 6),
            "menit",
            "perlu sekali saja mencapai ≤ 30 menit",
        ),
        (Need(NeedKind.PER_MONTH, AT_LEAST, Decimal(0), 6, met=True), "x", "target sudah tercapai"),
        (
            Need(NeedKind.PER_MONTH, AT_MOST, None, 6, reachable=False),
            "x",
            "target tidak lagi dapat dicapai tahun ini; bicarakan dengan atasan",
        ),
        (
            Need(NeedKind.PER_MONTH, AT_LEAST, None, 0, met=True, year_over=True),
            "x",
            "tahun telah berakhir",
        ),
        (
            Need(NeedKind.PER_MONTH, AT_LEAST, None, 0, met=True),
            "x",
            "semua bulan sudah diisi; realisasi Desember masih dapat diperbarui",
        ),
        (None, "x", ""),
    ],
)
def test_it_says_what_the_remaining_months_need(need: Need | None, unit: str, text: str) -> None:
    assert need_text(need, unit) == text


def test_it_says_the_projected_share_of_the_target() -> None:
    p = project(
        target=Decimal(1200),
        polarity="higher_is_better",
        aggregation="sum",
        values={m: Decimal(82) for m in range(1, 7)},
        months_closed=6,
    )
    assert projection_text(p) == "diproyeksikan 82% dari target"
    assert projection_text(None) == "Belum dapat diproyeksikan."


def test_it_lists_months_as_people_do() -> None:
    assert month_list([10]) == "Oktober"
    assert month_list([8, 9, 10]) == "Agustus, September dan Oktober"
