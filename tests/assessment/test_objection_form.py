"""Filing an objection through the page, with attachments (issue 10, item 1): the files reach the
service and are stored; a wrong file gets a clear Indonesian message and nothing is filed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.assessment import services
from kinerja.assessment.models import Assessment, Objection
from tests.conftest import Org, client_for

from .conftest import Q1, Team, rate, set_org

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 50


@pytest.fixture
def shown(org: Org, team: Team) -> Assessment:
    set_org(org, "istimewa")
    rate(org, team.plans.employee, "di_atas", "sesuai")
    services.team_finalise(by=org.users["supervisor"], period=Q1)
    final = Assessment.objects.get(employee=org.employee)
    services.assessment_show(assessment=final, by=org.users["employee"])
    return final


REASONS = "Realisasi bulan Maret belum dihitung; bukti terlampir."


def test_the_attached_files_are_stored_with_the_objection(org: Org, shown: Assessment) -> None:
    response = client_for(org, "employee").post(
        reverse("assessment:objection_create", args=[shown.pk]),
        {
            "reasons": REASONS,
            "files": [
                SimpleUploadedFile("daftar-hadir.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("foto.png", PNG, content_type="image/png"),
            ],
        },
    )
    objection = Objection.objects.get(assessment=shown)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:objection_detail", args=[objection.pk])
    names = sorted(objection.attachments.values_list("original_name", flat=True))
    assert names == ["daftar-hadir.pdf", "foto.png"]
    assert objection.attachments.get(original_name="daftar-hadir.pdf").file.read() == PDF


def test_an_objection_without_files_is_still_accepted(org: Org, shown: Assessment) -> None:
    response = client_for(org, "employee").post(
        reverse("assessment:objection_create", args=[shown.pk]), {"reasons": REASONS}
    )
    assert response.status_code == 302
    assert Objection.objects.get(assessment=shown).attachments.count() == 0


def test_a_file_that_is_not_a_pdf_or_image_is_refused_clearly(org: Org, shown: Assessment) -> None:
    response = client_for(org, "employee").post(
        reverse("assessment:objection_create", args=[shown.pk]),
        {
            "reasons": REASONS,
            "files": [SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 program", "application/pdf")],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "bukan PDF, JPG, atau PNG" in page
    assert "pengaksaraan" not in page
    assert not Objection.objects.exists()


def test_asking_for_explanations_twice_is_refused_with_a_message(
    org: Org, shown: Assessment
) -> None:
    """A double click (or a second tab) on "ask for explanations": the second request is
    refused with the service's message, not a server error."""
    objection = services.objection_submit(
        assessment=shown, by=org.users["employee"], reasons=REASONS
    )
    decider = client_for(org, "unit_head")
    url = reverse("assessment:objection_detail", args=[objection.pk])
    assert decider.post(url, {"action": "request"}).status_code == 302
    again = decider.post(url, {"action": "request"}, follow=True)
    assert again.status_code == 200
    assert [m.level_tag for m in again.context["messages"]][-1] == "error"
    assert objection.explanations.count() == 2  # the first request's, not doubled
