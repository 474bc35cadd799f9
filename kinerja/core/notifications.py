"""Notifications. Services call `notify`; rows are written after the transaction commits.

Every notification is kept in the app (the bell, /notifikasi/). Other channels — e-mail, a
regency's WhatsApp or SMS gateway — register a sender here (`register_channel`, from an
AppConfig.ready(); kinerja.adoption registers "email" and "webhook"), and each sender decides
from the person's preferences whether, and when, the notification leaves by its way.

`kind` names what the notification is about ("umum" unless a caller says otherwise), so that a
person can choose which kinds reach them by e-mail; kinerja.adoption.choices.NotificationKind
lists the kinds in use.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from . import events
from .models import Notification

logger = logging.getLogger(__name__)

DEFAULT_KIND = "umum"


@dataclass(frozen=True)
class Dispatch:
    """One notification as a channel receives it (after the in-app row exists)."""

    user_id: int
    message: str
    url: str
    kind: str
    notification_id: int | None = None


Sender = Callable[[Dispatch], None]
_channels: dict[str, Sender] = {}


def register_channel(name: str, sender: Sender) -> None:
    """Make `sender` the channel `name`; registering again replaces it (tests, reloads)."""
    _channels[name] = sender


def unregister_channel(name: str) -> None:
    _channels.pop(name, None)


def channel_names() -> list[str]:
    return list(_channels)


def dispatch(item: Dispatch) -> None:
    """Hand one notification to every registered channel; a failing channel is logged and never
    stops the others (nor the write that caused the notification)."""
    for name, sender in list(_channels.items()):
        try:
            sender(item)
        except Exception:
            logger.exception("notification channel %s failed", name)


def notify(*, recipient: Any, message: str, url: str = "", kind: str = DEFAULT_KIND) -> None:
    """Queue a notification for `recipient`: a User, or an Employee (reaching their account,
    if they have one). The account model is Django's swappable user model, so this module needs
    nothing from the apps above it."""
    if recipient is None:
        return
    user_model = get_user_model()

    def create() -> None:
        if isinstance(recipient, user_model):
            user_id = recipient.pk
        else:
            user_id = (
                user_model._default_manager.filter(employee=recipient)
                .values_list("pk", flat=True)
                .first()
            )
        if user_id is not None:
            row = Notification.objects.create(
                recipient_id=user_id, message=message[:300], url=url[:300]
            )
            unread_changed([user_id])
            if _channels:
                dispatch(Dispatch(user_id, row.message, row.url, kind or DEFAULT_KIND, row.pk))

    transaction.on_commit(create)


def unread_changed(user_ids: list[int]) -> None:
    """Announce, once the change committed, that these accounts' unread counts changed (new
    notifications, or some marked read): their open pages update the header count live
    (kinerja.monitoring subscribes to the "notifications" topic)."""
    if user_ids:
        ids = list(user_ids)
        transaction.on_commit(lambda: events.publish("notifications", employee_id=0, user_ids=ids))


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# --- Reading them (the bell's pages; URL names performance:notification_* kept) ------------


def notifications_of(user: Any) -> Any:
    """A person's notifications, newest first (the model's ordering)."""
    return Notification.objects.filter(recipient=user)


def notifications_mark_read(*, user: Any, notification: Notification | None = None) -> int:
    """Mark one notification of `user`, or all their unread ones, read now; how many changed.
    Only the recipient's own rows are touched (a stranger's id changes nothing)."""
    from django.utils import timezone

    unread = notifications_of(user).filter(read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    changed = int(unread.update(read_at=timezone.now()))
    if changed:
        unread_changed([user.pk])  # the header count of the person's open pages, live
    return changed
