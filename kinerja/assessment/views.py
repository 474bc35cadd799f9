"""Pages of the assessment app. Access decisions come from kinerja.organisation.access through the
selectors; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.http import querystring_without_page
from kinerja.core.params import whole_number
from kinerja.organisation import access
from kinerja.organisation.models import Unit
from kinerja.performance.choices import PlanStatus
from kinerja.performance.models import Plan
from kinerja.rules import berakhlak
from kinerja.rules.assessment import suggest_perilaku
from kinerja.rules.enums import Predikat, Rating
from kinerja.rules.objection import objection_deadline
from kinerja.rules.periods import Period

from . import charts, selectors, services
from .forms import (
    CalibrationReturnForm,
    DecisionForm,
    ExplanationForm,
    FinaliseForm,
    ObjectionForm,
    OrgPredikatForm,
    RatingForm,
)
from .models import Assessment, Finalisation, ObjectionAttachment


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _period(request: HttpRequest) -> Period:
    return selectors.period_from(request.GET.get("periode") or request.POST.get("periode"))


def _team_url(period: Period) -> str:
    return f"{reverse('assessment:team')}?periode={period.code}"


@login_required
def assessment_home(request: HttpRequest) -> HttpResponse:
    """Penilaian: my results, my team to assess, objections waiting for me."""
    user = request.user
    period = selectors.default_period()
    return render(
        request,
        "assessment/home.html",
        {
            "period": period,
            "results": selectors.my_results(user),
            "to_decide": list(selectors.objections_to_decide(user)[:20]),
            "can_calibrate": access.can_calibrate(user),
            "can_export_siasn": access.can_export_siasn(user),
            "periods": selectors.period_choices(),
        },
    )


# --- The assessing official ------------------------------------------------------------------


def _team_context(
    request: HttpRequest, period: Period, form: FinaliseForm | None = None
) -> dict[str, Any]:
    members = selectors.team(request.user, period)
    opd_ids = {m.employee.unit.opd_id or m.employee.unit_id for m in members}
    dists = selectors.distributions(opd_ids, period)
    own: dict[Predikat, int] = {}
    for m in members:
        if m.predikat:
            own[m.predikat] = own.get(m.predikat, 0) + 1
    drafts = [
        m for m in members if m.assessment and not m.assessment.is_final and m.assessment.predikat
    ]
    return {
        "period": period,
        "periods": selectors.period_choices(),
        "members": members,
        "distributions": [(d, charts.distribution_svg(d)) for d in dists.values()],
        "own_counts": [(p, own.get(p, 0)) for p in Predikat],
        "ready": drafts,
        "unrated": [m for m in members if not m.assessment],
        "form": form or FinaliseForm(period=period, today=timezone.localdate()),
        "returned": selectors.returned_for_calibration(request.user, period),
        "period_ended": period.has_ended(timezone.localdate()),
    }


@login_required
def team_view(request: HttpRequest) -> HttpResponse:
    """The unit view: everyone the official assesses in a period, with the live distribution of
    their OPD against its curve."""
    period = _period(request)
    return render(request, "assessment/team.html", _team_context(request, period))


@login_required
@require_POST
def team_finalise(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    form = FinaliseForm(request.POST, period=period, today=timezone.localdate())
    if form.is_valid():
        try:
            done = services.team_finalise(
                by=request.user, period=period, justification=form.cleaned_data["justification"]
            )
        except ValidationError as exc:
            form.add_error("justification" if "justifikasi" in str(exc) else None, exc)
        else:
            count = sum(f.count for f in done)
            messages.success(
                request, _("%(n)d penilaian difinalkan dan dikirim ke pegawai.") % {"n": count}
            )
            return redirect(_team_url(period))
    return render(request, "assessment/team.html", _team_context(request, period, form), status=200)


def _assessed_plan(request: HttpRequest, plan_id: int, period: Period) -> Plan:
    """The plan the user rates for `period` (404 for anyone else: a former supervisor only for
    the periods they supervised, kinerja.organisation.access.is_period_assessor)."""
    plan = get_object_or_404(
        Plan.objects.select_related(
            "employee", "employee__position", "employee__unit", "employee__supervisor", "assessor"
        ),
        pk=plan_id,
        status=PlanStatus.APPROVED,
    )
    if period.year != plan.year or not access.is_period_assessor(request.user, plan, period):
        raise Http404
    return plan


@login_required
@require_http_methods(["GET", "POST"])
def assess_employee(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Assessing one employee: indicators of the period with realisations, evidence and
    feedback; the suggestions; the seven values; both ratings; the predikat."""
    period = _period(request)
    plan = _assessed_plan(request, plan_id, period)
    assessment = Assessment.objects.filter(employee=plan.employee, period=period.code).first()
    basis = selectors.annual_basis(plan.employee, period.year) if period.is_annual else None
    initial: dict[str, Any] = {}
    if basis is not None and assessment is None:
        # The annual form starts from what the periods say; the assessor decides.
        initial = {f"v_{code}": rating.value for code, rating in basis.value_suggestions.items()}
        if basis.suggested_perilaku is not None:
            initial["perilaku"] = basis.suggested_perilaku.value
    if assessment:
        initial = {
            "hasil": assessment.hasil,
            "perilaku": assessment.perilaku,
            "hasil_reason": assessment.hasil_reason,
            "perilaku_reason": assessment.perilaku_reason,
            **{f"v_{k}": v for k, v in assessment.behaviour.items()},
        }
    form = RatingForm(request.POST or None, initial=initial)
    locked = bool(assessment and assessment.is_final)
    if request.method == "POST" and not locked and form.is_valid():
        try:
            services.assessment_save(
                plan=plan,
                period=period,
                by=request.user,
                behaviour=form.behaviour(),
                hasil=form.cleaned_data["hasil"],
                perilaku=form.cleaned_data["perilaku"],
                hasil_reason=form.cleaned_data["hasil_reason"],
                perilaku_reason=form.cleaned_data["perilaku_reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Penilaian %(n)s disimpan.") % {"n": plan.employee.full_name}
            )
            return redirect(_team_url(period))
    evaluation = selectors.plan_evaluation(plan, period, with_details=True)
    suggestion = selectors.suggestion_for(plan, period, evaluation)
    behaviour_feedback = {}
    for comment in plan.comments.filter(behaviour__isnull=False).select_related(
        "behaviour", "author"
    ):
        behaviour_feedback.setdefault(comment.behaviour.value_code, []).append(comment)
    source = form.data if form.is_bound else initial
    rating_values = {r.value for r in Rating}
    value_ratings = [
        Rating(source.get(f"v_{v.code}"))
        for v in berakhlak.VALUES
        if source.get(f"v_{v.code}") in rating_values
    ]
    values = [
        (v, form[f"v_{v.code}"], behaviour_feedback.get(v.code, [])) for v in berakhlak.VALUES
    ]
    return render(
        request,
        "assessment/assess.html",
        {
            "plan": plan,
            "employee": plan.employee,
            "period": period,
            "evaluation": evaluation,
            "suggestion": suggestion,
            "suggested_perilaku": basis.suggested_perilaku
            if basis is not None and basis.suggested_perilaku is not None
            else suggest_perilaku(value_ratings[:7])
            if len(value_ratings) >= 7
            else None,
            "annual": basis,
            "assessment": assessment,
            "locked": locked,
            "form": form,
            "values": values,
            "is_head": selectors.is_head(plan.employee),
            "org_predikat": selectors.org_predikat_of(plan.employee.unit_id, period),
        },
    )


# --- Organisation performance -------------------------------------------------------------------


@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    return render(
        request,
        "assessment/org_list.html",
        {
            "period": period,
            "periods": selectors.period_choices(),
            "rows": selectors.org_rows(request.user, period),
            "form": OrgPredikatForm(),
        },
    )


@login_required
@require_POST
def org_set(request: HttpRequest, unit_id: int) -> HttpResponse:
    period = _period(request)
    unit = get_object_or_404(Unit, pk=unit_id)
    if unit.pk not in {r.unit.pk for r in selectors.org_rows(request.user, period)}:
        raise Http404
    form = OrgPredikatForm(request.POST)
    if form.is_valid():
        try:
            services.org_predikat_set(
                unit=unit,
                period=period,
                predikat=form.cleaned_data["predikat"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Predikat %(u)s disimpan.") % {"u": unit.name})
    else:
        messages.error(request, _("Pilih predikat organisasi."))
    return redirect(f"{reverse('assessment:org_list')}?periode={period.code}")


# --- Results -------------------------------------------------------------------------------------


@login_required
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The result with all its reasons; the employee acknowledges or objects here."""
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    is_owner = request.user.employee_id == assessment.employee_id
    if is_owner:
        services.assessment_show(assessment=assessment, by=request.user)
    objection = assessment.objections.select_related("decider").first()
    window_open = services.objection_window_open(assessment)
    deadline = objection_deadline(assessment.shown_at) if assessment.shown_at else None
    values = [
        (v, Rating(assessment.behaviour[v.code]) if v.code in assessment.behaviour else None)
        for v in berakhlak.VALUES
    ]
    return render(
        request,
        "assessment/result.html",
        {
            "a": assessment,
            "is_owner": is_owner,
            "objection": objection,
            "window_open": window_open,
            "deadline": deadline,
            "values": values,
            "rows": assessment.snapshot.get("rows", []),
            "annual": selectors.annual_basis(assessment.employee, assessment.year)
            if assessment.period_obj.is_annual
            else None,
            "hasil": Rating(assessment.hasil) if assessment.hasil else None,
            "perilaku": Rating(assessment.perilaku) if assessment.perilaku else None,
            "predikat": Predikat(assessment.predikat) if assessment.predikat else None,
            "suggested_hasil": Rating(assessment.suggested_hasil)
            if assessment.suggested_hasil
            else None,
            "suggested_perilaku": Rating(assessment.suggested_perilaku)
            if assessment.suggested_perilaku
            else None,
        },
    )


def _own_final(request: HttpRequest, pk: int) -> Assessment:
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    if request.user.employee_id != assessment.employee_id or not assessment.is_final:
        raise Http404
    return assessment


@login_required
@require_POST
def result_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _own_final(request, pk)
    try:
        services.assessment_acknowledge(assessment=assessment, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Terima kasih, hasil penilaian telah Anda terima."))
    return redirect("assessment:result", pk=pk)


@login_required
def result_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from kinerja.core.pdf import pdf_response

    from . import documents

    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    if not assessment.is_final:
        raise Http404
    data = documents.evaluation_pdf(assessment, request)
    return pdf_response(data, f"penilaian-{assessment.period}-{assessment.employee.nip}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _own_final(request, pk)
    if assessment.objections.exists():
        return redirect("assessment:objection_detail", pk=assessment.objections.first().pk)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    window_open = services.objection_window_open(assessment)
    if request.method == "POST" and window_open and form.is_valid():
        files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
        try:
            objection = services.objection_submit(
                assessment=assessment,
                by=request.user,
                reasons=form.cleaned_data["reasons"],
                files=files,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Keberatan diajukan kepada atasan pejabat penilai."))
            return redirect("assessment:objection_detail", pk=objection.pk)
    return render(
        request,
        "assessment/objection_form.html",
        {"a": assessment, "form": form, "window_open": window_open},
    )


@login_required
def objection_inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessment/objection_inbox.html",
        {"objections": list(selectors.objections_to_decide(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.objection_get_for_user(user=request.user, pk=pk)
    is_decider = access.is_objection_decider(request.user, objection)
    party = services.explanation_party(objection, request.user)
    decision = DecisionForm(request.POST if request.POST.get("action") == "decide" else None)
    explain = ExplanationForm(request.POST if request.POST.get("action") == "explain" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "request":
                services.objection_request_explanations(objection=objection, by=request.user)
                messages.success(request, _("Penjelasan diminta dari pegawai dan pejabat penilai."))
                return redirect("assessment:objection_detail", pk=pk)
            if action == "explain" and explain.is_valid():
                services.objection_explain(
                    objection=objection, by=request.user, body=explain.cleaned_data["body"]
                )
                messages.success(request, _("Penjelasan Anda tercatat."))
                return redirect("assessment:objection_detail", pk=pk)
            if action == "decide" and decision.is_valid():
                data = decision.cleaned_data
                services.objection_decide(
                    objection=objection,
                    by=request.user,
                    outcome=data["outcome"],
                    reason=data["reason"],
                    hasil=data["hasil"],
                    perilaku=data["perilaku"],
                )
                messages.success(request, _("Keputusan keberatan tercatat dan bersifat final."))
                return redirect("assessment:objection_detail", pk=pk)
        except ValidationError as exc:
            # Only a form the request filled takes the error; asking for explanations has no
            # form (a second request, e.g. a double click, is refused with a message).
            if action == "decide":
                decision.add_error(None, exc)
            elif action == "explain":
                explain.add_error(None, exc)
            else:
                _errors(request, exc)
    explanations = list(objection.explanations.all())
    mine = next((e for e in explanations if e.party == party and not e.answered_at), None)
    a = objection.assessment
    return render(
        request,
        "assessment/objection_detail.html",
        {
            "o": objection,
            "a": a,
            "is_decider": is_decider,
            "explanations": explanations,
            "my_request": mine,
            "attachments": list(objection.attachments.all()),
            "decision": decision,
            "explain": explain,
            "before_predikat": Predikat(objection.before["predikat"])
            if objection.before.get("predikat")
            else None,
            "after_predikat": Predikat(objection.after["predikat"])
            if objection.after.get("predikat")
            else None,
            "hasil": Rating(a.hasil),
            "perilaku": Rating(a.perilaku),
        },
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ObjectionAttachment, pk=pk)
    selectors.objection_get_for_user(user=request.user, pk=item.objection_id)
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)
    response["Content-Type"] = item.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Calibration ----------------------------------------------------------------------------------


def _calibrator(request: HttpRequest) -> None:
    if not access.can_calibrate(request.user):
        raise Http404


FLAGS_PER_PAGE = 50


@login_required
def calibration_view(request: HttpRequest) -> HttpResponse:
    _calibrator(request)
    period = _period(request)
    data = selectors.calibration(period)
    return render(
        request,
        "assessment/calibration.html",
        {
            "period": period,
            "periods": selectors.period_choices(),
            "c": data,
            "regency_bars": [(p, data.regency_counts.get(p, 0)) for p in Predikat],
            # 100,000 employees flag a couple of thousand assessors: a page at a time.
            "flags": Paginator(data.flags, FLAGS_PER_PAGE).get_page(request.GET.get("page")),
            "flags_query": querystring_without_page(request),
        },
    )


@login_required
def calibration_opd(request: HttpRequest, opd_id: int) -> HttpResponse:
    _calibrator(request)
    period = _period(request)
    opd = get_object_or_404(Unit, pk=opd_id, parent__isnull=True)
    dist = selectors.distributions([opd.pk], period)[opd.pk]
    return render(
        request,
        "assessment/calibration_opd.html",
        {
            "period": period,
            "opd": opd,
            "dist": dist,
            "chart": charts.distribution_svg(dist),
            "rows": selectors.opd_assessments(opd, period),
            "finalisations": selectors.opd_finalisations(opd, period),
            "can_return": access.can_return_for_calibration(request.user),
            "return_form": CalibrationReturnForm(),
        },
    )


@login_required
@require_POST
def calibration_return(request: HttpRequest, pk: int) -> HttpResponse:
    """BKPSDM returns one assessor's finalised results to the assessor for calibration."""
    if not access.can_return_for_calibration(request.user):
        raise Http404
    finalisation = get_object_or_404(Finalisation.objects.select_related("opd"), pk=pk)
    form = CalibrationReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan catatan kalibrasi untuk pejabat penilai."))
    else:
        try:
            returned = services.assessment_return_for_calibration(
                finalisation=finalisation, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("%(n)d hasil penilaian dikembalikan kepada pejabat penilai untuk kalibrasi.")
                % {"n": len(returned)},
            )
    url = reverse("assessment:calibration_opd", args=[finalisation.opd_id])
    return redirect(f"{url}?periode={finalisation.period}#finalisasi")


@login_required
def recap_xlsx(request: HttpRequest) -> HttpResponse:
    """Recap of the assessments the user may see in a period: the whole regency for BKPSDM,
    Pimpinan and Inspektorat; `?opd=` or `?unit=` narrows it to an OPD or a unit."""
    from kinerja.core.http import file_response

    params = {k: request.GET.get(k, "") for k in ("periode", "opd", "unit")}
    try:
        data, filename, content_type = recap_export(user=request.user, params=params)
    except LookupError:
        raise Http404 from None
    return file_response(data, filename, content_type)


def recap_export(
    *, user: Any, params: dict[str, Any], progress: Any = None
) -> tuple[bytes, str, str]:
    """The recap as XLSX (the page's download, and the background export "assessment.recap" of
    kinerja.core.exports). LookupError for an OPD or unit that does not exist."""
    from kinerja.core.tabular import XLSX_MIME

    from . import documents

    period = selectors.period_from(params.get("periode") or None)
    qs = selectors.assessments_visible_to(user).filter(period=period.code)
    scope = _("Kabupaten")
    for key, field in (("opd", "opd_id"), ("unit", "unit__path__startswith")):
        raw = str(params.get(key) or "")
        if raw:
            unit_id = whole_number(raw)
            unit = Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None
            if unit is None:
                raise LookupError(raw)
            qs = qs.filter(**{field: unit.pk if key == "opd" else unit.path})
            scope = unit.name
    if progress is not None:
        progress(20)
    data = documents.recap_xlsx(qs, period, scope)
    return data, f"rekap-penilaian-{period.code}.xlsx", XLSX_MIME
