"""Failure counting and lockout live in the authentication layer (issue 10, security 3): every
login path is covered, locked and unknown accounts answer alike and after the same work, and a
lock holds for the address that failed, so nobody can keep another person's account locked."""

from __future__ import annotations

from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

from kinerja.core.models import AuditAction, AuditLog
from kinerja.organisation import services
from kinerja.organisation.models import User
from tests.conftest import PASSWORD, Org
from tests.factories import make_user

LOGIN = "/login/"
ADMIN_LOGIN = "/admin/login/?next=/admin/"


def attempt(client: Client, username: str, password: str, url: str = LOGIN):  # type: ignore[no-untyped-def]
    return client.post(url, {"username": username, "password": password})


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_the_admin_login_is_counted_locked_and_audited(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    """8 wrong passwords then the right one at /admin/login/ logged a superuser in, uncounted."""
    admin = make_user(username="root", is_superuser=True, is_staff=True)
    client = Client()
    for _ in range(8):
        attempt(client, "root", "salah", ADMIN_LOGIN)
    response = attempt(client, "root", PASSWORD, ADMIN_LOGIN)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200  # the admin's form again, as for a wrong password
    assert AccessAttempt.objects.get(username="root").failures_since_start == (
        settings.LOGIN_MAX_FAILURES
    )
    audited = AuditLog.objects.filter(object_id=str(admin.pk))
    assert audited.filter(action=AuditAction.LOGIN_FAILED).count() == (
        settings.LOGIN_MAX_FAILURES - 1
    )
    assert audited.filter(action=AuditAction.LOCKED).count() == 1
    # The login page refuses the same account from the same address.
    assert "dikunci sementara" in attempt(client, "root", PASSWORD).content.decode()


def test_a_locked_account_and_an_unknown_one_answer_alike(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for username in (org.employee.nip, "199001012020121001"):
        for _ in range(settings.LOGIN_MAX_FAILURES):
            attempt(client, username, "salah")
    known = attempt(client, org.employee.nip, PASSWORD)
    unknown = attempt(client, "199001012020121001", "apa-saja")
    assert known.status_code == unknown.status_code == 200
    errors = [r.context["form"].non_field_errors() for r in (known, unknown)]
    assert errors[0] == errors[1] and "dikunci sementara" in errors[0][0]


@pytest.mark.parametrize("case", ["unknown", "wrong", "locked", "locked-right-password"])
def test_the_password_hasher_runs_for_every_refusal(org: Org, settings, case: str) -> None:  # type: ignore[no-untyped-def]
    """Equal work, hence equal time: a locked NIP answered in 20 ms, an unknown one in 1.5 s."""
    client = Client()
    username = "199001012020121001" if case == "unknown" else org.employee.nip
    if case.startswith("locked"):
        for _ in range(settings.LOGIN_MAX_FAILURES):
            attempt(client, username, "salah")
    password = PASSWORD if case == "locked-right-password" else "salah"
    with mock.patch.object(
        MD5PasswordHasher, "encode", autospec=True, side_effect=MD5PasswordHasher.encode
    ) as encode:
        response = attempt(client, username, password)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    assert encode.call_count >= 1


def test_a_lock_holds_for_the_address_that_failed_only(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    attacker, owner = from_address("10.1.1.66"), from_address("10.1.2.7")
    for _ in range(settings.LOGIN_MAX_FAILURES + 3):
        attempt(attacker, org.employee.nip, "tebakan")
    assert "dikunci sementara" in attempt(attacker, org.employee.nip, PASSWORD).content.decode()
    assert attempt(owner, org.employee.nip, PASSWORD).status_code == 302


def test_an_address_guessing_many_accounts_is_refused_for_all(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    sprayer = from_address("10.1.1.66")
    for persona in ("employee", "supervisor", "unit_head"):
        for _ in range(2):
            attempt(sprayer, org.users[persona].username, "Rahasia123")
    # Even the right password of a fresh account is refused from there...
    assert "dikunci sementara" in attempt(sprayer, "admin.bkpsdm", PASSWORD).content.decode()
    # ...but not from elsewhere.
    assert attempt(from_address("10.1.2.7"), "admin.bkpsdm", PASSWORD).status_code == 302


def test_a_lock_ends_after_the_lockout_minutes(org: Org, settings, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-10-20 08:00 +07:00", tick=False)
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        attempt(client, org.employee.nip, "salah")
    page = attempt(client, org.employee.nip, PASSWORD).content.decode()
    assert "setelah pukul 08:15" in page
    time_machine.move_to("2026-10-20 08:14 +07:00", tick=False)
    assert attempt(client, org.employee.nip, PASSWORD).status_code == 200  # still locked
    time_machine.move_to("2026-10-20 08:16 +07:00", tick=False)
    assert attempt(client, org.employee.nip, PASSWORD).status_code == 302


def test_an_administrator_reset_unlocks_every_address(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    clients = [from_address("10.1.1.1"), from_address("10.1.1.2")]
    for client in clients:
        for _ in range(settings.LOGIN_MAX_FAILURES):
            attempt(client, org.employee.nip, "salah")
    password = services.account_reset_password(user=org.users["employee"], by=org.users["bkpsdm"])
    assert not AccessAttempt.objects.filter(username=org.employee.nip).exists()
    assert [attempt(c, org.employee.nip, password).status_code for c in clients] == [302, 302]


def test_a_success_clears_the_count(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        attempt(client, org.employee.nip, "salah")
    assert attempt(client, org.employee.nip, PASSWORD).status_code == 302
    assert User.objects.get(pk=org.users["employee"].pk).failed_logins == 0
    client.post("/logout/")
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        attempt(client, org.employee.nip, "salah")
    assert attempt(client, org.employee.nip, PASSWORD).status_code == 302


def test_an_inactive_account_is_named_only_to_who_knows_its_password(org: Org) -> None:
    User.objects.filter(pk=org.users["employee"].pk).update(is_active=False)
    wrong = attempt(Client(), org.employee.nip, "salah").context["form"].non_field_errors()
    unknown = attempt(Client(), "tidak.ada", "salah").context["form"].non_field_errors()
    assert wrong == unknown
    right = attempt(Client(), org.employee.nip, PASSWORD).context["form"].non_field_errors()
    assert "tidak aktif" in right[0]
