"""In-app notifications. Services call `notify`; rows are written after the transaction commits."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Notification


def notify(*, recipient: Any, message: str, url: str = "") -> None:
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
            Notification.objects.create(recipient_id=user_id, message=message[:300], url=url[:300])

    transaction.on_commit(create)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
