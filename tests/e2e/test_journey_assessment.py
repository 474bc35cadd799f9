"""The assessment journey: the supervisor rates the team, sees the distribution curve broken,
fixes it and finalises; the nurse sees the result on a phone and objects; the superior asks
for explanations and decides. Screenshots in docs/screenshots/assessment-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kinerja.assessment.models import Assessment, Objection

from ..assessment.conftest import Q1, Team, set_org, team  # noqa: F401 - fixtures
from ..conftest import PASSWORD, Org
from ..performance.conftest import employee_plan, plans  # noqa: F401 - fixtures
from .support import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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
    phone.get_by_role("button", name="Kirim keberatan").click()
    expect(phone.locator(".messages")).to_contain_text("Keberatan diajukan")
    shot(phone, "assessment-objection-phone")

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
