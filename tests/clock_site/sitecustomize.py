"""Freeze the clock of a process that the test suite starts (uvicorn, manage.py), when the suite
itself runs under a frozen date (KINERJA_TEST_NOW, see tests/clock.py). Python imports this
module at start-up because tests put this folder on PYTHONPATH for such subprocesses only."""

import os
import sys

if os.environ.get("KINERJA_TEST_NOW"):
    from datetime import datetime

    # time_machine imports pytest for its fixture when it can, and settings.TESTING is true in
    # any process that has imported pytest: the servers and workers that the suite starts ran
    # with the test settings (MD5 passwords, tasks run at once, a throwaway media folder that a
    # server stopped by a signal left behind) whenever the clock was frozen, as in CI. They run
    # with the settings their environment gives, as on the real clock.
    blocked = "pytest" not in sys.modules
    if blocked:
        sys.modules["pytest"] = None  # type: ignore[assignment]  # `import pytest` fails
    try:
        import time_machine
    finally:
        if blocked:
            del sys.modules["pytest"]

    time_machine.travel(datetime.fromisoformat(os.environ["KINERJA_TEST_NOW"]), tick=True).start()
