"""Pages of transparency (/transparansi/): the published survey results and complaint handling
figures of the regency and of each public unit.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from kinerja.core.replica import replica_view
from kinerja.organisation.models import Unit

from .. import common
from ..complaints import selectors as complaint_selectors
from ..models import Service
from ..survey import selectors as survey_selectors
from ..survey.charts import trend_chart
from ..web import period_context, period_of_request


@replica_view
def transparency_index(request: HttpRequest) -> HttpResponse:
    period = period_of_request(request)
    start, end = period.start, period.end
    regency = survey_selectors.survey_result(scope=Q(), start=start, end=end)
    by_opd = survey_selectors.survey_results_by(
        key="service__unit__opd_id", scope=Q(), start=start, end=end
    )
    complaints = complaint_selectors.complaint_figures(scope=Q(), start=start, end=end)
    complaints_by_opd = complaint_selectors.complaint_figures_by(
        key="unit__opd_id", scope=Q(), start=start, end=end
    )
    opd_ids = set(by_opd) | set(complaints_by_opd)
    opds = Unit.objects.filter(
        Q(pk__in=opd_ids) | Q(pk__in=common.public_units().values("opd_id"))
    ).order_by("name")
    rows = [(opd, by_opd.get(opd.pk), complaints_by_opd.get(opd.pk)) for opd in opds]
    return render(
        request,
        "public/transparency_index.html",
        {
            "result": regency,
            "complaints": complaints,
            "rows": rows,
            **trend_chart(Q(), period.year, "trend-regency", _("pemerintah daerah")),
            **period_context(period),
        },
    )


def _transparency_unit(pk: int) -> Unit:
    """A unit with public services in its tree (OPDs included), else 404."""
    unit = get_object_or_404(Unit.objects.select_related("opd"), pk=pk, is_active=True)
    if not common.public_units().filter(path__startswith=unit.path).exists():
        raise Http404
    return unit


@replica_view
def transparency_unit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _transparency_unit(pk)
    period = period_of_request(request)
    start, end = period.start, period.end
    scope = survey_selectors.unit_scope(unit)
    result = survey_selectors.survey_result(scope=scope, start=start, end=end)
    by_unit = survey_selectors.survey_results_by(
        key="service__unit_id", scope=scope, start=start, end=end
    )
    by_service = survey_selectors.survey_results_by(
        key="service_id", scope=scope, start=start, end=end
    )
    units = list(common.public_units().filter(path__startswith=unit.path).order_by("path"))
    service_list = list(
        Service.objects.filter(unit__path__startswith=unit.path, is_active=True)
        .select_related("unit")
        .order_by("unit__path", "name")
    )
    complaint_scope = Q(unit__path__startswith=unit.path)
    return render(
        request,
        "public/transparency_unit.html",
        {
            "unit": unit,
            "result": result,
            "unit_rows": [(u, by_unit.get(u.pk)) for u in units] if len(units) > 1 else [],
            "service_rows": [(s, by_service.get(s.pk)) for s in service_list],
            "complaints": complaint_selectors.complaint_figures(
                scope=complaint_scope, start=start, end=end
            ),
            "breakdown": survey_selectors.profile_breakdown(scope=scope, start=start, end=end),
            **trend_chart(scope, period.year, f"trend-{unit.pk}", unit.name),
            **period_context(period),
        },
    )
