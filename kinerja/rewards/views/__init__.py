"""Pages of the rewards app (/tindak-lanjut/, /tpp/, /penghargaan/). Thin: access from
organisation.access through the selectors, writes through the services; 404 outside scope.

Modules: `followup` (recommendations, rules, discipline, coaching, fairness), `attendance`, `tpp`,
`recognition`; `common` holds the request helpers they share. Every view is re-exported here
for kinerja.rewards.urls."""

from __future__ import annotations

from .attendance import attendance_import, attendance_summary, attendance_template
from .followup import (
    coaching_detail,
    coaching_list,
    discipline_list,
    fairness,
    recommendation_detail,
    recommendation_list,
    rule_edit,
    rule_list,
    rules_run,
)
from .recognition import (
    asn_berprestasi,
    recognition_consent,
    recognition_pdf,
    recognition_wall,
    satyalancana,
)
from .tpp import (
    PAYROLL_HEADERS,
    tpp_base,
    tpp_calculate,
    tpp_month,
    tpp_my,
    tpp_opd,
    tpp_overview,
    tpp_payroll,
    tpp_slip,
)

__all__ = [
    "PAYROLL_HEADERS",
    "asn_berprestasi",
    "attendance_import",
    "attendance_summary",
    "attendance_template",
    "coaching_detail",
    "coaching_list",
    "discipline_list",
    "fairness",
    "recognition_consent",
    "recognition_pdf",
    "recognition_wall",
    "recommendation_detail",
    "recommendation_list",
    "rule_edit",
    "rule_list",
    "rules_run",
    "satyalancana",
    "tpp_base",
    "tpp_calculate",
    "tpp_month",
    "tpp_my",
    "tpp_opd",
    "tpp_overview",
    "tpp_payroll",
    "tpp_slip",
]
