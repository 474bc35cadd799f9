"""The SKP pages: my plans, a plan, its lampiran and the leader's expectations, the workflow
(submit, approve, return, new version, versions, the approval inbox) and its documents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.params import whole_number
from kinerja.organisation import access
from kinerja.rules.calendar import MONTHS

from .. import selectors, services
from ..forms import ExpectationForm, LampiranForm, PlanCreateForm, ReturnForm
from ..models import BehaviourExpectation, Plan
from ._shared import act, assessed_plan, back_to_plan, error_messages, owned_plan

# --- My plans ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest) -> HttpResponse:
    """SKP saya: my plans by year, and starting a new one."""
    employee = request.user.employee if request.user.employee_id else None
    plans = list(Plan.objects.filter(employee=employee).order_by("-year")) if employee else []
    form = PlanCreateForm(request.POST or None)
    if request.method == "POST" and employee is not None and form.is_valid():
        year = form.cleaned_data["year"]
        copy_from = None
        if form.cleaned_data["start"] == "copy":
            copy_from = (
                Plan.objects.filter(employee=employee, year__lt=year).order_by("-year").first()
            )
            if copy_from is None:
                form.add_error("start", _("Belum ada SKP tahun sebelumnya untuk disalin."))
        if not form.errors:
            try:
                plan = services.plan_create(
                    employee=employee, year=year, by=request.user, copy_from=copy_from
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("SKP %(y)d dibuat. Tambahkan RHK dan indikatornya.") % {"y": year}
                )
                return redirect("performance:plan_detail", pk=plan.pk)
    return render(
        request,
        "performance/plan_list.html",
        {
            "plans": plans,
            "form": form,
            "employee": employee,
            "inbox_count": selectors.approval_inbox(request.user).count(),
        },
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
    view = selectors.plan_view(plan)
    owner = access.is_plan_owner(request.user, plan)
    return render(
        request,
        "performance/plan_detail.html",
        {
            "plan": plan,
            "view": view,
            "is_owner": owner,
            "is_assessor": access.is_plan_assessor(request.user, plan),
            "can_comment": access.can_comment_on_plan(request.user, plan),
            "can_edit": owner and plan.is_editable,
            "problems": services.submission_problems(plan) if owner and plan.is_editable else [],
            "versions": plan.versions.all(),
            "pending": services.plan_pending_changes(plan),
            "months": list(enumerate(MONTHS, start=1))[: view.months_elapsed],
            "return_form": ReturnForm(),
            "recent_comments": sorted(
                (c for thread in view.comments.values() for c in thread),
                key=lambda c: c.created_at,
                reverse=True,
            )[:20],
            "reports": plan.employee.direct_reports.filter(is_active=True) if owner else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_lampiran(request: HttpRequest, pk: int) -> HttpResponse:
    plan = owned_plan(request, pk)
    form = LampiranForm(
        request.POST or None,
        initial={
            "dukungan_sumber_daya": plan.dukungan_sumber_daya,
            "skema_pertanggungjawaban": plan.skema_pertanggungjawaban,
            "konsekuensi": plan.konsekuensi,
        },
    )
    return _simple_form(
        request,
        plan,
        form,
        _("Lampiran SKP"),
        _("Lampiran disimpan."),
        "#lampiran",
        lambda data: services.plan_update_lampiran(plan=plan, by=request.user, **data),
    )


def _simple_form(
    request: HttpRequest, plan: Plan, form: Any, title: str, done: str, anchor: str, save: Any
) -> HttpResponse:
    """A one-form page of the plan: save through `save(cleaned_data)`, errors on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return back_to_plan(plan, anchor)
    return render(
        request, "performance/simple_form.html", {"form": form, "plan": plan, "title": title}
    )


@login_required
@require_http_methods(["GET", "POST"])
def behaviour_edit(request: HttpRequest, behaviour_id: int) -> HttpResponse:
    behaviour = get_object_or_404(BehaviourExpectation, pk=behaviour_id)
    plan = selectors.plan_get_for_user(user=request.user, plan_id=behaviour.plan_id)
    if not access.is_plan_assessor(request.user, plan):
        raise Http404
    form = ExpectationForm(request.POST or None, initial={"expectation": behaviour.expectation})
    return _simple_form(
        request,
        plan,
        form,
        _("Ekspektasi khusus pimpinan"),
        _("Ekspektasi disimpan."),
        "#perilaku",
        lambda data: services.behaviour_set_expectation(
            behaviour=behaviour, by=request.user, expectation=data["expectation"]
        ),
    )


# --- Workflow ----------------------------------------------------------------------------


@login_required
@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = owned_plan(request, pk)
    act(
        request,
        lambda: services.plan_submit(plan=plan, by=request.user),
        _("SKP diajukan kepada pejabat penilai."),
    )
    return back_to_plan(plan)


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = assessed_plan(request, pk)
    act(
        request,
        lambda: services.plan_approve(plan=plan, by=request.user),
        _("SKP %(name)s disetujui.") % {"name": plan.employee.full_name},
    )
    return back_to_plan(plan)


@login_required
@require_POST
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    plan = assessed_plan(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan catatan apa yang perlu diperbaiki."))
        return back_to_plan(plan)
    try:
        services.plan_return(plan=plan, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("SKP dikembalikan dengan catatan."))
    except ValidationError as exc:
        error_messages(request, exc)
    return back_to_plan(plan)


@login_required
@require_POST
def plan_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    plan = owned_plan(request, pk)
    try:
        services.plan_new_version(plan=plan, by=request.user)
        messages.success(
            request,
            _(
                "SKP dibuka sebagai versi baru. Versi yang disetujui tetap "
                "tersimpan; ajukan lagi setelah selesai mengubah."
            ),
        )
    except ValidationError as exc:
        error_messages(request, exc)
    return back_to_plan(plan)


@login_required
def plan_versions(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
    return render(
        request,
        "performance/plan_versions.html",
        {
            "plan": plan,
            "versions": plan.versions.select_related("approved_by"),
            "pending": services.plan_pending_changes(plan),
        },
    )


@login_required
def approval_inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "performance/approval_inbox.html",
        {"plans": selectors.approval_inbox(request.user)},
    )


# --- Documents (PDF/XLSX of the SKP) -------------------------------------------------------


def _document(request: HttpRequest, pk: int) -> Any:
    """The SKP document of a visible plan: its current content, or `?versi=N` for an approved
    version."""
    from .. import documents
    from ..models import PlanVersion

    plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
    version = None
    raw = request.GET.get("versi", "")
    if raw:
        number = whole_number(raw)
        if number is None:
            raise Http404
        version = get_object_or_404(PlanVersion, plan=plan, number=number)
    return documents.build_document(plan, version)


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from kinerja.core.pdf import pdf_response

    from .. import documents

    document = _document(request, pk)
    return pdf_response(documents.skp_pdf(document), f"{document.filename_stem}.pdf")


@login_required
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from kinerja.core.http import file_response
    from kinerja.core.tabular import XLSX_MIME

    from .. import documents

    document = _document(request, pk)
    return file_response(documents.skp_xlsx(document), f"{document.filename_stem}.xlsx", XLSX_MIME)
