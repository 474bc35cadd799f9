"""The competency reminders plugged into adoption's runner: a training session starting
tomorrow, and agreed development-plan items not acted on (from July, once a quarter) — each
sent once, to active accounts only."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from kinerja.adoption.choices import NotificationKind
from kinerja.adoption.models import ReminderSent
from kinerja.adoption.reminders import reminders_run
from kinerja.competency import services as competency
from tests.competency.conftest import make_programme, make_session
from tests.conftest import Org

pytestmark = pytest.mark.django_db


def sent(kind: str) -> list[int]:
    return sorted(ReminderSent.objects.filter(kind=kind).values_list("user_id", flat=True))


def test_participants_are_reminded_the_day_before_a_session_once(org: Org) -> None:
    programme = make_programme(org)
    tomorrow = timezone.localdate() + timedelta(days=1)
    session = make_session(org, programme, starts_on=tomorrow, ends_on=tomorrow)
    competency.enrolment_create(session=session, employee=org.employee, by=org.users["employee"])

    first = reminders_run(timezone.localdate(), kinds=[NotificationKind.TRAINING_STARTING])
    again = reminders_run(timezone.localdate(), kinds=[NotificationKind.TRAINING_STARTING])

    assert first[NotificationKind.TRAINING_STARTING] == 1
    assert again[NotificationKind.TRAINING_STARTING] == 0
    assert sent(NotificationKind.TRAINING_STARTING) == [org.users["employee"].pk]


def test_an_inactive_participant_gets_no_reminder(org: Org) -> None:
    programme = make_programme(org)
    tomorrow = timezone.localdate() + timedelta(days=1)
    session = make_session(org, programme, starts_on=tomorrow, ends_on=tomorrow)
    competency.enrolment_create(session=session, employee=org.employee, by=org.users["employee"])
    org.users["employee"].is_active = False
    org.users["employee"].save(update_fields=["is_active"])
    reminders_run(timezone.localdate(), kinds=[NotificationKind.TRAINING_STARTING])
    assert sent(NotificationKind.TRAINING_STARTING) == []


def test_open_development_items_are_reminded_from_july_once_a_quarter(org: Org) -> None:
    programme = make_programme(org)
    year = timezone.localdate().year
    plan = competency.plan_refresh(employee=org.unit_head, year=year, by=org.users["unit_head"])
    competency.plan_item_add(
        plan=plan, by=org.users["unit_head"], tag="Adaptif", gap="Layanan daring"
    )
    plan.items.update(status="disepakati", programme=programme)
    kind = NotificationKind.DEVELOPMENT_ITEM_OPEN
    with time_machine.travel(f"{year}-03-10 09:00 +07:00"):
        reminders_run(timezone.localdate(), kinds=[kind])
    assert sent(kind) == []
    with time_machine.travel(f"{year}-07-10 09:00 +07:00"):
        reminders_run(timezone.localdate(), kinds=[kind])
        reminders_run(timezone.localdate(), kinds=[kind])
    with time_machine.travel(f"{year}-10-10 09:00 +07:00"):
        reminders_run(timezone.localdate(), kinds=[kind])
    assert sent(kind) == [org.users["unit_head"].pk] * 2  # Q3 and Q4, each once
