"""tests/clock_site: a process that the suite starts on its clock (tests/clock.py) keeps the
settings its environment gives it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

from django.conf import settings

from tests import clock

SCRIPT = """
import sys
from datetime import date
import django
django.setup()
from django.conf import settings
print("pytest" in sys.modules, settings.TESTING, settings.TASKS["default"]["BACKEND"], date.today())
"""


def test_a_process_on_the_suites_clock_runs_with_its_own_settings() -> None:
    """time_machine imports pytest when it can, and the settings take any process that has
    imported pytest for the suite itself: the clock's start-up module keeps pytest out, so a
    server started on a frozen clock runs with the settings of its environment, not the test
    settings (which ran its tasks at once and gave it a throwaway media folder)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"KINERJA_TESTING", "TASKS_BACKEND", "MEDIA_ROOT"}
        and not k.startswith("PYTEST")
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", SECRET_KEY="k" * 50)
    at = datetime.fromisoformat("2027-01-01T00:30:00+07:00")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=clock.subprocess_env(env, at=at),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == [
        "False",
        "False",
        "django_tasks_db.DatabaseBackend",
        "2027-01-01",
    ]
