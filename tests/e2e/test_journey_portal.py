"""A citizen finds the public side from the site's address on a phone (issue 10, item 11): the
portal at /, a service found by name, a complaint tracked by its code; the login page leads
citizens there too. Screenshots: docs/screenshots/public-portal*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kinerja.public import services
from tests.conftest import Org

from .support import DESKTOP, PHONE, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def complaint(org: Org):  # type: ignore[no-untyped-def]
    service = services.service_create(
        by=None, unit=org.puskesmas, code="PKM01-UMUM", name="Pemeriksaan Umum"
    )
    return services.complaint_file(
        unit=org.puskesmas,
        service=service,
        kind="pengaduan",
        category="waktu",
        description="Antrean pendaftaran sangat lama pagi ini.",
    )


def test_a_citizen_finds_the_survey_and_tracks_a_complaint_from_the_portal(
    new_page, live_server, complaint
) -> None:  # type: ignore[no-untyped-def]
    page = new_page(**PHONE)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/")  # no detour through the login form
    expect(page.get_by_role("heading", level=1)).to_have_text("Layanan untuk warga")
    for name in (
        "Isi survei kepuasan",
        "Sampaikan pengaduan atau saran",
        "Lacak pengaduan",
        "Forum warga",
        "Hasil survei dan pengaduan",
    ):
        expect(page.get_by_role("link", name=name, exact=False).first).to_be_visible()
    # Every card fits the phone's width: nothing to scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "public-portal-phone")

    page.get_by_label("Cari layanan atau unit").fill("pemeriksaan")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Pemeriksaan Umum").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pemeriksaan Umum")

    page.goto(f"{live_server.url}/")
    page.get_by_label("Kode pelacakan").fill(complaint.code_display.lower())
    page.get_by_role("button", name="Lacak").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(complaint.code_display)

    desktop = new_page(**DESKTOP)
    desktop.goto(f"{live_server.url}/")
    shot(desktop, "public-portal")


def test_the_login_page_leads_a_citizen_to_the_portal(new_page, live_server, org: Org) -> None:  # type: ignore[no-untyped-def]
    page = new_page(**PHONE)
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Sampaikan pengaduan atau saran").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sampaikan pengaduan atau saran")
    page.go_back()
    page.get_by_role("link", name="Semua layanan untuk warga").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Layanan untuk warga")
