"""Pages of follow-up (/tindak-lanjut/): recommendations and their decision, the rules and
their run, disciplinary records, coaching plans, the fairness overview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.http import querystring_without_page
from kinerja.organisation import access
from kinerja.organisation.models import Employee

from .. import selectors, services
from ..choices import Action, RecommendationStatus
from ..forms import DecideForm, DisciplineForm, MonthForm, OutcomeForm, RuleForm, SessionForm
from ..models import FollowUpRule
from .common import _errors, _int, _page, _year

# --- Recommendations ---


@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    """Rekomendasi tindak lanjut visible to the user, filterable by status and action."""
    user = request.user
    items = selectors.recommendations_visible_to(user)
    status = request.GET.get("status", "")
    action = request.GET.get("tindakan", "")
    query = (request.GET.get("q") or "").strip()[:100]
    if status in RecommendationStatus.values:
        items = items.filter(status=status)
    if action in Action.values:
        items = items.filter(action=action)
    if query:
        items = items.filter(employee__name__icontains=query) | items.filter(employee__nip=query)
    opd_id = _int(request, "opd", 0, 0, 2**31 - 1)
    if opd_id:
        items = items.filter(opd_id=opd_id)
    return render(
        request,
        "rewards/recommendation_list.html",
        {
            "page": _page(request, items.order_by("status", "-created_at", "-id")),
            "querystring": querystring_without_page(request),
            "statuses": RecommendationStatus.choices,
            "actions": Action.choices,
            "status": status,
            "action": action,
            "q": query,
            "can_run": access.can_manage_rewards(user),
            "year": _year(request),
        },
    )


@login_required
@require_POST
def rules_run(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_rewards(request.user):
        raise Http404
    form = MonthForm({"year": request.POST.get("year"), "month": 1})
    if not form.is_valid():
        messages.error(request, "Tahun tidak valid.")
        return redirect("rewards:recommendation_list")
    try:
        report = services.rules_run(year=form.cleaned_data["year"], by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, report.summary())
    return redirect("rewards:recommendation_list")


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    """The follow-up rules as data, each with its plain-Indonesian explanation."""
    return render(
        request,
        "rewards/rule_list.html",
        {
            "rules": FollowUpRule.objects.order_by("order", "code"),
            "can_manage": access.can_manage_rewards(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The facts, the rule and (for an authorised official) the decision form."""
    rec = selectors.recommendation_get_for_user(user=request.user, pk=pk)
    can_decide = access.can_decide_recommendation(request.user, rec)
    form = DecideForm(
        request.POST or None,
        initial={"official": request.user.get_full_name()},
    )
    if request.method == "POST":
        if not can_decide:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.recommendation_decide(
                    recommendation=rec,
                    by=request.user,
                    accept=data["decision"] == "terima",
                    reason=data["reason"],
                    official=data["official"],
                    decree_number=data["decree_number"],
                    decree_date=data["decree_date"],
                    effective_from=data["effective_from"],
                    effective_to=data["effective_to"],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, "Keputusan disimpan; pegawai diberi tahu.")
                return redirect("rewards:recommendation_detail", pk=rec.pk)
    return render(
        request,
        "rewards/recommendation_detail.html",
        {
            "rec": rec,
            "form": form,
            "can_decide": can_decide,
            "basis": selectors.assessment_basis(rec),
            "is_own": request.user.employee_id == rec.employee_id,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """BKPSDM edits a rule: its wording, parameters and whether it runs."""
    if not access.can_manage_rewards(request.user):
        raise Http404
    rule = FollowUpRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404
    form = RuleForm(
        request.POST or None,
        initial={
            "name": rule.name,
            "explanation": rule.explanation,
            "is_active": rule.is_active,
            "parameters": rule.parameters,
            "action_parameters": rule.action_parameters,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_update(rule=rule, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "Aturan disimpan.")
            return redirect("rewards:rule_list")
    return render(request, "rewards/rule_edit.html", {"rule": rule, "form": form})


# --- Discipline and attendance ---


@login_required
@require_http_methods(["GET", "POST"])
def discipline_list(request: HttpRequest) -> HttpResponse:
    """Hukuman disiplin visible to the user; BKPSDM records new ones."""
    can_manage = access.can_manage_rewards(request.user)
    form = DisciplineForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            nip = data["nip"].replace(" ", "")
            employee = Employee.objects.filter(nip=nip).first()
            if employee is None:
                form.add_error("nip", "NIP tidak ditemukan.")
            else:
                try:
                    services.discipline_record_create(
                        employee=employee,
                        kind=data["kind"],
                        reason=data["reason"],
                        decree_number=data["decree_number"],
                        decree_date=data["decree_date"],
                        effective_from=data["effective_from"],
                        official=data["official"],
                        by=request.user,
                    )
                except ValidationError as exc:
                    _errors(request, exc)
                else:
                    messages.success(request, "Hukuman disiplin dicatat.")
                    return redirect("rewards:discipline_list")
    records = selectors.discipline_visible_to(request.user)
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        records = records.filter(employee__name__icontains=query) | records.filter(
            employee__nip=query.replace(" ", "")
        )
    return render(
        request,
        "rewards/discipline_list.html",
        {
            "page": _page(request, records),
            "querystring": querystring_without_page(request),
            "q": query,
            "form": form,
            "can_manage": can_manage,
        },
    )


# --- Coaching ---


@login_required
def coaching_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.coaching_visible_to(request.user)
    return render(request, "rewards/coaching_list.html", {"page": _page(request, plans)})


@login_required
@require_http_methods(["GET", "POST"])
def coaching_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.coaching_get_for_user(user=request.user, pk=pk)
    can_manage = access.can_manage_coaching(request.user, plan)
    session_form = SessionForm(request.POST if request.POST.get("form") == "sesi" else None)
    outcome_form = OutcomeForm(request.POST if request.POST.get("form") == "hasil" else None)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        try:
            if session_form.is_bound and session_form.is_valid():
                services.coaching_session_add(
                    plan=plan, by=request.user, **session_form.cleaned_data
                )
                messages.success(request, "Sesi pembinaan dicatat.")
                return redirect("rewards:coaching_detail", pk=plan.pk)
            if outcome_form.is_bound and outcome_form.is_valid():
                services.coaching_outcome(
                    plan=plan,
                    by=request.user,
                    improved=outcome_form.cleaned_data["improved"] == "ya",
                    outcome=outcome_form.cleaned_data["outcome"],
                )
                messages.success(request, "Hasil pembinaan dicatat.")
                return redirect("rewards:coaching_detail", pk=plan.pk)
        except ValidationError as exc:
            _errors(request, exc)
    return render(
        request,
        "rewards/coaching_detail.html",
        {
            "plan": plan,
            "sessions": plan.sessions.all(),
            "can_manage": can_manage,
            "session_form": session_form,
            "outcome_form": outcome_form,
        },
    )


@login_required
def fairness(request: HttpRequest) -> HttpResponse:
    if not access.can_read_fairness(request.user):
        raise Http404
    year = _year(request)
    rows, regency = selectors.fairness(year)
    return render(
        request, "rewards/fairness.html", {"rows": rows, "regency": regency, "year": year}
    )
