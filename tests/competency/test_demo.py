"""The competency demo: the catalogue named in issue 12, a year of sessions with JP spread from
0 to 40+ and about a quarter below 20 JP, external learning in each state, plans for the
personas, and pages that open on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from kinerja.competency import selectors
from kinerja.competency.models import DevelopmentPlan, ExternalLearning, Programme
from kinerja.demo import competency as demo
from kinerja.demo.organisation import build_demo, demo_logins
from kinerja.organisation.models import Employee, User

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    media = tmp_path_factory.mktemp("media")
    with (
        time_machine.travel(datetime(2026, 11, 28, 10, tzinfo=WIB), tick=False),
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        build_demo(employees=600, seed=2026)
        summary = demo.seed(seed=2026, options={})
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def data(seeded: str, db) -> str:  # type: ignore[no-untyped-def]
    return seeded


def test_it_has_the_catalogue_of_the_issue(data: str) -> None:
    assert data.startswith("Kompetensi: 10 program")
    titles = set(Programme.objects.values_list("title", flat=True))
    for title in (
        "Literasi Digital untuk Pelayanan Publik",
        "Pelayanan Prima",
        "Penyusunan SKP dan Indikator Kinerja",
        "Penanganan Kegawatdaruratan Dasar",
        "Sosialisasi Aplikasi Kinerja",
    ):
        assert title in titles
    assert any(t.startswith("E-learning") for t in titles)


def test_jp_spread_from_0_to_40_plus_with_a_quarter_below_20(data: str) -> None:
    ids = list(Employee.objects.filter(is_active=True).values_list("pk", flat=True))
    totals = selectors.jp_provider(employee_ids=ids, year=2026)
    values = [t.completed_jp for t in totals.values()]
    below = sum(v < 20 for v in values) / len(values)
    assert min(values) == Decimal("0.00") and max(values) >= Decimal("40")
    assert 0.15 <= below <= 0.40, below


def test_external_learning_in_each_state_and_plans_for_the_personas(data: str) -> None:
    states = set(ExternalLearning.objects.values_list("status", flat=True))
    assert states == {"diajukan", "disetujui", "dikembalikan"}
    assert DevelopmentPlan.objects.filter(year=2026).count() >= 3


def test_the_pages_open_on_the_demo(data: str) -> None:
    logins = {login.role: User.objects.get(username=login.username) for login in demo_logins()}
    with time_machine.travel(datetime(2026, 11, 28, 10, tzinfo=WIB), tick=False):
        staff = Client()
        staff.force_login(logins["Pegawai"])
        for url in (
            reverse("competency:catalogue"),
            reverse("competency:my_learning") + "?tahun=2026",
            reverse("competency:plan") + "?tahun=2026",
        ):
            assert staff.get(url).status_code == 200, url
        admin = Client()
        admin.force_login(logins["Admin BKPSDM"])
        for url in (
            reverse("competency:compliance") + "?tahun=2026",
            reverse("competency:approvals"),
            reverse("competency:needs") + "?tahun=2026",
            reverse("competency:needs_xlsx") + "?tahun=2026",
        ):
            assert admin.get(url).status_code == 200, url
