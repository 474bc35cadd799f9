"""Fixtures of the competency tests: a programme with a session today, built through the
services (the personas come from tests/conftest.py)."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kinerja.competency import services
from kinerja.competency.choices import LearningForm, LearningKind
from kinerja.competency.models import Programme, Session
from tests.conftest import Org


def make_programme(org: Org, **fields) -> Programme:  # type: ignore[no-untyped-def]
    values = {
        "title": "Literasi Digital untuk Pelayanan Publik",
        "description": "Tanda tangan elektronik, keamanan data, layanan daring.",
        "tags": ["Teknologi Informasi", "Adaptif"],
        "jp": Decimal("8"),
        "form": LearningForm.KLASIKAL,
        "kind": LearningKind.TEKNIS,
        "provider": "BKPSDM Kabupaten Bukitintan",
        **fields,
    }
    programme = Programme(**values)
    return services.programme_save(by=org.users["bkpsdm"], programme=programme)


def make_session(org: Org, programme: Programme, **fields) -> Session:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    values = {
        "programme": programme,
        "name": "Angkatan I",
        "starts_on": today,
        "ends_on": today,
        "start_time": time(8, 0),
        "end_time": time(16, 0),
        "place": "Aula BKPSDM",
        "quota": 2,
        "registration_deadline": timezone.now() + timedelta(hours=1),
        "organiser": org.users["bkpsdm"],
        **fields,
    }
    return services.session_save(by=org.users["bkpsdm"], session=Session(**values))


@pytest.fixture
def programme(org: Org) -> Programme:
    return make_programme(org)


@pytest.fixture
def session(org: Org, programme: Programme) -> Session:
    return make_session(org, programme)


@pytest.fixture
def org(org: Org) -> Org:
    """The shared regency plus an account for the peer (a second participant)."""
    from tests.factories import make_user

    org.users["peer"] = make_user(employee=org.peer)
    return org
