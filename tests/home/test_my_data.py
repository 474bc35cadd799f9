"""Each person downloads their own data (UU 27/2022 Pasal 7): /akun/data-saya/ lists what is
held and gives it as one JSON file, with only their rows, no secrets, and an audit entry."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from kinerja.core.models import AuditLog
from kinerja.organisation.tokens import token_create
from tests.conftest import PASSWORD, Org, client_for
from tests.monitoring.conftest import Monitored, monitored  # noqa: F401 (fixture)
from tests.performance.conftest import employee_plan, plans  # noqa: F401 (fixtures)

URL = "/akun/data-saya/"


def _download(org: Org, persona: str) -> tuple[dict, str]:  # type: ignore[type-arg]
    response = client_for(org, persona).post(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="data-saya-')
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    return json.loads(text), text


def test_the_url_is_the_one_the_issue_names() -> None:
    assert reverse("home:my_data") == URL


def test_an_employee_gets_their_plans_realisations_and_profile(
    org: Org,
    monitored: Monitored,  # noqa: F811
) -> None:
    token_create(user=org.users["employee"], name="skrip laporan", scopes=["read"])
    login = Client().post(
        "/login/", {"username": org.users["employee"].username, "password": PASSWORD}
    )
    assert login.status_code == 302  # a real login: its audit entry is about the account
    data, _text = _download(org, "employee")
    assert data["akun"]["username"] == org.users["employee"].username
    assert data["pegawai"]["nip"] == org.employee.nip
    plan = monitored.plans.employee
    assert plan is not None
    assert [p["id"] for p in data["skp"]] == [plan.pk]
    assert {i["name"] for i in data["indikator"]} == set(
        plan.rhks.values_list("indicators__name", flat=True)
    )
    assert len(data["realisasi"]) == 10  # January to May, two indicators
    assert data["token_api"][0]["name"] == "skrip laporan"
    assert {"log_audit_tentang_saya", "notifikasi", "penilaian", "tpp", "pelatihan"} <= set(data)
    assert any(e["action"] == "login" for e in data["log_audit_tentang_saya"])


def test_another_person_s_data_never_appears(
    org: Org,
    monitored: Monitored,  # noqa: F811
) -> None:
    """The peer has the same supervisor and a plan of their own; the employee of another OPD
    has nothing to do with the nurse. Neither shows in the nurse's file, nor the nurse in
    theirs."""
    peer_indicator = monitored.peer_indicator.name
    _data, text = _download(org, "employee")
    for foreign in (
        peer_indicator,
        org.peer.nip,
        org.peer.full_name,
        org.other_employee.nip,
        org.other_employee.full_name,
    ):
        assert foreign not in text, foreign
    assert org.employee.nip in text

    _data, text = _download(org, "other")
    assert org.employee.nip not in text and org.employee.full_name not in text
    assert "skp" in _data and _data["skp"] == []


def test_no_secret_is_written(org: Org, monitored: Monitored) -> None:  # noqa: F811
    _row, plain = token_create(user=org.users["employee"], name="rahasia", scopes=["read"])
    data, text = _download(org, "employee")
    user = org.users["employee"]
    user.refresh_from_db()
    assert user.password not in text and "password" not in data["akun"]
    assert plain not in text and "digest" not in data["token_api"][0]
    assert "ip_address" not in data["log_audit_tentang_saya"][0]


def test_an_account_without_an_employee_record_gets_its_account_data(org: Org) -> None:
    data, _text = _download(org, "admin_opd")
    assert data["akun"]["username"] == org.users["admin_opd"].username
    assert "pegawai" not in data and "skp" not in data


def test_the_download_is_audited_and_the_page_lists_the_sections(
    org: Org,
    monitored: Monitored,  # noqa: F811
) -> None:
    client = client_for(org, "employee")
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Unduh data saya" in html and "Realisasi" in html and "UU 27/2022" in html
    client.post(URL)
    entry = AuditLog.objects.filter(actor=org.users["employee"], action="export").latest("at")
    assert entry.note.startswith("Unduh data pribadi")


def test_anonymous_visitors_are_sent_to_login(client, db) -> None:  # type: ignore[no-untyped-def]
    assert client.post(URL).status_code == 302
    assert client.get(URL)["Location"].startswith("/login/")
