"""Evidence on the month grid (issue 10, item 12): until a month's value is saved there is nothing
to attach evidence to, and the page says so beside each indicator instead of staying empty."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.performance import services
from tests.conftest import Org, client_for

from .conftest import Plans

pytestmark = pytest.mark.django_db

HINT = "Nilai realisasi Juni belum disimpan"


def grid(org: Org, persona: str, plans: Plans) -> str:
    assert plans.employee is not None
    url = reverse("performance:realisation_grid", args=[plans.employee.pk, 6])
    return " ".join(client_for(org, persona).get(url).content.decode().split())


def test_the_owner_is_told_to_save_values_before_attaching_evidence(
    org: Org, employee_plan: Plans
) -> None:
    page = grid(org, "employee", employee_plan)
    evidence = page[page.index('id="bukti"') :]
    assert evidence.count(HINT) == 2  # one per indicator
    assert "setelah itu bukti dukung dapat diunggah di sini" in evidence
    assert 'name="file"' not in evidence


def test_once_saved_the_upload_form_replaces_the_hint(org: Org, employee_plan: Plans) -> None:
    assert employee_plan.employee and employee_plan.patients and employee_plan.response_time
    services.realisation_save_month(
        plan=employee_plan.employee,
        month=6,
        by=org.users["employee"],
        rows=[services.RealisationInput(employee_plan.patients, Decimal(100))],
    )
    page = grid(org, "employee", employee_plan)
    evidence = page[page.index('id="bukti"') :]
    assert evidence.count(HINT) == 1  # only the response time is still unsaved
    assert evidence.count('name="file"') == 1


def test_the_supervisor_gets_no_upload_hint(org: Org, employee_plan: Plans) -> None:
    assert HINT not in grid(org, "supervisor", employee_plan)
