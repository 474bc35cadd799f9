"""Channels: every notification can leave by e-mail (a real local SMTP server) or the webhook
(a local HTTP server), as the person chose; the in-app notification is unchanged."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.adoption import services
from kinerja.adoption.choices import DeliveryStatus, EmailMode, NotificationKind
from kinerja.adoption.models import Delivery, DigestItem
from kinerja.adoption.reminders import digests_send
from kinerja.core.models import Notification
from kinerja.core.notifications import channel_names, notify
from tests.conftest import Org

from .conftest import Gateway, Mailbox

ADDRESS = "siti@dinkes.example.id"


@pytest.fixture
def nurse(org: Org):  # type: ignore[no-untyped-def]
    user = org.users["employee"]
    user.email = ADDRESS
    user.save(update_fields=["email"])
    return user


def send(user, kind: str = "umum", capture=None) -> None:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        notify(recipient=user, message="SKP Anda disetujui.", url="/skp/1/", kind=kind)


def test_both_channels_are_registered() -> None:
    assert {"email", "webhook"} <= set(channel_names())


def test_an_existing_caller_without_a_kind_still_notifies_in_the_app_and_by_email(
    nurse, smtp: Mailbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=nurse.employee, message="Umpan balik baru dari atasan.", url="/skp/1/")
    assert Notification.objects.filter(recipient=nurse).count() == 1
    [message] = smtp.to(ADDRESS)
    assert "Umpan balik baru" in message["Subject"]
    body = Mailbox.body(message)
    assert "http://" in body and "/skp/1/" in body and "/adopsi/pemberitahuan/" in body
    delivery = Delivery.objects.get(target=ADDRESS)
    assert delivery.status == DeliveryStatus.SENT and delivery.kind == "umum"


def test_digest_mode_keeps_it_for_the_daily_email(
    nurse, smtp: Mailbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    services.preference_update(
        user=nurse, email_mode=EmailMode.DIGEST, webhook_enabled=False, muted_kinds=[]
    )
    send(nurse, capture=django_capture_on_commit_callbacks)
    assert smtp.messages == []
    assert DigestItem.objects.filter(user=nurse, sent_at__isnull=True).count() == 1
    assert digests_send() == 1
    [message] = smtp.to(ADDRESS)
    assert "SKP Anda disetujui." in Mailbox.body(message)
    assert digests_send() == 0  # once a day
    assert DigestItem.objects.filter(sent_at__isnull=True).count() == 0


def test_off_and_muted_kinds_send_nothing_outside_the_app(
    nurse, smtp: Mailbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    services.preference_update(
        user=nurse,
        email_mode=EmailMode.IMMEDIATE,
        webhook_enabled=False,
        muted_kinds=[NotificationKind.ANNOUNCEMENT],
    )
    send(nurse, kind=NotificationKind.ANNOUNCEMENT, capture=django_capture_on_commit_callbacks)
    assert smtp.messages == []
    services.preference_update(
        user=nurse, email_mode=EmailMode.OFF, webhook_enabled=False, muted_kinds=[]
    )
    send(nurse, capture=django_capture_on_commit_callbacks)
    assert smtp.messages == []
    assert Notification.objects.filter(recipient=nurse).count() == 2  # the app keeps both


def test_an_inactive_account_gets_no_email(
    nurse, smtp: Mailbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    nurse.is_active = False
    nurse.save(update_fields=["is_active"])
    send(nurse, capture=django_capture_on_commit_callbacks)
    assert smtp.messages == []


def test_the_webhook_retries_and_logs_the_delivery(
    nurse, gateway: Gateway, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    nurse.employee.phone = "0812-3456-7890"
    nurse.employee.save(update_fields=["phone"])
    services.preference_update(
        user=nurse, email_mode=EmailMode.OFF, webhook_enabled=True, muted_kinds=[]
    )
    gateway.fail_first = 2
    send(nurse, capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 3
    assert len(gateway.requests) == 3
    assert gateway.requests[-1]["to"] == "0812-3456-7890"
    assert gateway.requests[-1]["message"] == "SKP Anda disetujui."
    assert gateway.requests[-1]["url"].endswith("/skp/1/")
    assert gateway.headers[-1]["Authorization"] == "Bearer rahasia-gateway"


def test_a_gateway_that_keeps_failing_is_logged_as_failed(
    nurse, gateway: Gateway, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    nurse.employee.phone = "0812-3456-7890"
    nurse.employee.save(update_fields=["phone"])
    services.preference_update(
        user=nurse, email_mode=EmailMode.OFF, webhook_enabled=True, muted_kinds=[]
    )
    gateway.fail_first = 10
    send(nurse, capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == settings.ADOPTION_WEBHOOK_ATTEMPTS
    assert delivery.last_error == "HTTP 503"


def test_no_gateway_configured_means_no_webhook(
    nurse, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.ADOPTION_WEBHOOK_URL = ""
    services.preference_update(
        user=nurse, email_mode=EmailMode.OFF, webhook_enabled=True, muted_kinds=[]
    )
    send(nurse, capture=django_capture_on_commit_callbacks)
    assert not Delivery.objects.filter(channel="webhook").exists()


def test_the_preferences_page_saves_the_choice(nurse) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(nurse)
    response = client.post(
        reverse("adoption:preferences"),
        {"email_mode": "harian", "kinds": ["umum", "realisasi_jatuh_tempo"]},
    )
    assert response.status_code == 302
    preference = nurse.channel_preference
    preference.refresh_from_db()
    assert preference.email_mode == "harian"
    assert "pengumuman" in preference.muted_kinds and "umum" not in preference.muted_kinds
    bad = client.post(reverse("adoption:preferences"), {"email_mode": "sms"})
    assert bad.status_code == 200
    preference.refresh_from_db()
    assert preference.email_mode == "harian"  # bad input changes nothing
