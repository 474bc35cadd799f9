"""Paging a large board's filter (issue 16): on SQLite, walking the employees in name order
when that finds a page quickly (see _walk_is_cheap). Used by selectors.board._large_board."""

from __future__ import annotations

from django.db import connection

from kinerja.organisation.models import Employee

# People per page of a filtered large board (as the directory): each row is rendered on a cold
# request, so the page size sets the cold cost of a filter (bench: team_board_top_p95_ms_*).
LARGE_PAGE_SIZE = 25

# SQLite: at most this many employees read in name order to fill a page by walking the index.
WALK_MAX_ROWS = 2000


def _walk_is_cheap(offset: int, matches: int, regency: int) -> bool:
    """Whether walking the employees in name order finds the page quickly: SQLite only (its
    planner always answers the subtree from the path index and then sorts every match: 30–100
    ms for the Sekda's late list at 10,000 and ten times that at 100,000; PostgreSQL chooses
    between the two plans itself from its statistics). Walking reads about
    (offset + page) × regency / matches employees."""
    if connection.vendor != "sqlite" or matches <= 0:
        return False
    return (offset + LARGE_PAGE_SIZE) * regency <= WALK_MAX_ROWS * matches


def _walk_ids(
    head: Employee, filter: str, *, viewer: int, year: int, due: int, offset: int
) -> list[int]:
    """One page of the filtered large board (PersonFigures ids), in (name, NIP) order, by
    walking the employee index `employee_name_nip` and probing each person's figures, so SQLite
    stops after one page. The conditions are those of `_large_board`'s ORM query
    (tests/monitoring/test_large_board.py compares the two page by page)."""
    matching = {
        "risiko": ("pf.is_at_risk", []),
        "menunggu": ("pf.assessor_id = %s AND pf.waiting_review > 0", [viewer]),
        "terlambat": ("(pf.late_entries > 0 OR pf.first_missing_month <= %s)", [due]),
    }[filter]
    upper = head.path[:-1] + chr(ord("/") + 1)
    sql = (
        "SELECT pf.id FROM organisation_employee e INDEXED BY employee_name_nip "
        "CROSS JOIN monitoring_personfigures pf ON pf.employee_id = e.id AND pf.year = %s "
        f"WHERE e.path >= %s AND e.path < %s AND e.is_active AND e.id <> %s AND {matching[0]} "
        "ORDER BY e.name, e.nip LIMIT %s OFFSET %s"
    )
    params = [year, head.path, upper, head.pk, *matching[1], LARGE_PAGE_SIZE, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


__all__ = ["LARGE_PAGE_SIZE", "WALK_MAX_ROWS", "_walk_ids", "_walk_is_cheap"]
