"""Reads of the forum: visible topics and posts, the moderation queue."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from kinerja.organisation.models import Unit, User

from ..choices import PostStatus
from ..common import get_or_404, units_administered_by
from ..models import ForumPost, ForumTopic

# --- Forum ----------------------------------------------------------------------------------


def forum_topics(*, unit: Unit | None = None, q: str = "") -> QuerySet[ForumTopic]:
    """Visible topics with the number of published posts, newest activity first."""
    qs = ForumTopic.objects.filter(is_visible=True).select_related("unit", "service", "started_by")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    for word in (q or "").split()[:5]:
        qs = qs.filter(title__icontains=word)
    return qs.annotate(
        published=Count("posts", filter=Q(posts__status=PostStatus.PUBLISHED))
    ).order_by("-last_post_at", "-id")


def topic_public(pk: int) -> ForumTopic:
    return get_or_404(
        ForumTopic.objects.filter(is_visible=True).select_related("unit", "service", "started_by"),
        pk=pk,
    )


def topic_posts(topic: ForumTopic, *, participant_id: int | None = None) -> list[ForumPost]:
    """The published posts of a topic, plus the reader's own posts waiting for moderation."""
    shown = Q(status=PostStatus.PUBLISHED)
    if participant_id:
        shown |= Q(status=PostStatus.PENDING, participant_id=participant_id)
    return list(
        topic.posts.filter(shown).select_related("participant", "author", "author__employee")
    )


def post_public(pk: int) -> ForumPost:
    return get_or_404(
        ForumPost.objects.filter(
            status=PostStatus.PUBLISHED, topic__is_visible=True
        ).select_related("topic"),
        pk=pk,
    )


def moderation_queue(user: User | None) -> QuerySet[ForumPost]:
    """Posts waiting for moderation or reported, in the units `user` administers."""
    return (
        ForumPost.objects.filter(topic__unit__in=units_administered_by(user))
        .filter(
            Q(status=PostStatus.PENDING)
            | Q(reports__gt=0, moderated_at__isnull=True)
            | Q(status=PostStatus.HIDDEN, moderated_at__isnull=True)
        )
        .select_related("topic", "topic__unit", "participant")
        .order_by("created_at", "id")
    )


def moderated_post_for_admin(user: User | None, pk: int) -> ForumPost:
    return get_or_404(
        ForumPost.objects.filter(topic__unit__in=units_administered_by(user)).select_related(
            "topic", "participant"
        ),
        pk=pk,
    )
