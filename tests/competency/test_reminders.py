"""The reminder sources adoption plugs in (kinerja.competency.reminders)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from kinerja.competency import reminders, services
from tests.conftest import Org

from .conftest import make_programme, make_session

pytestmark = pytest.mark.django_db


def test_it_lists_participants_pending_approvals_and_open_plan_items(org: Org) -> None:
    programme = make_programme(org)
    session = make_session(org, programme, needs_approval=True)
    services.enrolment_create(session=session, employee=org.employee, by=org.users["employee"])
    services.enrolment_create(session=session, employee=org.peer, by=org.users["supervisor"])
    starting = reminders.sessions_starting(session.starts_on)
    assert [r.employee_id for r in starting] == [org.peer.pk]
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        waiting = reminders.approvals_waiting(2)
    assert [(r.kind, r.employee_id) for r in waiting] == [
        ("competency.approval_pending", org.supervisor.pk)
    ]
    year = session.ends_on.year
    plan = services.plan_refresh(employee=org.unit_head, year=year, by=org.users["unit_head"])
    services.plan_item_add(plan=plan, by=org.users["unit_head"], tag="Adaptif", gap="Layanan")
    services.plan_agree(plan=plan, by=org.users["unit_head"])
    assert reminders.plan_items_open(year) == []  # agreed by one side only
    plan.supervisor_agreed_at = timezone.now()
    plan.items.update(status="disepakati")
    (item,) = reminders.plan_items_open(year)
    assert (item.kind, item.employee_id) == ("competency.plan_item", org.unit_head.pk)
