"""Finalising locks results and sends them to the employees (issue 10, item 12): it needs an
explicit confirmation checked on the server, and a second one when the period has not ended."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.assessment.models import Assessment
from kinerja.rules.periods import Period, Periodicity
from tests.conftest import Org, client_for

from .conftest import Q1, Team, rate, set_org

pytestmark = pytest.mark.django_db

Q4 = Period(2026, Periodicity.QUARTERLY, 4)  # the team fixture's today is 28 November 2026


def finalise(org: Org, period: Period, **data: str):  # type: ignore[no-untyped-def]
    url = reverse("assessment:team_finalise") + f"?periode={period.code}"
    return client_for(org, "supervisor").post(url, data)


def page(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(response.content.decode().split())


def test_finalising_without_the_confirmation_changes_nothing(org: Org, team: Team) -> None:
    set_org(org, "istimewa")
    rate(org, team.plans.employee, "di_atas", "sesuai")
    response = finalise(org, Q1)
    assert response.status_code == 200
    assert "Centang konfirmasi bahwa penilaian sudah Anda periksa." in page(response)
    assert not Assessment.objects.filter(status="final").exists()


def test_finalising_with_the_confirmation_locks_and_sends(org: Org, team: Team) -> None:
    set_org(org, "istimewa")
    rate(org, team.plans.employee, "di_atas", "sesuai")
    response = finalise(org, Q1, confirm="on")
    assert response.status_code == 302
    assert Assessment.objects.get(employee=org.employee).is_final


def test_the_team_page_asks_for_the_confirmation(org: Org, team: Team) -> None:
    set_org(org, "istimewa")
    rate(org, team.plans.employee, "di_atas", "sesuai")
    url = reverse("assessment:team") + f"?periode={Q1.code}"
    html = page(client_for(org, "supervisor").get(url))
    finalise_panel = html[html.index('id="finalise"') :]
    assert 'type="checkbox" name="confirm"' in finalise_panel
    assert 'name="early"' not in finalise_panel
    assert "belum berakhir" not in finalise_panel


def test_an_unfinished_period_is_warned_and_confirmed_twice(org: Org, team: Team) -> None:
    set_org(org, "istimewa", Q4)
    rate(org, team.plans.employee, "sesuai", "sesuai", period=Q4)
    url = reverse("assessment:team") + f"?periode={Q4.code}"
    html = page(client_for(org, "supervisor").get(url))
    finalise_panel = html[html.index('id="finalise"') :]
    assert "Triwulan IV-Akhir 2026 belum berakhir (berakhir 31 Desember 2026)." in finalise_panel
    assert 'type="checkbox" name="early"' in finalise_panel
    response = finalise(org, Q4, confirm="on")
    assert response.status_code == 200
    assert "Periode belum berakhir: centang pernyataan ini bila tetap memfinalkan." in page(
        response
    )
    assert not Assessment.objects.filter(status="final").exists()
    assert finalise(org, Q4, confirm="on", early="on").status_code == 302
    assert Assessment.objects.get(employee=org.employee, period=Q4.code).is_final
