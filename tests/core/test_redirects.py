"""Every redirect to a client-supplied `next` stays on the site (issue 10, security 7)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from kinerja.core.http import safe_next
from tests.conftest import PASSWORD, Org, client_for
from tests.performance.conftest import Plans, employee_plan, plans  # noqa: F401 (fixtures)

OFFSITE = [
    "//evil.example/x",
    "https://evil.example/x",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    " //evil.example",
]
# Neither a path nor an address: `redirect()` would take them for a view's name (a 500).
BARE_WORDS = ["abc", "home", "home:home", "performance:plan_detail", "skp", "."]
REFUSED = OFFSITE + BARE_WORDS


@pytest.mark.parametrize("target", REFUSED)
def test_the_helper_refuses_offsite_addresses_and_bare_words(target: str) -> None:
    request = RequestFactory().post("/", {"next": target})
    assert safe_next(request, "/aman/") == "/aman/"


def test_the_helper_keeps_an_address_on_the_site() -> None:
    request = RequestFactory().post("/", {"next": "/skp/1/?tab=2"})
    assert safe_next(request, "/aman/") == "/skp/1/?tab=2"


@pytest.mark.parametrize("target", REFUSED)
def test_feedback_never_redirects_offsite(org: Org, employee_plan: Plans, target: str) -> None:  # noqa: F811
    plan = employee_plan.employee
    response = client_for(org, "supervisor").post(
        reverse("performance:comment_add", args=[plan.pk]),
        {
            "target": "rhk",
            "target_id": employee_plan.employee_rhk.pk,
            "body": "Bagus",
            "next": target,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("performance:plan_detail", args=[plan.pk])


@pytest.mark.parametrize("target", REFUSED)
def test_login_never_redirects_offsite(org: Org, target: str) -> None:
    response = Client().post(
        "/login/", {"username": "admin.bkpsdm", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home:home")


def test_the_helper_keeps_an_address_on_this_host() -> None:
    request = RequestFactory().post("/", {"next": "http://testserver/skp/1/"})
    assert safe_next(request, "/aman/") == "http://testserver/skp/1/"
