"""The channels outside the app: e-mail (Django's SMTP backend, settings from the environment;
the console backend in development) and a webhook for the regency's own WhatsApp/SMS gateway.

Both are registered with kinerja.core.notifications in AdoptionConfig.ready(): every
notification of the app reaches them, and each decides from the person's preferences
(NotificationPreference) whether to send it now, keep it for the daily e-mail, or not at all.
Sending happens in background tasks (kinerja.adoption.tasks); every message is logged as a
Delivery row with its attempts and outcome.

The webhook (documented in docs/adopsi.md): POST <ADOPTION_WEBHOOK_URL>, JSON body
``{"to": "<phone>", "message": "<text>", "url": "<absolute link>", "kind": "<kind>",
"id": <delivery id>}``, header ``Authorization: Bearer <ADOPTION_WEBHOOK_TOKEN>``; any 2xx answer
is success, anything else (or no answer within the timeout) is retried.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from kinerja.core.links import absolute_url
from kinerja.core.notifications import Dispatch

from .choices import Channel, DeliveryStatus, EmailMode
from .models import Delivery, DigestItem, NotificationPreference

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Kinerja] "


def preference_of(user: Any) -> NotificationPreference:
    """The person's preference (an unsaved default when they never chose)."""
    try:
        return user.channel_preference  # type: ignore[no-any-return]
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def wants(preference: NotificationPreference, kind: str) -> bool:
    return kind not in (preference.muted_kinds or [])


def _link(url: str) -> str:
    if not url:
        return ""
    return absolute_url(url) if url.startswith("/") else url


def _user(user_id: int) -> Any:
    from kinerja.organisation.models import User

    return (
        User.objects.select_related("channel_preference", "employee")
        .filter(pk=user_id, is_active=True)
        .first()
    )


# --- E-mail --------------------------------------------------------------------------------------


def email_channel(item: Dispatch) -> None:
    """The "email" channel: at once, into the daily digest, or not, as the person chose."""
    user = _user(item.user_id)
    if user is None or not user.email:
        return
    preference = preference_of(user)
    if not wants(preference, item.kind) or preference.email_mode == EmailMode.OFF:
        return
    if preference.email_mode == EmailMode.DIGEST:
        DigestItem.objects.create(user=user, kind=item.kind, message=item.message, url=item.url)
        return
    body = item.message + (f"\n\n{_link(item.url)}" if item.url else "") + footer()
    email_queue(user=user, kind=item.kind, subject=SUBJECT_PREFIX + item.message[:120], body=body)


def footer() -> str:
    return "\n\n--\nPesan otomatis dari Kinerja. Atur surel yang Anda terima di " + absolute_url(
        "/adopsi/pemberitahuan/"
    )


def email_queue(*, user: Any, kind: str, subject: str, body: str, to: str = "") -> Delivery:
    """Log one e-mail and have the task worker send it (after the current transaction)."""
    from . import tasks

    delivery = Delivery.objects.create(
        channel=Channel.EMAIL,
        user=user if getattr(user, "pk", None) else None,
        kind=kind,
        target=(to or user.email)[:300],
        subject=subject[:300],
        payload={"body": body},
    )
    transaction.on_commit(lambda: tasks.send_email.enqueue(delivery.pk))
    return delivery


def email_send(delivery_ids: Sequence[int]) -> int:
    """Send logged e-mails over one SMTP connection; returns how many went out. A failure is
    recorded on its row (the others still go)."""
    rows = list(Delivery.objects.filter(pk__in=list(delivery_ids), channel=Channel.EMAIL))
    sent = 0
    with mail.get_connection() as connection:
        for row in rows:
            if row.status == DeliveryStatus.SENT:
                continue
            message = mail.EmailMessage(
                subject=row.subject,
                body=row.payload.get("body", ""),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[row.target],
                connection=connection,
            )
            row.attempts += 1
            try:
                message.send()
            except Exception as exc:  # SMTP refused, network down: logged, retried later
                row.status = DeliveryStatus.FAILED
                row.last_error = str(exc)[:500]
            else:
                row.status = DeliveryStatus.SENT
                row.delivered_at = timezone.now()
                row.last_error = ""
                sent += 1
            row.save(update_fields=["status", "attempts", "last_error", "delivered_at"])
    return sent


# --- Webhook (WhatsApp/SMS gateway) -------------------------------------------------------------


def webhook_channel(item: Dispatch) -> None:
    """The "webhook" channel: only when the regency configured a gateway and the person chose
    it and has a phone number on record."""
    if not settings.ADOPTION_WEBHOOK_URL:
        return
    user = _user(item.user_id)
    if user is None:
        return
    preference = preference_of(user)
    phone = user.employee.phone if user.employee_id else ""
    if not preference.webhook_enabled or not phone or not wants(preference, item.kind):
        return
    webhook_queue(user=user, kind=item.kind, phone=phone, message=item.message, url=item.url)


def webhook_queue(*, user: Any, kind: str, phone: str, message: str, url: str = "") -> Delivery:
    from . import tasks

    delivery = Delivery.objects.create(
        channel=Channel.WEBHOOK,
        user=user,
        kind=kind,
        target=phone[:300],
        payload={"to": phone, "message": message, "url": _link(url), "kind": kind},
    )
    transaction.on_commit(lambda: tasks.deliver_webhook.enqueue(delivery.pk))
    return delivery


def webhook_deliver(delivery_id: int, *, sleep: Any = time.sleep) -> Delivery:
    """POST one delivery to the gateway, retrying up to ADOPTION_WEBHOOK_ATTEMPTS times."""
    row = Delivery.objects.get(pk=delivery_id, channel=Channel.WEBHOOK)
    if row.status == DeliveryStatus.SENT:
        return row
    body = json.dumps({**row.payload, "id": row.pk}).encode()
    headers = {"Content-Type": "application/json"}
    if settings.ADOPTION_WEBHOOK_TOKEN:
        headers["Authorization"] = f"Bearer {settings.ADOPTION_WEBHOOK_TOKEN}"
    attempts = max(1, int(settings.ADOPTION_WEBHOOK_ATTEMPTS))
    for attempt in range(1, attempts + 1):
        row.attempts += 1
        request = urllib.request.Request(
            settings.ADOPTION_WEBHOOK_URL, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(
                request, timeout=settings.ADOPTION_WEBHOOK_TIMEOUT_SECONDS
            ) as answer:
                status = answer.status
        except urllib.error.HTTPError as exc:
            status, error = exc.code, f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            status, error = 0, str(getattr(exc, "reason", exc))
        else:
            error = "" if 200 <= status < 300 else f"HTTP {status}"
        if 200 <= status < 300:
            row.status = DeliveryStatus.SENT
            row.delivered_at = timezone.now()
            row.last_error = ""
            break
        row.status = DeliveryStatus.FAILED
        row.last_error = error[:500]
        if attempt < attempts:
            sleep(settings.ADOPTION_WEBHOOK_RETRY_SECONDS * attempt)
    row.save(update_fields=["status", "attempts", "last_error", "delivered_at"])
    return row
