"""The SKP journey in two browsers: the nurse drafts her plan against her supervisor's RHK and
submits it; the supervisor returns it with a note; she fixes the target and resubmits; it is
approved; she enters November's realisation with a photo as evidence; the supervisor comments;
she sees the comment and the notification count. Screenshots go to docs/screenshots/skp-*.png.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from kinerja.organisation.choices import Role
from kinerja.performance import services
from kinerja.performance.choices import PlanStatus
from kinerja.performance.models import Evidence, Plan, Realisation

from ..conftest import PASSWORD, Org
from ..factories import make_user
from ..performance.conftest import approved_plan
from .support import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR, MONTH = 2026, 11  # November 2026 has started (the app opens months that have started)


def png(width: int = 24, height: int = 16) -> bytes:
    """A small valid PNG (a blue rectangle): evidence as a phone camera would send it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes([11, 79, 138]) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def cascade(org: Org, time_machine) -> Org:  # type: ignore[no-untyped-def]
    """Dinkes's goal, the head's approved plan (approved by the regent's office) and the
    supervisor's approved plan hanging from it: what the nurse intervenes in."""
    time_machine.move_to("2026-11-28 08:30 +07:00")  # ticking: the live server sees it too
    goal = services.goal_save(
        by=org.users["bkpsdm"],
        opd=org.dinkes,
        year=YEAR,
        number=1,
        sasaran="Meningkatnya derajat kesehatan masyarakat",
        indicator="Angka kematian ibu",
        unit_of_measure="per 100.000 KH",
        target=Decimal(90),
        polarity="lower_is_better",
    )
    org.users["regent"] = make_user(username="bupati", role=Role.PIMPINAN)
    _head, head_rhk = approved_plan(
        org, "unit_head", goal=goal, text="Meningkatnya pelayanan kesehatan", approver="regent"
    )
    approved_plan(
        org,
        "supervisor",
        parent=head_rhk,
        text="Terlaksananya pelayanan Puskesmas",
        approver="unit_head",
    )
    return org


def without_live_updates(page: Page) -> Page:
    """No Server-Sent Events stream (kinerja.monitoring): its once-a-second read of the
    notifications table collides with writes in the test's in-memory SQLite database
    ("database table is locked"); these tests reload pages instead."""
    page.add_init_script("Object.defineProperty(window, 'EventSource', {value: undefined})")
    return page


def open_my_plan(page: Page, base: str) -> None:
    page.goto(f"{base}/skp/")
    page.get_by_role("link", name="Buka").first.click()


def test_a_plan_goes_from_draft_to_feedback(
    new_page: Callable[..., Page], live_server, cascade: Org
) -> None:  # type: ignore[no-untyped-def]
    org, base = cascade, live_server.url
    nurse = without_live_updates(new_page(**DESKTOP))
    boss = without_live_updates(new_page(**DESKTOP))
    login(nurse, live_server, org.employee.nip, PASSWORD)
    login(boss, live_server, org.supervisor.nip, PASSWORD)

    # 1. The nurse starts her SKP for 2026 from a blank page.
    nurse.get_by_role("navigation", name="Menu utama").get_by_role("link", name="SKP saya").click()
    expect(nurse.get_by_role("heading", level=1)).to_have_text("SKP saya")
    expect(nurse.locator(".empty")).to_contain_text("Anda belum memiliki SKP")
    expect(nurse.locator("input[name=year]")).to_have_value(str(YEAR))
    nurse.get_by_role("button", name="Buat SKP").click()
    expect(nurse.get_by_role("heading", level=1)).to_contain_text(f"SKP {YEAR}")
    expect(nurse.locator(".message.success")).to_contain_text("Tambahkan RHK")

    # 2. An RHK that intervenes in the supervisor's RHK, with a typed indicator.
    nurse.get_by_role("link", name="+ Tambah RHK").click()
    nurse.get_by_label("Rencana hasil kerja").fill("Terlayaninya pasien rawat jalan Puskesmas")
    parent = nurse.get_by_label("RHK atasan yang diintervensi")
    parent.select_option(label="[A. Utama] Terlaksananya pelayanan Puskesmas")
    nurse.get_by_role("button", name="Simpan").click()
    expect(nurse.get_by_role("heading", level=1)).to_have_text("Tambah indikator")
    expect(nurse.locator(".message.success")).to_contain_text("RHK ditambahkan")
    nurse.get_by_label("Aspek").select_option(label="Kuantitas")
    nurse.get_by_label("Indikator kinerja individu").fill("Jumlah pasien terlayani")
    nurse.get_by_label("Satuan").fill("pasien")
    nurse.get_by_label("Target tahunan").fill("1200")
    nurse.get_by_label("Arah capaian").select_option(label="Semakin tinggi semakin baik")
    nurse.get_by_label("Cara menghitung setahun dari nilai bulanan").select_option(
        label="Jumlah (untuk hitungan)"
    )
    nurse.get_by_role("button", name="Simpan").click()
    expect(nurse.locator(".message.success")).to_contain_text("Indikator ditambahkan")
    rhk = nurse.locator("article.rhk").first
    expect(rhk).to_contain_text("Terlaksananya pelayanan Puskesmas")  # the intervened RHK
    expect(rhk).to_contain_text("Jumlah pasien terlayani")
    expect(rhk.locator("tbody tr").first).to_contain_text("1.200 pasien")
    shot(nurse, "skp-plan-editor")

    # 3. She submits; the supervisor finds it in the approval inbox and returns it with a note.
    nurse.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    expect(nurse.locator(".message.success")).to_have_text("SKP diajukan kepada pejabat penilai.")
    expect(nurse.locator(".page-head .badge")).to_have_text("Diajukan")
    plan = Plan.objects.get(employee=org.employee, year=YEAR)
    assert plan.status == PlanStatus.SUBMITTED

    boss.goto(f"{base}/skp/")
    boss.get_by_role("link", name=re.compile("1 SKP menunggu persetujuan Anda")).click()
    expect(boss.get_by_role("heading", level=1)).to_have_text("SKP menunggu persetujuan Anda")
    row = boss.locator("tbody tr").filter(has_text="Siti Rahmawati")
    expect(row).to_contain_text("Perawat Ahli Pertama")
    shot(boss, "skp-approval-inbox")
    row.get_by_role("link", name="Periksa").click()
    boss.locator("summary", has_text="Kembalikan dengan catatan").click()
    note = "Target terlalu rendah untuk Puskesmas kita. Naikkan menjadi 1.500 pasien."
    boss.get_by_label("Catatan untuk pegawai").fill(note)
    boss.get_by_role("button", name="Kembalikan", exact=True).click()
    expect(boss.locator(".message.success")).to_have_text("SKP dikembalikan dengan catatan.")

    # 4. The nurse sees the note, raises the target and submits again.
    nurse.reload()
    expect(nurse.locator(".page-head .badge")).to_have_text("Dikembalikan")
    expect(nurse.get_by_role("alert").filter(has_text="Catatan pejabat penilai")).to_contain_text(
        "Naikkan menjadi 1.500 pasien"
    )
    expect(nurse.locator(".bell .pill")).to_be_visible()  # the return was notified
    shot(nurse, "skp-returned")
    nurse.locator("article.rhk").first.get_by_role("link", name="ubah", exact=True).click()
    expect(nurse.get_by_role("heading", level=1)).to_have_text("Ubah indikator")
    nurse.get_by_label("Target tahunan").fill("1500")
    nurse.get_by_role("button", name="Simpan").click()
    expect(nurse.locator(".message.success")).to_have_text("Indikator disimpan.")
    expect(nurse.locator("article.rhk").first).to_contain_text("1.500 pasien")
    nurse.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    expect(nurse.locator(".page-head .badge")).to_have_text("Diajukan")

    # 5. The supervisor approves.
    boss.reload()
    expect(boss.locator("#hasil-kerja + section")).to_contain_text("1.500 pasien")
    boss.get_by_role("button", name="Setujui").click()
    expect(boss.locator(".message.success")).to_contain_text("disetujui")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.versions.count() == 1

    # 6. The nurse enters November with a photo as evidence.
    nurse.reload()
    expect(nurse.locator(".page-head .badge")).to_have_text("Disetujui")
    nurse.locator(".month-links").get_by_role("link", name="Nov").click()
    expect(nurse.get_by_role("heading", level=1)).to_contain_text(f"Realisasi November {YEAR}")
    # Evidence hangs on a saved value: until then the page says so instead of staying empty.
    expect(nurse.locator(".evidence-waiting")).to_contain_text(
        "Nilai realisasi November belum disimpan"
    )
    shot(nurse, "skp-grid-evidence-hint")
    # A value that is not a number: the answer (htmx, in place) marks the row, saves nothing.
    nurse.get_by_label("Jumlah pasien terlayani", exact=True).fill("seratus")
    nurse.get_by_role("button", name="Simpan semua").click()
    expect(nurse.locator(".message.error")).to_contain_text("belum ada yang disimpan")
    expect(nurse.locator("tr.has-error .error")).to_be_visible()
    expect(nurse.get_by_label("Jumlah pasien terlayani", exact=True)).to_have_value("seratus")
    assert not Realisation.objects.filter(indicator__rhk__plan=plan, month=MONTH).exists()
    nurse.get_by_label("Jumlah pasien terlayani", exact=True).fill("132")
    nurse.get_by_label("Uraian singkat Jumlah pasien terlayani").fill(
        "Poli umum 98 pasien, poli lansia 34 pasien."
    )
    nurse.get_by_role("button", name="Simpan semua").click()
    expect(nurse.locator(".message.success")).to_have_text("Realisasi November disimpan.")
    # Saved with htmx (the page's <main> swapped in place): no draft is left in the browser.
    assert (
        nurse.evaluate("Object.keys(localStorage).filter(k => k.startsWith('kinerja:draft:'))")
        == []
    )
    realisation = Realisation.objects.get(indicator__rhk__plan=plan, month=MONTH)
    assert realisation.value == 132 and not realisation.is_late
    evidence = nurse.locator(f"#bukti-{realisation.pk}")
    evidence.locator("input[type=file]").set_input_files(
        {"name": "register-poli-november.png", "mimeType": "image/png", "buffer": png()}
    )
    evidence.get_by_role("button", name="Tambah bukti").click()
    expect(nurse.locator(".message.success")).to_have_text("Bukti ditambahkan.")
    expect(nurse.locator(f"#bukti-{realisation.pk} ul.evidence")).to_contain_text(
        "register-poli-november.png"
    )
    assert Evidence.objects.get(realisation=realisation).content_type == "image/png"
    expect(nurse.locator(".evidence-waiting")).to_have_count(0)
    shot(nurse, "skp-grid")

    # 7. The supervisor comments on the month; the nurse sees it and the notification count.
    boss.goto(f"{base}/skp/{plan.pk}/realisasi/{MONTH}/")
    section = boss.locator(f"#bukti-{realisation.pk}")
    expect(section).to_contain_text("register-poli-november.png")
    section.get_by_label("Umpan balik").fill(
        "Terima kasih, sudah sesuai target. Poli lansia bisa jadi contoh untuk Puskesmas lain."
    )
    section.get_by_role("button", name="Kirim").click()
    expect(boss.locator(".message.success")).to_have_text("Umpan balik terkirim.")
    shot(boss, "skp-feedback-supervisor")

    nurse.reload()
    expect(nurse.locator(f"#bukti-{realisation.pk} .thread")).to_contain_text(
        "Poli lansia bisa jadi contoh"
    )
    pill = nurse.locator(".bell .pill")
    expect(pill).to_have_text(re.compile(r"[2-9]"))  # returned, approved, feedback…
    nurse.locator(f"#bukti-{realisation.pk}").get_by_label("Umpan balik").fill(
        "Siap, Bu. Terima kasih."
    )
    nurse.locator(f"#bukti-{realisation.pk}").get_by_role("button", name="Kirim").click()
    expect(nurse.locator(f"#bukti-{realisation.pk} .thread li")).to_have_count(2)
    shot(nurse, "skp-feedback")

    # On a phone: the nurse's plan, her month and her thread; the supervisor's inbox is empty.
    phone = without_live_updates(new_page(**PHONE))
    login(phone, live_server, org.employee.nip, PASSWORD)
    open_my_plan(phone, base)
    expect(phone.get_by_role("heading", level=1)).to_contain_text(f"SKP {YEAR}")
    shot(phone, "skp-plan-phone")
    phone.goto(f"{base}/skp/{plan.pk}/realisasi/{MONTH}/")
    expect(phone.locator(f"#bukti-{realisation.pk} .thread li")).to_have_count(2)
    shot(phone, "skp-grid-phone")
    boss_phone = without_live_updates(new_page(**PHONE))
    login(boss_phone, live_server, org.supervisor.nip, PASSWORD)
    boss_phone.goto(f"{base}/skp/persetujuan/")
    expect(boss_phone.locator(".empty")).to_have_text(
        "Tidak ada SKP yang menunggu persetujuan Anda."
    )
    shot(boss_phone, "skp-approval-inbox-phone")


def test_a_changed_plan_shows_the_approver_what_changed(
    new_page: Callable[..., Page], live_server, cascade: Org
) -> None:  # type: ignore[no-untyped-def]
    org, base = cascade, live_server.url
    supervisor_rhk = Plan.objects.get(employee=org.supervisor, year=YEAR).rhks.get()
    plan, _rhk = approved_plan(
        org,
        "employee",
        parent=supervisor_rhk,
        text="Terlayaninya pasien rawat jalan Puskesmas",
        approver="supervisor",
    )
    nurse = without_live_updates(new_page(**DESKTOP))
    login(nurse, live_server, org.employee.nip, PASSWORD)
    nurse.goto(f"{base}/skp/{plan.pk}/")
    nurse.once("dialog", lambda dialog: dialog.accept())
    nurse.get_by_role("button", name="Ubah SKP (versi baru)").click()
    expect(nurse.locator(".message.success")).to_contain_text("versi baru")
    nurse.locator("article.rhk").first.get_by_role("link", name="ubah", exact=True).click()
    nurse.get_by_label("Target tahunan").fill("18")
    nurse.get_by_role("button", name="Simpan").click()
    expect(nurse.locator(".message.success")).to_have_text("Indikator disimpan.")
    nurse.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    expect(nurse.locator(".page-head .badge")).to_have_text("Diajukan · v2")

    boss = without_live_updates(new_page(**DESKTOP))
    login(boss, live_server, org.supervisor.nip, PASSWORD)
    boss.goto(f"{base}/skp/persetujuan/")
    row = boss.locator("tbody tr").filter(has_text="Siti Rahmawati")
    expect(row).to_contain_text("v2, perubahan dari versi yang disetujui")
    row.get_by_role("link", name="Periksa perubahan").click()
    changes = boss.locator("#perubahan")
    expect(changes).to_contain_text("Perubahan versi 2 dibanding versi 1 yang disetujui")
    expect(changes).to_contain_text("(target 12 → 18)")
    shot(boss, "skp-version-changes")
    boss.get_by_role("link", name=re.compile("Riwayat versi")).click()
    expect(boss.locator("#perubahan")).to_contain_text("menunggu persetujuan")
    expect(boss.locator("#perubahan")).to_contain_text("(target 12 → 18)")
    shot(boss, "skp-version-history")


def test_the_printed_skp_opens_from_the_plan(page: Page, live_server, cascade: Org) -> None:  # type: ignore[no-untyped-def]
    org = cascade
    plan = Plan.objects.get(employee=org.supervisor, year=YEAR)
    without_live_updates(page)
    login(page, live_server, org.supervisor.nip, PASSWORD)
    page.goto(f"{live_server.url}/skp/{plan.pk}/")
    link = page.get_by_role("link", name="Cetak SKP (PDF)")
    expect(link).to_have_attribute("href", f"/skp/{plan.pk}/dokumen.pdf")
    response = page.request.get(f"{live_server.url}/skp/{plan.pk}/dokumen.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_spreadsheet_imports_explain_their_errors(
    new_page: Callable[..., Page], live_server, cascade: Org
) -> None:  # type: ignore[no-untyped-def]
    org, base = cascade, live_server.url
    plan = Plan.objects.get(employee=org.supervisor, year=YEAR)
    indicator = plan.rhks.get().indicators.get()
    page = without_live_updates(new_page(**DESKTOP))
    login(page, live_server, org.supervisor.nip, PASSWORD)
    page.goto(f"{base}/skp/{plan.pk}/realisasi/{MONTH}/")
    page.get_by_role("link", name="Impor dari XLSX").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impor realisasi dari XLSX")
    expect(page.get_by_role("link", name="Unduh templat XLSX")).to_be_visible()
    csv = (
        "ID Indikator;Indikator;Januari;Februari;Desember\n"
        f"{indicator.pk};{indicator.name};1;dua;3\n"
        f"99999;Indikator lain;1;;\n"
    )
    page.locator("input[name=file]").set_input_files(
        {"name": "realisasi.csv", "mimeType": "text/csv", "buffer": csv.encode()}
    )
    page.get_by_role("button", name="Periksa dan simpan").click()
    report = page.locator("#hasil-impor")
    expect(report.get_by_role("alert")).to_contain_text("Impor dibatalkan")
    expect(report.locator("tbody tr")).to_have_count(3)
    expect(report).to_contain_text("“dua” bukan angka.")
    expect(report).to_contain_text("Bulan Desember 2026 belum dimulai")
    expect(report).to_contain_text("bukan bagian dari SKP ini")
    shot(page, "skp-realisation-import")
    assert not Realisation.objects.filter(indicator=indicator).exists()

    admin = without_live_updates(new_page(**PHONE))
    login(admin, live_server, "admin.dinkes", PASSWORD)
    admin.goto(f"{base}/skp/sasaran-opd/impor/")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Impor sasaran OPD dari XLSX")
    expect(admin.locator("#opd")).to_have_value(str(org.dinkes.pk))
    shot(admin, "skp-goal-import-phone")
