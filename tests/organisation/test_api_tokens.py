"""Personal API tokens (issue 17): shown once, stored hashed, revocable, expiring, last use
recorded; a token acts with its owner's rights (404 outside scope, as on the pages), narrowed
by its scopes; `manage.py api_token` prints one for integration scripts."""

from __future__ import annotations

import io
from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.organisation.models import ApiToken
from kinerja.organisation.tokens import token_create, token_revoke
from tests.conftest import Org, client_for


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_token_from_the_command_acts_with_its_owners_rights(org: Org) -> None:
    out = io.StringIO()
    call_command("api_token", org.users["employee"].username, "--name", "skrip", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("knj_")
    client = Client()
    own = client.get(f"/api/v1/employees/{org.employee.pk}", **bearer(token))
    assert own.status_code == 200 and own.json()["nip"] == org.employee.nip
    other = client.get(f"/api/v1/employees/{org.unit_head.pk}", **bearer(token))
    assert other.status_code == 404  # outside the owner's scope, as on the pages
    row = ApiToken.objects.get()
    assert row.digest != token and token not in str(ApiToken.objects.values_list())
    assert row.last_used_at is not None


def test_revoked_expired_and_unknown_tokens_are_refused(org: Org) -> None:
    row, token = token_create(user=org.users["employee"], name="a", scopes=["read"], expires_days=1)
    url = f"/api/v1/employees/{org.employee.pk}"
    assert Client().get(url, **bearer("knj_tidak-ada")).status_code == 401
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert Client().get(url, **bearer(token)).status_code == 401
    token_revoke(token=row, by=org.users["employee"])
    assert Client().get(url, **bearer(token)).status_code == 401


def test_a_read_token_cannot_write(org: Org) -> None:
    _row, token = token_create(user=org.users["employee"], name="b", scopes=["read"])
    response = Client().post(
        "/api/v1/competency/sessions/1/enrolments", content_type="application/json", **bearer(token)
    )
    assert response.status_code == 401


def test_the_profile_page_shows_a_new_token_once_and_revokes_it(org: Org) -> None:
    client = client_for(org, "employee")
    made = client.post(
        reverse("organisation:api_tokens"),
        {"nama": "Aplikasi absensi", "cakupan": ["read"], "hari": "30"},
    )
    page = made.content.decode()
    row = ApiToken.objects.get(name="Aplikasi absensi")
    assert made.status_code == 200 and "hanya ditampilkan sekali" in page and row.prefix in page
    again = client.get(reverse("organisation:api_tokens")).content.decode()
    assert "hanya ditampilkan sekali" not in again
    bad = client.post(reverse("organisation:api_tokens"), {"nama": "", "hari": "30"})
    assert bad.status_code == 400 and "Beri nama token" in bad.content.decode()
    client.post(reverse("organisation:api_token_revoke", args=[row.pk]))
    row.refresh_from_db()
    assert row.revoked_at is not None
