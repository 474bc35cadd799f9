"""The competency journey (issue 12): the nurse finds a course in the catalogue on her phone and
enrols, her supervisor approves, she checks in at the venue by the rotating QR code, the
organiser closes the session, and the certificate and the JP appear on "Pembelajaran saya" and
"Kinerja saya". Screenshots in docs/screenshots/competency-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kinerja.competency.models import Enrolment

from ..competency.conftest import make_programme, make_session
from ..conftest import PASSWORD, Org
from .support import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enrol_approve_attend_by_qr_certificate_and_jp(new_page, live_server, org: Org) -> None:  # type: ignore[no-untyped-def]
    programme = make_programme(org)
    make_programme(org, title="Pelayanan Prima", tags=["Pelayanan Prima"])
    session = make_session(org, programme, quota=20, needs_approval=True)

    nurse = new_page(**PHONE)
    login(nurse, live_server, org.employee.nip, PASSWORD)
    nurse.goto(f"{live_server.url}/kompetensi/?q=literasi")
    expect(nurse.get_by_role("heading", level=1)).to_contain_text("Katalog")
    shot(nurse, "competency-catalogue")
    nurse.get_by_role("link", name="Literasi Digital untuk Pelayanan Publik").click()
    nurse.get_by_role("link", name=session.starts_on.strftime("%d-%m-%Y")).first.click()
    nurse.get_by_role("button", name="Daftar").click()
    expect(nurse.locator(".messages")).to_contain_text("Menunggu persetujuan atasan")
    shot(nurse, "competency-session")

    boss = new_page(viewport={"width": 1280, "height": 900})
    login(boss, live_server, org.supervisor.nip, PASSWORD)
    boss.goto(f"{live_server.url}/kompetensi/persetujuan/")
    expect(boss.locator("main")).to_contain_text("Siti Rahmawati")
    shot(boss, "competency-approvals")
    boss.get_by_role("button", name="Simpan").first.click()
    expect(boss.locator(".messages")).to_contain_text("Keputusan disimpan")
    assert Enrolment.objects.get(session=session).status == "enrolled"

    organiser = new_page(viewport={"width": 1280, "height": 900})
    login(organiser, live_server, "admin.bkpsdm", PASSWORD)
    organiser.goto(f"{live_server.url}/kompetensi/sesi/{session.pk}/kode/")
    code = organiser.locator("#checkin-code .big-number").inner_text().strip()
    assert len(code) == 6
    shot(organiser, "competency-checkin-code")

    nurse.goto(f"{live_server.url}/kompetensi/sesi/{session.pk}/hadir/?kode={code}")
    nurse.get_by_role("button", name="Catat kehadiran saya").click()
    expect(nurse.locator("main")).to_contain_text("tercatat")
    shot(nurse, "competency-checkin-phone")

    organiser.goto(f"{live_server.url}/kompetensi/sesi/{session.pk}/presensi/")
    expect(organiser.locator("table.attendance input[type=checkbox]").first).to_be_checked()
    organiser.get_by_role("button", name="Tutup sesi dan tetapkan kelulusan").click()
    expect(organiser.locator(".messages")).to_contain_text("1 selesai")
    shot(organiser, "competency-attendance")

    nurse.goto(f"{live_server.url}/kompetensi/saya/")
    expect(nurse.locator("main")).to_contain_text("Kekurangan: 12,00 JP")
    shot(nurse, "competency-my-learning")
    link = nurse.get_by_role("link", name="PDF").first.get_attribute("href")
    pdf = nurse.request.get(f"{live_server.url}{link}")
    assert pdf.headers["content-type"] == "application/pdf"

    nurse.goto(f"{live_server.url}/pantau/saya/")
    expect(nurse.locator("#jp").locator("..")).to_contain_text("Kekurangan: 12,00 JP")
    shot(nurse, "competency-kinerja-saya")

    organiser.goto(f"{live_server.url}/kompetensi/kepatuhan/")
    expect(organiser.get_by_role("heading", level=1)).to_contain_text("Kepatuhan 20 JP")
    shot(organiser, "competency-compliance")
