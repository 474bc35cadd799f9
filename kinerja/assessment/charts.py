"""The distribution chart (SVG, server-side): one bar per predikat with the curve's bound
marked, so the same drawing serves the page and the PDF (no script, no web font)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kinerja.rules.enums import Predikat

from .selectors import Distribution

COLOURS = {
    Predikat.SANGAT_BAIK: "#1b7f3b",
    Predikat.BAIK: "#3f8fd2",
    Predikat.BUTUH_PERBAIKAN: "#e0a100",
    Predikat.KURANG: "#d9622b",
    Predikat.SANGAT_KURANG: "#b3261e",
}
SHORT = {
    Predikat.SANGAT_BAIK: "Sangat Baik",
    Predikat.BAIK: "Baik",
    Predikat.BUTUH_PERBAIKAN: "Butuh Perb.",
    Predikat.KURANG: "Kurang",
    Predikat.SANGAT_KURANG: "Sangat Kurang",
}


def distribution_svg(dist: Distribution, *, width: int = 520, height: int = 200) -> SafeString:
    """Bars of the number of employees per predikat; a dashed line marks a single-predikat
    bound of the curve ("max" red, "min" green)."""
    total = dist.total
    top = max([total, 1, *[b for _c, b in dist.lines if b]])
    left, bottom, chart_h = 10, 40, height - 60
    slot = (width - 2 * left) / 5
    bar_w = slot * 0.6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="Sebaran predikat: {total} pegawai" '
        'font-family="DejaVu Sans, sans-serif" font-size="11">'
    ]
    bounds = {}
    for constraint, bound in dist.lines:
        if len(constraint.predikat) == 1 and constraint.unit == "percent":
            bounds[constraint.predikat[0]] = (constraint.kind, bound)
    for i, predikat in enumerate(Predikat):
        count = dist.counts.get(predikat, 0)
        x = left + i * slot + (slot - bar_w) / 2
        h = chart_h * count / top
        y = height - bottom - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
            f'fill="{COLOURS[predikat]}"><title>{escape(predikat.label)}: {count}</title></rect>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{count}</text>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
            f"{escape(SHORT[predikat])}</text>"
        )
        if predikat in bounds:
            kind, bound = bounds[predikat]
            by = height - bottom - chart_h * bound / top
            colour = "#b3261e" if kind == "max" else "#1b7f3b"
            label = ("maks " if kind == "max" else "min ") + str(bound)
            parts.append(
                f'<line x1="{x - 6:.1f}" x2="{x + bar_w + 6:.1f}" y1="{by:.1f}" y2="{by:.1f}" '
                f'stroke="{colour}" stroke-width="2" stroke-dasharray="5,3"/>'
            )
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 30}" '
                f'text-anchor="middle" fill="{colour}">{label}</text>'
            )
    parts.append(
        f'<line x1="{left}" x2="{width - left}" y1="{height - bottom}" y2="{height - bottom}" '
        'stroke="#555"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))
