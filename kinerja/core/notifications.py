"""In-app notifications. Services call `notify`; rows are written after the transaction commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import Notification


def notify(*, recipient: Any, message: str, url: str = "") -> None:
    """Queue a notification for `recipient`: a User, or an Employee (reaching their account,
    if they have one)."""
    from kinerja.organisation.models import Employee, User

    if recipient is None:
        return

    def create() -> None:
        if isinstance(recipient, Employee):
            user_id = User.objects.filter(employee=recipient).values_list("pk", flat=True).first()
        else:
            user_id = recipient.pk
        if user_id is not None:
            Notification.objects.create(recipient_id=user_id, message=message[:300], url=url[:300])

    transaction.on_commit(create)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
