"""Finalising locks results and sends them to the employees (issue 10, item 12): it needs an
explicit confirmation checked on the server, and a second one when the period has not ended."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kinerja.assessment import services
from kinerja.assessment.models import Assessment, Finalisation, OrgAssessment
from kinerja.rules.periods import Period, Periodicity, parse_period
from tests.conftest import Org, client_for

from .conftest import ALL, Q1, Team, rate, set_org

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


@pytest.mark.parametrize("value", ["off", "0", "false", "no", " ", "ya tidak"])
def test_a_confirmation_sent_as_anything_but_a_tick_is_no_confirmation(
    org: Org, team: Team, value: str
) -> None:
    """Django reads every checkbox value but "false" as ticked: a hand-made request with
    confirm=off finalised. Only what a ticked box sends counts (kinerja.core.forms.Checkbox)."""
    set_org(org, "istimewa", Q4)
    rate(org, team.plans.employee, "sesuai", "sesuai", period=Q4)
    for data in ({"confirm": value, "early": "on"}, {"confirm": "on", "early": value}):
        response = finalise(org, Q4, **data)
        assert response.status_code == 200
        assert "Centang" in page(response) or "centang" in page(response)
    assert not Assessment.objects.filter(status="final").exists()
    assert finalise(org, Q4, confirm="ON", early="true").status_code == 302
    assert Assessment.objects.get(employee=org.employee, period=Q4.code).is_final


@pytest.mark.parametrize("code", ["2026-B12", "2026-S1", "2026-B01"])
def test_a_period_that_is_not_the_regencys_is_refused_on_every_write(
    org: Org, team: Team, code: str
) -> None:
    """A month or a semester parses as a period, but under quarterly assessment it is none of
    the regency's: rating, the organisation's predikat and finalising refuse it (a fuzzing
    pass finalised five results for "Desember 2026"), and nothing is written."""
    supervisor = client_for(org, "supervisor")
    rated = supervisor.post(
        reverse("assessment:assess", args=[team.plans.employee.pk]) + f"?periode={code}",
        {**{f"v_{v}": "sesuai" for v in ALL}, "hasil": "sesuai", "perilaku": "sesuai"},
        follow=True,
    )
    org_set = client_for(org, "pimpinan").post(
        reverse("assessment:org_set", args=[org.dinkes.pk]) + f"?periode={code}",
        {"predikat": "baik", "reason": "Ditetapkan"},
        follow=True,
    )
    finalised = supervisor.post(
        reverse("assessment:team_finalise") + f"?periode={code}",
        {"confirm": "on", "early": "on", "justification": "Sudah diperiksa bersama tim."},
        follow=True,
    )
    for response in (rated, org_set):
        assert response.status_code == 200
        assert "bukan periode penilaian yang berlaku" in page(response)
    assert finalised.status_code == 200
    with pytest.raises(ValidationError, match="bukan periode penilaian yang berlaku"):
        services.team_finalise(by=org.users["supervisor"], period=parse_period(code))
    assert not Assessment.objects.filter(period=code).exists()
    assert not OrgAssessment.objects.filter(period=code).exists()
    assert not Finalisation.objects.exists()
