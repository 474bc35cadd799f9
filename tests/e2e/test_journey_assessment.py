"""The assessment journey: the supervisor rates the team, sees the distribution curve broken,
fixes it and finalises; the nurse sees the result on a phone and objects; the superior asks
for explanations and decides. Screenshots in docs/screenshots/assessment-*.png."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from kinerja.assessment import services
from kinerja.assessment.models import Assessment, Finalisation, Objection
from kinerja.rules.periods import Period, Periodicity

from ..assessment.conftest import Q1, Team, rate, set_org, team, values  # noqa: F401 - fixtures
from ..conftest import PASSWORD, Org
from ..performance.conftest import employee_plan, plans  # noqa: F401 - fixtures
from .support import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WIB = ZoneInfo("Asia/Jakarta")

VALUES = [
    "Berorientasi Pelayanan",
    "Akuntabel",
    "Kompeten",
    "Harmonis",
    "Loyal",
    "Adaptif",
    "Kolaboratif",
]


def rate_in_browser(page: Page, name: str, hasil: str, perilaku: str, reason: str = "") -> None:
    page.get_by_role("link", name=name).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    for value in VALUES:
        page.locator("fieldset.value-rating", has_text=value).get_by_label(perilaku).check()
    page.get_by_label("Rating hasil kerja").select_option(label=hasil)
    page.get_by_label("Rating perilaku kerja").select_option(label=perilaku)
    if reason:
        page.locator("#id_hasil_reason").fill(reason)
    page.get_by_role("button", name="Simpan penilaian").click()
    expect(page.locator(".messages")).to_contain_text("disimpan")


def test_the_team_is_rated_finalised_objected_and_decided(
    new_page,
    live_server,
    org: Org,
    team: Team,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    set_org(org, "baik")
    page = new_page(viewport={"width": 1280, "height": 900})
    login(page, live_server, org.supervisor.nip, PASSWORD)
    page.goto(f"{live_server.url}/penilaian/tim/?periode={Q1.code}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Triwulan I 2026")

    rate_in_browser(page, "Siti Rahmawati", "Di Atas Ekspektasi", "Sesuai Ekspektasi")
    page.get_by_role("link", name="Dewi Lestari").first.click()
    shot(page, "assessment-rate")
    page.go_back()
    rate_in_browser(
        page,
        "Dewi Lestari",
        "Sesuai Ekspektasi",
        "Sesuai Ekspektasi",
        reason="Target ibu hamil turun karena pindahnya penduduk.",
    )
    violations = page.locator(".curve-violations")
    expect(violations).to_contain_text("Baik paling banyak 70%")
    expect(violations).to_contain_text("tambah 1 pegawai")
    shot(page, "assessment-team-violation")

    # Fix it: the midwife's suggestion (Di Bawah) was right after all.
    rate_in_browser(page, "Dewi Lestari", "Di Bawah Ekspektasi", "Sesuai Ekspektasi")
    expect(page.locator(".curve-violations")).to_have_count(0)
    expect(page.locator(".distribution")).to_contain_text("Sebaran sesuai kurva distribusi")
    # Finalising asks for a confirmation checked on the server: without it nothing is locked.
    page.get_by_role("button", name="Finalkan dan kirim ke pegawai").click()
    expect(page.locator("#finalise")).to_contain_text("Centang konfirmasi")
    assert not Assessment.objects.filter(status="final").exists()
    page.get_by_label(re.compile("Saya sudah memeriksa penilaian di atas")).check()
    page.get_by_role("button", name="Finalkan dan kirim ke pegawai").click()
    expect(page.locator(".messages")).to_contain_text("2 penilaian difinalkan")
    shot(page, "assessment-team-final")
    assert Assessment.objects.filter(status="final").count() == 2

    # The nurse, on a phone, sees the result and objects.
    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(phone, live_server, org.employee.nip, PASSWORD)
    phone.goto(f"{live_server.url}/penilaian/")
    phone.get_by_role("link", name="Triwulan I 2026").click()
    expect(phone.locator(".result-summary")).to_contain_text("Baik")
    expect(phone.get_by_role("link", name="Ajukan keberatan")).to_be_visible()
    shot(phone, "assessment-result-phone")
    phone.get_by_role("link", name="Ajukan keberatan").click()
    phone.get_by_label("Alasan keberatan").fill(
        "Perilaku saya selama triwulan ini di atas ekspektasi; ada surat penghargaan pasien."
    )
    phone.locator("input[name=files]").set_input_files(
        {"name": "surat-penghargaan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    phone.get_by_role("button", name="Kirim keberatan").click()
    expect(phone.locator(".messages")).to_contain_text("Keberatan diajukan")
    expect(phone.get_by_role("main")).to_contain_text("surat-penghargaan.pdf")
    shot(phone, "assessment-objection-phone")
    assert Objection.objects.get().attachments.get().original_name == "surat-penghargaan.pdf"

    # The supervisor's superior (the head of Dinkes) asks for explanations and decides.
    head = new_page(viewport={"width": 1280, "height": 900})
    login(head, live_server, org.unit_head.nip, PASSWORD)
    head.goto(f"{live_server.url}/penilaian/keberatan/")
    head.get_by_role("link", name="Siti Rahmawati").first.click()
    head.get_by_role("button", name="Minta penjelasan pegawai dan pejabat penilai").click()
    head.get_by_label("Ubah penilaian").check()
    head.get_by_label("Rating hasil kerja baru").select_option(label="Di Atas Ekspektasi")
    head.get_by_label("Rating perilaku kerja baru").select_option(label="Di Atas Ekspektasi")
    head.get_by_label("Alasan keputusan").fill("Surat penghargaan pasien sah; perilaku di atas.")
    shot(head, "assessment-objection-decide")
    head.get_by_role("button", name="Putuskan (final)").click()
    expect(head.locator(".messages")).to_contain_text("bersifat final")
    expect(head.get_by_role("main")).to_contain_text("Sangat Baik")
    shot(head, "assessment-objection-decided")
    assert Objection.objects.get().status == "diubah"
    assert Assessment.objects.get(employee=org.employee).predikat == "sangat_baik"


def test_bkpsdm_returns_a_unit_for_calibration(
    new_page,
    live_server,
    org: Org,
    team: Team,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    """The supervisor finalised both Baik against a Baik organisation, with a justification;
    BKPSDM sees it in calibration, returns the results with a note; the supervisor reads it."""
    set_org(org, "baik")
    rate(org, team.plans.employee, "di_atas", "sesuai")
    rate(org, team.peer_plan, "sesuai", "sesuai", hasil_reason="Kondisi lapangan berat.")
    services.team_finalise(
        by=org.users["supervisor"],
        period=Q1,
        justification="Dua pegawai saja; keduanya memenuhi target triwulan ini.",
    )
    admin = new_page(viewport={"width": 1280, "height": 900})
    login(admin, live_server, "admin.bkpsdm", PASSWORD)
    admin.goto(f"{live_server.url}/penilaian/kalibrasi/?periode={Q1.code}")
    expect(admin.get_by_role("main")).to_contain_text("1 finalisasi dengan pelanggaran")
    shot(admin, "assessment-calibration")
    admin.get_by_role("link", name=re.compile("finalisasi dengan pelanggaran")).first.click()
    section = admin.locator("#finalisasi")
    expect(section).to_contain_text("Dua pegawai saja")
    section.locator("summary", has_text="Kembalikan kepada pejabat penilai").click()
    section.get_by_label("Catatan untuk pejabat penilai").fill(
        "Sebaran Baik 100% melanggar kurva; tinjau kembali rating Dewi Lestari."
    )
    shot(admin, "assessment-calibration-opd")
    section.get_by_role("button", name="Kembalikan untuk kalibrasi").click()
    expect(admin.locator(".messages")).to_contain_text("2 hasil penilaian dikembalikan")
    expect(admin.locator("#finalisasi")).to_contain_text("dikembalikan untuk kalibrasi")
    assert Finalisation.objects.get().is_returned
    assert set(Assessment.objects.values_list("status", flat=True)) == {"draf"}

    boss = new_page(viewport={"width": 1280, "height": 900})
    login(boss, live_server, org.supervisor.nip, PASSWORD)
    boss.goto(f"{live_server.url}/penilaian/tim/?periode={Q1.code}")
    expect(boss.locator(".returned-for-calibration")).to_contain_text("tinjau kembali rating")
    shot(boss, "assessment-team-returned")


def test_the_annual_assessment_rests_on_the_quarters(
    new_page,
    live_server,
    org: Org,
    team: Team,  # noqa: F811
    time_machine,
) -> None:  # type: ignore[no-untyped-def]
    quarters = [Period(2026, Periodicity.QUARTERLY, n) for n in (1, 2, 3, 4)]
    for period, perilaku in zip(quarters[:3], ["di_atas", "sesuai", "di_atas"], strict=True):
        set_org(org, "istimewa", period)
        services.assessment_save(
            plan=team.plans.employee,
            period=period,
            by=org.users["supervisor"],
            behaviour=values(perilaku),
            hasil="di_atas",
            perilaku=perilaku,
            hasil_reason="Capaian dibaca bersama bukti dukung.",
        )
        services.team_finalise(
            by=org.users["supervisor"], period=period, justification="Satu pegawai saja."
        )
    # Q4 is rated before the quarter ends: finalising warns and asks twice.
    set_org(org, "istimewa", quarters[3])
    services.assessment_save(
        plan=team.plans.employee,
        period=quarters[3],
        by=org.users["supervisor"],
        behaviour=values("sesuai"),
        hasil="sesuai",
        perilaku="sesuai",
        hasil_reason="Capaian dibaca bersama bukti dukung.",
    )
    page = new_page(viewport={"width": 1280, "height": 900})
    login(page, live_server, org.supervisor.nip, PASSWORD)
    page.goto(f"{live_server.url}/penilaian/tim/?periode={quarters[3].code}")
    panel = page.locator("#finalise")
    expect(panel).to_contain_text(
        "Triwulan IV-Akhir 2026 belum berakhir (berakhir 31 Desember 2026)"
    )
    panel.get_by_label(re.compile("Saya sudah memeriksa penilaian di atas")).check()
    panel.get_by_role("button", name="Finalkan dan kirim ke pegawai").click()
    expect(page.locator("#finalise")).to_contain_text("Periode belum berakhir: centang")
    shot(page, "assessment-finalise-early")
    assert not Assessment.objects.filter(period=quarters[3].code, status="final").exists()

    time_machine.move_to(datetime(2027, 1, 8, 9, tzinfo=WIB))
    login(page, live_server, org.supervisor.nip, PASSWORD)  # the session of November expired
    page.goto(f"{live_server.url}/penilaian/nilai/{team.plans.employee.pk}/?periode=2026-TH")
    basis = page.locator(".annual-basis")
    expect(basis).to_contain_text("Triwulan III 2026")
    expect(basis).to_contain_text("Belum final: Triwulan IV-Akhir 2026")
    expect(basis.locator("dd").nth(1)).to_have_text("Di Atas Ekspektasi")
    shot(page, "assessment-annual")
