"""Pages of approvals, JP compliance, the development plan and the needs analysis."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.params import int_param
from kinerja.organisation import access
from kinerja.organisation.models import Unit

from .. import documents, selectors, services
from ..forms import PlanItemForm
from .common import _employee_or_404, _errors, _year

# --- Approvals, compliance ---------------------------------------------------------------------


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """Supervisors: self-registrations to approve. BKPSDM: also external learning to verify."""
    pending = selectors.pending_enrolments(request.user)
    external = selectors.external_to_review(request.user)
    if not pending and not services.can_open_approvals(request.user):
        raise Http404
    return render(
        request,
        "competency/approvals.html",
        {
            "pending": pending,
            "external": Paginator(external, 30).get_page(request.GET.get("page")),
            "is_bkpsdm": access.is_regency_admin(request.user),
            "organised": selectors.organised_sessions(request.user)[:20],
        },
    )


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    """JP compliance: regency → OPD → unit → person, people at risk, one-click nomination."""
    user = request.user
    start = selectors.compliance_scope(user)
    if start is None:
        raise Http404
    year = _year(request)
    opd_id = int_param(request.GET.get("opd"), "opd", minimum=1)
    unit_id = int_param(request.GET.get("unit"), "unit", minimum=1)
    opd = unit = None
    if unit_id:
        unit = get_object_or_404(Unit.objects.select_related("opd"), pk=unit_id)
        opd = unit.opd or unit
    elif opd_id:
        opd = get_object_or_404(Unit, pk=opd_id, parent__isnull=True)
    if start == "opd" and opd is None:
        opd = Unit.objects.filter(
            pk=user.managed_opd_id or access.headed_opd_id(user)  # type: ignore[union-attr]
        ).first()
    if start != "team" and opd is not None and not access.can_view_unit_dashboard(user, opd):
        raise Http404
    if start == "team" and (opd is not None):
        raise Http404
    data = selectors.compliance(user, year, opd=opd, unit=unit)
    page = selectors.people_page(data.people, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "competency/compliance.html",
        {
            "data": data,
            "year": year,
            "page": page,
            "querystring": query.urlencode(),
            # One-click nomination for those who may nominate everyone listed: BKPSDM, an OPD's
            # admin or head, a supervisor (services.can_nominate); not the read-only leaders.
            "sessions": selectors.sessions_with_seats()
            if access.is_regency_admin(user) or start in ("opd", "team")
            else [],
            "can_approve": services.can_open_approvals(user),
            "start": start,
        },
    )


# --- Development plan, needs analysis -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_view(request: HttpRequest, employee_id: int | None = None) -> HttpResponse:
    user = request.user
    employee = (
        selectors.employee_get(user, employee_id) if employee_id else _employee_or_404(request)
    )
    own = employee.pk == user.employee_id  # type: ignore[union-attr]
    if not own and not services.can_nominate(user, employee):
        raise Http404
    year = _year(request)
    form = PlanItemForm(request.POST or None) if request.method == "POST" else PlanItemForm()
    if request.method == "POST":
        action = request.POST.get("aksi")
        try:
            if action == "muat":
                services.plan_refresh(employee=employee, year=year, by=user)
                messages.success(request, _("Kesenjangan dari hasil penilaian dimuat."))
            elif action == "setujui":
                plan = selectors.plan_get(employee, year)
                if plan is None:
                    raise ValidationError(_("Rencana belum ada."))
                services.plan_agree(plan=plan, by=user)
                messages.success(request, _("Rencana disetujui."))
            elif form.is_valid():
                plan = selectors.plan_get(employee, year) or services.plan_refresh(
                    employee=employee, year=year, by=user
                )
                services.plan_item_add(
                    plan=plan,
                    by=user,
                    tag=form.cleaned_data["tag"],
                    gap=form.cleaned_data["gap"],
                    programme=form.cleaned_data["programme"],
                )
                messages.success(request, _("Butir rencana ditambahkan."))
            else:
                raise ValidationError(_("Periksa isian butir rencana."))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            url = (
                reverse("competency:plan_employee", args=[employee.pk])
                if not own
                else reverse("competency:plan")
            )
            return redirect(f"{url}?tahun={year}")
    plan = selectors.plan_get(employee, year)
    return render(
        request,
        "competency/plan.html",
        {
            "employee": employee,
            "plan": plan,
            "progress": selectors.item_progress(plan) if plan else {},
            "year": year,
            "own": own,
            "form": form,
        },
    )


def _needs_reader(request: HttpRequest) -> None:
    if not access.sees_all(request.user):
        raise Http404


@login_required
def needs_view(request: HttpRequest) -> HttpResponse:
    _needs_reader(request)
    year = _year(request)
    rows = selectors.needs_analysis(year)
    return render(
        request,
        "competency/needs.html",
        {"rows": Paginator(rows, 100).get_page(request.GET.get("page")), "year": year},
    )


@login_required
def needs_xlsx(request: HttpRequest) -> HttpResponse:
    _needs_reader(request)
    year = _year(request)
    data = documents.needs_xlsx(selectors.needs_analysis(year), year)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="analisis-kebutuhan-{year}.xlsx"'
    return response
