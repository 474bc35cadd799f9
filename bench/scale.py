"""The 100,000-employee benchmarks: `seed_demo --employees 100000` (time and peak memory) and
the pages whose cost could grow with the regency, on that whole demo. They run last (the
database is replaced) and take long: about ten minutes of seeding before the pages."""

from __future__ import annotations

from .assessment import calibration_figures
from .harness import Harness
from .monitoring import TEAM_SIZE, board_figures, regency_dashboard_figures
from .organisation import _seed_demo, directory_figures
from .pages import largest_opd_head, team_of_about, top_supervisor
from .performance import CASCADE, TEAM_PLANS, plans_page
from .registry import Result, benchmark

EMPLOYEES = 100_000


@benchmark("seed_demo_100k_s", unit="s", target=600)
def seed_demo_100k(h: Harness) -> Result:
    """Wall time of `manage.py seed_demo --employees 100000` (the whole demo) in its own process
    into an empty migrated database (target 10 minutes)."""
    return _seed_demo(h, EMPLOYEES)


@benchmark("seed_demo_100k_peak_mib", unit="MiB", target=1536)
def seed_demo_100k_peak(h: Harness) -> Result:
    """Peak resident memory of that seed_demo process (≤ 1.5 GiB), from the rusage of wait4."""
    seeded = h.full_demo(EMPLOYEES)
    return Result(seeded["seed_demo_peak_rss_mib"], {"seed_demo_s": seeded["seed_demo_s"]})


@benchmark("team_board_p95_ms_100k", unit="ms", target=50)
def team_board_100k(h: Harness) -> Result:
    """GET /pantau/tim/ for a 40-person team at 100,000 employees: cold, warm, filters cold."""
    h.full_demo(EMPLOYEES)
    return board_figures(h, *team_of_about(TEAM_SIZE))


@benchmark("team_board_opd_p95_ms_100k", unit="ms", target=50)
def team_board_opd_100k(h: Harness) -> Result:
    """The same for the head of the largest OPD at 100,000 employees."""
    h.full_demo(EMPLOYEES)
    return board_figures(h, *largest_opd_head())


@benchmark("team_board_top_p95_ms_100k", unit="ms", target=50)
def team_board_top_100k(h: Harness) -> Result:
    """The same for the regency's top supervisor at 100,000 employees."""
    h.full_demo(EMPLOYEES)
    return board_figures(h, *top_supervisor())


@benchmark("team_plans_top_p95_ms_100k", unit="ms", target=80)
def team_plans_top_100k(h: Harness) -> Result:
    """GET /skp/tim/ for the regency's top supervisor at 100,000 employees, cold and warm."""
    h.full_demo(EMPLOYEES)
    return plans_page(h, "performance:team_plans", TEAM_PLANS, *top_supervisor())


@benchmark("team_plans_p95_ms_100k", unit="ms", target=80)
def team_plans_100k(h: Harness) -> Result:
    """GET /skp/tim/ for a 40-person team at 100,000 employees, cold and warm."""
    h.full_demo(EMPLOYEES)
    return plans_page(h, "performance:team_plans", TEAM_PLANS, *team_of_about(TEAM_SIZE))


@benchmark("team_cascade_top_p95_ms_100k", unit="ms", target=80)
def team_cascade_top_100k(h: Harness) -> Result:
    """GET /skp/tim/kaskade/ for the regency's top supervisor at 100,000 employees."""
    h.full_demo(EMPLOYEES)
    return plans_page(h, "performance:team_cascade", CASCADE, *top_supervisor())


@benchmark("directory_p95_ms_100k", unit="ms", target=50)
def directory_100k(h: Harness) -> Result:
    """GET /pegawai/ (first page) for an Admin BKPSDM at 100,000 employees, cold and warm."""
    h.full_demo(EMPLOYEES)
    return directory_figures(h)


@benchmark("regency_dashboard_p95_ms_100k", unit="ms", target=300)
def regency_dashboard_100k(h: Harness) -> Result:
    """GET /pantau/daerah/ for Pimpinan Daerah at 100,000 employees, cold and warm."""
    h.full_demo(EMPLOYEES)
    return regency_dashboard_figures(h)


@benchmark("calibration_p95_ms_100k", unit="ms", target=500)
def calibration_100k(h: Harness) -> Result:
    """The regency calibration view (Triwulan III) for Pimpinan Daerah at 100,000 employees."""
    h.full_demo(EMPLOYEES)
    return calibration_figures(h)
