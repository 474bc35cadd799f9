"""Onboarding, help centre (sanitised Markdown), announcements (targeting, read receipts), the
wrong-supervisor report, and the adoption figures against hand-counted data (query counts
pinned)."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.adoption import selectors, services, stats
from kinerja.adoption.markdown import render_markdown
from kinerja.adoption.models import (
    AdoptionFigures,
    Announcement,
    AnnouncementRead,
    HelpArticle,
    HelpdeskContact,
    SupervisorReport,
)
from kinerja.core.models import Notification
from kinerja.organisation.choices import PositionKind, Role
from kinerja.organisation.models import User
from tests.conftest import Org, client_for
from tests.factories import EmployeeFactory, make_user
from tests.performance.conftest import Plans

# --- Markdown ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[klik](javascript:alert(1))",
        '<a href="javascript:alert(1)">klik</a>',
        "[klik](JaVaScRiPt:alert(1))",
        '<p onclick="alert(1)">x</p>',
        "<iframe src='https://example.com'></iframe>",
        "![x](javascript:alert(1))",
        "<style>body{display:none}</style>",
    ],
)
def test_markdown_never_lets_html_or_script_through(dangerous: str) -> None:
    html = str(render_markdown(f"Teks\n\n{dangerous}\n"))
    tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.append((tag, attrs))

    Collect().feed(html)
    assert {tag for tag, _attrs in tags} <= {"p", "a", "img"}
    for _tag, attrs in tags:
        for name, value in attrs:
            assert not name.startswith("on")
            assert not (value or "").strip().lower().startswith("javascript")


def test_markdown_keeps_the_useful_parts() -> None:
    html = str(
        render_markdown(
            "# Judul\n\n- **tebal** dan [tautan](/bantuan/)\n\n![layar](/static/images/logo.svg)"
        )
    )
    assert "<h2>Judul</h2>" in html and "<strong>tebal</strong>" in html
    assert 'href="/bantuan/"' in html and 'src="/static/images/logo.svg"' in html


# --- Help centre ---------------------------------------------------------------------------------


@pytest.fixture
def articles(org: Org) -> None:
    HelpArticle.objects.create(
        slug="skp", title="SKP saya", body="Menyusun SKP dan **RHK**.", pages="performance:*"
    )
    HelpArticle.objects.create(
        slug="realisasi",
        title="Realisasi bulanan",
        body="Isi realisasi sebelum tanggal 5.",
        pages="performance:realisation_grid",
    )
    HelpArticle.objects.create(
        slug="lupa", title="Lupa kata sandi", body="Buka halaman lupa kata sandi.", kind="faq"
    )
    HelpdeskContact.objects.create(opd=org.dinkes, name="Helpdesk Dinkes", phone="0812-9999")


def test_help_for_the_current_page(org: Org, articles: None) -> None:
    client = client_for(org, "employee")
    url = reverse("adoption:help_for_page")
    exact = client.get(url + "?dari=performance:realisation_grid")
    assert exact["Location"] == reverse("adoption:help_article", args=["realisasi"])
    namespace = client.get(url + "?dari=performance:plan_detail")
    assert namespace["Location"] == reverse("adoption:help_article", args=["skp"])
    unknown = client.get(url + "?dari=tidak:ada")
    assert unknown["Location"] == reverse("adoption:help_index")


def test_the_header_links_to_help_for_the_page(org: Org, articles: None) -> None:
    page = client_for(org, "employee").get(reverse("performance:plan_list")).content.decode()
    assert reverse("adoption:help_for_page") + "?dari=performance%3Aplan_list" in page


def test_help_search_and_the_opd_helpdesk(org: Org, articles: None) -> None:
    client = client_for(org, "employee")
    found = client.get(reverse("adoption:help_index") + "?q=tanggal 5")
    assert [a.slug for a in found.context["guides"]] == ["realisasi"]
    assert "Helpdesk Dinkes" in found.content.decode()
    nothing = client.get(reverse("adoption:help_index") + "?q=zzzz")
    assert "Tidak ada artikel yang cocok" in nothing.content.decode()
    other = client_for(org, "other").get(reverse("adoption:help_article", args=["skp"]))
    assert "Helpdesk Dinkes" not in other.content.decode()  # another OPD's helpdesk


def test_bkpsdm_edits_an_article_and_the_page_stays_safe(org: Org, articles: None) -> None:
    client = client_for(org, "bkpsdm")
    response = client.post(
        reverse("adoption:help_edit", args=["skp"]),
        {
            "title": "SKP saya",
            "slug": "skp",
            "kind": "artikel",
            "order": 1,
            "pages": "performance:*",
            "body": "Baru <script>alert(1)</script> [x](javascript:alert(1))",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("adoption:help_article", args=["skp"])).content.decode()
    assert "Baru" in page and "<script>alert" not in page and 'href="javascript' not in page
    assert HelpArticle.objects.get(slug="skp").updated_by == org.users["bkpsdm"]


# --- Announcements -------------------------------------------------------------------------------


def _announce(org: Org, title: str, **target) -> Announcement:  # type: ignore[no-untyped-def]
    return services.announcement_create(
        by=org.users["bkpsdm"],
        title=title,
        body="Isi",
        starts_at=timezone.now() - timedelta(hours=1),
        **target,
    )


def test_announcements_reach_exactly_their_audience(org: Org) -> None:
    _announce(org, "Semua")
    _announce(org, "Dinkes", opd=org.dinkes)
    _announce(org, "Puskesmas", unit=org.puskesmas, opd=org.dinkes)
    _announce(org, "Pengawas", position_kind=PositionKind.PENGAWAS)
    _announce(org, "Admin OPD", role=Role.ADMIN_OPD)
    _announce(org, "Disdik", opd=org.disdik)

    def titles(persona: str) -> set[str]:
        return {a.title for a in selectors.announcements_for(org.users[persona])}

    assert titles("employee") == {"Semua", "Dinkes", "Puskesmas"}
    assert titles("supervisor") == {"Semua", "Dinkes", "Puskesmas", "Pengawas"}
    assert titles("unit_head") == {"Semua", "Dinkes"}
    assert titles("other") == {"Semua", "Disdik"}
    assert titles("admin_opd") == {"Semua", "Dinkes", "Admin OPD"}
    assert titles("pimpinan") == {"Semua"}


def test_an_announcement_shows_on_home_until_read_with_a_receipt(org: Org) -> None:
    announcement = _announce(org, "Apel pagi Senin", opd=org.dinkes)
    client = client_for(org, "employee")
    assert "Apel pagi Senin" in client.get(reverse("home:home")).content.decode()
    client.get(reverse("adoption:announcement_detail", args=[announcement.pk]))
    client.get(reverse("adoption:announcement_detail", args=[announcement.pk]))  # once
    assert AnnouncementRead.objects.filter(announcement=announcement).count() == 1
    assert "Apel pagi Senin" not in client.get(reverse("home:home")).content.decode()
    receipts = client_for(org, "bkpsdm").get(
        reverse("adoption:announcement_detail", args=[announcement.pk])
    )
    # Dinkes accounts: head, supervisor, nurse (the midwife has none) and the Admin OPD.
    assert receipts.context["receipts"] == {"audience": 4, "read": 1}


def test_an_admin_opd_announces_only_inside_their_opd(org: Org) -> None:
    client = client_for(org, "admin_opd")
    response = client.post(
        reverse("adoption:announcement_create"),
        {"title": "Untuk Disdik", "kind": "umum", "body": "x", "unit": org.disdik.pk},
    )
    assert response.status_code == 200  # refused: Dinas Pendidikan is not their OPD
    assert not Announcement.objects.exists()
    ok = client.post(
        reverse("adoption:announcement_create"),
        {"title": "Untuk Puskesmas", "kind": "umum", "body": "x", "unit": org.puskesmas.pk},
    )
    assert ok.status_code == 302
    assert Announcement.objects.get().opd_id == org.dinkes.pk


# --- Onboarding ----------------------------------------------------------------------------------


def test_the_checklist_completes_itself_from_real_data(org: Org, employee_plan: Plans) -> None:
    nurse = {s.key: s.done for s in selectors.onboarding_steps(org.users["employee"])}
    assert nurse == {"profil": False, "skp": True, "realisasi": False}
    supervisor = {s.key: s.done for s in selectors.onboarding_steps(org.users["supervisor"])}
    assert supervisor["setujui"] is True and supervisor["papan_tim"] is False
    client = client_for(org, "supervisor")
    assert client.get(reverse("adoption:onboarding_team_board")).status_code == 302
    supervisor = {s.key: s.done for s in selectors.onboarding_steps(org.users["supervisor"])}
    assert supervisor["papan_tim"] is True


def test_the_checklist_is_on_home_until_hidden(org: Org) -> None:
    client = client_for(org, "employee")
    assert "Langkah awal" in client.get(reverse("home:home")).content.decode()
    client.post(reverse("adoption:onboarding_dismiss"))
    assert "Langkah awal" not in client.get(reverse("home:home")).content.decode()
    again = client_for(org, "employee")  # a new login shows it again: not done yet
    assert "Langkah awal" in again.get(reverse("home:home")).content.decode()


def test_a_reading_role_account_gets_no_checklist(org: Org) -> None:
    assert "Langkah awal" not in client_for(org, "pimpinan").get("/").content.decode()


def test_an_admin_opd_gets_the_administrator_steps(org: Org) -> None:
    admin = org.users["admin_opd"]
    steps = {s.key: s.done for s in selectors.onboarding_steps(admin)}
    assert steps == {"helpdesk": False, "aktivasi": False, "pengumuman": False}
    HelpdeskContact.objects.create(opd=org.dinkes, name="Helpdesk")
    from kinerja.adoption import activation

    activation.activation_issue(by=admin, scope="opd", unit=org.dinkes, send_email=False)
    steps = {s.key: s.done for s in selectors.onboarding_steps(admin)}
    assert steps == {"helpdesk": True, "aktivasi": True, "pengumuman": False}
    assert "Umumkan Kinerja" in client_for(org, "admin_opd").get("/").content.decode()


def test_my_supervisor_is_wrong_goes_to_the_admin_opd(
    org: Org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, "employee")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("adoption:onboarding_profile"),
            {"action": "lapor", "correct_supervisor": "dr. Kartika", "note": "mutasi"},
        )
    assert response.status_code == 302
    report = SupervisorReport.objects.get()
    assert report.recorded_supervisor_id == org.supervisor.pk
    admin = org.users["admin_opd"]
    assert Notification.objects.filter(recipient=admin, message__contains="dr. Kartika").exists()
    steps = {s.key: s.done for s in selectors.onboarding_steps(org.users["employee"])}
    assert steps["profil"] is True
    listing = client_for(org, "admin_opd").get(reverse("adoption:supervisor_reports"))
    assert "dr. Kartika" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(org, "admin_opd").post(
            reverse("adoption:supervisor_report_resolve", args=[report.pk])
        )
    report.refresh_from_db()
    assert report.status == "selesai"
    assert Notification.objects.filter(recipient=org.users["employee"]).exists()
    empty = client.post(reverse("adoption:onboarding_profile"), {"action": "lapor"})
    assert empty.status_code == 200 and SupervisorReport.objects.count() == 1


# --- Adoption figures ----------------------------------------------------------------------------


def test_the_figures_match_a_hand_count(org: Org, employee_plan: Plans, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-08-10 09:00 +07:00")
    now = timezone.now()
    User.objects.filter(employee=org.employee).update(last_login=now - timedelta(days=2))
    User.objects.filter(employee=org.supervisor).update(last_login=now - timedelta(days=40))
    stats.figures_rebuild()
    puskesmas = AdoptionFigures.objects.get(unit=org.puskesmas)
    # Puskesmas: supervisor, nurse, midwife (no account).
    assert (puskesmas.employees, puskesmas.activated, puskesmas.active_30d) == (3, 2, 1)
    assert puskesmas.plans_approved == 2  # supervisor and nurse
    assert (puskesmas.with_plan_due, puskesmas.on_time) == (2, 0)  # nobody entered July
    assert (puskesmas.supervisors, puskesmas.supervisors_feedback) == (1, 0)
    rows = stats.scope_rows(org.dinkes.path)
    [dinkes], overall = stats.totals_by_group(rows, [org.dinkes], rows[0].month)
    assert dinkes.employees == 4 and dinkes.activated == 2 and dinkes.activated_pct == 50
    assert overall.employees == 4


def test_the_dashboard_reads_precomputed_figures_in_few_queries(
    org: Org, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for i in range(15):
        EmployeeFactory(unit=org.puskesmas, supervisor=org.supervisor, name=f"Tambahan {i}")
    stats.figures_rebuild()
    client = client_for(org, "bkpsdm")
    client.get(reverse("adoption:dashboard"))  # warm the session and the regency cache
    with django_assert_max_num_queries(12):
        response = client.get(reverse("adoption:dashboard"))
    page = response.content.decode()
    assert "Dinas Kesehatan" in page and "Dinas Pendidikan" in page
    with django_assert_max_num_queries(12):
        client.get(reverse("adoption:unit", args=[org.dinkes.pk]))
    with django_assert_max_num_queries(14):
        listing = client.get(reverse("adoption:people"))
    assert listing.context["page"].paginator.count == 21  # nobody has logged in


def test_one_click_plan_reminders_from_the_list(
    org: Org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, "admin_opd")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("adoption:people"),
            {"daftar": "tanpa_skp", "action": "ingatkan", "pegawai": [org.employee.pk]},
        )
    assert response.status_code == 302
    assert Notification.objects.filter(
        recipient=org.users["employee"], message__contains="SKP"
    ).exists()
    assert not Notification.objects.filter(recipient=org.users["other"]).exists()


def test_one_click_letters_for_the_not_yet_activated(org: Org) -> None:
    response = client_for(org, "admin_opd").post(
        reverse("adoption:people"),
        {"daftar": "belum_aktif", "action": "surat", "pegawai": [org.peer.pk, org.employee.pk]},
    )
    assert response["Content-Type"] == "application/pdf"


def test_pimpinan_reads_the_figures_but_issues_nothing(org: Org) -> None:
    client = client_for(org, "pimpinan")
    response = client.post(reverse("adoption:people"), {"daftar": "belum_aktif", "action": "surat"})
    assert response.status_code == 404


def test_bkpsdm_sees_the_jobs_and_their_last_outcome(org: Org) -> None:
    from kinerja.adoption.schedule import run_job

    run_job("angka_adopsi")
    page = client_for(org, "bkpsdm").get(reverse("adoption:jobs")).content.decode()
    assert "angka_adopsi" in page and "berhasil" in page and "belum pernah" in page


def test_an_import_batch_is_a_scope(org: Org, time_machine) -> None:  # type: ignore[no-untyped-def]
    from kinerja.adoption import activation

    time_machine.move_to("2026-03-02 10:00 +07:00")
    newcomer = EmployeeFactory(unit=org.puskesmas, supervisor=org.supervisor, name="Baru Impor")
    make_user(employee=newcomer)
    issued = activation.activation_issue(
        by=org.users["bkpsdm"],
        scope="impor",
        import_date=timezone.localdate(),
        send_email=False,
    )
    assert "Baru Impor" in {letter.name for letter in issued.letters}
    page = Client()
    page.force_login(org.users["bkpsdm"])
    assert page.get(reverse("adoption:activation_issue")).status_code == 200


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", " JavaScript:alert(1)", "//evil.example", "data:x"]
)
def test_an_announcement_link_must_be_a_web_address(org: Org, link: str) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _announce(org, "Tautan", link=link)
    assert not Announcement.objects.exists()


def test_a_socialisation_links_to_its_page_or_the_training_catalogue(org: Org) -> None:
    announcement = _announce(
        org, "Sosialisasi SKP", kind="sosialisasi", link="/bantuan/realisasi-bulanan/"
    )
    page = client_for(org, "employee").get(
        reverse("adoption:announcement_detail", args=[announcement.pk])
    )
    assert 'href="/bantuan/realisasi-bulanan/"' in page.content.decode()


@pytest.mark.parametrize(
    "day, message",
    [
        ("9999-12-31", "Tanggal impor tidak boleh setelah hari ini."),
        ("2026-03-03", "Tanggal impor tidak boleh setelah hari ini."),
        ("0001-01-01", "Tanggal impor tidak boleh sebelum tahun 2000."),
        ("1999-12-31", "Tanggal impor tidak boleh sebelum tahun 2000."),
    ],
)
def test_an_import_date_past_today_or_before_the_system_is_refused(
    org: Org, time_machine, day: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    """The calendar's ends once answered 500 (9999-12-31 + 1 day overflows; year 1 broke
    SQLite's datetime adapter): they are refused with the form's message, no letter issued."""
    from kinerja.adoption.models import ActivationBatch

    time_machine.move_to("2026-03-02 10:00 +07:00")
    response = client_for(org, "bkpsdm").post(
        reverse("adoption:activation_issue"), {"scope": "impor", "import_date": day, "days": 30}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ActivationBatch.objects.exists()
