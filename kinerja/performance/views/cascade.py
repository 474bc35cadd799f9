"""A plan's content and the cascade: RHK, indicators (with the indicator library), handing an
RHK to direct reports, the team's plans and the cascade tree."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.calendar import months_started
from kinerja.core.http import querystring_without_page
from kinerja.core.params import int_param
from kinerja.organisation import access
from kinerja.rules.calendar import MONTHS

from .. import library, selectors, services
from ..forms import IndicatorForm, RhkForm
from ..models import Indicator, OrgGoal, Plan, Rhk
from ._shared import act, back_to_plan, owned_plan, page_year


@login_required
@require_http_methods(["GET", "POST"])
def rhk_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = owned_plan(request, pk)
    return _rhk_form(request, plan, None)


@login_required
@require_http_methods(["GET", "POST"])
def rhk_edit(request: HttpRequest, rhk_id: int) -> HttpResponse:
    rhk = selectors.rhk_get_for_user(user=request.user, rhk_id=rhk_id)
    if not access.is_plan_owner(request.user, rhk.plan):
        raise Http404
    return _rhk_form(request, rhk.plan, rhk)


def _rhk_form(request: HttpRequest, plan: Plan, rhk: Rhk | None) -> HttpResponse:
    form = RhkForm(
        request.POST or None,
        instance=rhk,
        parents=selectors.parent_rhk_choices(plan),
        goals=selectors.goal_choices(plan)
        if services.is_unit_head(plan.employee)
        else OrgGoal.objects.none(),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data.get(k) for k in ("kind", "text", "parent", "goal")}
        try:
            if rhk is None:
                rhk = services.rhk_add(plan=plan, by=request.user, **data)
                messages.success(request, _("RHK ditambahkan. Sekarang tambahkan indikatornya."))
                return redirect("performance:indicator_create", rhk_id=rhk.pk)
            services.rhk_update(rhk=rhk, by=request.user, **data)
            messages.success(request, _("RHK disimpan."))
            return back_to_plan(plan, f"#rhk-{rhk.pk}")
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "performance/rhk_form.html",
        {"form": form, "plan": plan, "rhk": rhk, "is_head": services.is_unit_head(plan.employee)},
    )


@login_required
@require_POST
def rhk_delete(request: HttpRequest, rhk_id: int) -> HttpResponse:
    rhk = selectors.rhk_get_for_user(user=request.user, rhk_id=rhk_id)
    if not access.is_plan_owner(request.user, rhk.plan):
        raise Http404
    act(request, lambda: services.rhk_delete(rhk=rhk, by=request.user), _("RHK dihapus."))
    return back_to_plan(rhk.plan)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, rhk_id: int) -> HttpResponse:
    rhk = selectors.rhk_get_for_user(user=request.user, rhk_id=rhk_id)
    if not access.is_plan_owner(request.user, rhk.plan):
        raise Http404
    initial: dict[str, Any] = {}
    item = library.item_by_key(request.GET.get("pustaka", ""))
    if item is not None:
        initial = {
            "aspek": item.aspek,
            "name": item.name,
            "unit_of_measure": item.unit,
            "polarity": item.polarity,
            "aggregation": item.aggregation,
            "target": item.target,
        }
    return _indicator_form(request, rhk, None, initial)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = selectors.indicator_get_for_user(user=request.user, indicator_id=indicator_id)
    if not access.is_plan_owner(request.user, indicator.rhk.plan):
        raise Http404
    initial = {
        f: getattr(indicator, f)
        for f in (
            "aspek",
            "name",
            "unit_of_measure",
            "target",
            "polarity",
            "aggregation",
            "source",
            "source_ref",
        )
    }
    initial["target"] = services.decimal_text(indicator.target).replace(".", ",")
    initial["monthly_targets"] = "; ".join(
        t.replace(".", ",") for t in (indicator.monthly_targets or [])
    )
    return _indicator_form(request, indicator.rhk, indicator, initial)


def _indicator_form(
    request: HttpRequest, rhk: Rhk, indicator: Indicator | None, initial: dict[str, Any]
) -> HttpResponse:
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if indicator is None:
                services.indicator_add(rhk=rhk, by=request.user, **data)
                messages.success(request, _("Indikator ditambahkan."))
            else:
                services.indicator_update(indicator=indicator, by=request.user, **data)
                messages.success(request, _("Indikator disimpan."))
            return back_to_plan(rhk.plan, f"#rhk-{rhk.pk}")
        except ValidationError as exc:
            form.add_error(None, exc)
    sector = rhk.plan.employee.unit.sector
    return render(
        request,
        "performance/indicator_form.html",
        {
            "form": form,
            "rhk": rhk,
            "plan": rhk.plan,
            "indicator": indicator,
            "library": library.items_for(sector) if indicator is None else [],
        },
    )


@login_required
@require_POST
def indicator_delete(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = selectors.indicator_get_for_user(user=request.user, indicator_id=indicator_id)
    if not access.is_plan_owner(request.user, indicator.rhk.plan):
        raise Http404
    act(
        request,
        lambda: services.indicator_delete(indicator=indicator, by=request.user),
        _("Indikator dihapus."),
    )
    return back_to_plan(indicator.rhk.plan)


@login_required
@require_http_methods(["GET", "POST"])
def rhk_distribute(request: HttpRequest, rhk_id: int) -> HttpResponse:
    rhk = selectors.rhk_get_for_user(user=request.user, rhk_id=rhk_id)
    if not access.is_plan_owner(request.user, rhk.plan):
        raise Http404
    reports = list(
        rhk.plan.employee.direct_reports.filter(is_active=True).select_related("position")
    )
    if request.method == "POST":
        chosen = [e for e in reports if str(e.pk) in request.POST.getlist("employees")]
        if not chosen:
            messages.error(request, _("Pilih paling sedikit satu bawahan."))
        else:
            result = services.rhk_distribute(rhk=rhk, by=request.user, employees=chosen)
            if result.created:
                messages.success(
                    request, _("RHK dibagikan kepada %(n)d bawahan.") % {"n": len(result.created)}
                )
            for employee, reason in result.skipped:
                messages.warning(request, f"{employee.full_name}: {reason}")
            return back_to_plan(rhk.plan, f"#rhk-{rhk.pk}")
    return render(
        request,
        "performance/rhk_distribute.html",
        {"rhk": rhk, "plan": rhk.plan, "reports": reports},
    )


# --- Team and cascade --------------------------------------------------------------------


@login_required
def team_plans(request: HttpRequest) -> HttpResponse:
    year = page_year(request)
    query = request.GET.get("q", "")
    page, rows = selectors.team_plans_page(
        request.user, year, page=request.GET.get("page"), query=query
    )
    return render(
        request,
        "performance/team_plans.html",
        {
            "rows": rows,
            "page": page,
            "q": query,
            "querystring": querystring_without_page(request),
            "year": year,
            "month": months_started(year),
            "month_name": MONTHS[months_started(year) - 1] if months_started(year) else "",
        },
    )


@login_required
def team_cascade(request: HttpRequest) -> HttpResponse:
    year = page_year(request)
    head_id = int_param(request.GET.get("atasan"), "atasan")
    root = selectors.cascade_root(request.user, head_id)
    return render(
        request,
        "performance/team_cascade.html",
        {
            "roots": selectors.cascade(request.user, year, head_id=head_id),
            "year": year,
            "root": root,
            "is_mine": root is None or root.pk == request.user.employee_id,
        },
    )
