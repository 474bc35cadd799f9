"""The follow-up journey: BKPSDM runs the rules, the head of the OPD decides the coaching
recommendation, the nurse (on a phone) sees the decision and its basis, then her TPP slip with
its plain-Indonesian explanation. Screenshots in docs/screenshots/rewards-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kinerja.rewards import services
from kinerja.rewards.models import CoachingPlan, Recommendation

from ..conftest import PASSWORD, Org
from ..rewards.conftest import (  # noqa: F401 - fixtures
    bases,
    default_rules,
    finalise,
    import_rows,
    jp_complete,
)
from .support import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rules_run_decision_basis_and_slip(  # type: ignore[no-untyped-def]
    new_page,
    live_server,
    org: Org,
    bases,  # noqa: F811
    default_rules,  # noqa: F811
    jp_complete,  # noqa: F811
) -> None:
    finalise(org.employee, "2026-T3", "butuh_perbaikan")
    import_rows(
        org,
        [
            (org.employee.nip, "2026-10-01", "07:40", "16:05", "H"),
            (org.employee.nip, "2026-10-02", "08:15", "16:05", "H"),
            (org.employee.nip, "2026-10-05", "07:25", "16:02", "H"),
        ],
    )
    services.tpp_calculate(year=2026, month=10, by=org.users["bkpsdm"])

    admin = new_page(viewport={"width": 1280, "height": 900})
    login(admin, live_server, "admin.bkpsdm", PASSWORD)
    admin.goto(f"{live_server.url}/tindak-lanjut/")
    admin.locator("#run-year").fill("2026")
    admin.get_by_role("button", name="Jalankan aturan").click()
    expect(admin.locator(".messages")).to_contain_text("1 rekomendasi baru")
    shot(admin, "rewards-recommendations")
    admin.get_by_role("button", name="Jalankan aturan").click()  # again: nothing new
    expect(admin.locator(".messages")).to_contain_text("0 rekomendasi baru")
    assert Recommendation.objects.count() == 1
    admin.goto(f"{live_server.url}/tpp/2026/10/")
    expect(admin.get_by_role("main")).to_contain_text("Dinas Kesehatan")
    shot(admin, "rewards-tpp-month")

    head = new_page(viewport={"width": 1280, "height": 900})
    login(head, live_server, org.unit_head.nip, PASSWORD)
    head.goto(f"{live_server.url}/tindak-lanjut/")
    head.get_by_role("main").get_by_role("link", name=re.compile("Siti Rahmawati")).first.click()
    expect(head.get_by_role("main")).to_contain_text("Predikat periode Triwulan III 2026")
    head.get_by_label("Terima rekomendasi").check()
    head.get_by_label("Alasan keputusan").fill(
        "Predikat Butuh Perbaikan; pembinaan bersama atasan."
    )
    head.get_by_label("Berlaku mulai").fill("2026-11-02")
    shot(head, "rewards-decide")
    head.get_by_role("button", name="Simpan keputusan").click()
    expect(head.locator(".messages")).to_contain_text("Keputusan disimpan")
    assert CoachingPlan.objects.get().supervisor_id == org.supervisor.pk

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(phone, live_server, org.employee.nip, PASSWORD)
    phone.goto(f"{live_server.url}/tindak-lanjut/")
    phone.get_by_role("main").get_by_role("link", name=re.compile("Siti Rahmawati")).first.click()
    main = phone.get_by_role("main")
    expect(main).to_contain_text("Dasar rekomendasi")
    expect(main).to_contain_text("Predikat Butuh Perbaikan; pembinaan bersama atasan.")
    expect(main.get_by_role("link", name="Triwulan III 2026")).to_be_visible()
    shot(phone, "rewards-basis-phone")
    phone.goto(f"{live_server.url}/pantau/saya/")
    phone.get_by_role("link", name="Slip TPP saya, dengan penjelasannya").click()
    phone.get_by_role("link", name="Oktober 2026").click()
    expect(phone.locator(".lead")).to_contain_text(
        "Faktor kinerja 75% karena predikat Butuh Perbaikan"
    )
    expect(phone.locator(".lead")).to_contain_text(
        "potongan kehadiran 1,5% karena terlambat 2 kali"
    )
    shot(phone, "rewards-slip-phone")
