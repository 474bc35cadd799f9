"""The OPD's goals (sasaran): the list, deleting one, importing them from XLSX."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.params import year_param
from kinerja.organisation import access
from kinerja.organisation.models import Unit

from .. import services
from ..forms import GoalForm
from ..models import OrgGoal
from ._shared import act, page_year

# --- OPD goals ---------------------------------------------------------------------------


def _managed_opds(user: Any) -> list[Unit]:
    opds = Unit.objects.filter(parent__isnull=True, is_active=True).order_by("name")
    return [u for u in opds if access.can_manage_goals(user, u)]


@login_required
@require_http_methods(["GET", "POST"])
def goal_list(request: HttpRequest) -> HttpResponse:
    year = page_year(request)
    opds = _managed_opds(request.user)
    if request.user.employee_id and not opds:
        opds = [request.user.employee.unit.opd]  # read-only view of one's own OPD
    selected = next(
        (u for u in opds if str(u.pk) == request.GET.get("opd")), opds[0] if opds else None
    )
    if selected is None:
        raise Http404
    can_manage = access.can_manage_goals(request.user, selected)
    form = GoalForm(
        request.POST or None,
        initial={"number": OrgGoal.objects.filter(opd=selected, year=year).count() + 1},
    )
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                services.goal_save(by=request.user, opd=selected, year=year, **form.cleaned_data)
                messages.success(request, _("Sasaran OPD ditambahkan."))
                return redirect(
                    f"{reverse('performance:goal_list')}?opd={selected.pk}&tahun={year}"
                )
            except ValidationError as exc:
                form.add_error(None, exc)
    return render(
        request,
        "performance/goal_list.html",
        {
            "opds": opds,
            "selected": selected,
            "year": year,
            "form": form,
            "can_manage": can_manage,
            "goals": OrgGoal.objects.filter(opd=selected, year=year),
        },
    )


@login_required
@require_POST
def goal_delete(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = get_object_or_404(OrgGoal, pk=goal_id)
    if not access.can_manage_goals(request.user, goal.opd):
        raise Http404
    act(request, lambda: services.goal_delete(goal=goal, by=request.user), _("Sasaran dihapus."))
    return redirect(f"{reverse('performance:goal_list')}?opd={goal.opd_id}&tahun={goal.year}")


def _goal_scope(request: HttpRequest) -> tuple[list[Unit], Unit, int]:
    """The OPDs the user manages goals of, the chosen one and the year; 404 for others."""
    opds = _managed_opds(request.user)
    wanted = request.POST.get("opd") or request.GET.get("opd")
    selected = next((u for u in opds if str(u.pk) == wanted), opds[0] if opds else None)
    if selected is None or not access.can_manage_goals(request.user, selected):
        raise Http404
    year = year_param(request.POST.get("tahun") or request.GET.get("tahun"))
    return opds, selected, year


@login_required
@require_http_methods(["GET", "POST"])
def goal_import(request: HttpRequest) -> HttpResponse:
    """An OPD's goals (Perjanjian Kinerja) from XLSX, for Admin OPD and BKPSDM."""
    from .. import imports

    opds, selected, year = _goal_scope(request)
    form = imports.UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = imports.goal_import(
            opd=selected, year=year, by=request.user, data=upload.read(), filename=upload.name
        )
        if result.ok:
            messages.success(request, result.summary())
            return redirect(f"{reverse('performance:goal_list')}?opd={selected.pk}&tahun={year}")
    return render(
        request,
        "performance/goal_import.html",
        {
            "opds": opds,
            "selected": selected,
            "year": year,
            "form": form,
            "result": result,
            "columns": imports.GOAL_HEADERS,
        },
    )


@login_required
def goal_template(request: HttpRequest) -> HttpResponse:
    from kinerja.core.http import file_response
    from kinerja.core.tabular import XLSX_MIME

    from .. import imports

    _opds, selected, year = _goal_scope(request)
    return file_response(
        imports.goal_template(selected, year), f"sasaran-{selected.code}-{year}.xlsx", XLSX_MIME
    )
