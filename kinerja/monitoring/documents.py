"""The dashboard's charts, and its exports (XLSX, PDF through kinerja.core.pdf): the same SVG
charts as the page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kinerja.core import charts, pdf, tabular
from kinerja.core.templatetags.kinerja import pct
from kinerja.rules.calendar import MONTHS

from .selectors import Dashboard, UnitLine


def _f(value: Decimal | float | None) -> float | None:
    return None if value is None else round(float(value), 1)


def capaian_chart(lines: list[UnitLine], *, title: str, width: int = 820) -> SafeString:
    items = [(line.unit.name, _f(line.totals.capaian)) for line in lines]
    chart = charts.bar_chart(
        items,
        title=title,
        desc=_(
            "Rata-rata capaian kinerja pegawai sampai bulan ini, per unit; garis putus-putus "
            "menandai 100%."
        ),
        reference=100,
        width=width,
        label_width=300,
    )
    rows = [(line.unit.name, pct(line.totals.capaian)) for line in lines]
    return charts.figure(
        chart, caption=title, headers=[_("Unit"), _("Rata-rata capaian")], rows=rows
    )


def dashboard_charts(dashboard: Dashboard) -> dict[str, Any]:
    title = (
        _("Rata-rata capaian per OPD, %(y)d") % {"y": dashboard.year}
        if dashboard.unit is None
        else _("Rata-rata capaian per unit di bawah %(u)s, %(y)d")
        % {"u": dashboard.unit.name, "y": dashboard.year}
    )
    return {
        "capaian": capaian_chart(dashboard.lines, title=title) if dashboard.lines else "",
        "heat": [
            (
                line,
                [
                    (value, charts.heat_class(value))
                    for value in line.totals.heat[: dashboard.months_shown]
                ],
            )
            for line in dashboard.lines
        ],
        "heat_total": [
            (value, charts.heat_class(value))
            for value in dashboard.total.heat[: dashboard.months_shown]
        ],
    }


HEADERS = [
    "OPD",
    "Pegawai",
    "SKP disetujui",
    "SKP disetujui (%)",
    "Rata-rata capaian (%)",
    "Realisasi tepat waktu (%)",
    "Pegawai berisiko",
    "IKM",
    "Pengaduan diterima",
    "Pengaduan dijawab tepat waktu (%)",
]


def _n(value: Decimal | float | None, places: int = 2) -> float | None:
    return None if value is None else round(float(value), places)


def dashboard_xlsx(dashboard: Dashboard) -> bytes:
    month = dashboard.month
    rows = []
    for line in [*dashboard.lines]:
        t = line.totals
        rows.append(
            [
                line.unit.name,
                t.employees,
                t.approved,
                _n(t.approved_share),
                _n(t.capaian),
                _n(t.on_time_share(month)),
                t.at_risk_people,
                _n(line.ikm),
                line.complaints.received if line.complaints else None,
                _n(line.complaints.on_time_percent) if line.complaints else None,
            ]
        )
    t = dashboard.total
    rows.append(
        [
            "Kabupaten",
            t.employees,
            t.approved,
            _n(t.approved_share),
            _n(t.capaian),
            _n(t.on_time_share(month)),
            t.at_risk_people,
            None,
            None,
            None,
        ]
    )
    heat_headers = ["OPD", *MONTHS]
    heat_rows = [
        [line.unit.name, *[_n(v, 1) for v in line.totals.heat]] for line in dashboard.lines
    ]
    sheets = [
        (f"Ringkasan {dashboard.year}", HEADERS, rows),
        ("Capaian bulanan", heat_headers, heat_rows),
    ]
    spreads = [line for line in dashboard.lines if line.predikat is not None]
    if dashboard.predikat_period and spreads:
        labels = [label for label, _n in spreads[0].predikat.counts]  # type: ignore[union-attr]
        sheets.append(
            (
                f"Predikat {dashboard.predikat_period}"[:31],
                ["OPD", "Predikat organisasi", *labels, "Pelanggaran kurva"],
                [
                    [
                        line.unit.name,
                        line.predikat.org_predikat,  # type: ignore[union-attr]
                        *[n for _label, n in line.predikat.counts],  # type: ignore[union-attr]
                        " ".join(line.predikat.violations),  # type: ignore[union-attr]
                    ]
                    for line in spreads
                ],
            )
        )
    return tabular.xlsx_bytes(sheets)


def dashboard_pdf_bytes(dashboard: Dashboard) -> bytes:
    from kinerja.organisation.services import regency_get_cached

    context = {
        "dashboard": dashboard,
        "charts": dashboard_charts(dashboard),
        "regency": regency_get_cached(),
        "printed_at": timezone.localtime(),
    }
    return pdf.render_pdf("monitoring/pdf/regency_dashboard.html", context)


def dashboard_pdf_response(dashboard: Dashboard) -> HttpResponse:
    return pdf.pdf_response(dashboard_pdf_bytes(dashboard), f"dasbor-kinerja-{dashboard.year}.pdf")
