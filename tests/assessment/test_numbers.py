"""One number format for the whole interface and every document (issue 10, item 8): the result
page and its PDF write every figure the Indonesian way — thousands with a dot, decimals with a
comma, the unit beside it — whatever language the page is shown in."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from kinerja.assessment import services
from kinerja.assessment.models import Assessment
from kinerja.core.numbers import format_number, format_percent, input_number
from kinerja.performance import services as perf
from tests.conftest import Org, client_for
from tests.performance.conftest import Plans

from .conftest import Q1, rate, set_org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("1787.5"), None, "1.787,5"),
        (Decimal("1787.50"), 2, "1.787,50"),
        ("98.9", None, "98,9"),
        (Decimal("1234567.125"), 2, "1.234.567,13"),
        (Decimal("-0.001"), 2, "0,00"),
        (Decimal("150.0000"), None, "150"),
        (3.125, 2, "3,13"),
        (None, None, "—"),
        ("", None, "—"),
        ("bukan angka", None, "bukan angka"),
        # Longer than the 28 digits of Decimal's default context: written out, not an error.
        (10**27, 2, "1" + ".000" * 9 + ",00"),
        ("1e30", None, "1" + ".000" * 10),
        (Decimal("0.5"), 30, "0," + "5" + "0" * 29),
        # Too many digits to write out: as Decimal writes it, not a page error.
        (Decimal("1E+1000000000"), 2, "1E+1000000000"),
    ],
)
def test_the_one_number_format(value, places, expected) -> None:  # type: ignore[no-untyped-def]
    assert format_number(value, places) == expected


def test_percent_and_input_forms() -> None:
    assert format_percent(Decimal("103.614"), 2) == "103,61%"
    assert format_percent("107.62", 2) == "107,62%"
    assert format_percent(None) == "—"
    assert format_percent(Decimal("1E+29"), 1) == "100" + ".000" * 9 + ",0%"
    assert input_number(Decimal("1234.50")) == "1234,5"


@pytest.fixture
def result(org: Org, employee_plan: Plans, time_machine) -> Assessment:  # type: ignore[no-untyped-def]
    """The nurse serves 1000.5 patients a month against 100 (capaian 1000.5%) and responds in
    8.5 of 10 minutes (115%): figures with thousands and decimals."""
    plan = employee_plan.employee
    assert plan is not None and employee_plan.patients and employee_plan.response_time
    for month in (1, 2, 3):
        perf.realisation_save_month(
            plan=plan,
            month=month,
            by=org.users["employee"],
            rows=[
                perf.RealisationInput(employee_plan.patients, Decimal("1000.5")),
                perf.RealisationInput(employee_plan.response_time, Decimal("8.5")),
            ],
        )
    time_machine.move_to("2026-11-28 09:00 +07:00")
    set_org(org, "istimewa")
    rate(org, plan, "di_atas", "sesuai")
    services.team_finalise(by=org.users["supervisor"], period=Q1)
    return Assessment.objects.get(employee=org.employee)


EXPECTED = ["3.001,5 pasien", "1.000,50%", "8,5 menit", "115,00%"]
ENGLISH_STYLE = ["3001.5", "3,001.5", "1000.50", "1,000.50", "8.5 menit", "115.00", "557.75"]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_result_page_writes_numbers_the_indonesian_way(
    org: Org, result: Assessment, language: str
) -> None:
    client = client_for(org, "employee")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("assessment:result", args=[result.pk])).content.decode()
    page = " ".join(page.split())
    for text in [*EXPECTED, "557,75%", "3,13"]:
        assert text in page, text
    for text in ENGLISH_STYLE:
        assert text not in page, text


def test_the_pdf_writes_numbers_the_indonesian_way(org: Org, result: Assessment) -> None:
    response = client_for(org, "employee").get(reverse("assessment:result_pdf", args=[result.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for expected in [*EXPECTED, "3,13"]:
        assert expected in text, expected
    for english in ENGLISH_STYLE:
        assert english not in text, english
