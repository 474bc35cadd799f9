"""kinerja.core.escaping.esc gives what Django's conditional_escape gives, for every kind of
value a page prints; and the charts built with it are the markup format_html built."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from kinerja.core import charts
from kinerja.core.escaping import esc


class Marked:
    """A third-party object following the __html__ convention (as markupsafe's Markup)."""

    def __html__(self) -> str:
        return "<b>already safe</b>"


VALUES = [
    "",
    "plain",
    "<script>alert('x')</script>",
    "a \"quoted\" & <tagged> 'value'",
    "ümlaut — dash & ampersand;",
    "&amp; already an entity",
    mark_safe("<em>safe</em> & kept"),
    SafeString("<i>x</i>"),
    Marked(),
    0,
    -17,
    3.25,
    Decimal("103.61"),
    None,
    True,
    gettext_lazy("Belum ada realisasi."),
    mark_safe(gettext_lazy("Belum ada data.")),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__ + ":" + str(v)[:20])
@pytest.mark.parametrize("language", ["id", "en"])
def test_esc_is_conditional_escape(value: object, language: str) -> None:
    with override(language):
        expected = conditional_escape(value)
        got = esc(value)
    assert got == str(expected)
    assert type(got) in (str, SafeString)


def _svg_reference(
    width: int, height: int, title: str, desc: str, body: str, css_class: str, n: int
) -> str:
    """The chart frame as format_html built it before kinerja.core.escaping."""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart {}" role="img" '
        'viewBox="0 0 {} {}" width="{}" height="{}" aria-labelledby="chart-t{} chart-d{}" '
        'preserveAspectRatio="xMinYMid meet">'
        '<title id="chart-t{}">{}</title><desc id="chart-d{}">{}</desc>{}</svg>',
        css_class,
        width,
        height,
        width,
        height,
        n,
        n,
        n,
        title,
        n,
        desc,
        mark_safe(body),
    )


@pytest.mark.parametrize(
    ("title", "desc", "css_class"),
    list(
        itertools.product(
            ["Tren capaian bulanan", "<b>Dr. A & B</b>", gettext_lazy("Tren")],
            ['Capaian bulanan "Siti" <x>: Jan 90%; Feb 101,3%.', ""],
            ["sparkline", "sparkline empty", 'x" onload="y'],
        )
    ),
)
def test_chart_frame_is_the_format_html_frame(title: str, desc: str, css_class: str) -> None:
    body = '<line x1="3" x2="93" y1="8.2" y2="8.2" stroke="#9aa7b4"/>'
    made = charts._svg(96, 28, title, desc, body, css_class)
    n = int(made.split('id="chart-t', 1)[1].split('"', 1)[0])
    assert made == _svg_reference(96, 28, title, desc, body, css_class, n)
    assert isinstance(made, SafeString)
