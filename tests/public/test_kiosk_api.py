"""Counter tablets: device tokens (issue, revoke, 401) and the kiosk API's refusals, after which
nothing is stored."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings

from kinerja.core.models import AuditLog
from kinerja.public import services
from kinerja.public.models import KioskDevice, SurveyDay, SurveyResponse
from kinerja.public.protection import token_hash

pytestmark = pytest.mark.django_db

URL = "/api/v1/public/surveys/{code}/responses"
GOOD = {"answers": [4, 3, 3, 2, 4, 4, 3, 3, 4]}


def post(token: str | None, body, code: str = "PKM01-UMUM", raw: bool = False):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return Client().post(
        URL.format(code=code),
        body if raw else json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


@pytest.fixture
def token(pub) -> str:  # type: ignore[no-untyped-def]
    _device, value = services.device_issue(service=pub.pkm, name="Tablet Loket 1", by=None)
    return value


def test_it_stores_a_questionnaire_from_a_device_and_records_the_device(pub, token) -> None:  # type: ignore[no-untyped-def]
    body = {
        **GOOD,
        "profile": {"sex": "P", "age": 41, "education": "D4/S1", "occupation": "Swasta"},
        "suggestion": "Ruang tunggu panas.",
    }
    response = post(token, body)
    assert response.status_code == 201, response.content
    assert response.json()["service"] == "PKM01-UMUM"
    stored = SurveyResponse.objects.get()
    assert stored.answers == GOOD["answers"]
    assert (stored.sex, stored.age, stored.education, stored.occupation) == (
        "P",
        41,
        "d4s1",
        "swasta",
    )
    assert stored.channel == "kiosk"
    assert stored.device == KioskDevice.objects.get()
    assert stored.ip_hash == "" and stored.browser_hash == ""
    assert SurveyDay.objects.get().respondents == 1


def test_only_the_hash_of_a_token_is_stored_and_issuing_is_audited(pub, token) -> None:  # type: ignore[no-untyped-def]
    device = KioskDevice.objects.get()
    assert device.token_hash == token_hash(token) and token not in device.token_hash
    assert device.token_hint == token[-4:]
    assert len(token) > 40
    assert AuditLog.objects.filter(object_type="public.kioskdevice", action="create").count() == 1


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        (None, "Token perangkat diperlukan"),
        ("Bearer", "Token perangkat diperlukan"),
        ("Basic abc", "Token perangkat diperlukan"),
        ("Bearer kios_salah", "tidak dikenal"),
    ],
)
def test_it_answers_401_without_a_valid_token(pub, token, header, detail) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": header} if header else {}
    response = Client().post(
        URL.format(code="PKM01-UMUM"),
        json.dumps(GOOD),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 401
    assert detail in response.json()["detail"]
    assert SurveyResponse.objects.count() == 0


def test_a_revoked_token_answers_401(pub, token, org) -> None:  # type: ignore[no-untyped-def]
    assert post(token, GOOD).status_code == 201
    services.device_revoke(device=KioskDevice.objects.get(), by=org.users["admin_opd"])
    response = post(token, GOOD)
    assert response.status_code == 401
    assert "dicabut" in response.json()["detail"]
    assert SurveyResponse.objects.count() == 1
    assert AuditLog.objects.filter(object_type="public.kioskdevice", action="update").exists()


def test_a_token_works_only_for_its_own_service(pub, token) -> None:  # type: ignore[no-untyped-def]
    response = post(token, GOOD, code="DISDIK-PPDB")
    assert response.status_code == 401
    assert "tidak berlaku" in response.json()["detail"]
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("{not json", "bukan JSON"),
        ("[1, 2, 3]", "objek JSON"),
        ("{}", "answers"),
        ({"answers": [4, 3, 3, 2, 4, 4, 3, 3]}, "9 nilai"),
        ({"answers": [4, 3, 3, 2, 4, 4, 3, 3, 5]}, "U9"),
        ({"answers": [0, 3, 3, 2, 4, 4, 3, 3, 4]}, "U1"),
        ({"answers": ["4", 3, 3, 2, 4, 4, 3, 3, 4]}, "U1"),
        ({"answers": [True, 3, 3, 2, 4, 4, 3, 3, 4]}, "U1"),
        ({"answers": [4, 3, None, 2, 4, 4, 3, 3, 4]}, "U3"),
        ({"answers": [4.0, 3, 3, 2, 4, 4, 3, 3, 4]}, "U1"),
        ({"answers": "444333222"}, "9 nilai"),
        ({**GOOD, "profile": {"sex": "X"}}, "L atau P"),
        ({**GOOD, "profile": {"age": 7}}, "Usia"),
        ({**GOOD, "profile": {"education": "TK"}}, "Pendidikan"),
        ({**GOOD, "profile": {"hobby": "catur"}}, "tidak dikenal"),
        ({**GOOD, "profile": "P"}, "objek"),
        ({**GOOD, "extra": 1}, "Kunci tidak dikenal"),
        ({**GOOD, "suggestion": 5}, "teks"),
        ({**GOOD, "suggestion": "x" * 1001}, "1000"),
    ],
)
def test_bad_input_answers_400_with_a_reason_and_stores_nothing(pub, token, body, detail) -> None:  # type: ignore[no-untyped-def]
    response = post(token, body, raw=isinstance(body, str))
    assert response.status_code == 400, response.content
    assert detail in response.json()["detail"]
    assert SurveyResponse.objects.count() == 0
    assert SurveyDay.objects.count() == 0


def test_a_closed_service_refuses_questionnaires(pub, token) -> None:  # type: ignore[no-untyped-def]
    services.service_update(service=pub.pkm, by=None, is_active=False)
    response = post(token, GOOD)
    assert response.status_code == 400
    assert "ditutup" in response.json()["detail"]


@override_settings(PUBLIC_SURVEY_RATE_LIMIT="1/3600")
def test_kiosk_submissions_skip_the_per_ip_limit(pub, token) -> None:  # type: ignore[no-untyped-def]
    assert [post(token, GOOD).status_code for _ in range(4)] == [201] * 4


def test_the_command_prints_a_token_and_lists_the_codes(pub) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("kiosk_token", "--list", stdout=out)
    assert "PKM01-UMUM" in out.getvalue() and "DISDIK-PPDB" in out.getvalue()
    out = io.StringIO()
    call_command("kiosk_token", "pkm01-umum", stdout=out)
    token = out.getvalue().strip()
    assert post(token, GOOD).status_code == 201
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("kiosk_token", "NOPE")


def test_the_unit_admin_issues_and_revokes_a_token_on_the_service_page(pub, clients) -> None:  # type: ignore[no-untyped-def]
    client = clients["admin_opd"]
    response = client.post("/layanan-publik/layanan/PKM01-UMUM/kios/", {"name": "Tablet Loket 2"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = response.context["token"]
    assert token in response.content.decode()
    assert post(token, GOOD).status_code == 201
    device = KioskDevice.objects.get(name="Tablet Loket 2")
    page = client.get("/layanan-publik/layanan/PKM01-UMUM/").content.decode()
    assert "Tablet Loket 2" in page and token not in page
    assert client.post(f"/layanan-publik/kios/{device.pk}/cabut/").status_code == 302
    assert post(token, GOOD).status_code == 401
    # A reader may not revoke, and another OPD's admin does not even see it.
    assert clients["supervisor"].post(f"/layanan-publik/kios/{device.pk}/cabut/").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        '{"answers": [4, 3, 3, 2, 4, 4, 3, 3, 4], "suggestion": "\\ud800"}',  # half a character
        '{"answers": [4, 3, 3, 2, 4, 4, 3, 3, 4], "suggestion": "a\\udfffb"}',
        '{"answers": [4, 3, 3, 2, 4, 4, 3, 3, 4], "\\ud800": 1}',  # in a key (its message)
        '{"answers": [4, 3, 3, 2, 4, 4, 3, 3, 4], "profile": {"age": "' + "9" * 5000 + '"}}',
        '{"answers": [4, 3, 3, 2, 4, 4, 3, 3, 4], "profile": {"age": "٣٠"}}',
    ],
)
def test_text_no_database_can_hold_and_numbers_too_long_are_refused(pub, token, body) -> None:  # type: ignore[no-untyped-def]
    """Found by fuzzing: a lone surrogate reached the INSERT, and a 5,000-digit age int()."""
    response = post(token, body, raw=True)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["detail"]
    assert not SurveyResponse.objects.exists()


def test_a_whole_character_written_as_a_surrogate_pair_is_stored(pub, token) -> None:  # type: ignore[no-untyped-def]
    body = '{"answers": [4, 3, 3, 2, 4, 4, 3, 3, 4], "suggestion": "Bagus \\ud83d\\ude00"}'
    assert post(token, body, raw=True).status_code == 201
    assert SurveyResponse.objects.get().suggestion == "Bagus \U0001f600"
