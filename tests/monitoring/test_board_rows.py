"""kinerja.monitoring.board_rows: the row's links are exactly what `reverse` gives, and its HTML
is the markup the row partial printed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix
from django.utils import translation

from kinerja.monitoring.board_rows import Links, RowText, Words, link_maker, row_html, row_text
from kinerja.monitoring.models import PersonFigures
from kinerja.monitoring.selectors import BoardRow
from kinerja.monitoring.views import row_labels
from kinerja.organisation.models import Employee, Position
from kinerja.performance.choices import PlanStatus


@pytest.mark.parametrize(
    "name",
    [
        "performance:plan_detail",
        "monitoring:team_row",
        "competency:person_jp",
        "monitoring:team_feedback",
    ],
)
@pytest.mark.parametrize("pk", [1, 42, 987654321, 1234567890123])
def test_link_maker_matches_reverse(name: str, pk: int) -> None:
    assert link_maker(name)(pk) == reverse(name, args=[pk])


def test_links_follow_the_script_prefix_of_the_request() -> None:
    """Behind a path prefix (SCRIPT_NAME) the links carry it, as {% url %} did."""
    try:
        set_script_prefix("/kinerja/")
        links = Links.make()
        assert links.plan(7) == reverse("performance:plan_detail", args=[7])
        assert links.plan(7).startswith("/kinerja/")
    finally:
        set_script_prefix("/")
    assert not Links.make().plan(7).startswith("/kinerja/")


# --- The row's HTML ------------------------------------------------------------------------------

REFERENCE = Path(__file__).with_name("board_row_reference.html")
WHEN = datetime(2026, 10, 14, 8, 30, tzinfo=UTC)


def _row(
    *,
    plan: bool = True,
    status: str = PlanStatus.APPROVED,
    risks: int = 0,
    jp: tuple[str, str, str] | None = ("12", "8", "4"),
    level: int = 1,
    reports: int = 0,
    waiting_for_me: int = 0,
    waiting_review: int = 0,
    feedback: int = 0,
    replied: bool = False,
    last: bool = True,
    overdue: tuple[int, ...] = (),
    late: int = 0,
    capaian: str | None = "87.5",
    name: str = "Siti Rahma",
) -> BoardRow:
    """A board row held in memory only: every branch of the row can be set."""
    employee = Employee(
        pk=4321, name=name, front_title="dr.", back_title="M.Kes.", nip="198506162007012114"
    )
    employee.position = Position(name="Kepala Seksi <Pelayanan> & Mutu")
    figures = (
        PersonFigures(
            employee=employee,
            year=2026,
            plan_id=77 if plan else None,
            plan_status=status if plan else "",
            capaian=None if capaian is None else Decimal(capaian),
            trend=[90.0, None, 101.25, 87.5] if plan else [],
            last_realisation_at=WHEN if last else None,
            waiting_review=waiting_review,
            late_entries=late,
            feedback_count=feedback,
            last_feedback_at=WHEN if feedback else None,
            last_reply_at=WHEN + timedelta(hours=1) if replied else None,
        )
        if plan or last
        else None
    )
    return BoardRow(
        employee=employee,
        level=level,
        figures=figures,
        risks=[{"name": f"Indikator <{n}> & lain", "pc": "71.4"} for n in range(risks)],
        overdue=list(overdue),
        waiting_for_me=waiting_for_me,
        reports=reports,
        jp=None
        if jp is None
        else SimpleNamespace(
            completed_jp=Decimal(jp[0]), shortfall_jp=Decimal(jp[1]), enrolled_jp=Decimal(jp[2])
        ),
    )


ROWS = {
    "approved, plain": {},
    "no plan, no figures": {"plan": False, "last": False, "jp": None, "capaian": None},
    "no plan, figures": {"plan": False},
    "submitted": {"status": PlanStatus.SUBMITTED},
    "returned": {"status": PlanStatus.RETURNED},
    "draft": {"status": PlanStatus.DRAFT},
    "risks": {"risks": 2},
    "one risk": {"risks": 1},
    "JP met": {"jp": ("24", "0", "0")},
    "JP short, enrolled enough": {"jp": ("6", "14", "14")},
    "JP unknown": {"jp": None},
    "deeper, with a team": {"level": 3, "reports": 12},
    "waiting for me": {"waiting_for_me": 3},
    "waiting for someone else": {"waiting_review": 2},
    "feedback": {"feedback": 4},
    "feedback replied": {"feedback": 1, "replied": True},
    "nothing entered": {"last": False, "capaian": None},
    "overdue and late": {"overdue": (9, 10), "late": 2},
    "no capaian yet": {"capaian": None},
    "markup in the name": {"name": '<script>alert("x")</script> & Co'},
}


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("case", list(ROWS))
def test_row_html_is_the_row_partial_it_replaced(case: str, language: str) -> None:
    """row_html prints what the row partial printed, byte for byte (the partial is kept as the
    oracle in board_row_reference.html), in every branch and both languages."""
    row = _row(**ROWS[case])
    with translation.override(language):
        links = Links.make()
        labels = row_labels()
        text = row_text(row, 2026, links)
        expected = Template(REFERENCE.read_text()).render(
            Context({"row": row, "t": text, "labels": labels})
        )
        assert expected.strip().startswith('<tr id="orang-4321"')
        assert str(row_html(row, text, labels)).strip() == expected.strip()


def test_row_html_escapes_what_people_typed() -> None:
    row = _row(risks=1, name="<b>A&B</b>")
    html = str(row_html(row, row_text(row, 2026, Links.make()), row_labels()))
    assert "<b>" not in html and "&lt;b&gt;A&amp;B&lt;/b&gt;" in html
    assert "Kepala Seksi &lt;Pelayanan&gt; &amp; Mutu" in html
    assert "Indikator &lt;0&gt; &amp; lain" in html
    assert "<svg" in html  # the charts are markup, not text


@pytest.mark.parametrize("language", ["id", "en"])
def test_one_boards_words_serve_every_row(language: str) -> None:
    """The words a board translates once (Words: the charts' words, the counted phrases
    remembered per count) give every row what the row's own translations give."""
    variants = [
        *ROWS.values(),
        {"risks": 3, "reports": 1, "waiting_for_me": 1, "feedback": 1, "late": 1},
        {"risks": 1, "reports": 2, "waiting_for_me": 2, "feedback": 2, "late": 2},
        {"risks": 2, "reports": 1, "waiting_for_me": 1, "feedback": 1, "late": 1},
    ]
    with translation.override(language):
        links = Links.make()
        shared = Words.make()
        for values in variants:
            row = _row(**values)
            assert _without_chart_ids(row_text(row, 2026, links, shared)) == _without_chart_ids(
                row_text(row, 2026, links, Words.make())
            )
        assert len(shared.counted) > 5  # the phrases were remembered, and reused above


def _without_chart_ids(text: RowText) -> dict[str, object]:
    """The row's text with the charts' ids (a counter of the process) masked."""
    return {k: re.sub(r"chart-([td])\d+", r"chart-\1N", str(v)) for k, v in vars(text).items()}
