"""A role account is not a person (issue 10, item 14): the Pimpinan's home said "Selamat
datang, Kantor Bupati Bukitintan" and offered "hasil saya" to an account with no results."""

from __future__ import annotations

import pytest

from tests.conftest import Org, client_for

pytestmark = pytest.mark.django_db


def test_the_regent_s_office_is_welcomed_without_being_called_by_the_office_s_name(
    org: Org,
) -> None:
    user = org.users["pimpinan"]
    user.display_name = "Kantor Bupati Bukitintan"
    user.save()
    html = client_for(org, "pimpinan").get("/").content.decode()
    assert "Selamat datang, Kantor Bupati" not in html
    assert "<h1>Selamat datang</h1>" in html
    assert "akun Kantor Bupati Bukitintan" in html  # still says which account this is
    assert "hasil saya" not in html
    assert "Penilaian kinerja: predikat organisasi, keberatan" in html


def test_a_role_account_s_assessment_page_offers_no_results_of_its_own(org: Org) -> None:
    html = client_for(org, "pimpinan").get("/penilaian/").content.decode()
    assert "Hasil penilaian saya" not in html and "Menilai tim saya" not in html
    assert "Predikat organisasi" in html


def test_an_employee_is_still_welcomed_by_name_and_offered_their_results(org: Org) -> None:
    html = client_for(org, "employee").get("/").content.decode()
    assert "Selamat datang, Siti Rahmawati" in html
    assert "Penilaian kinerja: hasil saya, menilai tim, keberatan" in html
    page = client_for(org, "employee").get("/penilaian/").content.decode()
    assert "Hasil penilaian saya" in page
