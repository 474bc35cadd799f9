"""Competency fills monitoring's JP places: "Kinerja saya", the team board's JP column and the
regency dashboard's compliance slot (through the figures seam and kinerja.competency)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.competency import services
from kinerja.core import figures
from tests.conftest import Org, client_for

from .conftest import make_programme, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(org: Org) -> int:
    session = make_session(org, make_programme(org))
    admin = org.users["bkpsdm"]
    enrolment = services.enrolment_create(session=session, employee=org.employee, by=admin)
    services.attendance_sheet_save(session=session, by=admin, present={enrolment.pk: session.days})
    services.session_close(session=session, by=admin)
    return session.ends_on.year


def test_kinerja_saya_shows_the_jp_of_the_year(org: Org, completed: int) -> None:
    page = client_for(org, "employee").get(
        reverse("monitoring:my_performance") + f"?tahun={completed}"
    )
    body = page.content.decode()
    assert "8,00" in body and "Kekurangan: 12,00 JP" in body
    assert reverse("competency:my_learning") in body


def test_the_team_board_has_a_jp_column(org: Org, completed: int) -> None:
    page = client_for(org, "supervisor").get(
        reverse("monitoring:team_board") + f"?tahun={completed}"
    )
    body = page.content.decode()
    assert "JP tahun ini" in body
    assert reverse("competency:person_jp", args=[org.employee.pk]) in body
    assert "−12,00" in body


def test_the_regency_dashboard_shows_compliance_per_opd(org: Org, completed: int) -> None:
    page = client_for(org, "pimpinan").get(
        reverse("monitoring:regency_dashboard") + f"?tahun={completed}"
    )
    body = page.content.decode()
    assert "pegawai memenuhi 20 JP" in body
    assert f"{reverse('competency:compliance')}?opd={org.dinkes.pk}" in body


def test_without_the_provider_the_figures_are_unknown(org: Org) -> None:
    provider = figures._providers["competency.jp"]
    figures.unregister("competency.jp")
    try:
        assert figures.value("competency.jp", employee_ids=[org.employee.pk], year=2026) is None
        page = client_for(org, "employee").get(reverse("monitoring:my_performance"))
        assert "Belum tersedia" in page.content.decode()
    finally:
        figures.register("competency.jp", provider)


def test_the_profile_loads_the_jp_card(org: Org, completed: int) -> None:
    client = client_for(org, "supervisor")
    page = client.get(reverse("organisation:employee_detail", args=[org.employee.pk]))
    assert reverse("competency:person_jp_card", args=[org.employee.pk]) in page.content.decode()
    card = client.get(reverse("competency:person_jp_card", args=[org.employee.pk])).content
    assert completed  # the session ended today: this year's card shows it
    assert "8,00" in card.decode() and "kekurangan 12,00 JP" in card.decode()
