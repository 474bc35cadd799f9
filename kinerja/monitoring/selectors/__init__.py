"""Reads of monitoring, scoped by organisation.access. Dashboards read the precomputed figures
(PersonFigures, UnitFigures) in a fixed number of queries whatever the team or regency size;
"Kinerja saya" reads the one plan it shows through kinerja.performance.selectors.

Modules: `board` (the team board, one member's row, the live feed's start), `personal` (Kinerja
saya), `dashboard` (the regency's and a unit's). Every public name is re-exported here."""

from __future__ import annotations

from .board import (
    FILTERS,
    Board,
    BoardRow,
    board_row,
    last_change_id,
    team_board,
    team_member_get,
    team_row,
    team_summary_row,
    tree_limit,
)
from .dashboard import (
    Dashboard,
    Totals,
    UnitLine,
    can_view_regency_dashboard,
    regency_dashboard,
    unit_dashboard,
    unit_for_dashboard,
)
from .personal import HistoryItem, IndicatorCard, MyPerformance, my_performance

__all__ = [
    "FILTERS",
    "Board",
    "BoardRow",
    "Dashboard",
    "HistoryItem",
    "IndicatorCard",
    "MyPerformance",
    "Totals",
    "UnitLine",
    "board_row",
    "can_view_regency_dashboard",
    "last_change_id",
    "my_performance",
    "regency_dashboard",
    "team_board",
    "team_member_get",
    "team_row",
    "team_summary_row",
    "tree_limit",
    "unit_dashboard",
    "unit_for_dashboard",
]
