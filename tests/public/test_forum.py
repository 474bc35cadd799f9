"""The citizens' forum: e-mail confirmation, moderation of new participants, reports, official
answers, rate limits and blocked words."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from kinerja.core.models import AuditLog
from kinerja.public import services
from kinerja.public.models import ForumParticipant, ForumPost, ForumTopic

pytestmark = pytest.mark.django_db


def confirmed(
    email: str = "warga@example.id", nickname: str = "Warga Sukamaju"
) -> ForumParticipant:
    _p, token = services.participant_signup(email=email, nickname=nickname)
    return services.participant_confirm(token=token)


def signed_in(participant: ForumParticipant) -> Client:
    """A browser that followed the participant's confirmation link."""
    _p, token = services.participant_signup(email=participant.email, nickname="")
    client = Client()
    assert client.get(f"/forum/konfirmasi/{token}/").status_code == 302
    return client


def test_signing_up_sends_a_confirmation_link(pub, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/forum/masuk/", {"email": "Rina@Example.id", "nickname": "Rina"})
    assert "Kami mengirim tautan konfirmasi" in response.content.decode()
    link = re.search(r"http://\S+/forum/konfirmasi/\S+/", mail.outbox[0].body).group(0)
    path = link.split("8000", 1)[1]
    assert client.get(path).status_code == 302
    participant = ForumParticipant.objects.get()
    assert participant.email == "rina@example.id" and participant.confirmed_at
    assert participant.token_hash == ""  # the link works once
    assert "Selamat datang" in client.get("/forum/").content.decode()
    assert Client().get(path, follow=True).content.decode().count("tidak berlaku") == 1


@override_settings(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
def test_the_demo_shows_the_link_on_screen(pub) -> None:  # type: ignore[no-untyped-def]
    response = Client().post("/forum/masuk/", {"email": "a@example.id", "nickname": "Anita"})
    assert "data-confirm-link" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "bukan", "nickname": "Budi"}, "Alamat surel tidak valid"),
        ({"email": "b@example.id", "nickname": "B"}, "Nama panggilan 3–40"),
        ({"email": "b@example.id", "nickname": "si bangsat"}, "tidak diperbolehkan"),
    ],
)
def test_bad_signups_are_explained(pub, data, message) -> None:  # type: ignore[no-untyped-def]
    response = Client().post("/forum/masuk/", data)
    assert message in response.content.decode()
    assert ForumParticipant.objects.count() == 0


def test_nicknames_are_unique_in_any_case(pub) -> None:  # type: ignore[no-untyped-def]
    confirmed(nickname="Rina")
    with pytest.raises(ValidationError, match="sudah dipakai"):
        services.participant_signup(email="lain@example.id", nickname="rina")


def test_a_new_participants_posts_wait_for_moderation(pub, clients) -> None:  # type: ignore[no-untyped-def]
    participant = confirmed()
    client = signed_in(participant)
    response = client.post(
        "/forum/topik/baru/",
        {
            "target": f"s{pub.pkm.pk}",
            "title": "Jam buka hari Sabtu?",
            "body": "Apakah Puskesmas buka hari Sabtu?",
        },
    )
    assert response.status_code == 302
    topic = ForumTopic.objects.get()
    assert not topic.is_visible
    assert Client().get("/forum/").content.decode().count("Jam buka hari Sabtu") == 0
    assert Client().get(f"/forum/topik/{topic.pk}/").status_code == 404
    # The unit's administrator publishes it; the participant becomes trusted.
    queue = clients["admin_opd"].get("/layanan-publik/forum/").content.decode()
    assert "Apakah Puskesmas buka hari Sabtu?" in queue
    post = ForumPost.objects.get()
    assert (
        clients["admin_opd"]
        .post(f"/layanan-publik/forum/kiriman/{post.pk}/moderasi/", {"action": "publish"})
        .status_code
        == 302
    )
    topic.refresh_from_db()
    participant.refresh_from_db()
    assert topic.is_visible and participant.trusted
    assert "Jam buka hari Sabtu" in Client().get("/forum/").content.decode()
    client.post(f"/forum/topik/{topic.pk}/", {"body": "Terima kasih infonya."})
    assert ForumPost.objects.filter(status="published").count() == 2
    assert AuditLog.objects.filter(object_type="public.forumpost").exists()


def test_moderation_is_for_the_units_administrators_only(pub, clients) -> None:  # type: ignore[no-untyped-def]
    participant = confirmed()
    topic = services.topic_start(
        participant=participant,
        unit=pub.disdik_unit,
        service=None,
        title="Zonasi sekolah",
        body="Bagaimana aturan zonasi tahun ini?",
    )
    post = topic.posts.get()
    assert (
        clients["admin_opd"]
        .post(f"/layanan-publik/forum/kiriman/{post.pk}/moderasi/", {"action": "publish"})
        .status_code
        == 404
    )
    assert clients["supervisor"].get("/layanan-publik/forum/").status_code == 404
    assert (
        clients["bkpsdm"]
        .post(f"/layanan-publik/forum/kiriman/{post.pk}/moderasi/", {"action": "publish"})
        .status_code
        == 302
    )


def test_official_answers_are_marked_and_only_for_the_unit(pub, clients) -> None:  # type: ignore[no-untyped-def]
    participant = confirmed()
    participant.trusted = True
    participant.save()
    topic = services.topic_start(
        participant=participant,
        unit=pub.org.puskesmas,
        service=pub.pkm,
        title="Jam buka hari Sabtu?",
        body="Apakah buka hari Sabtu?",
    )
    page = clients["admin_opd"].get(f"/forum/topik/{topic.pk}/").content.decode()
    assert "Jawab sebagai UPT Puskesmas Bukitintan" in page
    assert (
        "Jawab sebagai"
        not in clients["supervisor"].get(f"/forum/topik/{topic.pk}/").content.decode()
    )
    assert (
        clients["supervisor"]
        .post(f"/forum/topik/{topic.pk}/jawaban-resmi/", {"official-body": "Ya."})
        .status_code
        == 404
    )
    response = clients["admin_opd"].post(
        f"/forum/topik/{topic.pk}/jawaban-resmi/",
        {"official-body": "Buka Sabtu pukul 08.00–12.00."},
    )
    assert response.status_code == 302
    page = Client().get(f"/forum/topik/{topic.pk}/").content.decode()
    assert "Jawaban resmi UPT Puskesmas Bukitintan" in page and 'class="post official' in page
    topic.refresh_from_db()
    assert topic.has_official_answer
    assert "Dijawab resmi" in Client().get("/forum/").content.decode()


def _trusted_topic(pub):  # type: ignore[no-untyped-def]
    """A topic started by a trusted (published at once) participant at the puskesmas."""
    participant = confirmed()
    participant.trusted = True
    participant.save()
    return services.topic_start(
        participant=participant,
        unit=pub.org.puskesmas,
        service=None,
        title="Antrean",
        body="Antrean pagi ini panjang.",
    )


def test_three_reports_hide_a_post_until_a_moderator_looks(pub) -> None:  # type: ignore[no-untyped-def]
    topic = _trusted_topic(pub)
    reply = services.post_reply(
        participant=topic.started_by, topic=topic, body="Ini tulisan yang menyinggung."
    )
    url = f"/forum/kiriman/{reply.pk}/laporkan/"
    for ip in ["10.0.0.1", "10.0.0.2", "10.0.0.2", "10.0.0.3"]:
        Client(REMOTE_ADDR=ip).post(url, {"reason": "Menyinggung"})
    reply.refresh_from_db()
    assert reply.reports == 3  # the same reader counts once
    assert reply.status == "hidden"
    assert "menyinggung" not in Client().get(f"/forum/topik/{topic.pk}/").content.decode()


@pytest.mark.parametrize("reason", ["ab\u200b\u200b", "a\x01\x1b\x7fb", "ok\u0301\u0301"])
def test_a_report_without_three_visible_characters_is_refused_clearly(pub, reason: str) -> None:  # type: ignore[no-untyped-def]
    """Zero-width spaces, control characters and combining accents pass the form's min_length
    but not the service's visible length: a clear message, not a server error."""
    post = _trusted_topic(pub).posts.get()
    answer = Client().post(f"/forum/kiriman/{post.pk}/laporkan/", {"reason": reason}, follow=True)
    assert answer.status_code == 200
    assert "Tuliskan alasan singkat" in answer.content.decode()
    post.refresh_from_db()
    assert post.reports == 0


def test_posting_is_rate_limited_and_blocked_words_refused(pub, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_FORUM_RATE_LIMIT = "2/600"
    participant = confirmed()
    participant.trusted = True
    participant.save()
    topic = services.topic_start(
        participant=participant,
        unit=pub.org.puskesmas,
        service=None,
        title="Antrean",
        body="Antrean pagi ini panjang.",
    )
    client = signed_in(participant)
    refused = client.post(f"/forum/topik/{topic.pk}/", {"body": "Dasar goblok semua petugasnya."})
    assert "tidak diperbolehkan" in refused.content.decode()
    client.post(f"/forum/topik/{topic.pk}/", {"body": "Tulisan kedua yang sopan."})
    limited = client.post(f"/forum/topik/{topic.pk}/", {"body": "Tulisan ketiga yang sopan."})
    assert "terlalu cepat" in limited.content.decode()
    assert topic.posts.count() == 2


def test_writing_needs_a_confirmed_address(pub) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/forum/topik/baru/")
    assert response.status_code == 302 and response["Location"].startswith("/forum/masuk/")
    unconfirmed, _token = services.participant_signup(email="x@example.id", nickname="Xena")
    with pytest.raises(ValidationError, match="Konfirmasi surel"):
        services.topic_start(
            participant=unconfirmed,
            unit=pub.org.puskesmas,
            service=None,
            title="Judul",
            body="Isi tulisan.",
        )


def test_a_participant_deletes_their_account(pub, clients) -> None:  # type: ignore[no-untyped-def]
    """The e-mail address goes, pending posts and unpublished topics are withdrawn, published
    posts stay under a neutral name, the session ends, and the same address can sign up anew."""
    participant = confirmed(email="hapus@example.id", nickname="Warga Hapus")
    client = signed_in(participant)
    client.post(
        "/forum/topik/baru/",
        {"target": f"s{pub.pkm.pk}", "title": "Parkir", "body": "Parkirnya sempit sekali."},
    )
    published_topic = ForumTopic.objects.get()
    post = ForumPost.objects.get()
    clients["admin_opd"].post(
        f"/layanan-publik/forum/kiriman/{post.pk}/moderasi/", {"action": "publish"}
    )
    participant.refresh_from_db()
    participant.trusted = False  # so that the next topic waits for moderation again
    participant.save()
    client.post(
        "/forum/topik/baru/",
        {"target": f"s{pub.pkm.pk}", "title": "Jam buka", "body": "Buka hari Minggu?"},
    )
    assert ForumTopic.objects.count() == 2 and ForumPost.objects.count() == 2

    page = client.get("/forum/hapus-akun/").content.decode()
    assert "Warga Hapus" in page and "Ya, hapus akun saya" in page
    response = client.post("/forum/hapus-akun/", follow=True)
    assert "Akun forum Anda sudah dihapus" in response.content.decode()

    participant.refresh_from_db()
    assert participant.erased_at is not None
    assert "hapus@example.id" not in participant.email and participant.token_hash == ""
    assert participant.nickname == f"Peserta #{participant.pk} (akun dihapus)"
    assert list(ForumTopic.objects.all()) == [published_topic]  # the pending topic is withdrawn
    assert ForumPost.objects.get().participant == participant  # the published post stays
    topic_page = Client().get(f"/forum/topik/{published_topic.pk}/").content.decode()
    assert "Parkirnya sempit sekali." in topic_page
    assert "(akun dihapus)" in topic_page and "Warga Hapus" not in topic_page
    entry = AuditLog.objects.get(object_type="public.forumparticipant", action="delete")
    assert "hapus@example.id" not in str(entry.changes) + entry.object_repr + entry.note
    assert entry.ip_address is None  # the request came from 127.0.0.1: not kept
    # Signed out: writing needs signing in again.
    assert client.get("/forum/hapus-akun/").status_code == 302
    assert client.get("/forum/topik/baru/").status_code == 302
    # The same address signs up as a new participant.
    again = confirmed(email="hapus@example.id", nickname="Warga Baru")
    assert again.pk != participant.pk and again.erased_at is None


def test_deleting_needs_a_signed_in_participant_and_a_post(pub) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/forum/hapus-akun/")["Location"] == "/forum/masuk/"
    assert Client().post("/forum/hapus-akun/")["Location"] == "/forum/masuk/"
    participant = confirmed()
    client = signed_in(participant)
    assert client.get("/forum/hapus-akun/").status_code == 200  # the confirmation page
    participant.refresh_from_db()
    assert participant.erased_at is None


def test_an_account_deleted_meanwhile_cannot_post(pub) -> None:  # type: ignore[no-untyped-def]
    """Another tab still holds the participant: its next post is refused, nothing is stored."""
    participant = confirmed()
    participant.trusted = True
    participant.save()
    topic = services.topic_start(
        participant=participant,
        unit=pub.org.puskesmas,
        service=None,
        title="Jam buka",
        body="Buka?",
    )
    stale = ForumParticipant.objects.get(pk=participant.pk)
    services.participant_erase(participant=participant)
    with pytest.raises(ValidationError, match="sudah dihapus"):
        services.post_reply(participant=stale, topic=topic, body="Satu lagi.")
    with pytest.raises(ValidationError, match="sudah dihapus"):
        services.topic_start(
            participant=stale, unit=pub.org.puskesmas, service=None, title="Lagi", body="Halo."
        )
    assert ForumPost.objects.count() == 1


def test_an_administrator_erases_a_blocked_participant_on_request(pub, org) -> None:  # type: ignore[no-untyped-def]
    """A blocked participant cannot sign in to delete the account; the Django admin's action
    does it for them."""
    from tests.factories import make_user

    participant = confirmed(email="diblokir@example.id", nickname="Warga Diblokir")
    participant.blocked = True
    participant.save()
    admin_user = make_user(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin_user)
    listing = client.get("/admin/public/forumparticipant/")
    assert listing.status_code == 200 and "Hapus data pribadi peserta" in listing.content.decode()
    response = client.post(
        "/admin/public/forumparticipant/",
        {"action": "erase", "_selected_action": [participant.pk]},
        follow=True,
    )
    assert "1 akun peserta forum dihapus" in response.content.decode()
    participant.refresh_from_db()
    assert participant.erased_at is not None and "diblokir@example.id" not in participant.email
