"""A team board row's words, numbers, links and charts, prepared in Python for the row partial.

A cold board renders up to 100 rows (a 40-person team: 41). The row partial used to compute
everything itself: five `{% url %}`, two `|date`, up to five `{% blocktranslate count %}`, the
percentage and JP filters and the two chart tags, about 0.6 ms a row — 25 of the 45 ms of a cold
40-person board (py-spy, docs/PERFORMANCE.md "The team board's rows"). Here the same values are
computed directly: a link is its reversed pattern with the id put in (each URL name is reversed
once per board, not once per row), the plural phrases are the same `ngettext` messages the
template used, and the dates are formatted by the same `date_format` in the current time zone.
The template (`monitoring/team_board.html#row`) keeps the markup and only prints these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from kinerja.core import charts
from kinerja.core.numbers import format_number, format_percent

from .selectors import BoardRow
from .templatetags.monitoring import capaian_bar, sparkline

_PLACEHOLDER = 987654321


def link_maker(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for many ids, reversing once: the pattern with the id put in."""
    before, _, after = reverse(name, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
    return lambda pk: f"{before}{pk}{after}"


@dataclass
class Links:
    """The row's link patterns, made once per rendering of a board (the script prefix and the
    language can differ between requests, so never across requests)."""

    plan: Callable[[int], str]
    row: Callable[[int], str]
    jp: Callable[[int], str]
    feedback: Callable[[int], str]

    @classmethod
    def make(cls) -> Links:
        return cls(
            plan=link_maker("performance:plan_detail"),
            row=link_maker("monitoring:team_row"),
            jp=link_maker("competency:person_jp"),
            feedback=link_maker("monitoring:team_feedback"),
        )


@dataclass
class RowText:
    """What the row partial prints (strings are escaped by the template; charts are SVG)."""

    plan_url: str
    row_url: str
    jp_url: str
    feedback_url: str
    capaian: str  # "95,3%" or "—"
    band: str  # the capaian's colour class
    capaian_bar: SafeString | str
    sparkline: SafeString | str
    reports: str  # "tim: 12 orang" or ""
    jp_completed: str
    jp_shortfall: str  # "" when the 20 JP are met
    jp_short_class: str  # "risk" or "warn"
    risks_count: str
    risks: list[tuple[str, str]]  # (indicator name, projected capaian)
    last_iso: str
    last_text: str
    overdue: str  # "Belum lengkap: Oktober, November" or ""
    late: str  # "2 entri terlambat" or ""
    waiting: str  # "3 untuk Anda" or ""
    feedback: str  # "4 pesan" or ""
    replied: bool


def row_text(row: BoardRow, year: int, links: Links) -> RowText:
    """Everything the row partial needs of `row`, as the template's tags and filters gave it."""
    e, f = row.employee, row.figures
    plan_id = f.plan_id if f is not None else None
    # Without figures the template's `f.capaian` was "" (an unknown variable), not None: kept.
    capaian: Any = f.capaian if f is not None else ""
    jp = row.jp
    last = f.last_realisation_at if f is not None else None
    local = timezone.localtime(last) if last is not None else None
    feedback_count = f.feedback_count if f is not None else 0
    late_entries = f.late_entries if f is not None else 0
    return RowText(
        plan_url=links.plan(plan_id) if plan_id else "",
        row_url=f"{links.row(e.pk)}?tahun={year}",
        jp_url=f"{links.jp(e.pk)}?tahun={year}",
        feedback_url=f"{links.feedback(e.pk)}?tahun={year}",
        capaian=format_percent(capaian),
        band=charts.band(capaian),
        capaian_bar=capaian_bar(capaian, e.full_name) if capaian is not None else "",
        sparkline=sparkline(row.trend, e.full_name) if plan_id else "",
        reports=(
            ngettext("tim: %(n)s orang", "tim: %(n)s orang", row.reports) % {"n": row.reports}
            if row.reports
            else ""
        ),
        jp_completed=format_number(jp.completed_jp, 2) if jp else "",
        jp_shortfall=format_number(jp.shortfall_jp, 2) if jp and jp.shortfall_jp else "",
        jp_short_class="risk" if jp and jp.enrolled_jp < jp.shortfall_jp else "warn",
        risks_count=(
            ngettext("%(n)s indikator", "%(n)s indikator", len(row.risks)) % {"n": len(row.risks)}
        ),
        risks=[(r["name"], _projected(r["pc"])) for r in row.risks],
        last_iso=local.isoformat() if local is not None else "",
        last_text=date_format(local, "j M Y H:i") if local is not None else "",
        overdue=(
            gettext("Belum lengkap: %(months)s") % {"months": ", ".join(row.overdue_names)}
            if row.overdue
            else ""
        ),
        late=(
            ngettext("%(n)s entri terlambat", "%(n)s entri terlambat", late_entries)
            % {"n": late_entries}
            if late_entries
            else ""
        ),
        waiting=(
            ngettext("%(n)s untuk Anda", "%(n)s untuk Anda", row.waiting_for_me)
            % {"n": row.waiting_for_me}
            if row.waiting_for_me
            else ""
        ),
        feedback=(
            ngettext("%(n)s pesan", "%(n)s pesan", feedback_count) % {"n": feedback_count}
            if feedback_count
            else ""
        ),
        replied=bool(
            f is not None
            and f.last_reply_at
            and f.last_feedback_at
            and f.last_reply_at >= f.last_feedback_at
        ),
    )


def _projected(value: Any) -> str:
    """The template's `|decimal|pct:0`: a stored projection as a whole percentage."""
    return format_percent(None if value in (None, "") else Decimal(str(value)), 0)
