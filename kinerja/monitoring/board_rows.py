"""A team board row: its words, numbers, links and charts, and its HTML, built in Python.

A cold board renders up to 100 rows (a 40-person team: 41). The row partial used to compute
everything itself: five `{% url %}`, two `|date`, up to five `{% blocktranslate count %}`, the
percentage and JP filters and the two chart tags, about 0.6 ms a row — 25 of the 45 ms of a cold
40-person board (py-spy, docs/PERFORMANCE.md "The team board's rows"). Here the same values are
computed directly: a link is its reversed pattern with the id put in (each URL name is reversed
once per board, not once per row), the plural phrases are the same `ngettext` messages the
template used, and the dates are formatted by the same `date_format` in the current time zone.
`row_html` then prints them into the row's markup (it was the partial `team_board.html#row`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from kinerja.core import charts
from kinerja.core.escaping import esc
from kinerja.core.numbers import format_number, format_percent

from .selectors import BoardRow
from .templatetags.monitoring import ChartWords, capaian_bar, sparkline

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


def _team(n: int) -> str:
    return ngettext("tim: %(n)s orang", "tim: %(n)s orang", n) % {"n": n}


def _indicators(n: int) -> str:
    return ngettext("%(n)s indikator", "%(n)s indikator", n) % {"n": n}


def _late(n: int) -> str:
    return ngettext("%(n)s entri terlambat", "%(n)s entri terlambat", n) % {"n": n}


def _for_you(n: int) -> str:
    return ngettext("%(n)s untuk Anda", "%(n)s untuk Anda", n) % {"n": n}


def _messages(n: int) -> str:
    return ngettext("%(n)s pesan", "%(n)s pesan", n) % {"n": n}


@dataclass
class Words:
    """The row's fixed words in the active language, made once per rendering of a board like
    `Links`: each translation is looked up once per board instead of up to ten times a row
    (a look-up goes through the request's translation context), and each counted phrase once
    per count. Made and used under one active language (one board's rendering)."""

    charts: ChartWords
    overdue: str
    counted: dict[tuple[Callable[[int], str], int], str] = field(default_factory=dict)

    @classmethod
    def make(cls) -> Words:
        return cls(charts=ChartWords.current(), overdue=gettext("Belum lengkap: %(months)s"))

    def count(self, phrase: Callable[[int], str], n: int) -> str:
        """`phrase(n)` (one of the plural phrases above), remembered for this board."""
        key = (phrase, n)
        text = self.counted.get(key)
        if text is None:
            text = self.counted[key] = phrase(n)
        return text


@dataclass
class RowText:
    """What the row prints (strings are escaped by row_html; charts are SVG)."""

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


def row_text(row: BoardRow, year: int, links: Links, words: Words | None = None) -> RowText:
    """Everything the row partial needs of `row`, as the template's tags and filters gave it.
    `words`: the board's `Words` (made here when not given)."""
    w = words or Words.make()
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
        capaian_bar=capaian_bar(capaian, e.full_name, w.charts) if capaian is not None else "",
        sparkline=sparkline(row.trend, e.full_name, w.charts) if plan_id else "",
        reports=w.count(_team, row.reports) if row.reports else "",
        jp_completed=format_number(jp.completed_jp, 2) if jp else "",
        jp_shortfall=format_number(jp.shortfall_jp, 2) if jp and jp.shortfall_jp else "",
        jp_short_class="risk" if jp and jp.enrolled_jp < jp.shortfall_jp else "warn",
        risks_count=w.count(_indicators, len(row.risks)),
        risks=[(r["name"], _projected(r["pc"])) for r in row.risks],
        last_iso=local.isoformat() if local is not None else "",
        last_text=date_format(local, "j M Y H:i") if local is not None else "",
        overdue=(w.overdue % {"months": ", ".join(row.overdue_names)} if row.overdue else ""),
        late=w.count(_late, late_entries) if late_entries else "",
        waiting=w.count(_for_you, row.waiting_for_me) if row.waiting_for_me else "",
        feedback=w.count(_messages, feedback_count) if feedback_count else "",
        replied=bool(
            f is not None
            and f.last_reply_at
            and f.last_feedback_at
            and f.last_reply_at >= f.last_feedback_at
        ),
    )


# The plan statuses with a label of their own in ROW_LABELS (kinerja.monitoring.views); any
# other status is shown as "Draf", as the row partial did.
_LABELLED_STATUSES = frozenset({"disetujui", "diajukan", "dikembalikan"})


def row_html(row: BoardRow, t: RowText, labels: dict[str, str]) -> SafeString:
    """The row's <tr>, every value escaped (the charts are already safe SVG).

    Built here rather than by a template: a cold board renders up to 100 rows, and the template
    engine took 0.22 ms a row to print these ready values (8.4 of a 40-person board's 36 ms;
    docs/PERFORMANCE.md, "Quiet runs, the board's rows in Python"); this takes a tenth of it. The
    markup is the one the row partial had, tag for tag (tests/monitoring/test_board_rows.py)."""
    e, f = row.employee, row.figures
    plan_id = f.plan_id if f is not None else None
    name = esc(e.full_name)
    if f is not None and plan_id:
        person = f'<a href="{esc(t.plan_url)}" class="name">{name}</a>'
        status = f.plan_status
        label = labels[status if status in _LABELLED_STATUSES else "draf"]
        skp = f'<span class="badge status-{esc(status)}">{esc(label)}</span>'
    else:
        person = f'<span class="name">{name}</span>'
        skp = f'<span class="badge warn">{esc(labels["belum_dibuat"])}</span>'
    level = f" · {esc(labels['tingkat'])} {row.level}" if row.level > 1 else ""
    reports = f'<small class="muted">{esc(t.reports)}</small>' if t.reports else ""
    if row.jp:
        jp = f'<a href="{esc(t.jp_url)}">{esc(t.jp_completed)}</a>' + (
            f' <span class="badge {esc(t.jp_short_class)}" title="{esc(labels["kekurangan_jp"])}">'
            f"−{esc(t.jp_shortfall)}</span>"
            if t.jp_shortfall
            else ' <span class="badge ok">20+</span>'
        )
    else:
        jp = '<span class="muted">—</span>'
    if row.risks:
        items = "".join(
            f'<li>{esc(risk)} <span class="muted">({esc(labels["proyeksi"])} {esc(projected)})'
            "</span></li>"
            for risk, projected in t.risks
        )
        risks = (
            '<details class="risks"><summary><span class="badge risk">'
            f"{esc(t.risks_count)}</span></summary><ul>{items}</ul></details>"
        )
    elif plan_id:
        risks = f'<span class="muted">{esc(labels["tidak_ada"])}</span>'
    else:
        risks = "—"
    if t.last_text:
        last = f'<time datetime="{esc(t.last_iso)}">{esc(t.last_text)}</time>'
    else:
        last = f'<span class="muted">{esc(labels["belum_ada"])}</span>'
    if t.overdue:
        last += f'<br><span class="warn-text small">{esc(t.overdue)}</span>'
    if t.late:
        last += f'<br><span class="small muted">{esc(t.late)}</span>'
    waiting_review = f.waiting_review if f is not None else 0
    if t.waiting:
        waiting = f'<a class="badge warn" href="{esc(t.plan_url)}">{esc(t.waiting)}</a>'
    elif waiting_review:
        waiting = str(waiting_review)
    else:
        waiting = '<span class="muted">—</span>'
    feedback = ""
    if t.feedback:
        feedback = f'<span class="small">{esc(t.feedback)}</span>' + (
            f' <span class="badge ok">{esc(labels["ada_balasan"])}</span>' if t.replied else ""
        )
    quick = (
        f'\n    <details class="quick-feedback" hx-get="{esc(t.feedback_url)}" '
        'hx-trigger="toggle once" hx-target="find .feedback-slot">\n'
        f"      <summary>{esc(labels['beri_umpan_balik'])}</summary>\n"
        f'      <div class="feedback-slot"><a href="{esc(t.plan_url)}#umpan-balik">'
        f"{esc(labels['buka_skp'])}</a></div>\n"
        "    </details>\n    "
        if plan_id
        else ""
    )
    empty = ' class="is-empty"'
    return mark_safe(  # every value above is escaped
        f'<tr id="orang-{e.pk}" data-employee-row="{e.pk}" data-row-url="{esc(t.row_url)}" '
        f'class="level-{row.level}{" has-risk" if row.risks else ""}">\n'
        f'  <td data-label="{esc(labels["pegawai"])}" class="person">\n'
        '    <span class="indent">\n'
        f"      {person}\n"
        f'      <small class="muted">{esc(e.position.name)}{level}</small>\n'
        f"      {reports}\n"
        "    </span>\n"
        "  </td>\n"
        f'  <td data-label="{esc(labels["skp"])}">{skp}</td>\n'
        f'  <td data-label="{esc(labels["capaian"])}" class="capaian"><strong '
        f'class="status-{esc(t.band)}" data-capaian>{esc(t.capaian)}</strong>'
        f"{esc(t.capaian_bar)}</td>\n"
        f'  <td data-label="{esc(labels["jp"])}">{jp}</td>\n'
        f'  <td data-label="{esc(labels["tren"])}"{"" if plan_id else empty}>'
        f"{esc(t.sparkline) if plan_id else '—'}</td>\n"
        f'  <td data-label="{esc(labels["berisiko"])}"{"" if row.risks else empty}>{risks}</td>\n'
        f'  <td data-label="{esc(labels["realisasi_terakhir"])}">{last}</td>\n'
        f'  <td data-label="{esc(labels["menunggu"])}"'
        f"{empty if not row.waiting_for_me and not waiting_review else ''}>{waiting}</td>\n"
        f'  <td data-label="{esc(labels["umpan_balik"])}" class="feedback-cell'
        f'{"" if plan_id else " is-empty"}">\n'
        f"    {feedback}\n"
        f"    {quick}\n"
        "  </td>\n"
        "</tr>"
    )


def _projected(value: Any) -> str:
    """The template's `|decimal|pct:0`: a stored projection as a whole percentage."""
    return format_percent(None if value in (None, "") else Decimal(str(value)), 0)
