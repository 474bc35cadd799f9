"""Documents of community participation: the IKM trend chart (server-side SVG on the fixed 25–100
scale with the mutu bands; the same markup on the page and in the PDF), QR codes (segno) and PDFs
(kinerja.core.pdf, WeasyPrint). Nothing is fetched from a network."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kinerja.core.numbers import format_number
from kinerja.rules.enums import Mutu
from kinerja.rules.skm import MUTU_FROM

logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its progress lines are INFO

# Chart geometry (SVG user units).
WIDTH, HEIGHT = 480, 250
LEFT, RIGHT, TOP, BOTTOM = 36, 14, 12, 30
Y_MAX = 100
# The mutu bands of PermenPANRB 14/2017 (DOMAIN §3, kinerja.rules.skm.MUTU_FROM), drawn behind
# the line: (from, to, grade, colour), each band up to the next better one's lower bound.
_BAND_COLOURS = {Mutu.A: "#e3f4e8", Mutu.B: "#eef6fc", Mutu.C: "#fdf5e6", Mutu.D: "#fdecea"}
BANDS = tuple(
    (lower, upper, grade.value, _BAND_COLOURS[grade])
    for (lower, grade), upper in zip(
        MUTU_FROM, (Decimal(100), *(lower for lower, _ in MUTU_FROM[:-1])), strict=True
    )
)


def _y(value: Decimal | float | int, low: int) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return TOP + plot * (1 - (max(float(value), low) - low) / (Y_MAX - low))


def _x(index: int, count: int) -> float:
    plot = WIDTH - LEFT - RIGHT
    return LEFT + plot * (index + 0.5) / count


def trend_svg(
    points: Sequence[tuple[str, Decimal | None]], *, title: str, desc: str, element_id: str
) -> SafeString:
    """A line chart of converted IKM values (None: no complete data that month), accessible:
    role="img" with <title> and <desc>; each point carries its value in a <title>. Every text
    is escaped; numbers are formatted here."""
    count = max(len(points), 1)
    eid = escape(element_id)
    # The scale starts at 50 (where mutu D already lies) unless a month falls below it.
    known = [float(v) for _label, v in points if v is not None]
    floor = 25 if known and min(known) < 50 else 50
    parts: list[str] = [
        f'<svg class="ikm-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{eid}-t {eid}-d" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="sans-serif" font-size="13">'
        f'<title id="{eid}-t">{escape(title)}</title><desc id="{eid}-d">{escape(desc)}</desc>'
    ]
    plot_width = WIDTH - LEFT - RIGHT
    for low, high, grade, colour in BANDS:
        if float(high) <= floor:
            continue
        top, bottom = _y(high, floor), _y(max(float(low), floor), floor)
        parts.append(
            f'<rect x="{LEFT}" y="{top:.1f}" width="{plot_width}" height="{bottom - top:.1f}" '
            f'fill="{colour}"/><text x="{WIDTH - RIGHT - 4}" y="{top + 14:.1f}" fill="#5b6773" '
            f'text-anchor="end">{grade}</text>'
        )
    for tick in (t for t in (25, 40, 50, 60, 70, 80, 90, 100) if t >= floor):
        y = _y(tick, floor)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d5dde5"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#5b6773">{tick}</text>'
        )
    for i, (label, _value) in enumerate(points):
        parts.append(
            f'<text x="{_x(i, count):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'fill="#1d2733">{escape(label)}</text>'
        )
    segments: list[list[str]] = [[]]
    for i, (_label, value) in enumerate(points):
        if value is None:
            segments.append([])
        else:
            segments[-1].append(f"{_x(i, count):.1f},{_y(value, floor):.1f}")
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="#0b4f8a" '
                f'stroke-width="2.5"/>'
            )
    for i, (label, value) in enumerate(points):
        if value is not None:
            shown = format_number(value, 2)
            parts.append(
                f'<circle cx="{_x(i, count):.1f}" cy="{_y(value, floor):.1f}" r="4" fill="#0b4f8a">'
                f"<title>{escape(label)}: {shown}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def qr_data_uri(url: str, *, scale: int = 10) -> str:
    """An SVG QR code of `url` as a data: URI (embedded, no network)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=scale, border=2, dark="#000")


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """A PDF of a template, in Indonesian (kinerja.core.pdf: WeasyPrint, only data: URLs)."""
    from kinerja.core.pdf import render_pdf as core_render_pdf

    return core_render_pdf(template, context)
