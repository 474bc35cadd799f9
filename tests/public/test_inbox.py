"""The staff's complaint inbox puts what needs action first (issue 10, item 4): the demo's 18
open complaints, one with 0 working days left, were on page 7 of 7 behind the answered ones
(SQLite sorts a NULL deadline first). Open complaints by deadline, the time left visible, and a
filter with its count for each state."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kinerja.public import services
from kinerja.public.models import Complaint
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
INBOX = "/layanan-publik/pengaduan/"
QUERIES = 7


def file(pub, day: int) -> Complaint:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 11, day, 9, 0, tzinfo=WIB), tick=False):
        return services.complaint_file(
            unit=pub.org.puskesmas,
            service=pub.pkm,
            kind="pengaduan",
            category="waktu",
            description=f"Antrean lama sekali pada tanggal {day} November di loket.",
        )


def act(pub, complaint: Complaint, day: int, **change: str) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 11, day, 14, 0, tzinfo=WIB), tick=False):
        services.complaint_respond(complaint=complaint, by=pub.org.users["admin_opd"], **change)


@pytest.fixture
def inbox(pub):  # type: ignore[no-untyped-def]
    """Filed on Mondays to Fridays of November 2026 (5 working days to respond):
    - resolved (2 Nov, closed 4 Nov), rejected (3 Nov, closed 5 Nov): closed
    - answered (9 Nov): in progress, the unit responded, no clock
    - late (16 Nov, due 23 Nov), due_today (23 Nov, due 30 Nov), fresh (26 Nov, due 3 Dec):
      the unit owes a response
    Seen on Monday 30 November 2026."""
    resolved, rejected = file(pub, 2), file(pub, 3)
    act(pub, resolved, 3, to_status="diverifikasi")
    act(pub, resolved, 3, to_status="diproses")
    act(pub, resolved, 4, to_status="selesai", message="Loket kedua dibuka.")
    act(pub, rejected, 5, to_status="ditolak", message="Bukan kewenangan puskesmas.")
    answered = file(pub, 9)
    act(pub, answered, 10, to_status="diverifikasi")
    act(pub, answered, 10, to_status="diproses", message="Kami atur ulang jadwal loket.")
    late, due_today, fresh = file(pub, 16), file(pub, 23), file(pub, 26)
    return {
        "late": late,
        "due_today": due_today,
        "fresh": fresh,
        "answered": answered,
        "resolved": resolved,
        "rejected": rejected,
    }


def codes_in(page: str) -> list[str]:
    return re.findall(r'class="mono" href="[^"]+">([A-Z0-9-]+)</a>', page)


@time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=WIB), tick=False)
def test_open_complaints_come_first_by_deadline_then_the_answered_then_the_closed(
    pub, inbox
) -> None:  # type: ignore[no-untyped-def]
    page = client_for(pub.org, "admin_opd").get(INBOX).content.decode()
    order = ["late", "due_today", "fresh", "answered", "resolved", "rejected"]
    expected = [inbox[name].code_display for name in order]
    # Closed ones: the latest closed first (rejected 5 Nov before resolved 4 Nov).
    expected[-2:] = [inbox["rejected"].code_display, inbox["resolved"].code_display]
    assert codes_in(page) == expected


@time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=WIB), tick=False)
def test_the_time_left_is_visible_on_each_open_complaint(pub, inbox) -> None:  # type: ignore[no-untyped-def]
    page = client_for(pub.org, "admin_opd").get(INBOX).content.decode()
    rows = {code: row for row in page.split("<tr")[2:] for code in codes_in(row)}
    assert "Terlambat 5 hari kerja" in rows[inbox["late"].code_display]  # 24–30 Nov
    assert "Batas hari ini" in rows[inbox["due_today"].code_display]
    assert "Sisa 3 hari kerja" in rows[inbox["fresh"].code_display]
    assert "sudah ditanggapi, belum selesai" in rows[inbox["answered"].code_display]
    assert "ditutup 4 Nov 2026" in rows[inbox["resolved"].code_display]


@time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=WIB), tick=False)
def test_each_state_has_a_filter_with_its_count(pub, inbox) -> None:  # type: ignore[no-untyped-def]
    client = client_for(pub.org, "admin_opd")
    chips = client.get(INBOX).context["chips"]
    counts = {chip["label"]: chip["count"] for chip in chips}
    assert counts == {
        "Semua": 6,
        "Terlambat": 1,
        "Menunggu tanggapan": 3,
        "Belum selesai": 4,
        "Diterima": 3,
        "Diverifikasi": 0,
        "Diproses": 1,
        "Selesai": 1,
        "Ditolak": 1,
    }
    expected = {
        "Terlambat": ["late"],
        "Menunggu tanggapan": ["late", "due_today", "fresh"],
        "Belum selesai": ["late", "due_today", "fresh", "answered"],
        "Diproses": ["answered"],
        "Selesai": ["resolved"],
        "Ditolak": ["rejected"],
    }
    for chip in chips:
        if chip["label"] in expected:
            page = client.get(INBOX + chip["url"]).content.decode()
            wanted = [inbox[name].code_display for name in expected[chip["label"]]]
            assert codes_in(page) == wanted, chip["label"]
            assert f'href="{chip["url"]}" aria-current="true"' in page.replace("&amp;", "&")


@time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=WIB), tick=False)
def test_the_filters_keep_the_search(pub, inbox) -> None:  # type: ignore[no-untyped-def]
    client = client_for(pub.org, "admin_opd")
    chips = client.get(INBOX, {"q": "16 November"}).context["chips"]
    assert all("q=16+November" in chip["url"] for chip in chips)
    assert {c["label"]: c["count"] for c in chips}["Semua"] == 1


@time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=WIB), tick=False)
def test_the_inbox_runs_a_fixed_number_of_queries(pub, inbox, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for(pub.org, "admin_opd")
    client.get(INBOX)  # session and regency caches
    # session, user, the units the user reads, the counts per state, the page's count and rows,
    # the units of the filter's list
    with django_assert_num_queries(QUERIES):
        assert client.get(INBOX).status_code == 200
    for day in (17, 18, 19, 20, 24, 25):
        file(pub, day)
    with django_assert_num_queries(QUERIES):
        assert client.get(INBOX).status_code == 200
    with django_assert_num_queries(QUERIES):
        assert client.get(INBOX, {"status": "menunggu"}).status_code == 200
