"""Login by NIP or username, lockout, forced password change, administrator reset, logout."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.core.models import AuditAction, AuditLog
from kinerja.organisation.models import User
from tests.conftest import PASSWORD, Org, client_for
from tests.factories import make_user

LOGIN = "/login/"


def test_it_logs_in_with_a_nip_typed_with_spaces(org: Org) -> None:
    client = Client()
    response = client.post(LOGIN, {"username": org.employee.nip_formatted, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).context["user"] == org.users["employee"]
    assert AuditLog.objects.filter(action=AuditAction.LOGIN, actor=org.users["employee"]).exists()


def test_it_logs_in_an_administrator_by_username(org: Org) -> None:
    response = Client().post(LOGIN, {"username": "admin.bkpsdm", "password": PASSWORD})
    assert response.status_code == 302


def test_it_explains_a_wrong_password_in_indonesian_and_counts_it(org: Org) -> None:
    response = Client().post(LOGIN, {"username": org.employee.nip, "password": "salah"})
    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()
    assert User.objects.get(pk=org.users["employee"].pk).failed_logins == 1


def test_it_locks_after_repeated_failures_even_for_the_right_password(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(LOGIN, {"username": org.employee.nip, "password": "salah"})
    response = client.post(LOGIN, {"username": org.employee.nip, "password": PASSWORD})
    assert response.status_code == 200
    assert "dikunci sementara" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_does_not_reveal_whether_an_account_exists(org: Org) -> None:
    unknown = Client().post(LOGIN, {"username": "tidak.ada", "password": "x"})
    wrong = Client().post(LOGIN, {"username": "admin.bkpsdm", "password": "x"})
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()


def test_it_forces_a_password_change_at_first_login(org: Org) -> None:
    user = make_user(username="baru", must_change_password=True)
    client = Client()
    client.post(LOGIN, {"username": "baru", "password": PASSWORD})
    response = client.get(reverse("organisation:employee_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:password_change")
    # Weak or mismatched passwords are refused with field errors.
    weak = client.post(
        reverse("organisation:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200 and weak.context["form"].errors["new_password1"]
    ok = client.post(
        reverse("organisation:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Bukit-Intan-2027",
            "new_password2": "Bukit-Intan-2027",
        },
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Bukit-Intan-2027")
    assert client.get(reverse("organisation:employee_list")).status_code == 200


def test_an_administrator_reset_gives_a_temporary_password(org: Org) -> None:
    admin = client_for(org, "admin_opd")
    response = admin.post(
        reverse("organisation:employee_reset_password", args=[org.employee.pk]), follow=True
    )
    text = response.content.decode()
    assert "Kata sandi sementara" in text
    user = User.objects.get(pk=org.users["employee"].pk)
    assert user.must_change_password
    assert not user.check_password(PASSWORD)
    assert AuditLog.objects.filter(
        action=AuditAction.PASSWORD_RESET, object_id=str(user.pk)
    ).exists()


def test_an_admin_opd_cannot_reset_another_opds_password(org: Org) -> None:
    admin = client_for(org, "admin_opd")
    response = admin.post(
        reverse("organisation:employee_reset_password", args=[org.other_employee.pk])
    )
    assert response.status_code == 404
    assert User.objects.get(pk=org.users["other"].pk).check_password(PASSWORD)


def test_logout_needs_post_and_ends_the_session(org: Org) -> None:
    client = client_for(org, "employee")
    assert client.get(reverse("organisation:logout")).status_code == 405
    client.post(reverse("organisation:logout"))
    assert client.get(reverse("organisation:profile")).status_code == 302
    assert "Layanan untuk warga" in client.get(reverse("core:home")).content.decode()  # portal


def test_it_ignores_an_offsite_next_url(org: Org) -> None:
    response = Client().post(
        f"{LOGIN}?next=https://contoh.example/",
        {"username": "admin.bkpsdm", "password": PASSWORD, "next": "https://contoh.example/"},
    )
    assert response["Location"] == reverse("core:home")


@pytest.mark.parametrize("setting", ["SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE"])
def test_sessions_expire(setting: str, settings) -> None:  # type: ignore[no-untyped-def]
    value = getattr(settings, setting)
    assert value is True or 0 < value <= 12 * 3600
