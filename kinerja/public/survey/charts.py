"""The monthly IKM trend as the chart templates show it (staff results and transparency)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from kinerja.core.numbers import format_number

from .. import documents
from . import selectors


def trend_chart(scope: Q, year: int, element_id: str, name: str) -> dict[str, Any]:
    points = selectors.monthly_trend(scope=scope, year=year)
    values = [(p.label, p.result.ikm.converted) for p in points]
    shown = [
        f"{p.label} {format_number(p.result.ikm.converted, 2)}"
        for p in points
        if p.result.ikm.converted is not None
    ]
    desc = _("IKM per bulan tahun %(y)s: %(v)s.") % {
        "y": year,
        "v": "; ".join(shown) or _("belum ada data"),
    }
    return {
        "chart": documents.trend_svg(
            values,
            title=_("Tren IKM %(name)s, %(y)s") % {"name": name, "y": year},
            desc=desc,
            element_id=element_id,
        ),
        "points": points,
    }
