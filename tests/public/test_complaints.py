"""Complaints and suggestions: filing (with attachment checks), the tracking code, the states and
who may move them, the working-day clock, the citizen's rating and reopening, spam removal."""

from __future__ import annotations

import io
import math
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from PIL import Image

from kinerja.core.models import AuditLog
from kinerja.public import protection, selectors, services
from kinerja.public.choices import ComplaintStatus
from kinerja.public.models import Complaint, ComplaintUpdate
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
TEXT = "Antrean pendaftaran sangat lama, lebih dari tiga jam menunggu tanpa kejelasan."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def form(pub, **extra):  # type: ignore[no-untyped-def]
    data = {
        "kind": "pengaduan",
        "target": f"s{pub.pkm.pk}",
        "category": "waktu",
        "description": TEXT,
        "contact_name": "Rina",
        "contact_email": "rina@example.id",
    }
    data.update(extra)
    return data


def file(pub, **extra) -> Complaint:  # type: ignore[no-untyped-def]
    values = {
        "unit": pub.org.puskesmas,
        "service": pub.pkm,
        "kind": "pengaduan",
        "category": "waktu",
        "description": TEXT,
        "contact_email": "rina@example.id",
    }
    values.update(extra)
    return services.complaint_file(**values)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


# --- Filing and tracking ---------------------------------------------------------------------


def test_a_citizen_files_a_complaint_and_gets_a_tracking_code(pub) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post("/pengaduan/", form(pub))
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pengaduan/lacak/{complaint.tracking_code}/"
    page = client.get(response["Location"]).content.decode()
    assert "Simpan kode pelacakan ini" in page and complaint.code_display in page
    assert (complaint.unit, complaint.service, complaint.status) == (
        pub.org.puskesmas,
        pub.pkm,
        ComplaintStatus.RECEIVED,
    )
    assert complaint.contact_email == "rina@example.id"
    # The big "save this code" box shows only once.
    assert "Simpan kode pelacakan ini" not in client.get(response["Location"]).content.decode()


def test_an_anonymous_complaint_keeps_no_contact(pub) -> None:  # type: ignore[no-untyped-def]
    Client().post("/pengaduan/", form(pub, anonymous="on", contact_phone="0812"))
    complaint = Complaint.objects.get()
    assert complaint.anonymous
    assert (complaint.contact_name, complaint.contact_email, complaint.contact_phone) == (
        "",
        "",
        "",
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"description": "terlalu pendek"}, "minimal 20 karakter"),
        ({"target": ""}, "Pilih unit atau layanan"),
        ({"target": "s999999"}, "Pilihan tidak dikenal"),
        ({"category": ""}, "Pilih kategori"),
        ({"contact_email": "bukan-surel"}, "Alamat surel tidak valid"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(pub, extra, message) -> None:  # type: ignore[no-untyped-def]
    response = Client().post("/pengaduan/", form(pub, **extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Complaint.objects.count() == 0


def test_the_tracking_code_is_unguessable() -> None:
    codes = [protection.tracking_code() for _ in range(4000)]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 12 and set(c) <= set(protection.CODE_ALPHABET) for c in codes)
    assert not set("01IO") & set(protection.CODE_ALPHABET)
    assert len(protection.CODE_ALPHABET) == 32
    entropy_bits = 12 * math.log2(len(protection.CODE_ALPHABET))
    assert entropy_bits >= 60
    # Every symbol is about equally likely (chi-square, 31 degrees of freedom, p ≈ 0.0001).
    counts = Counter("".join(codes))
    expected = len(codes) * 12 / 32
    chi2 = sum((counts[s] - expected) ** 2 / expected for s in protection.CODE_ALPHABET)
    assert chi2 < 70


def test_the_tracking_page_accepts_the_code_as_typed(pub) -> None:  # type: ignore[no-untyped-def]
    complaint = file(pub)
    typed = complaint.code_display.lower()  # "abcd-efgh-jkmn"
    response = Client().get("/pengaduan/lacak/", {"code": f" {typed} "})
    assert response.status_code == 302
    assert response["Location"] == f"/pengaduan/lacak/{complaint.tracking_code}/"
    missing = Client().get("/pengaduan/lacak/", {"code": "ZZZZ-ZZZZ-ZZZZ"})
    assert "tidak ditemukan" in missing.content.decode()
    assert Client().get("/pengaduan/lacak/ZZZZZZZZZZZZ/").status_code == 404


def test_guessing_codes_is_rate_limited(pub, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_TRACK_RATE_LIMIT = "3/600"
    complaint = file(pub)
    client = Client()
    for _ in range(3):
        client.get("/pengaduan/lacak/", {"code": "ZZZZZZZZZZZZ"})
    assert client.get(f"/pengaduan/lacak/{complaint.tracking_code}/").status_code == 429


# --- Attachments ----------------------------------------------------------------------------


def upload(name: str, data: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_photo_is_stored_under_a_random_name(pub, tmp_path) -> None:  # type: ignore[no-untyped-def]
    response = Client().post(
        "/pengaduan/", {**form(pub), "attachment": upload("KTP saya.png", png_bytes())}
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.attachment_type == "image/png"
    stored = complaint.attachment.name
    assert "KTP" not in stored and stored.endswith(".png") and len(stored.rsplit("/", 1)[1]) == 36


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("foto.png", b"<?php system($_GET['c']); ?>"),
        ("foto.jpg", b"\xff\xd8\xff\xe0 not really a jpeg"),
        ("surat.pdf", b"MZ\x90\x00 an executable"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(pub, tmp_path, name, data) -> None:  # type: ignore[no-untyped-def]
    response = Client().post("/pengaduan/", {**form(pub), "attachment": upload(name, data)})
    assert response.status_code == 200
    assert "bukan salah satunya" in response.content.decode()
    assert Complaint.objects.count() == 0
    assert not list(tmp_path.rglob("*.*"))


def test_a_pdf_is_accepted_and_a_large_file_refused(pub, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pdf = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    assert (
        Client().post("/pengaduan/", {**form(pub), "attachment": upload("a.pdf", pdf)}).status_code
        == 302
    )
    settings.PUBLIC_UPLOAD_MAX_BYTES = 20
    response = Client().post("/pengaduan/", {**form(pub), "attachment": upload("b.pdf", pdf)})
    assert "terlalu besar" in response.content.decode()
    assert Complaint.objects.count() == 1


def test_staff_download_the_attachment_readers_only(pub, clients) -> None:  # type: ignore[no-untyped-def]
    Client().post("/pengaduan/", {**form(pub), "attachment": upload("x.png", png_bytes())})
    complaint = Complaint.objects.get()
    url = f"/layanan-publik/pengaduan/{complaint.pk}/lampiran/"
    response = clients["admin_opd"].get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert clients["other"].get(url).status_code == 404
    assert clients["anonymous"].get(url).status_code == 302


# --- States and who moves them --------------------------------------------------------------


def test_the_unit_moves_a_complaint_through_its_states(
    pub, org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    admin = org.users["admin_opd"]
    complaint = file(pub)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_respond(complaint=complaint, by=admin, to_status="diverifikasi")
    assert complaint.first_response_at is None  # no message yet: the clock runs on
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_respond(
            complaint=complaint,
            by=admin,
            to_status="diproses",
            message="Kami periksa jadwal loket.",
        )
    assert complaint.first_response_at is not None and complaint.clock_due is None
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_respond(
            complaint=complaint,
            by=admin,
            to_status="selesai",
            message="Loket kedua dibuka pagi hari.",
        )
    assert complaint.status == "selesai" and complaint.closed_at is not None
    kinds = list(complaint.updates.values_list("kind", "status_to"))
    assert kinds == [
        ("status", "diterima"),
        ("status", "diverifikasi"),
        ("status", "diproses"),
        ("status", "selesai"),
    ]
    assert AuditLog.objects.filter(object_type="public.complaint").count() == 3
    assert len(mail.outbox) == 3 and complaint.tracking_code in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("path", "to", "message", "error"),
    [
        ([], "selesai", "x", "tidak dapat diubah"),
        ([], "diproses", "x", "tidak dapat diubah"),
        (["diverifikasi"], "ditolak", "", "alasan penolakan"),
        (["diverifikasi", "diproses"], "selesai", "", "penyelesaiannya"),
        (["ditolak"], "", "masih ada?", "sudah ditutup"),
        ([], "", "", "Tulis tanggapan"),
    ],
)
def test_forbidden_moves_are_refused_and_change_nothing(pub, org, path, to, message, error) -> None:  # type: ignore[no-untyped-def]
    admin = org.users["admin_opd"]
    complaint = file(pub)
    for step in path:
        services.complaint_respond(complaint=complaint, by=admin, to_status=step, message="Alasan.")
    before = (complaint.status, complaint.updates.count())
    with pytest.raises(ValidationError, match=error):
        services.complaint_respond(complaint=complaint, by=admin, to_status=to, message=message)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.updates.count()) == before


def test_a_rejection_shows_its_reason_to_the_citizen(pub, org) -> None:  # type: ignore[no-untyped-def]
    complaint = file(pub)
    services.complaint_respond(
        complaint=complaint,
        by=org.users["admin_opd"],
        to_status="ditolak",
        message="Bukan kewenangan Puskesmas; silakan ke RSUD.",
    )
    page = Client().get(f"/pengaduan/lacak/{complaint.tracking_code}/").content.decode()
    assert "Ditolak" in page and "Bukan kewenangan Puskesmas" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin_opd", 302),
        ("bkpsdm", 302),
        ("supervisor", 404),
        ("unit_head", 404),
        ("pimpinan", 404),
        ("inspektorat", 404),
        ("employee", 404),
        ("other", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_units_administrators_act_on_a_complaint(pub, clients, persona, status) -> None:  # type: ignore[no-untyped-def]
    complaint = file(pub)
    response = clients[persona].post(
        f"/layanan-publik/pengaduan/{complaint.pk}/tindak/", {"to_status": "diverifikasi"}
    )
    assert response.status_code == status
    complaint.refresh_from_db()
    acted = persona in {"admin_opd", "bkpsdm"}
    assert complaint.status == ("diverifikasi" if acted else "diterima")


def test_another_opds_admin_cannot_see_the_complaint(pub, clients) -> None:  # type: ignore[no-untyped-def]
    complaint = file(pub, unit=pub.disdik_unit, service=pub.ppdb)
    assert clients["admin_opd"].get(f"/layanan-publik/pengaduan/{complaint.pk}/").status_code == 404
    assert clients["bkpsdm"].get(f"/layanan-publik/pengaduan/{complaint.pk}/").status_code == 200


def test_the_original_text_never_changes_and_spam_removal_is_audited(pub, org, clients) -> None:  # type: ignore[no-untyped-def]
    complaint = file(pub)
    services.complaint_respond(
        complaint=complaint, by=org.users["admin_opd"], message="Diterima, kami cek."
    )
    response = clients["admin_opd"].post(
        f"/layanan-publik/pengaduan/{complaint.pk}/spam/", {"reason": "Iklan pinjaman online."}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.description == TEXT
    assert complaint.removed_at is not None
    log = AuditLog.objects.get(object_type="public.complaint", action="delete")
    assert log.actor == org.users["admin_opd"] and "pinjaman" in log.note
    assert Client().get(f"/pengaduan/lacak/{complaint.tracking_code}/").status_code == 404
    inbox = clients["admin_opd"].get("/layanan-publik/pengaduan/").content.decode()
    assert complaint.code_display not in inbox


# --- The citizen's moves ---------------------------------------------------------------------


def resolved(pub, org) -> Complaint:  # type: ignore[no-untyped-def]
    complaint = file(pub)
    admin = org.users["admin_opd"]
    for step in ("diverifikasi", "diproses", "selesai"):
        services.complaint_respond(
            complaint=complaint, by=admin, to_status=step, message="Sudah ditangani."
        )
    return complaint


def test_the_citizen_rates_a_resolved_complaint_once(pub, org) -> None:  # type: ignore[no-untyped-def]
    complaint = resolved(pub, org)
    client = Client()
    url = f"/pengaduan/lacak/{complaint.tracking_code}/nilai/"
    assert (
        "Nilai penyelesaiannya"
        in client.get(f"/pengaduan/lacak/{complaint.tracking_code}/").content.decode()
    )
    assert "Pilih penilaian" in client.post(url, {"rating": "6"}).content.decode()
    assert client.post(url, {"rating": "4", "comment": "Cepat."}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.rating == 4
    again = client.post(url, {"rating": "1"})
    assert "sudah memberi penilaian" in again.content.decode()
    complaint.refresh_from_db()
    assert complaint.rating == 4


def test_the_citizen_reopens_once_within_14_days(pub, org) -> None:  # type: ignore[no-untyped-def]
    complaint = resolved(pub, org)
    url = f"/pengaduan/lacak/{complaint.tracking_code}/buka-kembali/"
    assert "Jelaskan minimal" in Client().post(url, {"reason": "belum"}).content.decode()
    assert Client().post(url, {"reason": "Loket kedua ternyata tetap tutup."}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "diproses" and complaint.reopened_at and complaint.clock_due
    services.complaint_respond(
        complaint=complaint, by=org.users["admin_opd"], to_status="selesai", message="Kini dibuka."
    )
    with pytest.raises(ValidationError, match="satu kali"):
        services.complaint_reopen(complaint=complaint, reason="Masih saja tutup hari ini.")


def test_reopening_after_14_days_is_refused(pub, org) -> None:  # type: ignore[no-untyped-def]
    complaint = resolved(pub, org)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        page = Client().get(f"/pengaduan/lacak/{complaint.tracking_code}/").content.decode()
        assert "Belum selesai?" not in page
        with pytest.raises(ValidationError, match="14 hari"):
            services.complaint_reopen(complaint=complaint, reason="Masih belum beres sama sekali.")


# --- The working-day clock ------------------------------------------------------------------


def test_the_first_response_is_due_five_working_days_after_filing(pub) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 11, 27, 10, 0, tzinfo=WIB), tick=False):  # Friday
        complaint = file(pub)
    assert timezone.localtime(complaint.first_response_due) == datetime(
        2026, 12, 4, 23, 59, 59, tzinfo=WIB
    )
    with time_machine.travel(datetime(2026, 11, 28, 21, 0, tzinfo=WIB), tick=False):  # Saturday
        assert timezone.localdate(file(pub).first_response_due).isoformat() == "2026-12-04"


def test_holidays_extend_the_deadline(pub, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_HOLIDAYS = ["2026-12-01", "2026-12-02"]
    with time_machine.travel(datetime(2026, 11, 27, 10, 0, tzinfo=WIB), tick=False):
        complaint = file(pub)
    assert timezone.localdate(complaint.first_response_due).isoformat() == "2026-12-08"


def test_overdue_complaints_stand_out_in_the_inbox(pub) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 11, 27, 10, 0, tzinfo=WIB), tick=False):
        late = file(pub)
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=WIB), tick=False):  # Monday
        fresh = file(pub)
    with time_machine.travel(datetime(2026, 12, 8, 9, 0, tzinfo=WIB), tick=False):  # Tuesday
        client = client_for(pub.org, "admin_opd")  # a session started now
        page = client.get("/layanan-publik/pengaduan/").content.decode()
        assert 'class="overdue"' in page
        assert "Terlambat 2 hari kerja" in page  # due Fri 4 Dec; Mon 7 and Tue 8 late
        assert "Sisa 4 hari kerja" in page
        only = client.get("/layanan-publik/pengaduan/", {"overdue": "on"}).content.decode()
        assert late.code_display in only and fresh.code_display not in only
        assert "terlambat" in client.get("/layanan-publik/").content.decode()


def test_complaints_on_time_percent_follows_its_definition(pub, org) -> None:  # type: ignore[no-untyped-def]
    admin = org.users["admin_opd"]
    unit = org.puskesmas.pk
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=WIB), tick=False):  # Mon, due Mon 9
        on_time, late, _silent = file(pub), file(pub), file(pub)
        spam = file(pub)
    with time_machine.travel(datetime(2026, 11, 5, 9, 0, tzinfo=WIB), tick=False):
        services.complaint_respond(complaint=on_time, by=admin, message="Kami tangani.")
        services.complaint_remove(complaint=spam, by=admin, reason="Iklan semata.")
    with time_machine.travel(datetime(2026, 11, 12, 9, 0, tzinfo=WIB), tick=False):
        services.complaint_respond(complaint=late, by=admin, message="Maaf terlambat.")
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=WIB), tick=False):  # Mon
        file(pub)  # filed in November, due in December: not yet decided
        assert selectors.complaints_on_time_percent(unit, 2026, 11) == Decimal("33.33")
        assert selectors.complaints_on_time_percent(org.dinkes.pk, 2026, 11) == Decimal("33.33")
        assert selectors.complaints_on_time_percent(unit, 2026, 10) is None
        assert selectors.complaints_on_time_percent(pub.disdik_unit.pk, 2026, 11) is None


def test_the_timeline_shows_official_responses_to_the_citizen(pub, org) -> None:  # type: ignore[no-untyped-def]
    complaint = file(pub)
    services.complaint_respond(
        complaint=complaint, by=org.users["admin_opd"], message="Terima kasih, kami tindak lanjuti."
    )
    page = Client().get(f"/pengaduan/lacak/{complaint.tracking_code}/").content.decode()
    assert "Tanggapan resmi" in page and "kami tindak lanjuti" in page
    assert "admin.dinkes" not in page  # staff names stay internal
    assert ComplaintUpdate.objects.filter(complaint=complaint).count() == 2


@pytest.mark.parametrize(
    "description", ["\u200b" * 40, "Antrean lama" + "\u200b" * 30, "\ufeff \u200e " * 20]
)
def test_a_description_that_shows_too_little_is_refused(pub, description: str) -> None:  # type: ignore[no-untyped-def]
    """Zero-width spaces, a BOM and direction marks pass `str.strip()`; they do not count
    towards the description's minimum length."""
    with pytest.raises(ValidationError, match="Uraian"):
        file(pub, description=description)
    assert not Complaint.objects.exists()
    kept = file(pub, description="\u200b" + TEXT + "\u200b\n")
    assert kept.description == TEXT


@pytest.mark.parametrize("phone", ["abc", "-1", "0812"])
def test_a_contact_phone_that_is_no_number_is_refused_and_nothing_filed(  # type: ignore[no-untyped-def]
    pub, phone: str
) -> None:
    response = Client().post("/pengaduan/", form(pub, contact_phone=phone))
    assert response.status_code == 200
    assert "Nomor telepon tidak valid" in response.content.decode()
    assert not Complaint.objects.exists()
    with pytest.raises(ValidationError) as caught:
        file(pub, contact_phone=phone)
    assert "contact_phone" in caught.value.message_dict
    assert not Complaint.objects.exists()


def test_an_indonesian_contact_phone_is_kept_as_typed(pub) -> None:  # type: ignore[no-untyped-def]
    response = Client().post("/pengaduan/", form(pub, contact_phone=" +62 812-3456-7890 "))
    assert response.status_code == 302
    assert Complaint.objects.get().contact_phone == "+62 812-3456-7890"
    assert file(pub, contact_phone="").contact_phone == ""
