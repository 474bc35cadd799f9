"""Citizens' text (complaints, suggestions, forum posts, nicknames) is escaped on every page that
shows it; none of it can run as script."""

from __future__ import annotations

import pytest
from django.test import Client

from kinerja.public import services
from kinerja.public.choices import Channel
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ATTACK = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def assert_escaped(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert ESCAPED in html


@pytest.fixture
def attacked(pub, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_FORUM_BLOCKED_WORDS = []
    complaint = services.complaint_file(
        unit=pub.org.puskesmas,
        service=pub.pkm,
        kind="pengaduan",
        category="lainnya",
        description=f"Keluhan panjang {ATTACK}",
        contact_name=ATTACK,
    )
    admin = pub.org.users["admin_opd"]
    services.complaint_respond(complaint=complaint, by=admin, to_status="diverifikasi")
    services.complaint_respond(
        complaint=complaint, by=admin, to_status="ditolak", message=f"Alasan {ATTACK}"
    )
    services.complaint_reopen(complaint=complaint, reason=f"Belum beres {ATTACK}")
    services.response_submit(
        service=pub.pkm, answers=[3] * 9, channel=Channel.KIOSK, suggestion=f"Saran {ATTACK}"
    )
    _p, token = services.participant_signup(email="x@example.id", nickname="Warga_X")
    participant = services.participant_confirm(token=token)
    topic = services.topic_start(
        participant=participant,
        unit=pub.org.puskesmas,
        service=None,
        title=f"Judul {ATTACK}"[:150],
        body=f"Isi {ATTACK}",
    )
    post = topic.posts.get()
    services.post_moderate(post=post, by=admin, publish=True)
    services.post_reply(participant=participant, topic=topic, body=f"Balasan {ATTACK}")
    services.post_official(topic=topic, body=f"Resmi {ATTACK}", by=admin)
    return complaint, topic


def test_complaint_text_is_escaped_for_the_citizen_and_the_staff(pub, attacked) -> None:  # type: ignore[no-untyped-def]
    complaint, _topic = attacked
    assert_escaped(Client().get(f"/pengaduan/lacak/{complaint.tracking_code}/").content.decode())
    staff = client_for(pub.org, "admin_opd")
    assert_escaped(staff.get(f"/layanan-publik/pengaduan/{complaint.pk}/").content.decode())
    inbox = staff.get("/layanan-publik/pengaduan/", {"q": "Keluhan"}).content.decode()
    assert "<script>alert" not in inbox


def test_forum_text_is_escaped(pub, attacked) -> None:  # type: ignore[no-untyped-def]
    _complaint, topic = attacked
    assert_escaped(Client().get(f"/forum/topik/{topic.pk}/").content.decode())
    listing = Client().get("/forum/").content.decode()
    assert "<script>alert" not in listing and "&lt;script&gt;" in listing
    staff = client_for(pub.org, "admin_opd")
    assert "<script>alert" not in staff.get("/layanan-publik/forum/").content.decode()


def test_suggestions_are_escaped_on_the_results_page(pub, attacked) -> None:  # type: ignore[no-untyped-def]
    html = (
        client_for(pub.org, "admin_opd")
        .get(f"/layanan-publik/unit/{pub.org.puskesmas.pk}/hasil/")
        .content.decode()
    )
    assert_escaped(html)


def test_a_unit_name_is_escaped_inside_the_svg_chart(pub) -> None:  # type: ignore[no-untyped-def]
    from kinerja.public.documents import trend_svg

    svg = str(trend_svg([("Jan", None)], title=f"Tren {ATTACK}", desc=ATTACK, element_id="t"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
