"""Writes of the forum: participants (sign-up by e-mail, confirmation, erasure), topics, posts,
reports and moderation.

Every function validates first (ValidationError with an Indonesian message, nothing changed)
and writes inside one transaction.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.links import absolute_reverse
from kinerja.core.text import trimmed, visible_length
from kinerja.organisation.models import Unit, User

from .. import protection
from ..choices import PostStatus
from ..models import ForumParticipant, ForumPost, ForumReport, ForumTopic, Service

# --- Forum ----------------------------------------------------------------------------------

NICKNAME = re.compile(r"^[\w .-]{3,40}$")
CONFIRM_HOURS = 48


def check_words(text: str, field: str = "body") -> None:
    """Refuse text containing a word of PUBLIC_FORUM_BLOCKED_WORDS (whole words, any case)."""
    lowered = (text or "").lower()
    for word in settings.PUBLIC_FORUM_BLOCKED_WORDS:
        if word and re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", lowered):
            raise ValidationError(
                {field: _("Tulisan memuat kata yang tidak diperbolehkan: “%(w)s”.") % {"w": word}}
            )


def confirmation_link(token: str) -> str:
    return absolute_reverse("public:forum_confirm", token)


@transaction.atomic
def participant_signup(*, email: str, nickname: str) -> tuple[ForumParticipant, str]:
    """Register (or sign in again) with an e-mail address; returns the participant and the
    confirmation token, which is e-mailed (only its hash is stored)."""
    email = (email or "").strip().lower()
    nickname = " ".join((nickname or "").split())
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Alamat surel tidak valid.")}) from exc
    participant = (
        ForumParticipant.objects.select_for_update(of=("self",)).filter(email=email).first()
    )
    if participant is None:
        if not NICKNAME.match(nickname):
            raise ValidationError(
                {"nickname": _("Nama panggilan 3–40 karakter: huruf, angka, spasi, titik, minus.")}
            )
        check_words(nickname, "nickname")
        if ForumParticipant.objects.filter(nickname__iexact=nickname).exists():
            raise ValidationError({"nickname": _("Nama panggilan ini sudah dipakai.")})
        participant = ForumParticipant(email=email, nickname=nickname)
    if participant.blocked:
        raise ValidationError(_("Akun forum ini diblokir."))
    token = protection.new_token("frm")
    participant.token_hash = protection.token_hash(token)
    participant.token_expires = timezone.now() + timedelta(hours=CONFIRM_HOURS)
    participant.save()
    link = confirmation_link(token)
    transaction.on_commit(
        lambda: send_mail(
            _("Konfirmasi forum warga"),
            _(
                "Halo %(nick)s,\n\nbuka tautan ini untuk masuk ke forum warga (berlaku %(h)d jam):"
                "\n%(link)s\n\nAbaikan surel ini bila Anda tidak memintanya."
            )
            % {"nick": participant.nickname, "h": CONFIRM_HOURS, "link": link},
            settings.DEFAULT_FROM_EMAIL,
            [participant.email],
            fail_silently=True,
        )
    )
    return participant, token


@transaction.atomic
def participant_erase(
    *, participant: ForumParticipant, note: str | None = None
) -> ForumParticipant:
    """Delete a participant's account at their request (UU 27/2022, personal data): the e-mail
    address and any confirmation token are erased and the nickname replaced with a neutral one;
    posts still waiting for moderation, and topics not yet public, are withdrawn; published
    posts stay in the public discussion under the neutral name. The row stays (without personal
    data) so that those posts keep one author and reports stay counted."""
    participant = ForumParticipant.objects.select_for_update().get(pk=participant.pk)
    if participant.erased_at is not None:
        return participant
    pending = ForumPost.objects.filter(participant=participant, status=PostStatus.PENDING)
    topics = set(pending.values_list("topic_id", flat=True))
    withdrawn = pending.count()
    pending.delete()
    hidden_topics = ForumTopic.objects.filter(
        started_by=participant, is_visible=False, posts__isnull=True
    )
    hidden_topics.delete()
    for topic_id in topics:
        _refresh_topic(topic_id)
    participant.email = f"dihapus-{participant.pk}-{secrets.token_hex(8)}@forum.invalid"
    participant.nickname = f"Peserta #{participant.pk} (akun dihapus)"
    participant.token_hash = ""
    participant.token_expires = None
    participant.erased_at = timezone.now()
    participant.save()
    audit_record(
        actor=None,
        action=AuditAction.DELETE,
        obj=participant,
        changes={"withdrawn_posts": withdrawn},
        note=note or _("Akun forum dihapus atas permintaan peserta."),
        record_ip=False,  # a deletion request must not leave new personal data behind
    )
    return participant


@transaction.atomic
def participant_confirm(*, token: str) -> ForumParticipant:
    participant = (
        ForumParticipant.objects.select_for_update(of=("self",))
        .filter(token_hash=protection.token_hash(token or ""))
        .exclude(token_hash="")
        .first()
    )
    if participant is None or participant.token_expires is None:
        raise ValidationError(_("Tautan konfirmasi tidak berlaku. Minta tautan baru."))
    if participant.token_expires < timezone.now():
        raise ValidationError(_("Tautan konfirmasi sudah kedaluwarsa. Minta tautan baru."))
    if participant.blocked:
        raise ValidationError(_("Akun forum ini diblokir."))
    participant.confirmed_at = participant.confirmed_at or timezone.now()
    participant.token_hash = ""
    participant.token_expires = None
    participant.save(update_fields=["confirmed_at", "token_hash", "token_expires"])
    return participant


def _clean_body(body: str) -> str:
    body = trimmed(body)
    if visible_length(body) < 5 or len(body) > 4000:
        raise ValidationError({"body": _("Tulisan 5 sampai 4000 karakter.")})
    check_words(body)
    return body


def _check_participant(participant: ForumParticipant) -> None:
    """Whether the participant may write, read again under a row lock (callers are atomic): an
    account deleted or blocked in another request meanwhile cannot post afterwards."""
    current = (
        ForumParticipant.objects.select_for_update()
        .filter(pk=participant.pk)
        .values("confirmed_at", "blocked", "erased_at")
        .first()
    )
    if current is None or current["erased_at"] is not None:
        raise ValidationError(_("Akun forum ini sudah dihapus. Daftar lagi untuk menulis."))
    if current["confirmed_at"] is None or current["blocked"]:
        raise ValidationError(_("Konfirmasi surel Anda dahulu untuk menulis di forum."))


@transaction.atomic
def topic_start(
    *, participant: ForumParticipant, unit: Unit, service: Service | None, title: str, body: str
) -> ForumTopic:
    """A citizen opens a topic about a unit or one of its services, with its first post."""
    _check_participant(participant)
    title = " ".join((title or "").split())
    if not 5 <= len(title) <= 150:
        raise ValidationError({"title": _("Judul 5 sampai 150 karakter.")})
    check_words(title, "title")
    body = _clean_body(body)
    if not unit.serves_public or (service is not None and service.unit_id != unit.pk):
        raise ValidationError({"target": _("Pilih unit atau layanan publik.")})
    now = timezone.now()
    published = participant.trusted
    topic = ForumTopic.objects.create(
        unit=unit,
        service=service,
        title=title,
        started_by=participant,
        created_at=now,
        last_post_at=now,
        is_visible=published,
    )
    ForumPost.objects.create(
        topic=topic,
        participant=participant,
        body=body,
        status=PostStatus.PUBLISHED if published else PostStatus.PENDING,
        created_at=now,
    )
    return topic


@transaction.atomic
def post_reply(*, participant: ForumParticipant, topic: ForumTopic, body: str) -> ForumPost:
    """A citizen's reply; it waits for moderation until the participant is trusted."""
    _check_participant(participant)
    body = _clean_body(body)
    now = timezone.now()
    post = ForumPost.objects.create(
        topic=topic,
        participant=participant,
        body=body,
        status=PostStatus.PUBLISHED if participant.trusted else PostStatus.PENDING,
        created_at=now,
    )
    if post.status == PostStatus.PUBLISHED:
        ForumTopic.objects.filter(pk=topic.pk).update(last_post_at=now)
    return post


@transaction.atomic
def post_official(*, topic: ForumTopic, body: str, by: User) -> ForumPost:
    """The unit's official answer, published at once and marked as official."""
    body = _clean_body(body)
    now = timezone.now()
    post = ForumPost.objects.create(
        topic=topic,
        official=True,
        author=by,
        body=body,
        status=PostStatus.PUBLISHED,
        created_at=now,
    )
    ForumTopic.objects.filter(pk=topic.pk).update(last_post_at=now, has_official_answer=True)
    audit_record(actor=by, action=AuditAction.CREATE, obj=post, note=_("Jawaban resmi forum"))
    return post


HIDE_AFTER_REPORTS = 3


@transaction.atomic
def post_report(*, post: ForumPost, reason: str, reporter_hash: str) -> bool:
    """A reader reports a post; False when this reader already did. A post reported by
    HIDE_AFTER_REPORTS readers is hidden until a moderator looks at it."""
    reason = trimmed(reason)
    if visible_length(reason) < 3 or len(reason) > 200:
        raise ValidationError({"reason": _("Tuliskan alasan singkat (3 sampai 200 karakter).")})
    try:
        with transaction.atomic():
            ForumReport.objects.create(post=post, reason=reason, reporter_hash=reporter_hash)
    except IntegrityError:
        return False
    current = ForumPost.objects.select_for_update(of=("self",)).get(pk=post.pk)
    current.reports += 1
    fields = ["reports"]
    if (
        current.reports >= HIDE_AFTER_REPORTS
        and not current.official
        and current.moderated_at is None
    ):
        current.status = PostStatus.HIDDEN
        fields.append("status")
    current.save(update_fields=fields)
    _refresh_topic(current.topic_id)
    return True


def _refresh_topic(topic_id: int) -> None:
    """A topic is visible while its opening post is published."""
    first = ForumPost.objects.filter(topic_id=topic_id).order_by("created_at", "id").first()
    visible = first is not None and first.status == PostStatus.PUBLISHED
    ForumTopic.objects.filter(pk=topic_id).update(is_visible=visible)


@transaction.atomic
def post_moderate(*, post: ForumPost, by: User, publish: bool) -> ForumPost:
    """Publish or hide a post; publishing a new participant's post makes them trusted."""
    current = (
        ForumPost.objects.select_for_update(of=("self",))
        .select_related("participant")
        .get(pk=post.pk)
    )
    old = current.status
    current.status = PostStatus.PUBLISHED if publish else PostStatus.HIDDEN
    current.moderated_at = timezone.now()
    current.moderated_by = by
    current.save(update_fields=["status", "moderated_at", "moderated_by"])
    if publish and current.participant is not None and not current.participant.trusted:
        ForumParticipant.objects.filter(pk=current.participant.pk).update(trusted=True)
    if publish:
        ForumTopic.objects.filter(pk=current.topic_id, last_post_at__lt=current.created_at).update(
            last_post_at=current.created_at
        )
    _refresh_topic(current.topic_id)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=current,
        changes={"status": [old, current.status]},
        note=_("Moderasi forum"),
    )
    post.__dict__.update(current.__dict__)
    return current
