"""The performance part of the Bukitintan demo (run by `seed_demo` after the organisation).

For the current year: three or four goals (sasaran) for every OPD, by sector; an approved SKP
for every active employee, cascaded as PermenPANRB 6/2022 asks (unit heads' RHK hang from their
OPD's goals, everyone else's from one of their direct supervisor's RHK); monthly realisations up
to now with a realistic spread (some ahead, most on track, some behind, a few with gaps; some
entered late; most months up to two months ago reviewed by the supervisor); evidence links and a
handful of small PDF files; feedback threads; dialog kinerja records with agreed actions. The
heads of Dinkes and Disdukcapil also have an RHK Tambahan whose indicators the system fills
from the survey IKM and the complaints (the public demo, which runs next, fills them).

The demo logins (`kinerja.demo.organisation.demo_logins`) get a story: the Pegawai's last month
is entered but not yet reviewed and carries a question from the supervisor; the Atasan has one
plan of another subordinate waiting in the approval inbox (a revised version 2).

It is a bulk tool, like the organisation demo: ids are assigned in memory and every table is
written in bulk (per-plan services would take minutes at 10,000 employees). The rows
are exactly what the services would write: the version snapshots have the shape of
`services.plan_snapshot` (tests/performance/test_demo.py compares them), and one audit record
notes the seeding. Everything depends only on the organisation and the seed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .plans import PerformanceDemo


def seed(*, seed: int, options: dict[str, Any]) -> str:
    """Extend the demo regency with a year of performance data (see the module docstring).

    One transaction (seed_demo already opens one; callers such as the benchmarks may not): all
    or nothing, and on SQLite one commit instead of one per inserted row.
    """
    with transaction.atomic():
        return PerformanceDemo(seed=seed).run()
