"""Server-side SVG charts: the same markup on the page and in the PDF (WeasyPrint draws inline
SVG), no chart library and nothing from a network.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that say what it shows
in words; :func:`figure` wraps a chart with its caption and a data table behind a "Tabel data"
toggle (a ``<details>`` element: no JavaScript, and printable open). Colours follow the capaian
bands of DOMAIN §1 (≥ 110 di atas, 90–<110 sesuai, < 90 di bawah) through :func:`band`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kinerja.core.escaping import esc
from kinerja.core.numbers import format_number
from kinerja.rules.assessment import DEFAULT_BANDS

Number = float | int | Decimal

_ids = itertools.count(1)

BLUE = "#0b4f8a"
GREY = "#9aa7b4"
LIGHT = "#d5dde5"
OK = "#1e7b3a"
WARN = "#a15c00"
BAD = "#b3261e"

# Heat colours (background, text) by band; contrast ≥ 4.5 for the text on each background.
HEAT = {
    "di_atas": ("#1e7b3a", "#ffffff"),
    "sesuai": ("#cfe9d7", "#14532d"),
    "dekat": ("#fde7c2", "#6b3d00"),
    "di_bawah": ("#f7c9c5", "#7a1812"),
    "kosong": ("#eef1f4", "#5b6773"),
}


def _f(value: Number | str | None) -> float | None:
    """A number as float; None (and "", what templates give for a missing value) as None."""
    return None if value is None or value == "" else float(value)


def _fmt(value: float, places: int = 1) -> str:
    return format_number(value, places)


# The heat map's own "close" band below sesuai (a display choice, not a regulation band).
NEAR_FROM = Decimal(70)


def band(value: Number | None) -> str:
    """The heat band of a capaian: "di_atas" (≥ 110), "sesuai" (90–<110), "dekat" (70–<90,
    di bawah but close), "di_bawah" (< 70) or "kosong" (no figure)."""
    if value is None or value == "":
        return "kosong"
    # Compared as given (a Decimal stays exact): a capaian a hair under 90 is di bawah here as
    # in its status (kinerja.rules.assessment.indicator_status), not rounded up by a float.
    v = value if isinstance(value, Decimal) else Decimal(str(value))
    if not v.is_finite():
        return "kosong"
    if v >= DEFAULT_BANDS.di_atas_from:
        return "di_atas"
    if v >= DEFAULT_BANDS.sesuai_from:
        return "sesuai"
    return "dekat" if v >= NEAR_FROM else "di_bawah"


def heat_class(value: Number | None) -> str:
    """The CSS class of a heatmap cell for a capaian ("heat-<band>"; the colours of HEAT are
    in static/css/kinerja.css and templates/pdf/base.css). A class, not an inline style: the
    Content-Security-Policy allows no inline style (docs/OPERATIONS.md)."""
    return f"heat-{band(value)}"


def _svg(width: int, height: int, title: str, desc: str, body: str, css_class: str) -> SafeString:
    """The chart's <svg> around `body` (markup the chart functions built, any text in it
    already escaped), its title and description escaped: what `format_html` gave, built
    directly (a board draws two charts a row; kinerja.core.escaping). `width` and `height`
    are numbers."""
    n = next(_ids)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {esc(css_class)}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="chart-t{n} chart-d{n}" preserveAspectRatio="xMinYMid meet">'
        f'<title id="chart-t{n}">{esc(title)}</title><desc id="chart-d{n}">{esc(desc)}</desc>'
        f"{body}</svg>"
    )


def sparkline(
    values: Sequence[Number | None],
    *,
    title: str,
    desc: str = "",
    width: int = 96,
    height: int = 28,
    reference: Number | None = 100,
) -> SafeString:
    """A small trend line of monthly figures (None = no figure that month, a gap), with an
    optional dotted reference line (default capaian 100). The last point is marked."""
    points = [_f(v) for v in values]
    known = [p for p in points if p is not None]
    if not known:
        return _svg(width, height, title, desc or _("Belum ada data."), "", "sparkline empty")
    top = max([*known, _f(reference) or 0]) * 1.1 or 1.0
    pad = 3
    step = (width - 2 * pad) / max(len(points) - 1, 1)

    def y(v: float) -> float:
        return round(height - pad - (v / top) * (height - 2 * pad), 1)

    body = []
    if reference is not None:
        ry = y(float(reference))
        body.append(
            f'<line x1="{pad}" x2="{width - pad}" y1="{ry}" y2="{ry}" stroke="{GREY}" '
            f'stroke-width="1" stroke-dasharray="2 2"/>'
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, p in enumerate(points):
        if p is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{round(pad + i * step, 1)},{y(p)}")
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) == 1:
            x, yy = seg[0].split(",")
            body.append(f'<circle cx="{x}" cy="{yy}" r="1.8" fill="{BLUE}"/>')
        else:
            body.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="{BLUE}" '
                f'stroke-width="1.8" stroke-linejoin="round" stroke-linecap="round"/>'
            )
    last = max(i for i, p in enumerate(points) if p is not None)
    colour = {"di_atas": OK, "sesuai": OK, "dekat": WARN}.get(band(points[last]), BAD)
    body.append(
        f'<circle cx="{round(pad + last * step, 1)}" cy="{y(points[last])}" r="2.6" '  # type: ignore[arg-type]
        f'fill="{colour}"/>'
    )
    return _svg(width, height, title, desc, "".join(body), "sparkline")


def progress_bar(
    value: Number | None,
    *,
    title: str,
    desc: str = "",
    marker: Number | None = 100,
    scale: Number = 150,
    width: int = 240,
    height: int = 14,
) -> SafeString:
    """A horizontal bar of a percentage (e.g. capaian against the pro-rated target) on a
    0–`scale` axis, with a marker at `marker` (100 = on target). Over `scale` the bar is full
    and ends in an arrow-like notch so that over-achievement stays visible."""
    v = _f(value)
    s = float(scale)
    body = [f'<rect x="0" y="2" width="{width}" height="{height - 4}" rx="3" fill="{LIGHT}"/>']
    if v is not None:
        filled = round(min(max(v, 0.0), s) / s * width, 1)
        colour = {"di_atas": OK, "sesuai": OK, "dekat": WARN}.get(band(v), BAD)
        body.append(
            f'<rect x="0" y="2" width="{filled}" height="{height - 4}" rx="3" fill="{colour}"/>'
        )
        if v > s:
            body.append(
                f'<path d="M{width - 6} 2 L{width} {height / 2} L{width - 6} {height - 2}" '
                f'fill="#ffffff"/>'
            )
    if marker is not None:
        mx = round(min(float(marker), s) / s * width, 1)
        body.append(
            f'<line x1="{mx}" x2="{mx}" y1="0" y2="{height}" stroke="{conditional_escape(BLUE)}" '
            f'stroke-width="2"/>'
        )
    return _svg(width, height, title, desc, "".join(body), "progress")


@dataclass(frozen=True)
class Series:
    """One line of a line chart: a label and one value (or None) per x label."""

    label: str
    values: Sequence[Number | None]
    colour: str = BLUE
    dashed: bool = False


def line_chart(
    series: Sequence[Series],
    *,
    labels: Sequence[str],
    title: str,
    desc: str,
    width: int = 440,
    height: int = 190,
) -> SafeString:
    """A line chart over months (or any x labels) with a light grid, axis labels, and one
    line per series (dashed for targets and projections). Scales from 0 to the largest value."""
    left, right, top_pad, bottom = 44, 10, 12, 26
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    known = [float(v) for s in series for v in s.values if v is not None]
    top = max(known or [1.0]) * 1.1 or 1.0
    n = max(len(labels), 1)
    step = plot_w / max(n - 1, 1)

    def x(i: int) -> float:
        return round(left + i * step, 1)

    def y(v: float) -> float:
        return round(top_pad + plot_h - v / top * plot_h, 1)

    body = []
    for k in range(5):
        value = top * k / 4
        yy = y(value)
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{yy}" y2="{yy}" stroke="{LIGHT}" '
            f'stroke-width="1"/>'
        )
        body.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#5b6773">{}</text>',
                left - 4,
                yy + 3,
                _fmt(value, 0 if top >= 10 else 1),
            )
        )
    for i, label in enumerate(labels):
        body.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#5b6773">{}</text>',
                x(i),
                height - 8,
                label,
            )
        )
    for s in series:
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, v in enumerate(s.values):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append(f"{x(i)},{y(float(v))}")
        if segment:
            segments.append(segment)
        dash = ' stroke-dasharray="5 4"' if s.dashed else ""
        colour = conditional_escape(s.colour)
        for seg in segments:
            if len(seg) == 1:
                cx, cy = seg[0].split(",")
                body.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
            else:
                body.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash} stroke-linejoin="round"/>'
                )
            if not s.dashed:
                for point in seg:
                    cx, cy = point.split(",")
                    body.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')
    # Legend, top left inside the plot.
    lx = left + 6
    for s in series:
        dash = ' stroke-dasharray="5 4"' if s.dashed else ""
        body.append(
            f'<line x1="{lx}" x2="{lx + 16}" y1="{top_pad + 4}" y2="{top_pad + 4}" '
            f'stroke="{conditional_escape(s.colour)}" stroke-width="2"{dash}/>'
        )
        body.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" fill="#1d2733">{}</text>',
                lx + 20,
                top_pad + 7,
                s.label,
            )
        )
        lx += 28 + 6 * len(s.label)
    return _svg(width, height, title, desc, "".join(str(b) for b in body), "line")


def bar_chart(
    items: Sequence[tuple[str, Number | None]],
    *,
    title: str,
    desc: str,
    unit: str = "%",
    reference: Number | None = None,
    width: int = 520,
    row_height: int = 22,
    label_width: int = 180,
) -> SafeString:
    """Horizontal bars, one per (label, value), coloured by capaian band when `unit` is "%",
    with an optional reference line (e.g. 100 or a 70 % cap)."""
    height = row_height * max(len(items), 1) + 8
    known = [float(v) for _, v in items if v is not None]
    top = max([*known, float(reference or 0)]) * 1.08 or 1.0
    plot = width - label_width - 56
    body: list[str] = []
    for i, (label, value) in enumerate(items):
        yy = 4 + i * row_height
        limit = max(10, int(label_width / 7))  # at most about 7 px per character at 11 px
        short = label if len(label) <= limit else label[: limit - 1] + "…"
        body.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#1d2733">{}</text>',
                label_width - 6,
                yy + row_height / 2 + 4,
                short,
            )
        )
        v = _f(value)
        if v is None:
            body.append(
                format_html(
                    '<text x="{}" y="{}" font-size="11" fill="#5b6773">{}</text>',
                    label_width + 4,
                    yy + row_height / 2 + 4,
                    _("belum ada data"),
                )
            )
            continue
        w = round(max(v, 0.0) / top * plot, 1)
        colour = (
            {"di_atas": OK, "sesuai": OK, "dekat": WARN}.get(band(v), BAD) if unit == "%" else BLUE
        )
        body.append(
            f'<rect x="{label_width}" y="{yy + 3}" width="{w}" height="{row_height - 8}" rx="2" '
            f'fill="{colour}"/>'
        )
        body.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" fill="#1d2733">{}{}</text>',
                label_width + w + 4,
                yy + row_height / 2 + 4,
                _fmt(v),
                unit,
            )
        )
    if reference is not None:
        rx = round(label_width + float(reference) / top * plot, 1)
        body.append(
            f'<line x1="{rx}" x2="{rx}" y1="0" y2="{height}" stroke="{GREY}" '
            f'stroke-width="1.5" stroke-dasharray="3 3"/>'
        )
    return _svg(width, height, title, desc, "".join(str(b) for b in body), "bars")


def figure(
    chart: SafeString,
    *,
    caption: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    open_table: bool = False,
) -> SafeString:
    """A chart with its caption and its numbers as a table behind a "Tabel data" toggle
    (``<details>``; `open_table` for print)."""
    head = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in headers))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((c,) for c in row)),) for row in rows),
    )
    return format_html(
        '<figure class="chart-figure"><figcaption>{}</figcaption>{}'
        '<details class="chart-data"{}><summary>{}</summary>'
        '<div class="table-wrap"><table><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>'
        "</details></figure>",
        caption,
        chart,
        mark_safe(" open") if open_table else "",
        _("Tabel data"),
        head,
        body,
    )
