"""Pages of one's learning: Pembelajaran saya, a person's JP (page and card), external
learning and its evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.params import int_param
from kinerja.organisation import access

from .. import selectors, services
from ..forms import ExternalLearningForm, ExternalReviewForm
from ..models import ExternalLearning
from .common import _employee_or_404, _year

# --- Pembelajaran saya, external learning ---------------------------------------------------


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    employee = _employee_or_404(request)
    year = _year(request)
    return render(
        request,
        "competency/my_learning.html",
        {"detail": selectors.jp_detail(employee, year), "year": year, "own": True},
    )


@login_required
def person_jp(request: HttpRequest, pk: int) -> HttpResponse:
    """The list behind each number of one person (the employee's profile, drill-down)."""
    employee = selectors.employee_get(request.user, pk)
    year = _year(request)
    nominates = services.can_nominate(request.user, employee)
    return render(
        request,
        "competency/my_learning.html",
        {
            "detail": selectors.jp_detail(employee, year),
            "year": year,
            "own": employee.pk == request.user.employee_id,  # type: ignore[union-attr]
            "can_nominate": nominates,
            "sessions": selectors.sessions_with_seats() if nominates else [],
        },
    )


@login_required
def person_jp_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The small JP card the employee's profile loads (htmx) from this app."""
    employee = selectors.employee_get(request.user, pk)
    year = timezone.localdate().year
    totals = selectors.jp_totals_for([employee], year)[employee.pk]
    return render(
        request,
        "competency/_jp_card.html",
        {
            "employee": employee,
            "year": year,
            "totals": totals,
            "required": selectors.required_jp(employee.status),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def external_create(request: HttpRequest) -> HttpResponse:
    employee = _employee_or_404(request)
    resubmit = None
    raw = request.GET.get("ulang") or request.POST.get("ulang")
    if raw:
        item_id = int_param(raw, "ulang", minimum=1)
        resubmit = get_object_or_404(ExternalLearning, pk=item_id, employee=employee)
    initial = {}
    if resubmit:
        initial = {
            "title": resubmit.title,
            "kind": resubmit.kind,
            "provider": resubmit.provider,
            "started_on": resubmit.started_on,
            "ended_on": resubmit.ended_on,
            "hours": resubmit.hours,
        }
    form = ExternalLearningForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.external_submit(
                employee=employee,
                by=request.user,
                title=data["title"],
                kind=data["kind"],
                provider=data["provider"],
                started_on=data["started_on"],
                ended_on=data["ended_on"],
                hours=data["hours"],
                upload=data["evidence"],
                item=resubmit,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Pengajuan dikirim ke BKPSDM untuk diverifikasi."))
            return redirect("competency:my_learning")
    return render(request, "competency/external_form.html", {"form": form, "resubmit": resubmit})


@login_required
@require_http_methods(["GET", "POST"])
def external_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.external_get(request.user, pk)
    reviewer = access.is_regency_admin(request.user)
    form = ExternalReviewForm(request.POST or None) if reviewer else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.external_review(
                    item=item,
                    by=request.user,
                    approve=form.cleaned_data["decision"] == "setujui",
                    jp=form.cleaned_data["jp"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Verifikasi disimpan."))
                return redirect("competency:approvals")
    return render(
        request,
        "competency/external_detail.html",
        {"item": item, "form": form, "suggested": item.hours * 60 / 45},
    )


@login_required
def external_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.external_get(request.user, pk)
    response = FileResponse(
        item.evidence.open("rb"), as_attachment=True, filename=item.evidence_name
    )
    response["Content-Type"] = item.evidence_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
