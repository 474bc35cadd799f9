"""A button a page shows answers the person it is shown to (an access walk-through found the
catalogue's "Pembelajaran saya" shown to accounts without an employee, "Persetujuan" and
"Rencana pengembangan" shown to the read-only leaders, and one-click nominations they could
not make: each a 404 on a click)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import PERSONAS, Org, client_for

from .conftest import make_programme, make_session

pytestmark = pytest.mark.django_db

SIGNED_IN = [p for p in PERSONAS if p not in ("anonymous", "other")]
TOOLBAR = re.compile(r'<div class="toolbar">(.*?)</div>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def toolbar_links(html: str) -> list[str]:
    found = TOOLBAR.search(html)
    assert found, "the page has a toolbar"
    return [link.replace("&amp;", "&") for link in HREF.findall(found.group(1))]


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_toolbar_button_of_the_competency_pages_answers(org: Org, persona: str) -> None:
    make_session(org, make_programme(org), quota=5)
    client = client_for(org, persona)
    pages = [
        reverse("competency:catalogue"),
        reverse("competency:compliance"),
        reverse("competency:person_jp", args=[org.employee.pk]),
    ]
    opened = 0
    for page in pages:
        response = client.get(page)
        if response.status_code == 404:  # not this persona's page: nothing is shown
            continue
        assert response.status_code == 200, page
        opened += 1
        for link in toolbar_links(response.content.decode()):
            target = link if link.startswith("/") else page.split("?")[0] + link
            assert client.get(target).status_code == 200, (page, link)
    assert opened >= 1


@pytest.mark.parametrize(
    ("persona", "nominates"),
    [("bkpsdm", True), ("admin_opd", True), ("pimpinan", False), ("inspektorat", False)],
)
def test_one_click_nomination_is_offered_only_to_who_may_nominate(
    org: Org, persona: str, nominates: bool
) -> None:
    make_session(org, make_programme(org), quota=5)
    query = f"?opd={org.dinkes.pk}"
    html = client_for(org, persona).get(reverse("competency:compliance") + query).content.decode()
    assert org.employee.full_name in html
    assert ("Usulkan ke" in html) is nominates
