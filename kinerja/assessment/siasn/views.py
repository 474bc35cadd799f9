"""The BKPSDM page of the SIASN export: choose a period (and a unit), see the dry-run — how many
results are ready, who would be rejected and why, which codes are still to set — and ask for the
XLSX, which the background export makes (kinerja.core.exports, kind "assessment.siasn")."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kinerja.organisation import access

from .. import selectors as assessment_selectors
from .forms import SiasnForm
from .mapping import MappingError, load_mapping
from .selectors import REASONS, siasn_export
from .services import EXPORT_KIND

PAGE_SIZE = 50
PREVIEW_ROWS = 10


@login_required
def siasn_page(request: HttpRequest) -> HttpResponse:
    if not access.can_export_siasn(request.user):  # type: ignore[arg-type]
        raise Http404
    if "tahun" in request.GET:
        form = SiasnForm(request.GET)
    else:
        default = assessment_selectors.default_period()
        form = SiasnForm({"tahun": default.year, "periode": default.code.split("-", 1)[1]})
    context: dict[str, object] = {"form": form, "export_kind": EXPORT_KIND, "reasons": REASONS}
    if form.is_valid():
        unit = form.cleaned_data.get("unit")
        try:
            mapping = load_mapping()
        except MappingError as exc:
            context["mapping_error"] = str(exc)
        else:
            export = siasn_export(
                user=request.user,  # type: ignore[arg-type]
                period=form.period,
                unit=unit,
                mapping=mapping,
            )
            params = {
                "tahun": form.cleaned_data["tahun"],
                "periode": form.cleaned_data["periode"],
                **({"unit": unit.pk} if unit is not None else {}),
            }
            context.update(
                export=export,
                params=params,
                preview=export.rows[:PREVIEW_ROWS],
                page=Paginator(export.rejected, PAGE_SIZE).get_page(request.GET.get("page")),
                querystring=urlencode(params),
            )
    return render(request, "assessment/siasn_export.html", context)
