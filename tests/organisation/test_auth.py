"""Login by NIP or username, lockout, forced password change, administrator reset, logout."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.core.models import AuditAction, AuditLog
from kinerja.organisation.choices import Role
from kinerja.organisation.models import Employee, User
from tests.conftest import PASSWORD, Org, client_for
from tests.factories import make_user

LOGIN = "/login/"


def test_it_logs_in_with_a_nip_typed_with_spaces(org: Org) -> None:
    client = Client()
    response = client.post(LOGIN, {"username": org.employee.nip_formatted, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home:home")
    assert client.get(reverse("home:home")).context["user"] == org.users["employee"]
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


def _temporary_password(html: str) -> str:
    import re

    match = re.search(r'<code class="mono">([^<]+)</code>', html)
    assert match, "no temporary password on the page"
    return match.group(1)


@pytest.mark.parametrize("action", ["reset", "create"])
def test_the_temporary_password_is_shown_once_and_never_travels_in_a_cookie(
    org: Org, action: str
) -> None:
    """Issue 10, security 6: the password was in the messages cookie (signed, not encrypted)."""
    admin = client_for(org, "admin_opd")
    if action == "reset":
        response = admin.post(
            reverse("organisation:employee_reset_password", args=[org.employee.pk])
        )
    else:
        from tests.factories import make_nip

        response = admin.post(
            reverse("organisation:employee_create"),
            {
                "nip": make_nip(),
                "name": "Pegawai Baru",
                "status": "pns",
                "golongan": "III/a",
                "position": org.employee.position_id,
                "unit": org.puskesmas.pk,
                "supervisor_nip": org.supervisor.nip,
                "is_active": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = admin.get(response["Location"])
    password = _temporary_password(page.content.decode())
    assert page["Cache-Control"] == "no-store"
    everything_sent = [response, page]
    for sent in everything_sent:
        for morsel in sent.cookies.values():
            assert password not in morsel.value
            assert morsel.key != "messages"
    account = User.objects.get(username=page.context["employee"].nip)
    assert account.check_password(password)
    again = admin.get(response["Location"]).content.decode()
    assert password not in again and "Kata sandi sementara" not in again


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
    assert "Layanan untuk warga" in client.get(reverse("home:home")).content.decode()  # portal


def test_it_ignores_an_offsite_next_url(org: Org) -> None:
    response = Client().post(
        f"{LOGIN}?next=https://contoh.example/",
        {"username": "admin.bkpsdm", "password": PASSWORD, "next": "https://contoh.example/"},
    )
    assert response["Location"] == reverse("home:home")


@pytest.mark.parametrize("setting", ["SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE"])
def test_sessions_expire(setting: str, settings) -> None:  # type: ignore[no-untyped-def]
    value = getattr(settings, setting)
    assert value is True or 0 < value <= 12 * 3600


def test_an_admin_opd_cannot_take_over_an_account_with_a_regency_wide_role(
    org: Org, regional: Employee
) -> None:
    """Issue 10, security 1: BKPSDM gives a Dinas Kesehatan employee the role Admin BKPSDM; the
    Admin OPD of Dinas Kesehatan then must not reset (nor edit, nor re-role) that account."""
    admin = client_for(org, "admin_opd")
    account = org.users["regional"]
    for url in (
        reverse("organisation:employee_reset_password", args=[regional.pk]),
        reverse("organisation:employee_account_role", args=[regional.pk]),
        reverse("organisation:employee_edit", args=[regional.pk]),
    ):
        assert admin.post(url, {"role": Role.PEGAWAI}).status_code == 404
    account.refresh_from_db()
    assert account.check_password(PASSWORD) and account.role == Role.ADMIN_BKPSDM
    page = admin.get(reverse("organisation:employee_detail", args=[regional.pk]))
    assert page.status_code == 200 and page.context["account"] is None
    assert "diubah oleh Admin BKPSDM" in page.content.decode()
    # BKPSDM still may.
    bkpsdm = client_for(org, "bkpsdm")
    url = reverse("organisation:employee_reset_password", args=[regional.pk])
    assert bkpsdm.post(url).status_code == 302


def test_only_a_superuser_changes_a_superusers_employee_account(org: Org) -> None:
    account = org.users["supervisor"]
    User.objects.filter(pk=account.pk).update(is_superuser=True, is_staff=True)
    bkpsdm = client_for(org, "bkpsdm")
    url = reverse("organisation:employee_reset_password", args=[org.supervisor.pk])
    assert bkpsdm.post(url).status_code == 404
    role = reverse("organisation:employee_account_role", args=[org.supervisor.pk])
    assert bkpsdm.post(role, {"role": Role.PEGAWAI, "is_active": ""}).status_code == 404
    assert User.objects.get(pk=account.pk).is_active


def test_the_manageable_filter_agrees_with_the_single_check(org: Org, regional: Employee) -> None:
    from kinerja.organisation import access

    everyone = list(Employee.objects.select_related("unit"))
    for persona in ("admin_opd", "bkpsdm", "unit_head", "employee"):
        user = org.users[persona]
        filtered = set(
            Employee.objects.filter(access.manageable_employee_filter(user)).values_list(
                "pk", flat=True
            )
        )
        single = {e.pk for e in everyone if access.can_manage_employee(user, e)}
        assert filtered == single, persona
    admin = org.users["admin_opd"]
    assert access.can_manage_employee(admin, org.employee)
    assert not access.can_manage_employee(admin, regional)
