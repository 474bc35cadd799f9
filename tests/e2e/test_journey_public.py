"""Community participation in the browser, on a phone: a citizen answers the survey from its QR
address; files a complaint, keeps the tracking code, tracks it and reads the unit's official
response; a counter tablet sends questionnaires through the kiosk API; the results are public.
Screenshots go to docs/screenshots/public-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from kinerja.public import services
from kinerja.public.models import Complaint, ServicePopulation, SurveyResponse

from .. import clock
from ..conftest import PASSWORD, Org
from .support import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = ["Sangat sesuai", "Mudah", "Kurang cepat", "Gratis", "Sesuai", "Kompeten",
           "Sangat sopan dan ramah", "Berfungsi kurang maksimal", "Baik"]  # fmt: skip


@pytest.fixture(autouse=True)
def _in_october() -> Iterator[None]:
    """The journeys happen on 20 October 2026 (the clock ticks from there), whatever day the
    suite runs: the survey year then has months behind it and a month still open."""
    yield from clock.demo_day()


@pytest.fixture
def service(org: Org):  # type: ignore[no-untyped-def]
    """The Puskesmas' general examination, with a year of paper questionnaires behind it."""
    pkm = services.service_create(
        by=None,
        unit=org.puskesmas,
        code="PKM01-UMUM",
        name="Pemeriksaan Umum",
        ask_counter=True,
        counters="Loket 1\nLoket 2",
    )
    services.service_create(
        by=None, unit=org.puskesmas, code="PKM01-KIA", name="Kesehatan Ibu dan Anak"
    )
    today = date.today()
    rows = []
    for month in range(1, today.month + 1):
        for n in range(6):
            low = 2 if month < 6 and n < 2 else 3
            rows.append(
                services.PaperRow(
                    date(today.year, month, 3 + n),
                    "pagi",
                    [4, 3, low, 4, 3, 4, 4, 3, 3 if n % 2 else 4],
                    services.Profile(sex="LP"[n % 2], age=25 + 5 * n, education="sma"),
                    "Antrean pagi perlu nomor daring." if n == 0 else "",
                )
            )
        ServicePopulation.objects.create(service=pkm, year=today.year, month=month, population=40)
    services.responses_enter(service=pkm, rows=rows, by=None, source="e2e")
    return pkm


def answer_the_survey(page: Page) -> None:
    for number, label in enumerate(ANSWERS, start=1):
        page.locator(f"#unsur-U{number}").get_by_text(label, exact=True).click()


def test_a_citizen_answers_the_survey_on_a_phone(phone_page: Page, live_server, service) -> None:  # type: ignore[no-untyped-def]
    page = phone_page
    page.goto(f"{live_server.url}/survei/pkm01-umum/")  # as printed under the QR code
    expect(page.get_by_role("heading", level=1)).to_have_text("Pemeriksaan Umum")
    expect(page.locator("fieldset.unsur")).to_have_count(9)
    shot(page, "public-survey-phone")

    # Sending without answering everything explains what is missing and keeps the answers.
    page.locator("#unsur-U1").get_by_text("Sangat sesuai", exact=True).click()
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("alert").first).to_contain_text("Periksa jawaban yang ditandai merah")
    expect(page.locator("#unsur-U2 .error")).to_contain_text("Pilih salah satu jawaban")
    expect(page.locator("#unsur-U1 input[value='4']")).to_be_checked()
    assert SurveyResponse.objects.filter(channel="web").count() == 0

    answer_the_survey(page)
    page.get_by_text("Perempuan", exact=True).click()
    page.get_by_label("Usia (tahun)").fill("34")
    page.get_by_label("Pendidikan terakhir").select_option("sma")
    page.get_by_label("Loket yang melayani Anda").select_option("Loket 2")
    page.get_by_label("Saran untuk perbaikan layanan").fill("Tambah kursi di ruang tunggu.")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih!")
    shot(page, "public-survey-thanks-phone")
    stored = SurveyResponse.objects.get(channel="web")
    assert stored.answers == [4, 3, 2, 4, 3, 3, 4, 3, 3]
    assert (stored.sex, stored.age, stored.counter) == ("P", 34, "Loket 2")

    # The same phone cannot answer the same service twice on one day.
    page.goto(f"{live_server.url}/survei/PKM01-UMUM/")
    answer_the_survey(page)
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "sudah mengisi survei layanan ini hari ini"
    )
    assert SurveyResponse.objects.filter(channel="web").count() == 1


def test_a_complaint_is_filed_tracked_and_answered(
    new_page: Callable[..., Page], live_server, org: Org, service
) -> None:  # type: ignore[no-untyped-def]
    citizen = new_page(**PHONE)
    citizen.goto(f"{live_server.url}/pengaduan/")
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Sampaikan pengaduan atau saran")
    citizen.get_by_label("Unit atau layanan yang dituju").select_option(f"s{service.pk}")
    citizen.get_by_label("Kategori").select_option("waktu")
    citizen.get_by_label("Uraian").fill(
        "Saya antre <b>tiga jam</b> di loket pendaftaran tanpa nomor antrean."
    )
    citizen.get_by_label("Surel untuk pemberitahuan").fill("rina@example.id")
    shot(citizen, "public-complaint-form-phone")
    citizen.get_by_role("button", name="Kirim", exact=True).click()
    code_box = citizen.locator("[data-tracking-code]")
    expect(code_box).to_have_text(
        re.compile(r"^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")
    )
    code = code_box.inner_text()
    expect(citizen.locator(".usertext").first).to_contain_text("<b>tiga jam</b>")  # shown as text
    shot(citizen, "public-complaint-code-phone")
    complaint = Complaint.objects.get()
    assert complaint.code_display == code

    # The unit's administrator answers from the inbox.
    staff = new_page(**DESKTOP)
    login(staff, live_server, "admin.dinkes", PASSWORD)
    staff.goto(f"{live_server.url}/layanan-publik/pengaduan/")
    row = staff.locator("tbody tr").filter(has_text=code)
    expect(row).to_contain_text("Sisa 5 hari kerja")
    shot(staff, "public-inbox")
    row.get_by_role("link", name=code).click()
    staff.get_by_label("Ubah status").select_option("diverifikasi")
    staff.get_by_label("Tanggapan resmi untuk pelapor").fill(
        "Terima kasih. Mulai Senin loket kedua dibuka pukul 07.30 "
        "dan nomor antrean tersedia daring."
    )
    staff.get_by_role("button", name="Simpan", exact=True).click()
    expect(staff.get_by_role("status")).to_contain_text("Tindakan atas pengaduan disimpan")
    shot(staff, "public-complaint-manage")

    # The citizen looks the code up later, typed carelessly, and reads the response.
    citizen.goto(f"{live_server.url}/pengaduan/lacak/")
    citizen.get_by_label("Kode pelacakan").fill(f" {code.lower()} ")
    citizen.get_by_role("button", name="Lihat status").click()
    expect(citizen.get_by_role("heading", level=1)).to_contain_text(code)
    expect(citizen.locator(".status").first).to_have_text("Diverifikasi")
    timeline = citizen.locator("ol.timeline")
    expect(timeline).to_contain_text("loket kedua dibuka pukul 07.30")
    expect(timeline).not_to_contain_text("admin.dinkes")
    shot(citizen, "public-complaint-status-phone")


def test_a_counter_tablet_sends_questionnaires_with_its_token(
    new_page: Callable[..., Page], live_server, org: Org, service
) -> None:  # type: ignore[no-untyped-def]
    staff = new_page(**DESKTOP)
    login(staff, live_server, "admin.dinkes", PASSWORD)
    staff.goto(f"{live_server.url}/layanan-publik/layanan/PKM01-UMUM/")
    staff.get_by_label("Nama perangkat").fill("Tablet Loket 1")
    staff.get_by_role("button", name="Terbitkan token").click()
    token = staff.locator("[data-token]").inner_text()
    assert token.startswith("kios_")

    tablet = new_page(**PHONE)
    tablet.goto(f"{live_server.url}/survei/PKM01-UMUM/kios/")
    tablet.get_by_label("Token perangkat").fill(token)
    tablet.get_by_role("button", name="Simpan token").click()
    answer_the_survey(tablet)
    shot(tablet, "public-kiosk-phone")
    tablet.get_by_role("button", name="Kirim jawaban").click()
    expect(tablet.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    stored = SurveyResponse.objects.get(channel="kiosk")
    assert stored.device.name == "Tablet Loket 1"
    # After a few seconds the tablet is ready for the next person, the form empty again.
    expect(tablet.locator("#unsur-U1")).to_be_visible(timeout=8000)
    expect(tablet.locator("#unsur-U1 input:checked")).to_have_count(0)


def test_the_results_are_public(
    new_page: Callable[..., Page], live_server, org: Org, service
) -> None:  # type: ignore[no-untyped-def]
    page = new_page(**PHONE)
    page.goto(f"{live_server.url}/transparansi/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kepuasan masyarakat")
    expect(page.locator(".ikm-value").first).to_have_text(re.compile(r"^\d{2},\d{2}$"))
    page.get_by_role("link", name="Dinas Kesehatan").click()
    expect(page.locator("svg.ikm-chart")).to_be_visible()
    page.get_by_text("Tampilkan sebagai tabel").first.click()
    expect(page.locator("details.data-table table").first).to_be_visible()
    shot(page, "public-transparency-phone")

    desktop = new_page(**DESKTOP)
    login(desktop, live_server, "admin.dinkes", PASSWORD)
    desktop.goto(f"{live_server.url}/layanan-publik/unit/{org.puskesmas.pk}/hasil/")
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("Hasil SKM")
    expect(desktop.locator(".unsur-table tr.weakest")).to_contain_text("U3")
    shot(desktop, "public-results")


def test_bkpsdm_rewords_a_question_and_the_phone_survey_shows_it(
    new_page: Callable[..., Page], live_server, org: Org, service
) -> None:  # type: ignore[no-untyped-def]
    admin = new_page(**DESKTOP)
    login(admin, live_server, "admin.bkpsdm", PASSWORD)
    admin.goto(f"{live_server.url}/layanan-publik/")
    admin.get_by_role("link", name="Pertanyaan survei").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Pertanyaan survei kepuasan")
    admin.get_by_role("link", name="Ubah U3").click()
    admin.get_by_label("Pertanyaan").fill("Berapa lama Anda menunggu sampai layanan selesai?")
    admin.get_by_label("Jawaban 4 (terbaik)").fill("Cepat sekali")
    shot(admin, "public-question-edit")
    admin.get_by_role("button", name="Simpan").click()
    expect(admin.locator(".messages")).to_contain_text("Pertanyaan U3 disimpan")
    expect(admin.locator("tbody tr").nth(2)).to_contain_text("Disesuaikan")
    shot(admin, "public-questions")

    phone = new_page(**PHONE)
    phone.goto(f"{live_server.url}/survei/PKM01-UMUM/")
    expect(phone.locator("#unsur-U3 legend")).to_contain_text("Berapa lama Anda menunggu")
    expect(phone.locator("#unsur-U3")).to_contain_text("Cepat sekali")


def test_a_citizen_deletes_their_forum_account_on_a_phone(
    phone_page: Page, live_server, service
) -> None:  # type: ignore[no-untyped-def]
    _participant, token = services.participant_signup(email="warga@example.id", nickname="Warga")
    page = phone_page
    page.goto(f"{live_server.url}/forum/konfirmasi/{token}/")
    expect(page.locator(".messages")).to_contain_text("Selamat datang di forum warga, Warga")
    page.get_by_role("link", name="Hapus akun forum saya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hapus akun forum")
    shot(page, "public-forum-erase-phone")
    page.get_by_role("button", name="Ya, hapus akun saya").click()
    expect(page.locator(".messages")).to_contain_text("Akun forum Anda sudah dihapus")
    expect(page.get_by_role("link", name="Masuk dengan surel")).to_be_visible()
