"""Pages of the survey: the citizens' questionnaire (/survei/) and the kiosk, and for staff the
unit and service pages, kiosk devices and the questionnaire's wording.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.http import file_response, querystring_without_page
from kinerja.core.links import absolute_reverse
from kinerja.core.params import BadParameter, year_param
from kinerja.organisation import access
from kinerja.organisation.models import Employee
from kinerja.rules.periods import Period
from kinerja.rules.skm import UNSUR

from .. import common, documents, protection
from ..choices import DEFAULT_QUESTIONS, Channel
from ..models import KioskDevice, Service, ServicePopulation, SurveyQuestion
from ..web import SearchForm, add_errors, admin_required, page_of, regency
from . import responses, selectors, services
from .forms import DeviceForm, PopulationForm, QuestionForm, ServiceForm, SurveyForm

# --- Survey (citizens) ----------------------------------------------------------------------


def survey_index(request: HttpRequest) -> HttpResponse:
    """Find a service to rate (when no QR poster is at hand)."""
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip().lower() if form.is_valid() else ""
    targets = [t for t in common.public_targets() if t.services]
    if q:
        targets = [
            t
            for t in targets
            if q in t.unit.name.lower()
            or any(q in s.name.lower() or q in s.code.lower() for s in t.services)
        ]
    return render(
        request,
        "public/survey_index.html",
        {
            "form": form,
            "page": page_of(request, targets, 15),
            "querystring": querystring_without_page(request),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def survey_form(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.service_public(code)
    officers = (
        list(Employee.objects.filter(unit=service.unit, is_active=True).order_by("name"))
        if service.ask_officer
        else None
    )
    form = SurveyForm(
        request.POST or None,
        questions=selectors.questionnaire(),
        service=service,
        officers=officers,
        initial={"time_slot": responses.slot_of(timezone.now())},
    )
    browser = protection.browser_id(request)
    if request.method == "POST":
        if form.is_bot():
            return redirect("public:survey_thanks", code=service.code)
        if form.is_valid():
            if not protection.rate_limit_hit(
                f"survey:{service.pk}",
                protection.ip_hash(request),
                settings.PUBLIC_SURVEY_RATE_LIMIT,
            ):
                form.add_error(
                    None,
                    _(
                        "Terlalu banyak kuesioner dari jaringan ini untuk layanan ini. "
                        "Coba lagi nanti."
                    ),
                )
            else:
                try:
                    responses.response_submit(
                        service=service,
                        answers=form.answers(),
                        channel=Channel.WEB,
                        profile=form.profile(),
                        suggestion=form.cleaned_data.get("suggestion") or "",
                        time_slot=form.cleaned_data["time_slot"],
                        counter=form.cleaned_data.get("counter") or "",
                        officer=form.officer(),
                        ip_hash=protection.ip_hash(request),
                        browser_hash=protection.browser_hash(browser),
                    )
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    return redirect("public:survey_thanks", code=service.code)
    response = render(request, "public/survey_form.html", {"service": service, "form": form})
    if request.COOKIES.get(protection.BROWSER_COOKIE) != browser:
        response.set_cookie(
            protection.BROWSER_COOKIE,
            browser,
            max_age=protection.BROWSER_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def survey_thanks(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.service_public(code)
    return render(request, "public/survey_thanks.html", {"service": service})


def survey_kiosk(request: HttpRequest, code: str) -> HttpResponse:
    """The counter-tablet page: the questionnaire sent through the kiosk API with the device
    token the unit administrator typed into this tablet once (kept in the tablet's storage)."""
    service = selectors.service_public(code)
    form = SurveyForm(questions=selectors.questionnaire(), service=service)
    return render(
        request,
        "public/survey_kiosk.html",
        {
            "service": service,
            "form": form,
            "api_url": f"/api/v1/public/surveys/{service.code}/responses",
        },
    )


# --- Staff: units, services, kiosk devices ---------------------------------------------------


@login_required
def unit_manage(request: HttpRequest, pk: int) -> HttpResponse:
    unit = common.unit_for_reader(request.user, pk)
    period = Period.annual(timezone.localdate().year)
    service_list = list(selectors.services_of(unit))
    results = selectors.survey_results_by(
        key="service_id", scope=Q(service__unit=unit), start=period.start, end=period.end
    )
    return render(
        request,
        "public/unit_manage.html",
        {
            "unit": unit,
            "rows": [(s, results.get(s.pk)) for s in service_list],
            "period": period,
            "can_admin": access.can_administer_public_unit(request.user, unit),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = common.unit_for_admin(request.user, pk)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(by=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Layanan %(name)s ditambahkan.") % {"name": service.name})
            return redirect("public:service_manage", code=service.code)
    return render(
        request, "public/service_form.html", {"form": form, "unit": unit, "service": None}
    )


@login_required
def service_manage(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.service_for_reader(request.user, code)
    year = timezone.localdate().year
    period = Period.annual(year)
    populations = {
        p.month: p.population for p in ServicePopulation.objects.filter(service=service, year=year)
    }
    return render(
        request,
        "public/service_manage.html",
        {
            "service": service,
            "result": selectors.survey_result(
                scope=Q(service=service), start=period.start, end=period.end
            ),
            "period": period,
            "populations": [(m, populations.get(m)) for m in range(1, 13)],
            "devices": selectors.devices_of(service),
            "can_admin": access.can_administer_public_unit(request.user, service.unit),
            "device_form": DeviceForm(),
            "survey_url": absolute_reverse("public:survey_form", service.code),
        },
    )


# --- The questionnaire's wording (BKPSDM) --------------------------------------------------------


def _questions_editor(request: HttpRequest) -> None:
    if not access.can_edit_survey_questions(request.user):
        raise Http404


@login_required
def question_list(request: HttpRequest) -> HttpResponse:
    """The nine questions as citizens see them, which are the regency's own wording, and the
    defaults of PermenPANRB 14/2017 beside them."""
    _questions_editor(request)
    custom = set(SurveyQuestion.objects.values_list("code", flat=True))
    defaults = {u.code: u for u in UNSUR}
    rows = [
        {
            "question": q,
            "custom": q.code in custom,
            "default": DEFAULT_QUESTIONS[q.code],
            "default_labels": defaults[q.code].labels,
        }
        for q in selectors.questionnaire()
    ]
    return render(request, "public/question_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, code: str) -> HttpResponse:
    _questions_editor(request)
    current = {q.code: q for q in selectors.questionnaire()}.get(code.upper())
    if current is None:
        raise Http404
    if request.method == "POST" and "reset" in request.POST:
        if services.question_reset(code=current.code, by=request.user):
            messages.success(
                request,
                _("Pertanyaan %(c)s kembali ke teks baku PermenPANRB 14/2017.")
                % {"c": current.code},
            )
        return redirect("public:question_list")
    initial = {"question": current.question}
    initial.update({f"label_{n}": label for n, label in enumerate(current.labels, start=1)})
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                code=current.code,
                question=form.cleaned_data["question"],
                labels=form.labels(),
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Pertanyaan %(c)s disimpan.") % {"c": current.code})
            return redirect("public:question_list")
    return render(
        request,
        "public/question_form.html",
        {
            "form": form,
            "current": current,
            "custom": SurveyQuestion.objects.filter(code=current.code).exists(),
            "default": DEFAULT_QUESTIONS[current.code],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.service_for_admin(request.user, code)
    form = ServiceForm(request.POST or None, instance=Service.objects.get(pk=service.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(service=service, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Layanan disimpan."))
            return redirect("public:service_manage", code=service.code)
    return render(
        request,
        "public/service_form.html",
        {"form": form, "unit": service.unit, "service": service},
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_population(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.service_for_admin(request.user, code)
    try:
        year = year_param(request.GET.get("tahun"), strict=True)
    except BadParameter:
        raise Http404 from None
    existing = {
        f"m{p.month}": p.population
        for p in ServicePopulation.objects.filter(service=service, year=year)
    }
    form = PopulationForm(request.POST or None, initial=existing)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.population_set(
                service=service, year=year, values=form.values(), by=request.user
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Populasi disimpan (%(n)d bulan berubah).") % {"n": changed}
            )
            return redirect("public:service_manage", code=service.code)
    return render(
        request, "public/service_population.html", {"form": form, "service": service, "year": year}
    )


@login_required
@require_POST
def device_issue(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.service_for_admin(request.user, code)
    form = DeviceForm(request.POST)
    if form.is_valid():
        try:
            device, token = services.device_issue(
                service=service, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            # Shown once, in this response only (never in a message cookie or the log).
            response = render(
                request,
                "public/device_issued.html",
                {
                    "service": service,
                    "device": device,
                    "token": token,
                    "kiosk_url": absolute_reverse("public:survey_kiosk", service.code),
                },
            )
            response["Cache-Control"] = "no-store"
            return response
    else:
        messages.error(request, _("Beri nama perangkat, misalnya Tablet Loket 1."))
    return redirect("public:service_manage", code=service.code)


@login_required
@require_POST
def device_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(
        KioskDevice.objects.select_related("service", "service__unit"), pk=pk
    )
    admin_required(access.can_administer_public_unit, request.user, device.service.unit)
    try:
        services.device_revoke(device=device, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Token %(name)s dicabut.") % {"name": device.name})
    return redirect("public:service_manage", code=device.service.code)


@login_required
def service_poster(request: HttpRequest, code: str) -> HttpResponse:
    """A printable A4 poster with the survey's QR code."""
    service = selectors.service_for_reader(request.user, code)
    url = absolute_reverse("public:survey_form", service.code)
    data = documents.render_pdf(
        "public/pdf/poster.html",
        {"service": service, "url": url, "qr": documents.qr_data_uri(url), "regency": regency()},
    )
    return file_response(data, f"poster-survei-{service.code}.pdf", "application/pdf")
