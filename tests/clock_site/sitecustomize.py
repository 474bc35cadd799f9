"""Freeze the clock of a process that the test suite starts (uvicorn, manage.py), when the suite
itself runs under a frozen date (KINERJA_TEST_NOW, see tests/clock.py). Python imports this
module at start-up because tests put this folder on PYTHONPATH for such subprocesses only."""

import os

if os.environ.get("KINERJA_TEST_NOW"):
    from datetime import datetime

    import time_machine

    time_machine.travel(datetime.fromisoformat(os.environ["KINERJA_TEST_NOW"]), tick=True).start()
