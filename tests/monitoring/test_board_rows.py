"""kinerja.monitoring.board_rows: the row's links are exactly what `reverse` gives."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from kinerja.monitoring.board_rows import Links, link_maker


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
