from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.calendar import month_deadline, months_started
from kinerja.core.http import querystring_without_page, safe_next
from kinerja.core.params import int_param, year_param
from kinerja.organisation import access
from kinerja.organisation.models import Unit
from kinerja.rules.calendar import MONTHS

from . import library, selectors, services
from .choices import IndicatorSource
from .forms import (
    ActionForm,
    CommentForm,
    DialogForm,
    EvidenceForm,
    ExpectationForm,
    GoalForm,
    IndicatorForm,
    LampiranForm,
    PlanCreateForm,
    ReturnForm,
    RhkForm,
)
from .models import AgreedAction, BehaviourExpectation, Indicator, OrgGoal, Plan, Rhk


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _act(request: HttpRequest, call: Any, done: str | Callable[[Any], str]) -> None:
    """Run one workflow service: its success message (`done`, or `done(result)`), or its
    validation errors as messages."""
    try:
        result = call()
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, done(result) if callable(done) else done)


def _back(plan: Plan, anchor: str = "") -> HttpResponse:
    return redirect(reverse("performance:plan_detail", args=[plan.pk]) + anchor)


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


def _owned_plan(request: HttpRequest, pk: int) -> Plan:
    plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
    if not access.is_plan_owner(request.user, plan):
        raise Http404
    return plan


@login_required
@require_http_methods(["GET", "POST"])
def rhk_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _owned_plan(request, pk)
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
            return _back(plan, f"#rhk-{rhk.pk}")
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
    _act(request, lambda: services.rhk_delete(rhk=rhk, by=request.user), _("RHK dihapus."))
    return _back(rhk.plan)


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
            return _back(rhk.plan, f"#rhk-{rhk.pk}")
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
    _act(
        request,
        lambda: services.indicator_delete(indicator=indicator, by=request.user),
        _("Indikator dihapus."),
    )
    return _back(indicator.rhk.plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_lampiran(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _owned_plan(request, pk)
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
            return _back(plan, anchor)
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
    plan = _owned_plan(request, pk)
    _act(
        request,
        lambda: services.plan_submit(plan=plan, by=request.user),
        _("SKP diajukan kepada pejabat penilai."),
    )
    return _back(plan)


def _assessed_plan(request: HttpRequest, pk: int) -> Plan:
    plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
    if not access.is_plan_assessor(request.user, plan):
        raise Http404
    return plan


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _assessed_plan(request, pk)
    _act(
        request,
        lambda: services.plan_approve(plan=plan, by=request.user),
        _("SKP %(name)s disetujui.") % {"name": plan.employee.full_name},
    )
    return _back(plan)


@login_required
@require_POST
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _assessed_plan(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan catatan apa yang perlu diperbaiki."))
        return _back(plan)
    try:
        services.plan_return(plan=plan, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("SKP dikembalikan dengan catatan."))
    except ValidationError as exc:
        _errors(request, exc)
    return _back(plan)


@login_required
@require_POST
def plan_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _owned_plan(request, pk)
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
        _errors(request, exc)
    return _back(plan)


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
            return _back(rhk.plan, f"#rhk-{rhk.pk}")
    return render(
        request,
        "performance/rhk_distribute.html",
        {"rhk": rhk, "plan": rhk.plan, "reports": reports},
    )


# --- Realisations ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def realisation_grid(request: HttpRequest, pk: int, month: int) -> HttpResponse:
    """All indicators of one month on one screen; saved together (all rows or none)."""
    plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
    if not 1 <= month <= 12:
        raise Http404
    owner = access.is_plan_owner(request.user, plan)
    errors: dict[int, str] = {}
    submitted: dict[int, str] = {}
    narratives: dict[int, str] = {}
    if request.method == "POST":
        if not owner:
            raise Http404
        inputs = []
        # Saving needs only the indicators, not the year's figures.
        for ind in Indicator.objects.filter(rhk__plan=plan).select_related("rhk"):
            raw = request.POST.get(f"value-{ind.pk}", "").strip()
            narrative = request.POST.get(f"narrative-{ind.pk}", "")
            revision = request.POST.get(f"revision-{ind.pk}", "")
            submitted[ind.pk], narratives[ind.pk] = raw, narrative
            if not raw or ind.source != IndicatorSource.MANUAL:
                continue
            try:
                value = services.parse_value(raw)
            except ValidationError as exc:
                errors[ind.pk] = exc.messages[0]
                continue
            inputs.append(
                services.RealisationInput(
                    indicator=ind,
                    value=value,
                    narrative=narrative,
                    revision=int(revision) if revision.isdecimal() else None,
                )
            )
        if not errors:
            try:
                services.realisation_save_month(
                    plan=plan, month=month, by=request.user, rows=inputs
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Realisasi %(m)s disimpan.") % {"m": MONTHS[month - 1]})
                return redirect("performance:realisation_grid", pk=plan.pk, month=month)
        else:
            messages.error(request, _("Periksa isian yang ditandai; belum ada yang disimpan."))
    view = selectors.plan_view(plan)
    rows = view.all_progress
    deadline = month_deadline(plan.year, month)
    return render(
        request,
        "performance/realisation_grid.html",
        {
            "plan": plan,
            "month": month,
            "month_name": MONTHS[month - 1],
            "rows": rows,
            "is_owner": owner,
            "is_assessor": access.is_plan_assessor(request.user, plan),
            "errors": errors,
            "submitted": submitted,
            "narratives": narratives,
            "view": view,
            "deadline": deadline,
            "past_deadline": timezone.now() > deadline,
            "months": list(enumerate(MONTHS, start=1))[: max(view.months_elapsed, 0)],
            "can_comment": access.can_comment_on_plan(request.user, plan),
            "open": plan.accepts_realisations,
        },
    )


@login_required
@require_POST
def realisation_review(request: HttpRequest, pk: int, month: int) -> HttpResponse:
    plan = _assessed_plan(request, pk)
    _act(
        request,
        lambda: services.realisation_review(plan=plan, month=month, by=request.user),
        lambda count: _("%(n)d realisasi ditandai sudah diperiksa.") % {"n": count},
    )
    return redirect("performance:realisation_grid", pk=plan.pk, month=month)


@login_required
@require_POST
def realisation_reopen(request: HttpRequest, realisation_id: int) -> HttpResponse:
    realisation = selectors.realisation_get_for_user(
        user=request.user, realisation_id=realisation_id
    )
    plan = realisation.indicator.rhk.plan
    if not access.is_plan_assessor(request.user, plan):
        raise Http404
    try:
        services.realisation_reopen(realisation=realisation, by=request.user)
        messages.success(request, _("Realisasi dibuka kembali untuk diubah pegawai."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("performance:realisation_grid", pk=plan.pk, month=realisation.month)


@login_required
@require_POST
def evidence_add(request: HttpRequest, realisation_id: int) -> HttpResponse:
    realisation = selectors.realisation_get_for_user(
        user=request.user, realisation_id=realisation_id
    )
    plan = realisation.indicator.rhk.plan
    if not access.is_plan_owner(request.user, plan):
        raise Http404
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            upload = form.cleaned_data.get("file")
            if upload:
                if upload.size > 10 * 1024 * 1024:
                    raise ValidationError(_("Berkas terlalu besar (maksimal 10 MB)."))
                services.evidence_add_file(
                    realisation=realisation, by=request.user, name=upload.name, data=upload.read()
                )
            else:
                services.evidence_add_link(
                    realisation=realisation, by=request.user, url=form.cleaned_data["url"]
                )
            messages.success(request, _("Bukti ditambahkan."))
        except ValidationError as exc:
            _errors(request, exc)
    return redirect(
        reverse("performance:realisation_grid", args=[plan.pk, realisation.month])
        + f"#ind-{realisation.indicator_id}"
    )


@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    item = selectors.evidence_get_for_user(user=request.user, evidence_id=evidence_id)
    if item.kind != "file":
        return redirect(item.url)
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=item.content_type not in {"application/pdf", "image/png", "image/jpeg"},
        filename=item.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    return response


@login_required
@require_POST
def evidence_delete(request: HttpRequest, evidence_id: int) -> HttpResponse:
    item = selectors.evidence_get_for_user(user=request.user, evidence_id=evidence_id)
    realisation = item.realisation
    if not access.is_plan_owner(request.user, realisation.indicator.rhk.plan):
        raise Http404
    _act(request, lambda: services.evidence_delete(item=item, by=request.user), _("Bukti dihapus."))
    return redirect(
        "performance:realisation_grid",
        pk=realisation.indicator.rhk.plan_id,
        month=realisation.month,
    )


# --- Feedback and dialog -----------------------------------------------------------------


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
    if not access.can_comment_on_plan(request.user, plan):
        raise Http404
    form = CommentForm(request.POST)
    next_url = safe_next(request, reverse("performance:plan_detail", args=[plan.pk]))
    if not form.is_valid():
        written = str(request.POST.get("body", "")).strip()
        if written and "body" in form.errors:  # e.g. longer than the limit: say which limit
            messages.error(
                request, _("Umpan balik belum dikirim: %(e)s") % {"e": form.errors["body"][0]}
            )
        else:
            messages.error(request, _("Tulis umpan balik terlebih dahulu."))
        return redirect(next_url)
    target, target_id = form.cleaned_data["target"], form.cleaned_data["target_id"]
    model = {"realisation": "realisations", "rhk": "rhks", "behaviour": "behaviours"}[target]
    lookup = {
        "realisation": {"indicator__rhk__plan": plan},
        "rhk": {"plan": plan},
        "behaviour": {"plan": plan},
    }[target]
    from . import models as m

    klass = {"realisations": m.Realisation, "rhks": m.Rhk, "behaviours": m.BehaviourExpectation}[
        model
    ]
    obj = klass.objects.filter(pk=target_id, **lookup).first()
    if obj is None:
        raise Http404
    try:
        services.comment_add(
            plan=plan, by=request.user, body=form.cleaned_data["body"], **{target: obj}
        )
        messages.success(request, _("Umpan balik terkirim."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(next_url)


@login_required
@require_http_methods(["GET", "POST"])
def dialog_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
    can_write = (
        access.is_plan_owner(request.user, plan)
        or access.is_plan_assessor(request.user, plan)
        or access.is_above(request.user, plan.employee)
    )
    form = DialogForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST":
        if not can_write:
            raise Http404
        if form.is_valid():
            try:
                services.dialog_create(
                    plan=plan,
                    by=request.user,
                    held_on=form.cleaned_data["held_on"],
                    participants=form.cleaned_data["participants"],
                    notes=form.cleaned_data["notes"],
                    actions=form.actions(),
                )
                messages.success(request, _("Dialog kinerja dicatat."))
                return redirect("performance:dialog_list", pk=plan.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
    return render(
        request,
        "performance/dialog_list.html",
        {
            "plan": plan,
            "form": form,
            "can_write": can_write,
            "action_form": ActionForm(),
            "today": timezone.localdate(),
            "dialogs": plan.dialogs.select_related("created_by").prefetch_related("actions"),
        },
    )


@login_required
@require_POST
def action_update(request: HttpRequest, action_id: int) -> HttpResponse:
    action = get_object_or_404(AgreedAction.objects.select_related("dialog__plan"), pk=action_id)
    plan = selectors.plan_get_for_user(user=request.user, plan_id=action.dialog.plan_id)
    form = ActionForm(request.POST)
    if form.is_valid():
        _act(
            request,
            lambda: services.action_update(action=action, by=request.user, **form.cleaned_data),
            _("Tindak lanjut diperbarui."),
        )
    return redirect("performance:dialog_list", pk=plan.pk)


# --- Team and cascade --------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("tahun"))


@login_required
def team_plans(request: HttpRequest) -> HttpResponse:
    year = _year(request)
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
    year = _year(request)
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


# --- OPD goals ---------------------------------------------------------------------------


def _managed_opds(user: Any) -> list[Unit]:
    opds = Unit.objects.filter(parent__isnull=True, is_active=True).order_by("name")
    return [u for u in opds if access.can_manage_goals(user, u)]


@login_required
@require_http_methods(["GET", "POST"])
def goal_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
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
    _act(request, lambda: services.goal_delete(goal=goal, by=request.user), _("Sasaran dihapus."))
    return redirect(f"{reverse('performance:goal_list')}?opd={goal.opd_id}&tahun={goal.year}")


# --- Documents (PDF/XLSX of the SKP) -------------------------------------------------------


def _document(request: HttpRequest, pk: int) -> Any:
    """The SKP document of a visible plan: its current content, or `?versi=N` for an approved
    version."""
    from . import documents
    from .models import PlanVersion

    plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
    version = None
    raw = request.GET.get("versi", "")
    if raw:
        if not raw.isdecimal():
            raise Http404
        version = get_object_or_404(PlanVersion, plan=plan, number=int(raw))
    return documents.build_document(plan, version)


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from kinerja.core.pdf import pdf_response

    from . import documents

    document = _document(request, pk)
    return pdf_response(documents.skp_pdf(document), f"{document.filename_stem}.pdf")


@login_required
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from kinerja.core.http import file_response
    from kinerja.core.tabular import XLSX_MIME

    from . import documents

    document = _document(request, pk)
    return file_response(documents.skp_xlsx(document), f"{document.filename_stem}.xlsx", XLSX_MIME)


# --- Spreadsheet imports -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def realisation_import(request: HttpRequest, pk: int) -> HttpResponse:
    """A year of realisations from the filled XLSX template (the plan's owner only)."""
    from . import imports

    plan = _owned_plan(request, pk)
    form = imports.UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = imports.realisation_import(
            plan=plan, by=request.user, data=upload.read(), filename=upload.name
        )
        if result.ok:
            messages.success(request, result.summary())
            return _back(plan, "#hasil-kerja")
    return render(
        request,
        "performance/realisation_import.html",
        {
            "plan": plan,
            "form": form,
            "result": result,
            "open": imports.realisations_open(plan),
            "month_name": MONTHS[months_started(plan.year) - 1]
            if months_started(plan.year)
            else "",
        },
    )


@login_required
def realisation_template(request: HttpRequest, pk: int) -> HttpResponse:
    from kinerja.core.http import file_response
    from kinerja.core.tabular import XLSX_MIME

    from . import imports

    plan = _owned_plan(request, pk)
    nip = plan.employee.nip
    return file_response(
        imports.realisation_template(plan), f"realisasi-skp-{plan.year}-{nip}.xlsx", XLSX_MIME
    )


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
    from . import imports

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

    from . import imports

    _opds, selected, year = _goal_scope(request)
    return file_response(
        imports.goal_template(selected, year), f"sasaran-{selected.code}-{year}.xlsx", XLSX_MIME
    )
