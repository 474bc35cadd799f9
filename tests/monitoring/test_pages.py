"""The monitoring pages through HTTP: what each shows, the quick feedback, the exports, and
query counts that do not grow with the team or the regency."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.core.models import Notification
from kinerja.monitoring import services as monitoring
from kinerja.performance.models import Comment
from tests.conftest import Org, client_for

from .conftest import YEAR, Monitored

BOARD = reverse("monitoring:team_board")
MINE = reverse("monitoring:my_performance")
REGENCY = reverse("monitoring:regency_dashboard")


def html(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Team board ---------------------------------------------------------------------------


def test_the_board_shows_each_person_of_the_team(org: Org, monitored: Monitored) -> None:
    page = html(client_for(org, "supervisor").get(BOARD))
    assert "Siti Rahmawati" in page and "Dewi Lestari" in page
    assert "75,0%" in page and "100,0%" in page
    assert "2 indikator" in page  # the nurse's indicators at risk
    assert "Belum lengkap: Juni" in page
    assert "10 untuk Anda" in page  # entries waiting for the supervisor's review
    assert "data-team-board" in page and 'role="img"' in page  # live hook, accessible charts


def test_the_unit_head_sees_the_whole_subtree_in_tree_order(org: Org, monitored: Monitored) -> None:
    page = html(client_for(org, "unit_head").get(BOARD))
    supervisor = page.index("Citra Syahputra")
    assert supervisor < page.index("Dewi Lestari") and supervisor < page.index("Siti Rahmawati")
    assert "tim: 2 orang" in page
    assert "untuk Anda" not in page  # the head is not their assessor
    direct = html(client_for(org, "unit_head").get(BOARD, {"lingkup": "langsung"}))
    assert "Citra Syahputra" in direct and "Siti Rahmawati" not in direct


@pytest.mark.parametrize(
    ("name", "shown", "hidden"),
    [
        ("risiko", "Siti Rahmawati", "Dewi Lestari"),
        ("menunggu", "Dewi Lestari", "Kartika"),
        ("terlambat", "Siti Rahmawati", "Dewi Lestari"),
    ],
)
def test_the_board_filters(
    org: Org, monitored: Monitored, name: str, shown: str, hidden: str
) -> None:
    page = html(client_for(org, "supervisor").get(BOARD, {"saring": name}))
    assert shown in page
    assert hidden not in page.split("<tbody>")[1]


def test_the_filters_answer_htmx_with_the_board_only(org: Org, monitored: Monitored) -> None:
    response = client_for(org, "supervisor").get(
        BOARD, {"saring": "risiko"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="board-body"
    )
    page = html(response)
    assert page.lstrip().startswith('<div id="board-body"')
    assert "<html" not in page


def test_a_supervisor_without_a_team_gets_a_clear_empty_state(
    org: Org, monitored: Monitored
) -> None:
    page = html(client_for(org, "employee").get(BOARD))
    assert "Belum ada anggota tim" in page
    assert "data-team-board" not in page
    page = html(client_for(org, "bkpsdm").get(BOARD))
    assert "tidak terkait dengan data pegawai" in page
    assert reverse("monitoring:regency_dashboard") in page


def test_a_row_is_served_alone_for_live_refresh(org: Org, monitored: Monitored) -> None:
    url = reverse("monitoring:team_row", args=[org.employee.pk])
    page = html(client_for(org, "supervisor").get(url, {"tahun": YEAR}))
    assert page.lstrip().startswith("<tr")
    assert "Siti Rahmawati" in page
    assert client_for(org, "other").get(url).status_code == 404
    assert client_for(org, "employee").get(url).status_code == 404  # a peer is not a report


def test_quick_feedback_is_posted_through_the_service(org: Org, monitored: Monitored) -> None:
    client = client_for(org, "supervisor")
    url = reverse("monitoring:team_feedback", args=[org.employee.pk])
    form = html(client.get(url, HTTP_HX_REQUEST="true"))
    assert "Jumlah pasien terlayani — Mei" in form
    realisation = monitored.plans.patients.realisations.get(month=5)  # type: ignore[union-attr]
    response = client.post(
        url,
        {"target": f"realisation:{realisation.pk}", "body": "Tambah layanan posyandu"},
        HTTP_HX_REQUEST="true",
    )
    assert "Umpan balik terkirim" in html(response)
    assert "kinerja:team-changed" in response["HX-Trigger"]
    comment = Comment.objects.get()
    assert (comment.realisation, comment.author) == (realisation, org.users["supervisor"])


def test_quick_feedback_errors_keep_the_form(org: Org, monitored: Monitored) -> None:
    client = client_for(org, "supervisor")
    url = reverse("monitoring:team_feedback", args=[org.employee.pk])
    rhk = monitored.plans.employee_rhk
    page = html(client.post(url, {"target": f"rhk:{rhk.pk}", "body": "  "}, HTTP_HX_REQUEST="true"))
    assert "Tulis umpan balik terlebih dahulu" in page
    assert not Comment.objects.exists()
    other_rhk = monitored.plans.supervisor_rhk
    response = client.post(url, {"target": f"rhk:{other_rhk.pk}", "body": "x"})
    assert response.status_code == 404


def test_quick_feedback_without_javascript_redirects_back(org: Org, monitored: Monitored) -> None:
    client = client_for(org, "supervisor")
    url = reverse("monitoring:team_feedback", args=[org.employee.pk])
    rhk = monitored.plans.employee_rhk
    response = client.post(url, {"target": f"rhk:{rhk.pk}", "body": "Bagus"})
    assert response.status_code == 302 and response["Location"] == BOARD
    assert Comment.objects.count() == 1


# --- Kinerja saya ------------------------------------------------------------------------------


def test_kinerja_saya_shows_progress_projection_and_suggestions(
    org: Org, monitored: Monitored
) -> None:
    page = html(client_for(org, "employee").get(MINE))
    assert "Realisasi bulan Juni belum diisi." in page
    # 350 over 6 months → 700 of 1.200 (58 %); (1.200 − 350) / 6 = 141,67 → 142 a month.
    assert "Jumlah pasien terlayani” diproyeksikan 58% dari target" in page
    assert "perlu rata-rata 142 pasien per bulan" in page
    # Average response time: (10 × 11 − 60) / 6 = 8,3 minutes at most.
    assert "perlu rata-rata ≤ 8,3 menit pada bulan-bulan tersisa" in page
    assert "Proyeksi akhir tahun" in page and "Tabel data" in page
    assert "Kekurangan: 20,00 JP" in page  # the JP box, filled by kinerja.competency


def test_kinerja_saya_lists_feedback_received(org: Org, monitored: Monitored) -> None:
    from kinerja.performance import services

    services.comment_add(
        plan=monitored.plans.employee,
        by=org.users["supervisor"],
        body="Perbanyak kunjungan rumah",
        rhk=monitored.plans.employee_rhk,
    )
    page = html(client_for(org, "employee").get(MINE))
    assert "Perbanyak kunjungan rumah" in page


def test_kinerja_saya_without_a_plan_says_what_to_do(org: Org, monitored: Monitored) -> None:
    page = html(client_for(org, "other").get(MINE))
    assert "Anda belum memiliki SKP tahun 2026." in page
    assert reverse("performance:plan_list") in page


def test_kinerja_saya_for_an_account_without_an_employee(org: Org, monitored: Monitored) -> None:
    page = html(client_for(org, "pimpinan").get(MINE))
    assert "tidak terkait dengan data pegawai" in page


# --- Regency dashboard --------------------------------------------------------------------------


def test_the_regency_dashboard_adds_up_each_opd(org: Org, monitored: Monitored) -> None:
    page = html(client_for(org, "pimpinan").get(REGENCY))
    assert "Dinas Kesehatan" in page and "Dinas Pendidikan" in page
    assert "87,5%" in page  # (75 + 100) / 2 in Dinas Kesehatan
    assert "Peta capaian bulanan" in page
    assert "Distribusi predikat terhadap kurva" in page
    assert reverse("monitoring:unit_dashboard", args=[org.dinkes.pk]) in page


def test_drilling_down_reaches_the_people_of_a_unit(org: Org, monitored: Monitored) -> None:
    client = client_for(org, "inspektorat")
    opd = html(client.get(reverse("monitoring:unit_dashboard", args=[org.dinkes.pk])))
    assert "UPT Puskesmas Bukitintan" in opd and "Kartika Ramadhan" in opd
    unit = html(client.get(reverse("monitoring:unit_dashboard", args=[org.puskesmas.pk])))
    assert "Siti Rahmawati" in unit and "Dewi Lestari" in unit
    assert "Dinas Kesehatan</a> ›" in unit


def test_the_dashboard_exports_to_xlsx(org: Org, monitored: Monitored) -> None:
    from openpyxl import load_workbook

    response = client_for(org, "bkpsdm").get(reverse("monitoring:regency_export_xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    summary = book.worksheets[0]
    rows = {r[0]: r for r in summary.iter_rows(min_row=2, values_only=True)}
    assert rows["Dinas Kesehatan"][4] == 87.5
    assert rows["Kabupaten"][1] == 6


def test_the_dashboard_prints_to_pdf_with_its_charts(org: Org, monitored: Monitored) -> None:
    from pypdf import PdfReader

    response = client_for(org, "bkpsdm").get(reverse("monitoring:regency_export_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "DASBOR KINERJA PEGAWAI" in text
    assert "Dinas Kesehatan" in text


# --- Query counts -------------------------------------------------------------------------------


def _grow_team(org: Org, n: int) -> None:
    """n more nurses under the supervisor, each with an approved plan and figures."""
    from kinerja.performance import services
    from tests.factories import EmployeeFactory, make_user

    for i in range(n):
        employee = EmployeeFactory(
            name=f"Perawat Tambahan {i}", unit=org.puskesmas, supervisor=org.supervisor
        )
        user = make_user(employee=employee)
        plan = services.plan_create(employee=employee, year=YEAR, by=user)
        rhk = services.rhk_add(plan=plan, by=user, kind="utama", text="RHK", parent=None)
        services.indicator_add(
            rhk=rhk,
            by=user,
            aspek="kuantitas",
            name="Jumlah",
            unit_of_measure="x",
            target=Decimal(12),
            polarity="higher_is_better",
            aggregation="sum",
        )
    monitoring.figures_rebuild(year=YEAR)


@pytest.mark.parametrize(
    ("url", "persona"),
    [
        (BOARD, "supervisor"),
        (BOARD, "unit_head"),
        (REGENCY, "pimpinan"),
        (MINE, "employee"),
    ],
)
def test_dashboards_have_a_fixed_query_count(
    org: Org, monitored: Monitored, url: str, persona: str, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, persona)
    client.get(url)
    with django_assert_max_num_queries(25) as small:
        client.get(url)
    _grow_team(org, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_board_never_reads_the_realisation_table(
    org: Org, monitored: Monitored, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for persona, url in (("supervisor", BOARD), ("pimpinan", REGENCY)):
        with CaptureQueriesContext(connection) as queries:
            client_for(org, persona).get(url)
        assert not [q for q in queries.captured_queries if "performance_realisation" in q["sql"]]


def test_notifications_keep_their_header_pill(org: Org, monitored: Monitored) -> None:
    Notification.objects.create(recipient=org.users["employee"], message="x")
    page = html(client_for(org, "employee").get(MINE))
    assert 'class="pill" data-unread-count' in page
    assert 'name="kinerja-live"' in page


def test_the_subtree_condition_selects_exactly_the_path_prefix(org: Org) -> None:
    from kinerja.organisation.access import under
    from kinerja.organisation.models import Employee

    for employee in Employee.objects.all():
        expected = set(Employee.objects.filter(path__startswith=employee.path).values_list("pk"))
        assert set(Employee.objects.filter(under(employee.path)).values_list("pk")) == expected
