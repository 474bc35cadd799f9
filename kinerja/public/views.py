"""Pages of community participation.

Citizens (no account): the survey (/survei/), complaints and their tracking (/pengaduan/), the
forum (/forum/) and the transparency pages (/transparansi/). Staff (/layanan-publik/): the unit
pages, results and reports, paper questionnaires, kiosk devices, the complaint inbox and forum
moderation — read by those organisation.access lets read a unit, changed only by those it lets
administer it; anything else answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.http import file_response, querystring_without_page
from kinerja.core.links import absolute_reverse
from kinerja.core.params import BadParameter, year_param
from kinerja.core.replica import replica_view
from kinerja.core.tabular import XLSX_MIME, TableError, read_table, xlsx_bytes
from kinerja.organisation import access
from kinerja.organisation.models import Employee, Unit
from kinerja.rules.periods import Period, every_period_of_year, parse_period_key
from kinerja.rules.skm import UNSUR
from kinerja.rules.workdays import working_days_between

from . import documents, protection, selectors, services
from .choices import DEFAULT_QUESTIONS, Channel, ComplaintStatus, PostStatus
from .forms import (
    ComplaintActionForm,
    ComplaintForm,
    DeviceForm,
    FollowUpForm,
    ForumSignupForm,
    InboxFilterForm,
    PaperImportForm,
    PaperRowForm,
    PaperRowFormSet,
    PopulationForm,
    PostForm,
    QuestionForm,
    RateForm,
    RemoveForm,
    ReopenForm,
    ReportForm,
    SearchForm,
    ServiceForm,
    SurveyForm,
    TopicForm,
    TrackForm,
)
from .models import (
    FollowUpPlan,
    ForumParticipant,
    KioskDevice,
    Service,
    ServicePopulation,
    SurveyQuestion,
)

# --- Helpers ---------------------------------------------------------------------------------


def _period(request: HttpRequest) -> Period:
    """The period asked for in ?periode= (default: the current year); a bad key falls back to
    the current year with a message."""
    key = request.GET.get("periode", "")
    if key:
        try:
            return parse_period_key(key)
        except ValueError as exc:
            messages.error(request, str(exc))
    return Period.annual(timezone.localdate().year)


def _period_context(period: Period) -> dict[str, Any]:
    this_year = timezone.localdate().year
    years = sorted({this_year, this_year - 1, period.year}, reverse=True)
    return {
        "period": period,
        "period_choices": [p for y in years for p in every_period_of_year(y)],
    }


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _page(request: HttpRequest, qs: Any, size: int = 25) -> Any:
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _too_many(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context["too_many"] = True
    return render(request, template, context, status=429)


def _admin_required(check: Callable[..., bool], user: Any, obj: Any) -> None:
    if not check(user, obj):
        raise Http404


# --- Survey (citizens) ----------------------------------------------------------------------


def survey_index(request: HttpRequest) -> HttpResponse:
    """Find a service to rate (when no QR poster is at hand)."""
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip().lower() if form.is_valid() else ""
    targets = [t for t in selectors.public_targets() if t.services]
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
            "page": _page(request, targets, 15),
            "querystring": querystring_without_page(request),
        },
    )


def portal(request: HttpRequest) -> HttpResponse:
    """The citizens' home page (at / for anyone not logged in): what they can do here, in plain
    words, on a phone: rate a service, file or track a complaint, the forum, the results."""
    return render(
        request,
        "public/portal.html",
        {"search_form": SearchForm(), "track_form": TrackForm()},
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
        initial={"time_slot": services.slot_of(timezone.now())},
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
                    services.response_submit(
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
                    _add_errors(form, exc)
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


# --- Complaints (citizens) ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def complaint_create(request: HttpRequest) -> HttpResponse:
    targets = selectors.public_targets()
    initial = {}
    if request.GET.get("layanan"):
        service = next(
            (s for t in targets for s in t.services if s.code == request.GET["layanan"].upper()),
            None,
        )
        if service:
            initial["target"] = f"s{service.pk}"
    form = ComplaintForm(
        request.POST or None, request.FILES or None, targets=targets, initial=initial
    )
    if request.method == "POST":
        if form.is_bot():
            messages.success(request, _("Terima kasih, pengaduan Anda terkirim."))
            return redirect("public:complaint_track")
        if form.is_valid():
            if not protection.rate_limit_hit(
                "complaint", protection.ip_hash(request), settings.PUBLIC_COMPLAINT_RATE_LIMIT
            ):
                form.add_error(
                    None, _("Terlalu banyak pengaduan dari jaringan ini. Coba lagi nanti.")
                )
            else:
                data = form.cleaned_data
                unit, service = data["target"]
                upload = data.get("attachment")
                try:
                    complaint = services.complaint_file(
                        unit=unit,
                        service=service,
                        kind=data["kind"],
                        category=data["category"],
                        description=data["description"],
                        attachment=services.Upload(upload.name, upload.read()) if upload else None,
                        contact_name=data.get("contact_name") or "",
                        contact_email=data.get("contact_email") or "",
                        contact_phone=data.get("contact_phone") or "",
                        anonymous=bool(data.get("anonymous")),
                        ip_hash=protection.ip_hash(request),
                    )
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    request.session["complaint_new"] = complaint.tracking_code
                    return redirect("public:complaint_status", code=complaint.tracking_code)
    return render(request, "public/complaint_form.html", {"form": form})


def complaint_track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if request.GET and form.is_valid():
        code = protection.normalise_code(form.cleaned_data["code"])
        ident = protection.ip_hash(request)
        if protection.rate_limit_reached("track", ident, settings.PUBLIC_TRACK_RATE_LIMIT):
            return _too_many(request, "public/complaint_track.html", {"form": form})
        if selectors.complaint_by_code(code) is not None:
            return redirect("public:complaint_status", code=code)
        protection.rate_limit_hit("track", ident, settings.PUBLIC_TRACK_RATE_LIMIT)
        form.add_error("code", _("Kode pelacakan tidak ditemukan. Periksa kembali kode Anda."))
    return render(request, "public/complaint_track.html", {"form": form})


def _complaint_for_code(request: HttpRequest, code: str) -> Any:
    """The complaint of a tracking code; unknown codes count towards the lookup limit."""
    complaint = selectors.complaint_by_code(protection.normalise_code(code))
    if complaint is None:
        protection.rate_limit_hit(
            "track", protection.ip_hash(request), settings.PUBLIC_TRACK_RATE_LIMIT
        )
        raise Http404
    return complaint


@never_cache
def complaint_status(request: HttpRequest, code: str) -> HttpResponse:
    if protection.rate_limit_reached(
        "track", protection.ip_hash(request), settings.PUBLIC_TRACK_RATE_LIMIT
    ):
        return _too_many(request, "public/complaint_track.html", {"form": TrackForm()})
    complaint = _complaint_for_code(request, code)
    return _render_status(request, complaint)


def _render_status(request: HttpRequest, complaint: Any, **forms: Any) -> HttpResponse:
    is_new = request.session.pop("complaint_new", None) == complaint.tracking_code
    updates = [u for u in complaint.updates.all() if u.kind != "removed"]
    context = {
        "complaint": complaint,
        "updates": updates,
        "is_new": is_new,
        "rate_form": forms.get("rate_form")
        or (
            RateForm()
            if complaint.status == ComplaintStatus.RESOLVED and complaint.rating is None
            else None
        ),
        "reopen_form": forms.get("reopen_form")
        or (ReopenForm() if services.can_reopen(complaint) else None),
        "reopen_days": settings.PUBLIC_COMPLAINT_REOPEN_DAYS,
    }
    return render(request, "public/complaint_status.html", context)


@require_POST
def complaint_rate(request: HttpRequest, code: str) -> HttpResponse:
    complaint = _complaint_for_code(request, code)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_rate(
                complaint=complaint,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data.get("comment") or "",
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Terima kasih atas penilaian Anda."))
            return redirect("public:complaint_status", code=complaint.tracking_code)
    return _render_status(request, complaint, rate_form=form)


@require_POST
def complaint_reopen(request: HttpRequest, code: str) -> HttpResponse:
    complaint = _complaint_for_code(request, code)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_reopen(complaint=complaint, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Pengaduan dibuka kembali dan akan ditanggapi unit."))
            return redirect("public:complaint_status", code=complaint.tracking_code)
    return _render_status(request, complaint, reopen_form=form)


# --- Forum (citizens) -----------------------------------------------------------------------

SESSION_PARTICIPANT = "forum_participant"


def _participant(request: HttpRequest) -> ForumParticipant | None:
    pk = request.session.get(SESSION_PARTICIPANT)
    if not pk:
        return None
    return ForumParticipant.objects.filter(
        pk=pk, confirmed_at__isnull=False, blocked=False, erased_at__isnull=True
    ).first()


def forum_index(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    unit = None
    if request.GET.get("unit", "").isdecimal():
        unit = selectors.public_units().filter(pk=int(request.GET["unit"])).first()
    topics = selectors.forum_topics(unit=unit, q=q)
    return render(
        request,
        "public/forum_index.html",
        {
            "form": form,
            "unit": unit,
            "page": _page(request, topics, 20),
            "querystring": querystring_without_page(request),
            "participant": _participant(request),
        },
    )


@require_http_methods(["GET", "POST"])
def forum_topic(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_public(pk)
    participant = _participant(request)
    form = PostForm(request.POST or None)
    if request.method == "POST":
        if participant is None:
            return redirect(f"{reverse('public:forum_signup')}?next={topic.pk}")
        if form.is_valid():
            if not protection.rate_limit_hit(
                "forum", f"p{participant.pk}", settings.PUBLIC_FORUM_RATE_LIMIT
            ):
                form.add_error(None, _("Anda menulis terlalu cepat. Tunggu beberapa menit."))
            else:
                try:
                    post = services.post_reply(
                        participant=participant, topic=topic, body=form.cleaned_data["body"]
                    )
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    if post.status == PostStatus.PENDING:
                        messages.info(
                            request,
                            _("Tulisan Anda menunggu moderasi karena Anda peserta baru."),
                        )
                    return redirect("public:forum_topic", pk=topic.pk)
    can_answer = access.can_administer_public_unit(request.user, topic.unit)
    return render(
        request,
        "public/forum_topic.html",
        {
            "topic": topic,
            "posts": selectors.topic_posts(topic, participant_id=getattr(participant, "pk", None)),
            "form": form,
            "participant": participant,
            "official_form": PostForm(prefix="official") if can_answer else None,
            "report_form": ReportForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def forum_topic_create(request: HttpRequest) -> HttpResponse:
    participant = _participant(request)
    if participant is None:
        return redirect(f"{reverse('public:forum_signup')}?next=baru")
    form = TopicForm(request.POST or None, targets=selectors.public_targets())
    if request.method == "POST" and form.is_valid():
        if not protection.rate_limit_hit(
            "forum", f"p{participant.pk}", settings.PUBLIC_FORUM_RATE_LIMIT
        ):
            form.add_error(None, _("Anda menulis terlalu cepat. Tunggu beberapa menit."))
        else:
            unit, service = form.cleaned_data["target"]
            try:
                topic = services.topic_start(
                    participant=participant,
                    unit=unit,
                    service=service,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                if topic.is_visible:
                    return redirect("public:forum_topic", pk=topic.pk)
                messages.info(
                    request,
                    _("Topik Anda terkirim dan akan tampil setelah diperiksa moderator."),
                )
                return redirect("public:forum_index")
    return render(
        request, "public/forum_topic_form.html", {"form": form, "participant": participant}
    )


@require_http_methods(["GET", "POST"])
def forum_signup(request: HttpRequest) -> HttpResponse:
    form = ForumSignupForm(request.POST or None)
    link = None
    if request.method == "POST":
        if form.is_bot():
            return render(
                request, "public/forum_signup.html", {"form": ForumSignupForm(), "sent": True}
            )
        if form.is_valid():
            if not protection.rate_limit_hit(
                "forum-signup", protection.ip_hash(request), settings.PUBLIC_FORUM_SIGNUP_RATE_LIMIT
            ):
                form.add_error(
                    None, _("Terlalu banyak permintaan dari jaringan ini. Coba lagi nanti.")
                )
            else:
                try:
                    _participant_obj, token = services.participant_signup(
                        email=form.cleaned_data["email"], nickname=form.cleaned_data["nickname"]
                    )
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    # The demo (console e-mail backend) shows the link: nothing is really sent.
                    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
                        link = services.confirmation_link(token)
                    return render(
                        request,
                        "public/forum_signup.html",
                        {"form": form, "sent": True, "link": link},
                    )
    return render(request, "public/forum_signup.html", {"form": form, "sent": False})


def forum_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        participant = services.participant_confirm(token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("public:forum_signup")
    request.session.cycle_key()
    request.session[SESSION_PARTICIPANT] = participant.pk
    messages.success(
        request, _("Selamat datang di forum warga, %(nick)s.") % {"nick": participant.nickname}
    )
    return redirect("public:forum_index")


@require_POST
def forum_signout(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_PARTICIPANT, None)
    messages.info(request, _("Anda telah keluar dari forum."))
    return redirect("public:forum_index")


@require_http_methods(["GET", "POST"])
def forum_erase(request: HttpRequest) -> HttpResponse:
    """A participant deletes their forum account (after a confirmation page)."""
    participant = _participant(request)
    if participant is None:
        return redirect("public:forum_signup")
    if request.method == "POST":
        services.participant_erase(participant=participant)
        request.session.pop(SESSION_PARTICIPANT, None)
        request.session.cycle_key()
        messages.success(
            request,
            _(
                "Akun forum Anda sudah dihapus. Alamat surel Anda tidak lagi kami simpan; "
                "tulisan yang sudah terbit tetap ada tanpa nama Anda."
            ),
        )
        return redirect("public:forum_index")
    pending = participant.posts.filter(status=PostStatus.PENDING).count()
    published = participant.posts.filter(status=PostStatus.PUBLISHED).count()
    return render(
        request,
        "public/forum_erase.html",
        {"participant": participant, "pending": pending, "published": published},
    )


@require_POST
def forum_report(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_public(pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan singkat untuk melaporkan."))
    else:
        reporter = protection.ip_hash(request) or protection.browser_hash(
            protection.browser_id(request)
        )
        if services.post_report(
            post=post, reason=form.cleaned_data["reason"], reporter_hash=reporter
        ):
            messages.success(request, _("Terima kasih, laporan Anda akan diperiksa moderator."))
        else:
            messages.info(request, _("Anda sudah melaporkan tulisan ini."))
    return redirect("public:forum_topic", pk=post.topic_id)


@login_required
@require_POST
def forum_official(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_public(pk)
    _admin_required(access.can_administer_public_unit, request.user, topic.unit)
    form = PostForm(request.POST, prefix="official")
    if form.is_valid():
        try:
            services.post_official(topic=topic, body=form.cleaned_data["body"], by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Jawaban resmi ditayangkan."))
    else:
        messages.error(request, _("Tulisan 5 sampai 4000 karakter."))
    return redirect("public:forum_topic", pk=topic.pk)


# --- Transparency (citizens) ----------------------------------------------------------------


def _trend(scope: Q, year: int, element_id: str, name: str) -> dict[str, Any]:
    points = selectors.monthly_trend(scope=scope, year=year)
    values = [(p.label, p.result.ikm.converted) for p in points]
    shown = [
        f"{p.label} {p.result.ikm.converted}" for p in points if p.result.ikm.converted is not None
    ]
    desc = _("IKM per bulan tahun %(y)s: %(v)s.") % {
        "y": year,
        "v": "; ".join(shown) or _("belum ada data"),
    }
    return {
        "chart": documents.trend_svg(
            values,
            title=_("Tren IKM %(name)s, %(y)s") % {"name": name, "y": year},
            desc=desc,
            element_id=element_id,
        ),
        "points": points,
    }


@replica_view
def transparency_index(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    start, end = period.start, period.end
    regency = selectors.survey_result(scope=Q(), start=start, end=end)
    by_opd = selectors.survey_results_by(
        key="service__unit__opd_id", scope=Q(), start=start, end=end
    )
    complaints = selectors.complaint_figures(scope=Q(), start=start, end=end)
    complaints_by_opd = selectors.complaint_figures_by(
        key="unit__opd_id", scope=Q(), start=start, end=end
    )
    opd_ids = set(by_opd) | set(complaints_by_opd)
    opds = Unit.objects.filter(
        Q(pk__in=opd_ids) | Q(pk__in=selectors.public_units().values("opd_id"))
    ).order_by("name")
    rows = [(opd, by_opd.get(opd.pk), complaints_by_opd.get(opd.pk)) for opd in opds]
    return render(
        request,
        "public/transparency_index.html",
        {
            "result": regency,
            "complaints": complaints,
            "rows": rows,
            **_trend(Q(), period.year, "trend-regency", _("pemerintah daerah")),
            **_period_context(period),
        },
    )


def _transparency_unit(pk: int) -> Unit:
    """A unit with public services in its tree (OPDs included), else 404."""
    unit = get_object_or_404(Unit.objects.select_related("opd"), pk=pk, is_active=True)
    if not selectors.public_units().filter(path__startswith=unit.path).exists():
        raise Http404
    return unit


@replica_view
def transparency_unit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _transparency_unit(pk)
    period = _period(request)
    start, end = period.start, period.end
    scope = selectors.unit_scope(unit)
    result = selectors.survey_result(scope=scope, start=start, end=end)
    by_unit = selectors.survey_results_by(key="service__unit_id", scope=scope, start=start, end=end)
    by_service = selectors.survey_results_by(key="service_id", scope=scope, start=start, end=end)
    units = list(selectors.public_units().filter(path__startswith=unit.path).order_by("path"))
    service_list = list(
        Service.objects.filter(unit__path__startswith=unit.path, is_active=True)
        .select_related("unit")
        .order_by("unit__path", "name")
    )
    complaint_scope = Q(unit__path__startswith=unit.path)
    return render(
        request,
        "public/transparency_unit.html",
        {
            "unit": unit,
            "result": result,
            "unit_rows": [(u, by_unit.get(u.pk)) for u in units] if len(units) > 1 else [],
            "service_rows": [(s, by_service.get(s.pk)) for s in service_list],
            "complaints": selectors.complaint_figures(scope=complaint_scope, start=start, end=end),
            "breakdown": selectors.profile_breakdown(scope=scope, start=start, end=end),
            **_trend(scope, period.year, f"trend-{unit.pk}", unit.name),
            **_period_context(period),
        },
    )


# --- Staff: units and services --------------------------------------------------------------


@login_required
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    """The units whose public services this user reads, with this year's figures."""
    readable = selectors.units_readable_by(request.user)
    form = SearchForm(request.GET or None)
    units = readable.select_related("opd").order_by("path")
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        units = units.filter(Q(name__icontains=q) | Q(code__icontains=q))
    page = _page(request, units, 25)
    year = timezone.localdate().year
    period = Period.annual(year)
    ids = [u.pk for u in page.object_list]
    # A unit's row shows its own services; an OPD's row pools its whole tree.
    own = selectors.survey_results_by(
        key="service__unit_id",
        scope=Q(service__unit_id__in=ids),
        start=period.start,
        end=period.end,
    )
    pooled = selectors.survey_results_by(
        key="service__unit__opd_id",
        scope=Q(service__unit__opd_id__in=ids),
        start=period.start,
        end=period.end,
    )
    complaints_own = selectors.complaint_figures_by(
        key="unit_id", scope=Q(unit_id__in=ids), start=period.start, end=period.end
    )
    complaints_pooled = selectors.complaint_figures_by(
        key="unit__opd_id", scope=Q(unit__opd_id__in=ids), start=period.start, end=period.end
    )
    rows = [
        (u, pooled.get(u.pk), complaints_pooled.get(u.pk))
        if u.pk == u.opd_id
        else (u, own.get(u.pk), complaints_own.get(u.pk))
        for u in page.object_list
    ]
    overdue = (
        selectors.complaints_visible_to(request.user).filter(clock_due__lt=timezone.now()).count()
    )
    pending = selectors.moderation_queue(request.user).count()
    return render(
        request,
        "public/staff_dashboard.html",
        {
            "can_edit_questions": access.can_edit_survey_questions(request.user),
            "form": form,
            "page": page,
            "rows": rows,
            "year": year,
            "overdue": overdue,
            "pending": pending,
            "querystring": querystring_without_page(request),
            "is_regency_admin": access.is_regency_admin(request.user),
        },
    )


@login_required
def unit_manage(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_for_reader(request.user, pk)
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
    unit = selectors.unit_for_admin(request.user, pk)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(by=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
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
            _add_errors(form, exc)
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
            _add_errors(form, exc)
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
            _add_errors(form, exc)
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
    _admin_required(access.can_administer_public_unit, request.user, device.service.unit)
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
        {"service": service, "url": url, "qr": documents.qr_data_uri(url), "regency": _regency()},
    )
    return file_response(data, f"poster-survei-{service.code}.pdf", "application/pdf")


def _regency() -> Any:
    from kinerja.organisation.services import regency_get_cached

    return regency_get_cached()


# --- Staff: paper questionnaires -------------------------------------------------------------

PAPER_HEADERS = [
    "Tanggal",
    "Jam",
    *(f"U{i}" for i in range(1, 10)),
    "Jenis Kelamin",
    "Usia",
    "Pendidikan",
    "Pekerjaan",
    "Saran",
]
PAPER_KEYS = [
    "survey_date",
    "time_slot",
    *PaperRowForm.ANSWER_FIELDS,
    "sex",
    "age",
    "education",
    "occupation",
    "suggestion",
]


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request: HttpRequest, code: str) -> HttpResponse:
    """A fast grid for paper questionnaires: all rows are stored, or none."""
    service = selectors.service_for_admin(request.user, code)
    try:
        rows = min(max(int(request.GET.get("baris", 10)), 1), 50)
    except ValueError:
        rows = 10
    today = timezone.localdate().isoformat()
    if request.method == "POST":
        formset = PaperRowFormSet(request.POST, prefix="q")
        if formset.is_valid():
            filled = [f.row() for f in formset if f.has_changed() and f.cleaned_data]
            try:
                count = services.responses_enter(
                    service=service, rows=filled, by=request.user, source=_("isian tabel")
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("%(n)d kuesioner disimpan.") % {"n": count})
                return redirect("public:paper_entry", code=service.code)
    else:
        formset = PaperRowFormSet(prefix="q", initial=[{"survey_date": today}] * rows)
    return render(
        request,
        "public/paper_entry.html",
        {"service": service, "formset": formset, "import_form": PaperImportForm(), "report": None},
    )


@login_required
@require_POST
def paper_import(request: HttpRequest, code: str) -> HttpResponse:
    """Import paper questionnaires from XLSX: all rows or none, each bad row explained."""
    service = selectors.service_for_admin(request.user, code)
    form = PaperImportForm(request.POST, request.FILES)
    errors: list[tuple[int, str]] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            form.add_error("file", _("Berkas terlalu besar."))
        else:
            try:
                table = read_table(upload.read(), upload.name)
            except TableError as exc:
                form.add_error("file", str(exc))
            else:
                missing = [h for h in PAPER_HEADERS[:11] if h.lower() not in table.headers]
                if missing:
                    form.add_error(
                        "file", _("Kolom wajib tidak ada: %(c)s.") % {"c": ", ".join(missing)}
                    )
                elif not table.rows:
                    form.add_error("file", _("Berkas tidak berisi baris data."))
                else:
                    parsed = []
                    for number, values in table.rows:
                        row_form = PaperRowForm(
                            {
                                key: values.get(h.lower(), "")
                                for key, h in zip(PAPER_KEYS, PAPER_HEADERS, strict=True)
                            }
                        )
                        if row_form.is_valid():
                            parsed.append(row_form.row())
                        else:
                            for field, messages_ in row_form.errors.items():
                                label = dict(zip(PAPER_KEYS, PAPER_HEADERS, strict=True)).get(
                                    field, ""
                                )
                                errors.extend(
                                    (number, f"{label}: {m}" if label else m) for m in messages_
                                )
                    if not errors:
                        try:
                            count = services.responses_enter(
                                service=service,
                                rows=parsed,
                                by=request.user,
                                source=upload.name[:80],
                            )
                        except ValidationError as exc:
                            errors.append((0, " ".join(exc.messages)))
                        else:
                            messages.success(request, _("%(n)d kuesioner diimpor.") % {"n": count})
                            return redirect("public:paper_entry", code=service.code)
    today = timezone.localdate().isoformat()
    return render(
        request,
        "public/paper_entry.html",
        {
            "service": service,
            "formset": PaperRowFormSet(prefix="q", initial=[{"survey_date": today}] * 10),
            "import_form": form,
            "report": errors,
            "imported": form.is_valid(),
        },
    )


@login_required
def paper_template(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.service_for_admin(request.user, code)
    guide = [
        ["Tanggal", "Tanggal survei, misalnya 2026-11-02 atau 02/11/2026"],
        ["Jam", "pagi (08.00–12.00) atau siang (13.00–17.00); boleh kosong"],
        *([f"U{i}", "Jawaban 1–4; kosong bila tidak dijawab"] for i in range(1, 10)),
        ["Jenis Kelamin", "L atau P; boleh kosong"],
        ["Usia", "15–100; boleh kosong"],
        ["Pendidikan", "SD, SMP, SMA, D1–D3, D4/S1, S2, S3; boleh kosong"],
        ["Pekerjaan", "PNS, TNI, POLRI, Swasta, Wirausaha, Lainnya; boleh kosong"],
        ["Saran", "Teks bebas; boleh kosong"],
    ]
    data = xlsx_bytes([("Kuesioner", PAPER_HEADERS, []), ("Petunjuk", ["Kolom", "Isi"], guide)])
    return file_response(data, f"kuesioner-{service.code}.xlsx", XLSX_MIME)


# --- Staff: results and the SKM report -------------------------------------------------------


def _results_context(unit: Unit, period: Period) -> dict[str, Any]:
    scope = selectors.unit_scope(unit)
    start, end = period.start, period.end
    count, latest = selectors.suggestions(scope=scope, start=start, end=end)
    plan = FollowUpPlan.objects.filter(unit=unit, period=period.code).first()
    by_service = selectors.survey_results_by(key="service_id", scope=scope, start=start, end=end)
    service_list = list(
        Service.objects.filter(unit__path__startswith=unit.path).order_by("unit__path", "name")
    )
    return {
        "unit": unit,
        "result": selectors.survey_result(scope=scope, start=start, end=end),
        "service_rows": [(s, by_service.get(s.pk)) for s in service_list],
        "breakdown": selectors.profile_breakdown(scope=scope, start=start, end=end),
        "suggestion_count": count,
        "suggestions": latest,
        "plan": plan,
        "complaints": selectors.complaint_figures(
            scope=Q(unit__path__startswith=unit.path), start=start, end=end
        ),
        **_period_context(period),
    }


@login_required
def unit_results(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_for_reader(request.user, pk)
    period = _period(request)
    context = _results_context(unit, period)
    can_admin = access.can_administer_public_unit(request.user, unit)
    context.update(
        can_admin=can_admin,
        follow_up_form=FollowUpForm(
            initial={"text": context["plan"].text if context["plan"] else ""}
        )
        if can_admin
        else None,
        **_trend(selectors.unit_scope(unit), period.year, f"trend-{unit.pk}", unit.name),
    )
    return render(request, "public/unit_results.html", context)


@login_required
@require_POST
def follow_up_save(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_for_admin(request.user, pk)
    period = _period(request)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_save(
                unit=unit, period=period, text=form.cleaned_data["text"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Rencana tindak lanjut disimpan."))
    else:
        messages.error(request, _("Tulis rencana tindak lanjut (paling banyak 4000 karakter)."))
    return redirect(f"{reverse('public:unit_results', args=[unit.pk])}?periode={period.code}")


@login_required
def unit_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The official SKM report of a unit for a period (PermenPANRB 14/2017), as PDF."""
    unit = selectors.unit_for_reader(request.user, pk)
    period = _period(request)
    context = _results_context(unit, period)
    context.update(
        regency=_regency(),
        printed=timezone.localtime(),
        **_trend(selectors.unit_scope(unit), period.year, "trend", unit.name),
    )
    data = documents.render_pdf("public/pdf/report.html", context)
    return file_response(data, f"laporan-skm-{unit.code}-{period.code}.pdf", "application/pdf")


# --- Staff: complaints ----------------------------------------------------------------------


def _clock(complaint: Any, now: Any) -> dict[str, Any] | None:
    """The running service-level clock of a complaint in working days (None when stopped)."""
    if complaint.clock_due is None:
        return None
    days = working_days_between(
        timezone.localdate(now), timezone.localdate(complaint.clock_due), services.holidays()
    )
    overdue = complaint.clock_due < now
    return {"overdue": overdue, "days": abs(days), "urgent": not overdue and days <= 1}


@login_required
def complaint_inbox(request: HttpRequest) -> HttpResponse:
    """The units' complaints, what needs action first (selectors.complaints_inbox_order), with
    a filter chip and its count for each state."""
    qs = selectors.complaints_visible_to(request.user)
    form = InboxFilterForm(
        request.GET or None, units=selectors.units_readable_by(request.user).order_by("name")
    )
    now = timezone.now()
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("q"):
        code = protection.normalise_code(data["q"])
        qs = qs.filter(Q(tracking_code=code) | Q(description__icontains=data["q"]))
    if data.get("unit"):
        qs = qs.filter(unit__path__startswith=data["unit"].path)
    counts = selectors.complaint_state_counts(qs, now)
    status = data.get("status", "")
    if status == selectors.INBOX_WAITING:
        qs = qs.filter(clock_due__isnull=False)
    elif status == selectors.INBOX_OPEN:
        qs = qs.exclude(status__in=list(ComplaintStatus.final()))
    elif status:
        qs = qs.filter(status=status)
    if data.get("overdue"):
        qs = qs.filter(clock_due__lt=now)
    page = _page(request, selectors.complaints_inbox_order(qs), 25)
    return render(
        request,
        "public/complaint_inbox.html",
        {
            "form": form,
            "page": page,
            "rows": [(c, _clock(c, now)) for c in page.object_list],
            "chips": _inbox_chips(request, counts, status, bool(data.get("overdue"))),
            "querystring": querystring_without_page(request),
            "workdays": settings.PUBLIC_COMPLAINT_RESPONSE_WORKDAYS,
        },
    )


def _inbox_chips(
    request: HttpRequest, counts: dict[str, int], status: str, overdue: bool
) -> list[dict[str, Any]]:
    """One link per state of the inbox (keeping the search and the unit), with its count."""
    params = request.GET.copy()
    for name in ("status", "overdue", "page"):
        params.pop(name, None)

    def link(**extra: str) -> str:
        query = params.copy()
        query.update(extra)
        return "?" + query.urlencode()

    states = [
        ("", _("Semua"), counts["all"]),
        (selectors.INBOX_WAITING, _("Menunggu tanggapan"), counts[selectors.INBOX_WAITING]),
        (selectors.INBOX_OPEN, _("Belum selesai"), counts[selectors.INBOX_OPEN]),
        *((value, label, counts[f"status_{value}"]) for value, label in ComplaintStatus.choices),
    ]
    chips = [
        {
            "label": label,
            "count": count,
            "url": link(status=value) if value else link(),
            "current": value == status and not overdue,
        }
        for value, label, count in states
    ]
    chips.insert(
        1,
        {
            "label": _("Terlambat"),
            "count": counts[selectors.INBOX_OVERDUE],
            "url": link(overdue="on"),
            "current": overdue and not status,
            "late": True,
        },
    )
    return chips


@login_required
def complaint_manage(
    request: HttpRequest, pk: int, action_form: Any = None, remove_form: Any = None
) -> HttpResponse:
    complaint = selectors.complaint_for_reader(request.user, pk)
    can_admin = (
        access.can_administer_public_unit(request.user, complaint.unit) and not complaint.is_removed
    )
    return render(
        request,
        "public/complaint_manage.html",
        {
            "complaint": complaint,
            "updates": complaint.updates.select_related("by"),
            "clock": _clock(complaint, timezone.now()),
            "can_admin": can_admin,
            "action_form": action_form
            or (ComplaintActionForm(status=complaint.status) if can_admin else None),
            "remove_form": remove_form or (RemoveForm() if can_admin else None),
        },
    )


@login_required
@require_POST
def complaint_act(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_for_reader(request.user, pk)
    _admin_required(access.can_administer_public_unit, request.user, complaint.unit)
    form = ComplaintActionForm(request.POST, status=complaint.status)
    if form.is_valid():
        try:
            services.complaint_respond(
                complaint=complaint,
                by=request.user,
                message=form.cleaned_data["message"],
                to_status=form.cleaned_data["to_status"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Tindakan atas pengaduan disimpan."))
            return redirect("public:complaint_manage", pk=complaint.pk)
    return complaint_manage(request, pk, action_form=form)


@login_required
@require_POST
def complaint_remove(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_for_reader(request.user, pk)
    _admin_required(access.can_administer_public_unit, request.user, complaint.unit)
    form = RemoveForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_remove(
                complaint=complaint, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Pengaduan dihapus sebagai spam (tercatat di log audit)."))
            return redirect("public:complaint_inbox")
    return complaint_manage(request, pk, remove_form=form)


@login_required
def complaint_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_for_reader(request.user, pk)
    if not complaint.attachment:
        raise Http404
    with complaint.attachment.open("rb") as handle:
        data = handle.read()
    name = f"lampiran-{complaint.tracking_code}.{complaint.attachment.name.rsplit('.', 1)[-1]}"
    return file_response(data, name, complaint.attachment_type or "application/octet-stream")


# --- Staff: forum moderation ---------------------------------------------------------------


@login_required
def forum_moderation(request: HttpRequest) -> HttpResponse:
    if not selectors.units_administered_by(request.user).exists():
        raise Http404
    page = _page(request, selectors.moderation_queue(request.user), 25)
    return render(request, "public/forum_moderation.html", {"page": page})


@login_required
@require_POST
def forum_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.moderated_post_for_admin(request.user, pk)
    publish = request.POST.get("action") == "publish"
    services.post_moderate(post=post, by=request.user, publish=publish)
    messages.success(request, _("Tulisan ditayangkan.") if publish else _("Tulisan disembunyikan."))
    return redirect("public:forum_moderation")
