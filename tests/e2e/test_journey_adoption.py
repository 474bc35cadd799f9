"""The adoption journey: BKPSDM prints the activation letters of a Puskesmas (one PDF); a new
employee opens the QR link on a phone and sets her own password; the first-steps checklist
guides her; the Admin OPD sends a one-click reminder and the e-mail arrives at the local SMTP
server. And on a weak connection: a realisation typed while offline stays in the browser and
is sent again. Screenshots go to docs/screenshots/adoption-*.png."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kinerja.adoption.models import HelpArticle
from kinerja.organisation.models import User
from kinerja.performance.models import Realisation, Rhk

from ..adoption.conftest import Mailbox, smtp  # noqa: F401 (fixture)
from ..conftest import PASSWORD, Org
from ..performance.conftest import approved_plan
from .support import DESKTOP, PHONE, login, shot
from .test_journey_skp import cascade, without_live_updates  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Puskesmas-Sehat-2026"


def test_letters_activation_checklist_and_reminder_email(
    new_page: Callable[..., Page],
    live_server,
    org: Org,
    smtp: Mailbox,  # noqa: F811
    time_machine,
) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-11-28 08:30 +07:00")
    base = live_server.url
    HelpArticle.objects.create(slug="masuk", title="Masuk", body="Ketik NIP.", pages="core:*")
    User.objects.filter(employee=org.employee).update(
        email="siti@dinkes.example.id", last_login=None
    )
    bkpsdm = without_live_updates(new_page(**DESKTOP))
    login(bkpsdm, live_server, "admin.bkpsdm", PASSWORD)
    bkpsdm.goto(f"{base}/aktivasi/terbitkan/")
    bkpsdm.get_by_label("Cakupan").select_option("unit")
    bkpsdm.get_by_label("Unit kerja / OPD").select_option(str(org.puskesmas.pk))
    shot(bkpsdm, "adoption-activation-issue")
    with bkpsdm.expect_download() as download:
        bkpsdm.get_by_role("button", name="Terbitkan dan unduh surat aktivasi (PDF)").click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    pages = [p.extract_text() for p in pdf.pages]
    assert len(pages) == 3  # the Puskesmas: supervisor, nurse, midwife
    nurse_page = next(text for text in pages if org.employee.nip in text)
    code = re.search(r"\b[A-Z2-9]{5}-[A-Z2-9]{5}\b", nurse_page).group(0)  # type: ignore[union-attr]

    phone = without_live_updates(new_page(**PHONE))
    phone.goto(f"{base}/aktivasi/?kode={code}")  # what the QR code opens
    expect(phone.get_by_label("Kode aktivasi")).to_have_value(code)
    phone.get_by_label("NIP").fill(org.employee.nip)
    phone.locator("#id_new_password1").fill(NEW_PASSWORD)
    phone.locator("#id_new_password2").fill(NEW_PASSWORD)
    shot(phone, "adoption-activate-phone")
    phone.get_by_role("button", name="Aktifkan akun").click()
    expect(phone.get_by_role("heading", name=re.compile("Langkah awal"))).to_be_visible()
    shot(phone, "adoption-checklist-phone")
    phone.get_by_role("link", name="Periksa profil dan atasan Anda").click()
    expect(phone.get_by_text(org.supervisor.name)).to_be_visible()
    phone.get_by_role("button", name="Data saya sudah benar").click()
    expect(phone.get_by_role("heading", name="Langkah awal (1 dari 3)")).to_be_visible()
    assert User.objects.get(employee=org.employee).check_password(NEW_PASSWORD)

    admin = without_live_updates(new_page(**DESKTOP))
    login(admin, live_server, "admin.dinkes", PASSWORD)
    admin.goto(f"{base}/adopsi/pegawai/?daftar=tanpa_skp")
    shot(admin, "adoption-people")
    admin.get_by_label(f"Pilih {org.employee.full_name}").check()
    admin.get_by_role("button", name="Kirim pengingat menyusun SKP").click()
    expect(admin.get_by_text("Pengingat terkirim ke 1 pegawai.")).to_be_visible()
    inbox = smtp.to("siti@dinkes.example.id")
    assert inbox[0]["Subject"] == "[Kinerja] Kode aktivasi akun Anda"
    [reminder] = [m for m in inbox if "SKP" in m["Subject"]]
    assert "/skp/" in Mailbox.body(reminder)


def test_a_realisation_typed_offline_is_kept_and_sent_again(
    new_page: Callable[..., Page],
    live_server,
    cascade: Org,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    org = cascade
    parent = Rhk.objects.filter(plan__employee=org.supervisor).first()
    plan, _rhk = approved_plan(
        org, "employee", parent=parent, text="Pelayanan", approver="supervisor"
    )
    page = without_live_updates(new_page(**PHONE))
    login(page, live_server, org.employee.nip, PASSWORD)
    page.goto(f"{live_server.url}/skp/{plan.pk}/realisasi/11/")
    box = page.locator("input[name^=value-]").first
    box.fill("7")
    page.context.set_offline(True)
    page.get_by_role("button", name="Simpan semua").click()
    expect(page.get_by_text(re.compile("Koneksi terputus"))).to_be_visible()
    shot(page, "adoption-offline-kept-phone")
    assert not Realisation.objects.exists()
    page.context.set_offline(False)
    page.reload()
    expect(page.get_by_text(re.compile("Ada isian yang belum terkirim"))).to_be_visible()
    expect(page.locator("input[name^=value-]").first).to_have_value("7")
    page.get_by_role("button", name="Kirim ulang").click()
    expect(page.get_by_text(re.compile("tersimpan", re.IGNORECASE)).first).to_be_visible()
    assert Realisation.objects.get().value == Decimal(7)
    # Sent (with htmx, the page's <main> swapped in place): the copy in the browser is gone.
    expect(page.locator(".message.success")).to_have_text("Realisasi November disimpan.")
    page.reload()
    expect(page.locator("input[name^=value-]").first).to_have_value("7")
    expect(page.get_by_text(re.compile("Ada isian yang belum terkirim"))).to_have_count(0)


def test_bkpsdm_reads_adoption_help_and_the_schedule(
    new_page: Callable[..., Page], live_server, org: Org
) -> None:  # type: ignore[no-untyped-def]
    from kinerja.adoption.schedule import run_job
    from kinerja.demo import adoption as demo

    demo.seed(seed=2026, options={})
    run_job("pengingat")
    page = without_live_updates(new_page(**DESKTOP))
    login(page, live_server, "admin.bkpsdm", PASSWORD)
    page.goto(f"{live_server.url}/adopsi/")
    expect(page.get_by_role("heading", name="Per OPD")).to_be_visible()
    shot(page, "adoption-dashboard")
    page.get_by_role("link", name="Tugas terjadwal").click()
    expect(page.get_by_text("berhasil").first).to_be_visible()
    shot(page, "adoption-jobs")
    phone = without_live_updates(new_page(**PHONE))
    login(phone, live_server, org.employee.nip, PASSWORD)
    phone.goto(f"{live_server.url}/bantuan/aktivasi-akun/")
    expect(phone.get_by_role("img", name="Aktivasi akun di ponsel")).to_be_visible()
    shot(phone, "adoption-help-phone")
