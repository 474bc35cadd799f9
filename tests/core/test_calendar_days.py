"""The demo and the pages people open most, on the days of the year where calendars break: the
first day of the year, the first days of a month (before the 5th-of-month deadline), and the
last evening of the year. Nothing may fail, and nothing may say the year is over before it is.

The whole suite also runs under frozen dates in CI (KINERJA_TEST_NOW, tests/clock.py); this
module pins the same days for a seeded demo, which those runs would otherwise never seed.
"""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kinerja.demo.organisation import demo_logins
from kinerja.organisation.models import User

DAYS = [
    "2027-01-01T00:30:00+07:00",  # new year in Jakarta, still 31 December in UTC
    "2026-12-04T10:00:00+07:00",  # December has started, November's deadline not yet passed
    "2026-12-31T23:00:00+07:00",  # the last evening of the year
]
PAGES = ["/", "/pantau/saya/", "/skp/", "/notifikasi/"]
BOSS_PAGES = ["/", "/pantau/tim/", "/skp/tim/", "/skp/persetujuan/", "/penilaian/"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("moment", DAYS)
def test_the_demo_and_its_main_pages_work_on_awkward_days(moment: str, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(datetime.fromisoformat(moment)):
        call_command("seed_demo", employees=200, seed=3, stdout=open("/dev/null", "w"))  # noqa: SIM115
        logins = {login.role: User.objects.get(username=login.username) for login in demo_logins()}
        head = logins["Kepala unit (OPD)"]
        staff = (
            User.objects.filter(
                employee__plans__year=timezone.localdate().year,
                employee__supervisor__isnull=False,
                employee__direct_reports__isnull=True,
            )
            .order_by("employee__nip")
            .first()
        )
        year_over = moment.startswith("2027-01-01")  # 2026 is over, 2027 has just begun
        for user, pages in ((staff, PAGES), (head, BOSS_PAGES)):
            if user is None:
                assert year_over, "everyone has a plan for the running year"
                continue
            client = Client()
            client.force_login(user)
            for url in pages:
                response = client.get(url, follow=True)
                assert response.status_code == 200, (moment, user, url)
                text = response.content.decode()
                if not year_over:
                    assert "tahun telah berakhir" not in text.lower(), (moment, user, url)
