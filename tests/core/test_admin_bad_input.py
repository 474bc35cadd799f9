"""Django's admin with bad input (a fuzzing pass as the superuser): what Django's own admin
answered with a server error is refused with 400, and the project's admin forms refuse what
their services would refuse, with the form's message instead of a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from kinerja.organisation.models import Unit, User
from kinerja.public.models import SurveyQuestion
from kinerja.public.survey import services as survey_services
from tests.conftest import Org
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(org: Org) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(make_user(username="superadmin", is_staff=True, is_superuser=True))
    return client


def unit_form(unit: Unit, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "sector": unit.sector,
        "parent": unit.parent_id or "",
        "serves_public": "on" if unit.serves_public else "",
        "address": unit.address,
        "is_active": "on",
        "_save": "1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.parametrize(
    "url",
    [
        "/admin/organisation/unit/?q=" + "+".join(["a"] * 60),
        "/admin/performance/plan/?year__in=" + "9" * 30,
        "/admin/axes/accessattempt/?attempt_time__gte=0001-01-01",
        "/admin/axes/accessattempt/?attempt_time__lt=9999-12-31",
    ],
)
def test_a_changelist_query_django_cannot_read_is_a_400(admin_client: Client, url: str) -> None:
    response = admin_client.get(url)
    assert response.status_code == 400
    assert response.content.decode().strip()


@pytest.mark.parametrize(
    "path, data",
    [
        ("/admin/auth/group/add/", {"name": "Grup", "permissions": "9" * 30}),
        ("/admin/auth/group/", {"action": "delete_selected", "_selected_action": "9" * 30}),
        ("/admin/public/forumparticipant/", {"action": "erase", "_selected_action": "abc"}),
    ],
)
def test_a_form_or_action_with_a_value_that_is_no_id_is_a_400(
    admin_client: Client, path: str, data: dict[str, str]
) -> None:
    from django.contrib.auth.models import Group

    assert admin_client.post(path, data).status_code == 400
    assert not Group.objects.exists()


def test_an_ordinary_search_and_filter_still_work(admin_client: Client, org: Org) -> None:
    found = admin_client.get("/admin/organisation/unit/?q=DINKES")
    assert found.status_code == 200 and "Dinas Kesehatan" in found.content.decode()
    assert admin_client.get("/admin/performance/plan/?year__in=2026").status_code == 200


def test_a_unit_moved_under_its_own_sub_unit_is_refused_by_the_form(
    admin_client: Client, org: Org
) -> None:
    before = Unit.objects.get(pk=org.dinkes.pk)
    response = admin_client.post(
        f"/admin/organisation/unit/{org.dinkes.pk}/change/",
        unit_form(org.dinkes, parent=org.puskesmas.pk, kind="bidang"),
    )
    assert response.status_code == 200
    assert "salah satu sub-unitnya" in response.content.decode()
    after = Unit.objects.get(pk=org.dinkes.pk)
    assert (after.parent_id, after.path, after.kind) == (None, before.path, before.kind)


@pytest.mark.parametrize("parent", ["abc", "1,5", "\u200b", "9" * 17])
def test_a_parent_that_is_no_unit_is_a_form_error_not_a_500(
    admin_client: Client, org: Org, parent: str
) -> None:
    response = admin_client.post(
        f"/admin/organisation/unit/{org.puskesmas.pk}/change/",
        unit_form(org.puskesmas, parent=parent),
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert Unit.objects.get(pk=org.puskesmas.pk).parent_id == org.dinkes.pk


@pytest.mark.parametrize(
    "code, message",
    [("PKM 01", "tidak valid"), ("dinkes", "hanya berbeda huruf besar/kecil dari unit terdaftar")],
)
def test_a_bad_unit_code_is_refused_by_the_form(
    admin_client: Client, org: Org, code: str, message: str
) -> None:
    response = admin_client.post(
        f"/admin/organisation/unit/{org.puskesmas.pk}/change/",
        unit_form(org.puskesmas, code=code),
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert Unit.objects.get(pk=org.puskesmas.pk).code == "DINKES-PKM-01"


def test_an_opd_admin_manages_an_opd_not_a_sub_unit(admin_client: Client, org: Org) -> None:
    account = User.objects.get(pk=org.users["employee"].pk)
    page = admin_client.get(f"/admin/organisation/user/{account.pk}/change/").content.decode()
    assert f'value="{org.dinkes.pk}"' in page
    assert f'value="{org.puskesmas.pk}"' not in page
    response = admin_client.post(
        f"/admin/organisation/user/{account.pk}/change/",
        {
            "display_name": account.display_name,
            "email": account.email,
            "role": "admin_opd",
            "managed_opd": org.puskesmas.pk,
            "is_active": "on",
            "_save": "1",
        },
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert User.objects.get(pk=account.pk).managed_opd_id is None


def test_a_survey_questions_code_cannot_be_typed_over(admin_client: Client, org: Org) -> None:
    row = survey_services.question_update(
        code="U1", question="Persyaratan?", labels=["a", "b", "c", "d"], by=None
    )
    response = admin_client.post(
        f"/admin/public/surveyquestion/{row.pk}/change/",
        {
            "code": "U2",
            "question": "Persyaratan pelayanan?",
            "label_1": "a",
            "label_2": "b",
            "label_3": "c",
            "label_4": "d",
            "_save": "1",
        },
    )
    assert response.status_code == 302
    assert list(SurveyQuestion.objects.values_list("code", "question")) == [
        ("U1", "Persyaratan pelayanan?")
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/organisation/unit/?q=1-02-03",
        "/admin/organisation/unit/?q=24-12-25",
        "/admin/core/auditlog/?q=1234567890123456789",
        "/admin/autocomplete/?term=1-02-03&app_label=organisation"
        "&model_name=unit&field_name=parent",
    ],
)
def test_text_a_person_types_is_not_judged(admin_client: Client, url: str) -> None:
    """A search for a code shaped like a date, or for a long number, is a search."""
    assert admin_client.get(url).status_code == 200


def test_a_long_numeric_password_can_be_set(admin_client: Client) -> None:
    password = "1234567890123456789012"
    response = admin_client.post(
        "/admin/password_change/",
        {"old_password": "x", "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200  # the form's own answer (the old password is wrong)


def test_the_refusal_is_plain_text(admin_client: Client) -> None:
    response = admin_client.get("/admin/organisation/unit/?<b>x</b>=" + "9" * 30)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
