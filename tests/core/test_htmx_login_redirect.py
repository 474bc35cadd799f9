"""An htmx request whose session has ended (a logout in another tab, an expiry, a deactivated
account) moves the whole page to the login page (HX-Redirect); the login page is never swapped
into the fragment the request was for (a board row, an import's status, a form)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Org

pytestmark = pytest.mark.django_db

BOARD = "/pantau/tim/?tahun=2026"

# Every address the pages fetch with htmx (hx-get, hx-post, htmx.ajax), as (method, URL).
FRAGMENTS = [
    ("get", reverse("monitoring:team_row", args=[1]) + "?tahun=2026"),
    ("get", reverse("monitoring:team_board") + "?saring=risiko"),
    ("get", reverse("monitoring:team_feedback", args=[1]) + "?tahun=2026"),
    ("post", reverse("monitoring:team_feedback", args=[1]) + "?tahun=2026"),
    ("post", reverse("performance:realisation_grid", args=[1, 3])),
    ("get", reverse("organisation:employee_list") + "?q=siti"),
    ("get", reverse("core:import_status", args=[1]) + "?bagian=status"),
    ("get", reverse("core:export_status", args=[1]) + "?bagian=status"),
    ("get", reverse("competency:person_jp_card", args=[1])),
    ("get", reverse("competency:checkin_display", args=[1])),
]


def htmx(client: Client, method: str, url: str, current: str = BOARD):  # type: ignore[no-untyped-def]
    return getattr(client, method)(
        url,
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{current}"},
    )


@pytest.mark.parametrize(("method", "url"), FRAGMENTS)
def test_an_htmx_fragment_without_a_session_sends_the_page_to_log_in(method: str, url: str) -> None:
    response = htmx(Client(), method, url)
    assert response.status_code == 200, response.get("Location")
    assert response["HX-Redirect"] == "/login/?next=%2Fpantau%2Ftim%2F%3Ftahun%3D2026"
    assert b"<form" not in response.content  # nothing of the login page to swap in


def test_a_logout_in_another_tab_sends_the_open_board_to_log_in(org: Org) -> None:
    client = Client()
    client.force_login(org.users["supervisor"])
    row = reverse("monitoring:team_row", args=[org.employee.pk]) + "?tahun=2026"
    assert htmx(client, "get", row).status_code == 200
    client.post(reverse("organisation:logout"))
    response = htmx(client, "get", row)
    assert response.status_code == 200 and "HX-Redirect" in response
    assert b"<tr" not in response.content


def test_a_deactivated_account_is_sent_to_log_in_too(org: Org) -> None:
    client = Client()
    client.force_login(org.users["supervisor"])
    org.users["supervisor"].is_active = False
    org.users["supervisor"].save(update_fields=["is_active"])
    response = htmx(client, "get", reverse("monitoring:team_row", args=[org.employee.pk]))
    assert response["HX-Redirect"].startswith("/login/?next=")


def test_other_requests_and_other_redirects_are_left_alone(org: Org) -> None:
    row = reverse("monitoring:team_row", args=[1])
    plain = Client().get(row)  # no htmx: the ordinary redirect, with the fragment as `next`
    assert plain.status_code == 302 and plain["Location"].startswith("/login/?next=")
    # A foreign HX-Current-URL is not trusted as `next`: the redirect's own is kept.
    foreign = Client().get(
        row, headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/"}
    )
    assert foreign["HX-Redirect"] == plain["Location"]
    # A boosted link keeps its own `next` (the page it was going to).
    boosted = Client().get(row, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert boosted["HX-Redirect"] == plain["Location"]
