"""Pages link only what the viewer may open (issue 10, security 9): a link that answers 404
tells nothing and confirms nothing, but it is a broken page for the person who follows it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kinerja.organisation.models import Employee
from tests.conftest import PERSONAS, Org, client_for

HREF = re.compile(r'href="(/[^"#?]*)')
SKIP = ("/static/", "/media/", "/i18n/")


def _links(html: str) -> set[str]:
    return {h for h in HREF.findall(html) if not h.startswith(SKIP)}


def test_the_profile_names_the_supervisor_without_linking_a_page_that_answers_404(
    org: Org,
) -> None:
    client = client_for(org, "employee")
    page = client.get(reverse("organisation:profile")).content.decode()
    supervisor_page = reverse("organisation:employee_detail", args=[org.supervisor.pk])
    assert org.supervisor.full_name in page
    assert supervisor_page not in page
    assert client.get(supervisor_page).status_code == 404


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_every_link_of_the_profile_and_employee_pages_opens(
    org: Org, regional: Employee, persona: str
) -> None:
    client = client_for(org, persona)
    pages = [reverse("organisation:profile")]
    own = org.users[persona].employee
    for target in (org.employee, org.supervisor, org.unit_head, regional, own):
        if target is not None:
            url = reverse("organisation:employee_detail", args=[target.pk])
            if client.get(url).status_code == 200:
                pages.append(url)
    broken = {}
    for page in pages:
        for link in _links(client.get(page).content.decode()):
            status = client.get(link).status_code
            if status in (404, 500):
                broken[link] = (page, status)
    assert not broken, broken
