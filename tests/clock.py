"""The suite's clock: run every test as if today were another day.

`KINERJA_TEST_NOW=2027-01-01T08:00:00+07:00 make test` starts the whole suite (and the servers
it starts in subprocesses) at that moment, with the clock ticking from there. CI runs the suite
on the 1st of a month and on 31 December (.ci/run), so that no test and no page depends on the
day it happens to run. Tests that need a particular date still freeze it themselves
(`time_machine`), which takes precedence.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

SITE = Path(__file__).resolve().parent / "clock_site"
VARIABLE = "KINERJA_TEST_NOW"


def frozen_now() -> datetime | None:
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"{VARIABLE} needs a time zone, e.g. 2027-01-01T08:00:00+07:00")
    return moment


def start() -> None:
    """Move this process's clock to KINERJA_TEST_NOW (when set), ticking from there."""
    moment = frozen_now()
    if moment is not None:
        import time_machine

        time_machine.travel(moment, tick=True).start()


def subprocess_env(env: dict[str, str], at: datetime | None = None) -> dict[str, str]:
    """`env` for a subprocess whose clock starts at `at` (ticking), or shares the suite's
    frozen clock when `at` is None (unchanged when the suite runs on the real clock)."""
    moment = at or frozen_now()
    if moment is None:
        return env
    path = env.get("PYTHONPATH", "")
    return {
        **env,
        VARIABLE: moment.isoformat(),
        "PYTHONPATH": os.pathsep.join(p for p in (str(SITE), path) if p),
    }


# The day the demo's tests look at the regency: late in the year, with months behind it and the
# current month still open. Tests that check the demo's realism travel here (tick on).
DEMO_DAY = datetime.fromisoformat("2026-10-20T09:00:00+07:00")


def demo_day() -> Iterator[None]:
    """A module-scoped autouse fixture body: the module's tests happen on DEMO_DAY."""
    import time_machine

    with time_machine.travel(DEMO_DAY):
        yield
