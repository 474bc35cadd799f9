"""Calibration acts on what it finds (issue 10, item 5): BKPSDM sees which units were finalised
with a curve violation and their justification, and returns an assessor's results to the
assessor with a note — the results become drafts, the assessor is notified, and the assessor
re-rates and finalises again. The regent's office and the inspectorate only read."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from kinerja.assessment import services
from kinerja.assessment.models import Assessment, Finalisation
from kinerja.core.models import AuditLog, Notification
from tests.conftest import Org, client_for

from .conftest import Q1, Team, rate, set_org

pytestmark = pytest.mark.django_db

JUSTIFICATION = "Dua pegawai saja; keduanya memenuhi target triwulan ini."
NOTE = "Sebaran Baik 100% melanggar kurva; tinjau kembali rating Dewi Lestari (capaian 66,67%)."
Q = f"?periode={Q1.code}"


@pytest.fixture
def finalised(org: Org, team: Team) -> Finalisation:
    """The supervisor rates both Baik against a Baik organisation (Baik at most 70%, at least
    one Butuh Perbaikan or Kurang): a violation, finalised with a justification; the nurse has
    seen her result."""
    set_org(org, "baik")
    rate(org, team.plans.employee, "di_atas", "sesuai")
    rate(org, team.peer_plan, "sesuai", "sesuai", hasil_reason="Kondisi lapangan berat.")
    with TestCase.captureOnCommitCallbacks(execute=True):
        [finalisation] = services.team_finalise(
            by=org.users["supervisor"], period=Q1, justification=JUSTIFICATION
        )
    nurse = Assessment.objects.get(employee=org.employee)
    services.assessment_show(assessment=nurse, by=org.users["employee"])
    return finalisation


def html(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(response.content.decode().split())


def test_the_regency_view_points_to_units_finalised_with_a_violation(
    org: Org, finalised: Finalisation
) -> None:
    page = html(client_for(org, "pimpinan").get(reverse("assessment:calibration") + Q))
    row = page[page.index("Dinas Kesehatan</a>") :]
    row = row[: row.index("</tr>")]
    assert "1 finalisasi dengan pelanggaran: justifikasi dan tindak lanjut" in row
    assert f"/penilaian/kalibrasi/opd/{org.dinkes.pk}/{Q}#finalisasi" in row
    assert JUSTIFICATION in page


def test_the_opd_page_shows_the_justification_and_the_action_to_bkpsdm_only(
    org: Org, finalised: Finalisation
) -> None:
    url = reverse("assessment:calibration_opd", args=[org.dinkes.pk]) + Q
    action = reverse("assessment:calibration_return", args=[finalised.pk])
    for persona, can_act in (("bkpsdm", True), ("pimpinan", False), ("inspektorat", False)):
        page = html(client_for(org, persona).get(url))
        section = page[page.index('id="finalisasi"') :]
        assert "final dengan pelanggaran kurva" in section
        assert JUSTIFICATION in section and "Baik paling banyak 70%" in section
        assert (action in section) is can_act, persona


def test_bkpsdm_returns_the_results_to_the_assessor_with_a_note(
    org: Org, finalised: Finalisation
) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(org, "bkpsdm").post(
            reverse("assessment:calibration_return", args=[finalised.pk]), {"note": NOTE}
        )
    assert response.status_code == 302
    assert response["Location"].endswith(f"{Q}#finalisasi")
    rows = Assessment.objects.filter(period=Q1.code)
    assert {a.status for a in rows} == {"draf"}
    assert all(a.code is None and a.finalisation_id is None and a.shown_at is None for a in rows)
    finalised.refresh_from_db()
    assert finalised.is_returned and finalised.return_note == NOTE
    assert finalised.returned_by == org.users["bkpsdm"]
    note = Notification.objects.get(recipient=org.users["supervisor"], message__contains="BKPSDM")
    assert NOTE[:100] in note.message and note.url == reverse("assessment:team") + Q
    assert Notification.objects.filter(
        recipient=org.users["employee"], message__contains="ditarik kembali untuk kalibrasi"
    ).exists()
    assert AuditLog.objects.filter(object_type="assessment.finalisation", note=NOTE).exists()
    assert AuditLog.objects.filter(object_type="assessment.assessment").count() >= 4
    # The nurse no longer sees a result that is a draft again.
    nurse = rows.get(employee=org.employee)
    assert (
        client_for(org, "employee").get(reverse("assessment:result", args=[nurse.pk])).status_code
        == 404
    )


def test_the_assessor_reads_the_note_rerates_and_finalises_again(
    org: Org, team: Team, finalised: Finalisation
) -> None:
    services.assessment_return_for_calibration(
        finalisation=finalised, by=org.users["bkpsdm"], note=NOTE
    )
    team_url = reverse("assessment:team") + Q
    page = html(client_for(org, "supervisor").get(team_url))
    assert "BKPSDM mengembalikan hasil penilaian Anda (Dinas Kesehatan) untuk kalibrasi" in page
    assert NOTE in page
    rate(org, team.peer_plan, "di_bawah", "sesuai")  # the suggestion, after all
    response = client_for(org, "supervisor").post(
        reverse("assessment:team_finalise") + Q, {"confirm": "on"}
    )
    assert response.status_code == 302
    assert set(Assessment.objects.values_list("status", flat=True)) == {"final"}
    assert NOTE not in html(client_for(org, "supervisor").get(team_url))


@pytest.mark.parametrize("persona", ["pimpinan", "inspektorat", "supervisor", "unit_head"])
def test_only_bkpsdm_may_return(org: Org, finalised: Finalisation, persona: str) -> None:
    response = client_for(org, persona).post(
        reverse("assessment:calibration_return", args=[finalised.pk]), {"note": NOTE}
    )
    assert response.status_code == 404
    with pytest.raises(ValidationError, match="Hanya BKPSDM"):
        services.assessment_return_for_calibration(
            finalisation=finalised, by=org.users[persona], note=NOTE
        )
    assert not Assessment.objects.filter(status="draf").exists()


def test_a_return_needs_a_note_and_happens_once(org: Org, finalised: Finalisation) -> None:
    url = reverse("assessment:calibration_return", args=[finalised.pk])
    client = client_for(org, "bkpsdm")
    client.post(url, {"note": ""})
    assert not Assessment.objects.filter(status="draf").exists()
    with pytest.raises(ValidationError, match="catatan kalibrasi"):
        services.assessment_return_for_calibration(
            finalisation=finalised, by=org.users["bkpsdm"], note="singkat"
        )
    services.assessment_return_for_calibration(
        finalisation=finalised, by=org.users["bkpsdm"], note=NOTE
    )
    with pytest.raises(ValidationError, match="sudah dikembalikan"):
        services.assessment_return_for_calibration(
            finalisation=finalised, by=org.users["bkpsdm"], note=NOTE
        )


def test_a_result_under_objection_stays_final(org: Org, finalised: Finalisation) -> None:
    nurse = Assessment.objects.get(employee=org.employee)
    services.objection_submit(
        assessment=nurse, by=org.users["employee"], reasons="Realisasi Maret belum dihitung."
    )
    returned = services.assessment_return_for_calibration(
        finalisation=finalised, by=org.users["bkpsdm"], note=NOTE
    )
    assert [a.employee for a in returned] == [org.peer]
    nurse.refresh_from_db()
    assert nurse.is_final and nurse.code


def test_a_superuser_may_return_too(org: Org, finalised: Finalisation) -> None:
    from tests.factories import make_user

    root = make_user(username="root", is_superuser=True)
    returned = services.assessment_return_for_calibration(
        finalisation=finalised, by=root, note=NOTE
    )
    assert len(returned) == 2
