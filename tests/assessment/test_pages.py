"""Every assessment URL × every persona, the named-URL coverage, the pages' content, the PDF and
its verification page, the XLSX recap, and query counts that do not grow with rows."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.assessment import services
from kinerja.assessment.models import Assessment, Objection
from tests.access import READERS, Route, by_persona, check_persona, expect, uncovered
from tests.conftest import PERSONAS, Org, client_for

from .conftest import Q1, Team, rate, set_org

pytestmark = pytest.mark.django_db


@dataclass
class World:
    org: Org
    team: Team
    final: Assessment
    objection: Objection


@pytest.fixture
def world(org: Org, team: Team) -> World:
    set_org(org, "baik")
    rate(org, team.plans.employee, "di_atas", "sesuai")
    rate(org, team.peer_plan, "di_bawah", "sesuai")
    services.team_finalise(by=org.users["supervisor"], period=Q1)
    final = Assessment.objects.get(employee=org.employee)
    services.assessment_show(assessment=final, by=org.users["employee"])
    objection = services.objection_submit(
        assessment=final,
        by=org.users["employee"],
        reasons="Realisasi Maret belum dihitung lengkap.",
        files=[("bukti.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    return World(org, team, final, objection)


SEES_NURSE = {"employee": 200, "supervisor": 200, "unit_head": 200, "admin_opd": 200, **READERS}
Q = f"?periode={Q1.code}"


ROUTES = [
    Route(
        "assessment:home", "assessment:home", lambda o, w: reverse("assessment:home"), expect(200)
    ),
    Route(
        "assessment:team",
        "assessment:team",
        lambda o, w: reverse("assessment:team") + Q,
        expect(200),
    ),
    Route(
        "assessment:team_finalise",
        "assessment:team_finalise",
        lambda o, w: reverse("assessment:team_finalise") + Q,
        expect(200),
        "post",
    ),
    Route(
        "assessment:assess",
        "assessment:assess",
        lambda o, w: reverse("assessment:assess", args=[w.team.plans.employee.pk]) + Q,
        expect(404, supervisor=200),
    ),
    Route(
        "assessment:org_list",
        "assessment:org_list",
        lambda o, w: reverse("assessment:org_list") + Q,
        expect(200),
    ),
    Route(
        "assessment:org_set",
        "assessment:org_set",
        lambda o, w: reverse("assessment:org_set", args=[w.org.dinkes.pk]) + Q,
        expect(404, pimpinan=302),
        "post",
    ),
    Route(
        "assessment:result",
        "assessment:result",
        lambda o, w: reverse("assessment:result", args=[w.final.pk]),
        expect(404, **SEES_NURSE),
    ),
    Route(
        "assessment:acknowledge",
        "assessment:acknowledge",
        lambda o, w: reverse("assessment:acknowledge", args=[w.final.pk]),
        expect(404, employee=302),
        "post",
    ),
    Route(
        "assessment:result_pdf",
        "assessment:result_pdf",
        lambda o, w: reverse("assessment:result_pdf", args=[w.final.pk]),
        expect(404, **SEES_NURSE),
    ),
    Route(
        "assessment:objection_create",
        "assessment:objection_create",
        lambda o, w: reverse("assessment:objection_create", args=[w.final.pk]),
        expect(404, employee=302),
    ),
    Route(
        "assessment:objection_inbox",
        "assessment:objection_inbox",
        lambda o, w: reverse("assessment:objection_inbox"),
        expect(200),
    ),
    Route(
        "assessment:objection_detail",
        "assessment:objection_detail",
        lambda o, w: reverse("assessment:objection_detail", args=[w.objection.pk]),
        expect(404, **SEES_NURSE),
    ),
    Route(
        "assessment:attachment_download",
        "assessment:attachment_download",
        lambda o, w: reverse(
            "assessment:attachment_download", args=[w.objection.attachments.get().pk]
        ),
        expect(404, **SEES_NURSE),
    ),
    Route(
        "assessment:calibration",
        "assessment:calibration",
        lambda o, w: reverse("assessment:calibration") + Q,
        expect(404, **READERS),
    ),
    Route(
        "assessment:calibration_opd",
        "assessment:calibration_opd",
        lambda o, w: reverse("assessment:calibration_opd", args=[w.org.dinkes.pk]) + Q,
        expect(404, **READERS),
    ),
    Route(
        "assessment:calibration_return",
        "assessment:calibration_return",
        lambda o, w: reverse("assessment:calibration_return", args=[w.final.finalisation_id]),
        expect(404, bkpsdm=302),
        "post",
    ),
    Route(
        "assessment:recap_xlsx",
        "assessment:recap_xlsx",
        lambda o, w: reverse("assessment:recap_xlsx") + Q,
        expect(200),
    ),
    Route(
        "assessment:verify",
        "assessment:verify",
        lambda o, w: reverse("assessment:verify", args=[w.final.code]),
        dict.fromkeys(PERSONAS, 200),
    ),
]


@pytest.mark.parametrize(("route", "persona"), by_persona(ROUTES, PERSONAS))
def test_it_answers_each_persona_as_the_policy_says(
    world: World, route: Route, persona: str
) -> None:
    check_persona(world.org, route, persona, world)


def test_it_lists_every_named_url_in_the_matrix() -> None:
    assert uncovered("assessment", ROUTES) == [], "URLs missing from the access matrix"


def test_an_unknown_verification_code_is_404(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("assessment:verify", args=["tidak-ada"])).status_code == 404


def test_the_verification_page_shows_no_more_than_it_should(world: World, client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("assessment:verify", args=[world.final.code])).content.decode()
    assert world.org.employee.full_name in page and "Triwulan I 2026" in page and "Baik" in page
    assert world.final.code in page
    for secret in (
        world.org.employee.nip,
        world.org.employee.nip_formatted,
        "Di Atas Ekspektasi",
        "Sesuai Ekspektasi",
        "Puskesmas",
        world.org.supervisor.name,
    ):
        assert secret not in page


def test_the_pdf_holds_names_numbers_and_the_verification_code(world: World) -> None:
    from pypdf import PdfReader

    response = client_for(world.org, "employee").get(
        reverse("assessment:result_pdf", args=[world.final.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "DOKUMEN EVALUASI KINERJA PEGAWAI PERIODIK",
        "TRIWULAN I 2026",
        "Siti Rahmawati",
        world.org.employee.nip_formatted,
        "Citra Syahputra",
        world.org.supervisor.nip_formatted,
        "Jumlah pasien terlayani",
        "330",
        "110",
        "Di Atas Ekspektasi",
        "Sesuai Ekspektasi",
        "Baik",
        "3,13",
        f"/verifikasi/{world.final.code}/",
        "Dinas Kesehatan",
    ):
        assert expected in text, expected


def test_the_qr_payload_is_the_verification_url(world: World) -> None:
    from kinerja.assessment import documents

    context = documents.evaluation_context(world.final)
    assert context["verify_url"].endswith(f"/verifikasi/{world.final.code}/")
    assert context["qr"].startswith("data:image/svg+xml;base64,")


def test_the_recap_has_one_row_per_visible_assessment(world: World) -> None:
    from openpyxl import load_workbook

    for persona, rows in (("bkpsdm", 2), ("employee", 1), ("other", 0)):
        data = client_for(world.org, persona).get(reverse("assessment:recap_xlsx") + Q).content
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        assert sheet.max_row - 1 == rows, persona


def test_the_result_page_gives_reasons_and_the_objection_deadline(
    world: World, time_machine
) -> None:  # type: ignore[no-untyped-def]
    peer_result = Assessment.objects.get(employee=world.org.peer)
    from tests.factories import make_user

    peer = world.org.users.get("peer") or make_user(employee=world.org.peer)
    client = client_for(world.org, "employee")
    client.force_login(peer)
    page = client.get(reverse("assessment:result", args=[peer_result.pk])).content.decode()
    assert "Ajukan keberatan" in page and "14 hari" in page
    time_machine.move_to("2026-12-20 09:00 +07:00")
    client.force_login(peer)
    page = client.get(reverse("assessment:result", args=[peer_result.pk])).content.decode()
    assert "Ajukan keberatan" not in page and "tidak dapat diajukan lagi" in page


def test_the_team_page_shows_the_live_violation(org: Org, team: Team) -> None:
    set_org(org, "baik")
    rate(org, team.plans.employee, "di_atas", "sesuai")
    rate(org, team.peer_plan, "sesuai", "sesuai", hasil_reason="Kondisi lapangan berat.")
    page = client_for(org, "supervisor").get(reverse("assessment:team") + Q).content.decode()
    assert "melanggar kurva" in page and "Butuh Perbaikan dan/atau Kurang/Misconduct" in page
    response = client_for(org, "supervisor").post(
        reverse("assessment:team_finalise") + Q, {"confirm": "on"}
    )
    assert "Sebaran predikat melanggar kurva distribusi: tuliskan justifikasinya." in (
        response.content.decode()
    )
    assert not Assessment.objects.filter(status="final").exists()


def _more_assessments(org: Org, n: int) -> None:
    """Raw rows for scale only (query counts), in Dinas Pendidikan."""
    from tests.factories import EmployeeFactory

    rows = []
    for _i in range(n):
        e = EmployeeFactory(
            unit=org.disdik, supervisor=org.other_head, position=org.other_employee.position
        )
        rows.append(
            Assessment(
                employee=e,
                period=Q1.code,
                year=2026,
                opd=org.disdik,
                unit=org.disdik,
                assessor=org.other_head,
                hasil="sesuai",
                perilaku="sesuai",
                predikat="baik",
                suggested_hasil="di_atas",
                suggested_perilaku="sesuai",
            )
        )
    Assessment.objects.bulk_create(rows)


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("pimpinan", lambda w: reverse("assessment:calibration") + Q),
        ("pimpinan", lambda w: reverse("assessment:calibration_opd", args=[w.org.disdik.pk]) + Q),
        ("supervisor", lambda w: reverse("assessment:team") + Q),
        ("employee", lambda w: reverse("assessment:home")),
        ("unit_head", lambda w: reverse("assessment:objection_inbox")),
    ],
)
def test_query_counts_do_not_grow_with_rows(world: World, persona: str, url) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.org, persona)
    # Some rows first, so that both measurements show the same kinds of things (an assessor
    # whose ratings stand out, say); then more of the same.
    _more_assessments(world.org, 12)
    client.get(url(world))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(world)).status_code == 200
    _more_assessments(world.org, 12)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url(world)).status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
    assert len(small) <= 25


def test_the_team_view_query_count_does_not_grow_with_team_size(
    org: Org, team: Team, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, "supervisor")
    with django_assert_max_num_queries(25):
        assert client.get(reverse("assessment:team") + Q).status_code == 200


def test_the_assessors_that_stand_out_are_listed_a_page_at_a_time(
    world: World, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from kinerja.assessment import views
    from tests.factories import EmployeeFactory

    _more_assessments(world.org, 4)  # Kepala Dinas Pendidikan: four times "Baik"
    second = EmployeeFactory(
        unit=world.org.disdik, supervisor=world.org.other_head, name="Zainal Penilai"
    )
    for _i in range(4):
        e = EmployeeFactory(unit=world.org.disdik, supervisor=second)
        Assessment.objects.create(
            employee=e,
            period=Q1.code,
            year=2026,
            opd=world.org.disdik,
            unit=world.org.disdik,
            assessor=second,
            hasil="sesuai",
            perilaku="sesuai",
            predikat="baik",
        )
    monkeypatch.setattr(views, "FLAGS_PER_PAGE", 1)
    client = client_for(world.org, "pimpinan")
    url = reverse("assessment:calibration") + Q
    first = client.get(url).content.decode()
    assert "2 penilai" in first and "Halaman 1 dari 2" in first
    assert world.org.other_head.name in first and "Zainal Penilai" not in first
    assert f"?periode={Q1.code}&amp;page=2" in first
    last = client.get(url + "&page=2").content.decode()
    assert "Zainal Penilai" in last and "semua pegawai berpredikat sama" in last
    assert client.get(url + "&page=xyz").status_code == 200  # a bad page number: the first
