"""The survey on a phone: the questionnaire, its refusals (missing or invalid answers, honeypot,
once per browser per day, rate limit), and privacy (no IP stored in plain, hashes purged)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Q
from django.test import Client, override_settings
from django.utils import timezone

from kinerja.core.models import AuditLog
from kinerja.public import services
from kinerja.public.choices import Channel
from kinerja.public.models import Complaint, SurveyDay, SurveyResponse
from kinerja.public.protection import BROWSER_COOKIE

pytestmark = pytest.mark.django_db

URL = "/survei/PKM01-UMUM/"
IP = "203.0.113.77"


def filled(**extra: str) -> dict[str, str]:
    data = {f"u{i}": "3" for i in range(1, 10)}
    data.update(
        {"time_slot": "pagi", "sex": "P", "age": "34", "education": "sma", "occupation": "swasta"}
    )
    data.update(extra)
    return data


def citizen() -> Client:
    return Client(REMOTE_ADDR=IP)


def test_the_page_shows_the_nine_unsur_with_their_labels(pub) -> None:  # type: ignore[no-untyped-def]
    response = citizen().get("/survei/pkm01-umum/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="unsur') == 9
    for label in ("Tidak sesuai", "Sangat mudah", "Gratis", "Dikelola dengan baik", "Sangat Baik"):
        assert label in html
    assert "Pemeriksaan Umum" in html and "UPT Puskesmas Bukitintan" in html
    assert BROWSER_COOKIE in response.cookies


def test_a_complete_questionnaire_is_stored_and_thanked(pub) -> None:  # type: ignore[no-untyped-def]
    client = citizen()
    client.get(URL)
    response = client.post(URL, filled(suggestion="Antrean lebih tertib, terima kasih."))
    assert response.status_code == 302
    assert response["Location"] == "/survei/PKM01-UMUM/terima-kasih/"
    stored = SurveyResponse.objects.get()
    assert stored.answers == [3] * 9
    assert (stored.channel, stored.sex, stored.age) == (Channel.WEB, "P", 34)
    assert SurveyDay.objects.get().respondents == 1
    assert "Terima kasih" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            filled(u3=""),
            "Pilih salah satu jawaban untuk pertanyaan 3: “Bagaimana pendapat Saudara tentang "
            "kecepatan waktu dalam memberikan pelayanan?”",
        ),
        (filled(u9="5"), "Jawaban untuk pertanyaan 9 tidak dikenal"),
        (filled(u1="abc"), "Jawaban untuk pertanyaan 1 tidak dikenal"),
        (filled(age="7"), "Usia paling rendah 15"),
        (filled(age="tiga"), "Tulis usia dengan angka"),
        (filled(sex="X"), "pilih Laki-laki atau Perempuan"),
        (filled(time_slot="malam"), "Pilih jam survei"),
        (filled(education="TK"), "Pilih pendidikan"),
        (filled(suggestion="x" * 1001), "1000"),
    ],
)
def test_invalid_answers_are_explained_and_nothing_is_stored(pub, data, message) -> None:  # type: ignore[no-untyped-def]
    response = citizen().post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SurveyResponse.objects.count() == 0 and SurveyDay.objects.count() == 0


def test_errors_name_the_question_as_the_citizen_reads_it_not_the_unsur(pub) -> None:  # type: ignore[no-untyped-def]
    """The unsur's name in PermenPANRB 14/2017 ("Produk Spesifikasi Jenis Pelayanan") means
    nothing to a citizen; the question they just read does, with its number."""
    services.question_update(
        code="U5",
        question="Apakah hasil layanan sesuai dengan yang dijanjikan?",
        labels=["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
        by=None,
    )
    html = citizen().post(URL, filled(u5="")).content.decode()
    assert "Produk Spesifikasi" not in html
    expected = (
        "Pilih salah satu jawaban untuk pertanyaan 5: "
        "“Apakah hasil layanan sesuai dengan yang dijanjikan?”"
    )
    inline = re.search(r'id="unsur-U5".*?<p class="error" role="alert">(.*?)</p>', html, re.S)
    assert inline and inline.group(1) == expected
    # The summary at the top lists it too, with a link to the question.
    summary = re.search(r'<div class="errors" role="alert">(.*?)</div>', html, re.S)
    assert summary and f'<a href="#unsur-U5">{expected}</a>' in summary.group(1)


def test_the_honeypot_is_thanked_and_nothing_is_stored(pub) -> None:  # type: ignore[no-untyped-def]
    response = citizen().post(URL, filled(website="http://spam.example"))
    assert response.status_code == 302 and response["Location"].endswith("/terima-kasih/")
    assert SurveyResponse.objects.count() == 0


def test_the_honeypot_is_hidden_from_people(pub) -> None:  # type: ignore[no-untyped-def]
    html = citizen().get(URL).content.decode()
    field = re.search(r'<div class="hp" aria-hidden="true">.*?</div>', html, re.S)
    assert field and 'name="website"' in field.group(0) and 'tabindex="-1"' in field.group(0)


def test_one_questionnaire_per_browser_per_service_per_day(pub) -> None:  # type: ignore[no-untyped-def]
    client = citizen()
    client.get(URL)
    assert client.post(URL, filled()).status_code == 302
    response = client.post(URL, filled())
    assert response.status_code == 200
    assert "sudah mengisi survei layanan ini hari ini" in response.content.decode()
    assert SurveyResponse.objects.count() == 1
    # Another service, or the next day, is fine.
    assert client.post("/survei/DISDIK-PPDB/", filled()).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert client.post(URL, filled()).status_code == 302
    assert SurveyResponse.objects.count() == 3


@override_settings(PUBLIC_SURVEY_RATE_LIMIT="2/3600")
def test_the_rate_limit_per_ip_and_service(pub) -> None:  # type: ignore[no-untyped-def]
    statuses = [citizen().post(URL, filled()).status_code for _ in range(3)]  # three browsers
    assert statuses == [302, 302, 200]
    refused = citizen().post(URL, filled())
    assert "Terlalu banyak kuesioner dari jaringan ini" in refused.content.decode()
    assert SurveyResponse.objects.count() == 2
    # Another address, or another service from the same address, still gets through.
    assert Client(REMOTE_ADDR="198.51.100.9").post(URL, filled()).status_code == 302
    assert citizen().post("/survei/DISDIK-PPDB/", filled()).status_code == 302


def test_a_closed_or_unknown_service_is_not_found(pub) -> None:  # type: ignore[no-untyped-def]
    services.service_update(service=pub.pkm, by=None, is_active=False)
    assert citizen().get(URL).status_code == 404
    assert citizen().get("/survei/TIDAK-ADA/").status_code == 404


def test_the_counter_and_officer_are_asked_only_when_the_unit_enables_it(pub, org) -> None:  # type: ignore[no-untyped-def]
    assert "Loket yang melayani" not in citizen().get(URL).content.decode()
    services.service_update(
        service=pub.pkm, by=None, ask_counter=True, counters="Loket 1\nLoket 2", ask_officer=True
    )
    html = citizen().get(URL).content.decode()
    assert "Loket 2" in html and org.employee.full_name in html
    assert (
        citizen().post(URL, filled(counter="Loket 2", officer=str(org.employee.pk))).status_code
        == 302
    )
    stored = SurveyResponse.objects.get()
    assert (stored.counter, stored.officer) == ("Loket 2", org.employee)
    response = citizen().post(URL, filled(officer=str(org.other_employee.pk)))
    assert response.status_code == 200 and SurveyResponse.objects.count() == 1


def test_no_ip_address_is_stored_in_plain(pub) -> None:  # type: ignore[no-untyped-def]
    client = citizen()
    client.get(URL)
    client.post(URL, filled())
    client.post(
        "/pengaduan/",
        {
            "kind": "pengaduan",
            "target": f"u{pub.org.puskesmas.pk}",
            "category": "waktu",
            "description": "Antrean sangat lama, lebih dari tiga jam menunggu.",
        },
    )
    response = SurveyResponse.objects.get()
    complaint = Complaint.objects.get()
    for value in (response.ip_hash, complaint.ip_hash):
        assert re.fullmatch(r"[0-9a-f]{64}", value)
        assert IP not in value
    for model in (SurveyResponse, Complaint):
        for row in model.objects.values():
            assert IP not in " ".join(str(v) for v in row.values())
    assert not AuditLog.objects.filter(Q(ip_address=IP) | Q(changes__icontains=IP)).exists()


def test_the_hashes_are_erased_after_the_retention(pub) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(timezone.now() - timedelta(days=40)):
        citizen().post(URL, filled())
    citizen().post(URL, filled())
    call_command("public_purge")
    old, new = SurveyResponse.objects.order_by("submitted_at")
    assert (old.ip_hash, old.browser_hash) == ("", "")
    assert new.ip_hash and new.browser_hash
    assert old.answers == [3] * 9  # the questionnaire itself stays
