"""The foundation's browser journey: logging in, the directory, a profile on a phone, the forced
password change, a refused import and the unit tree, each with screenshots in docs/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from kinerja.organisation.imports import EMPLOYEE_COLUMNS
from kinerja.organisation.models import Employee, Unit

from ..conftest import PASSWORD, Org
from ..factories import make_user
from .support import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NIP_SPACED = re.compile(r"\d{8} \d{6} \d \d{3}")


def test_admin_searches_the_directory_and_opens_an_employee(page: Page, live_server, org: Org):
    page.goto(f"{live_server.url}/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk ke Kinerja")
    shot(page, "login")

    login(page, live_server, "admin.bkpsdm", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")
    shot(page, "home")

    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Pegawai").click()
    expect(page).to_have_url(f"{live_server.url}/pegawai/")
    results = page.locator("#results")
    expect(results).to_contain_text("6 pegawai ditemukan")
    expect(results).to_contain_text("Agus Pratama")
    shot(page, "directory")

    # The search answers through htmx: the results are swapped in without reloading the page.
    page.evaluate("window.notReloaded = true")
    with page.expect_response(lambda r: "/pegawai/?" in r.url and "q=Siti" in r.url) as answer:
        page.get_by_label("Cari nama atau NIP").fill("Siti")
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(results).to_contain_text("1 pegawai ditemukan")
    expect(results.locator("table")).to_contain_text("Siti Rahmawati")
    expect(results).not_to_contain_text("Agus Pratama")
    expect(page).to_have_url(re.compile(r"/pegawai/\?.*q=Siti"))
    assert page.evaluate("window.notReloaded") is True
    shot(page, "directory-search")

    results.get_by_role("link", name="Siti Rahmawati, S.Kep., Ners").click()
    expect(page).to_have_url(f"{live_server.url}/pegawai/{org.employee.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Siti Rahmawati, S.Kep., Ners")
    facts = page.locator("dl.facts")
    expect(facts.locator("dd.mono")).to_have_text(NIP_SPACED)
    expect(facts.locator("dd.mono")).to_have_text(org.employee.nip_formatted)
    expect(facts).to_contain_text("UPT Puskesmas Bukitintan")
    expect(facts.get_by_role("link", name="Citra Syahputra")).to_be_visible()
    shot(page, "employee-detail")


def test_employee_on_a_phone_sees_their_profile_and_nobody_else(
    phone_page: Page, live_server, org: Org
):
    page = phone_page
    page.goto(f"{live_server.url}/login/")
    shot(page, "login-phone")
    login(page, live_server, org.employee.nip_formatted, PASSWORD)  # the NIP typed with spaces
    expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang, Siti Rahmawati")
    shot(page, "home-phone")

    menu = page.locator("[data-menu-toggle]")
    expect(menu).to_have_text(re.compile("Menu"))
    profile_link = page.get_by_role("link", name="Profil saya")
    expect(profile_link).to_be_hidden()
    menu.tap()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(profile_link).to_be_visible()
    shot(page, "menu-phone")

    profile_link.tap()
    expect(page).to_have_url(f"{live_server.url}/akun/profil/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Profil saya")
    expect(
        page.get_by_role("heading", level=2, name="Siti Rahmawati, S.Kep., Ners")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Riwayat jabatan")).to_be_visible()
    expect(page.locator("dl.facts dd.mono")).to_have_text(org.employee.nip_formatted)
    shot(page, "profile-phone")

    response = page.goto(f"{live_server.url}/pegawai/{org.other_employee.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text("Agus Pratama")
    shot(page, "not-found-phone")


def test_wrong_password_is_refused_in_indonesian(page: Page, live_server, org: Org):
    login(page, live_server, "admin.bkpsdm", "bukan-sandinya")
    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.get_by_role("alert")).to_contain_text("kata sandi salah")
    expect(page.locator("input[name=username]")).to_have_value("admin.bkpsdm")
    shot(page, "login-error")


def test_temporary_password_must_be_replaced_before_anything_else(page: Page, live_server):
    user = make_user(
        username="operator.baru", display_name="Operator Baru", must_change_password=True
    )
    login(page, live_server, "operator.baru", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/akun/ganti-sandi/")
    page.goto(f"{live_server.url}/pegawai/")
    expect(page).to_have_url(f"{live_server.url}/akun/ganti-sandi/")
    expect(page.locator(".notice")).to_contain_text("kata sandi sementara")
    shot(page, "password-change")

    page.locator("input[name=old_password]").fill(PASSWORD)
    page.locator("input[name=new_password1]").fill("Bukit-Intan-2025!")
    page.locator("input[name=new_password2]").fill("Bukit-Intan-2025!")
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".message.success")).to_have_text("Kata sandi berhasil diganti.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password("Bukit-Intan-2025!")


def test_invalid_employee_import_is_refused_with_its_errors(page: Page, live_server, org: Org):
    employees_before = Employee.objects.count()
    login(page, live_server, "admin.bkpsdm", PASSWORD)
    page.goto(f"{live_server.url}/impor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Impor unit, jabatan, dan pegawai")
    shot(page, "import")

    header = ",".join(column.header for column in EMPLOYEE_COLUMNS)
    row = "123,Budi Santoso,,,PNS,III/a,Perawat Ahli Pertama,DINKES-PKM-01,,,,Ya"
    page.locator("select[name=kind]").select_option(label="Pegawai")
    page.locator("input[name=file]").set_input_files(
        {
            "name": "pegawai.csv",
            "mimeType": "text/csv",
            "buffer": f"{header}\n{row}\n".encode(),
        }
    )
    page.get_by_role("button", name="Periksa dan impor").click()

    # The file is checked by a background job; its page (/impor/<id>/) shows the verdict.
    report = page.locator("#import-status")
    expect(report.get_by_role("alert")).to_contain_text("Impor dibatalkan")
    errors = report.locator("tbody tr")
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text("NIP")
    expect(errors).to_contain_text("18 digit")
    shot(page, "import-errors")
    assert Employee.objects.count() == employees_before
    assert not Employee.objects.filter(name="Budi Santoso").exists()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_units_file_that_moves_a_unit_to_another_opd_needs_the_tick(
    new_page: Callable[..., Page], live_server, org: Org, device: str
):
    page = new_page(**(PHONE if device == "phone" else DESKTOP))
    login(page, live_server, "admin.bkpsdm", PASSWORD)
    header = "Kode Unit,Nama Unit,Jenis,Kode Induk,Bidang Urusan,Melayani Publik,Alamat"
    row = "DINKES-PKM-01,UPT Puskesmas Bukitintan,UPT Puskesmas,DISDIK,,Ya,"
    for tick in (False, True):
        page.goto(f"{live_server.url}/impor/")
        page.locator("select[name=kind]").select_option(label="Unit kerja")
        page.locator("input[name=file]").set_input_files(
            {"name": "unit.csv", "mimeType": "text/csv", "buffer": f"{header}\n{row}\n".encode()}
        )
        if tick:
            page.get_by_label("Izinkan pindah OPD").check()
        page.get_by_role("button", name="Periksa dan impor").click()
        report = page.locator("#import-status")
        if not tick:
            expect(report.get_by_role("alert")).to_contain_text("Impor dibatalkan")
            expect(report.locator("tbody tr")).to_contain_text(
                "akan pindah dari OPD DINKES ke OPD DISDIK"
            )
            shot(page, "import-opd-move" + ("-phone" if device == "phone" else ""))
            assert Unit.objects.get(pk=org.puskesmas.pk).opd_id == org.dinkes.pk
        else:
            expect(report).to_contain_text("1 unit pindah OPD.")
            assert Unit.objects.get(pk=org.puskesmas.pk).opd_id == org.disdik.pk


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_unit_tree_shows_the_opds_and_their_units(
    new_page: Callable[..., Page], live_server, org: Org, device: str
):
    page = new_page(**(PHONE if device == "phone" else DESKTOP))
    login(page, live_server, "admin.bkpsdm", PASSWORD)
    page.goto(f"{live_server.url}/organisasi/unit/")
    opds = page.locator("ul.tree > li")
    expect(opds).to_have_count(2)
    dinkes = opds.filter(has_text="Dinas Kesehatan")
    summary = dinkes.locator("> details > summary")
    expect(summary.locator(".count")).to_have_text("4")  # active employees in the whole OPD
    expect(opds.filter(has_text="Dinas Pendidikan").locator(".count")).to_have_text("2")
    puskesmas = dinkes.get_by_text("UPT Puskesmas Bukitintan")
    expect(puskesmas).to_be_hidden()
    summary.click()
    expect(puskesmas).to_be_visible()
    shot(page, "unit-tree" if device == "desktop" else "unit-tree-phone")


def test_a_temporary_password_is_shown_once_on_the_page(page: Page, live_server, org: Org):
    """Issue 10, security 6: from the server-side session, never from a cookie."""
    login(page, live_server, "admin.dinkes", PASSWORD)
    page.goto(f"{live_server.url}/pegawai/{org.employee.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Atur ulang kata sandi").click()
    panel = page.get_by_role("alert")
    expect(panel).to_contain_text("Kata sandi sementara untuk Siti Rahmawati")
    password = panel.locator("code").inner_text()
    assert len(password) == 10
    assert all(password not in c["value"] for c in page.context.cookies())
    shot(page, "temporary-password")
    page.reload()
    expect(page.locator("body")).not_to_contain_text(password)


def test_repeated_failures_lock_the_login_from_this_device(page: Page, live_server, org: Org):
    for _ in range(5):
        login(page, live_server, org.employee.nip, "bukan-sandinya")
    login(page, live_server, org.employee.nip, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.get_by_role("alert")).to_contain_text("dikunci sementara")
    shot(page, "login-locked")
