"""Pages of the adoption app: thin; access from kinerja.organisation.access through the selectors,
writes through the services."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kinerja.core.http import querystring_without_page
from kinerja.core.middleware import client_ip
from kinerja.core.params import whole_number
from kinerja.core.pdf import pdf_response
from kinerja.organisation import access
from kinerja.organisation.models import Unit, User
from kinerja.public.protection import rate_limit_hit

from . import activation, selectors, services, stats
from .channels import preference_of
from .choices import ActivationScope, NotificationKind
from .documents import activation_letters_pdf
from .forms import (
    ActivateForm,
    ActivationIssueForm,
    AnnouncementForm,
    ArticleForm,
    HelpdeskForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    PreferenceForm,
    SupervisorReportForm,
)
from .markdown import render_markdown
from .models import Delivery, HelpArticle, JobRun, SupervisorReport
from .schedule import JOBS


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- Activation ----------------------------------------------------------------------------------


def _activation_units(user: User):  # type: ignore[no-untyped-def]
    opd_id = access.adoption_opd_id(user) if not access.is_regency_admin(user) else None
    units = Unit.objects.filter(is_active=True).order_by("path")
    if opd_id is not None:
        units = units.filter(Q(pk=opd_id) | Q(opd_id=opd_id))
    return units


def _letters_response(issued: activation.IssuedBatch) -> HttpResponse:
    data = activation_letters_pdf(issued.letters, expires_at=issued.batch.expires_at)
    name = f"surat-aktivasi-{issued.batch.created_at:%Y%m%d-%H%M}-{issued.batch.pk}.pdf"
    return pdf_response(data, name, inline=False)


@login_required
def activation_issue(request: HttpRequest) -> HttpResponse:
    """Bulk activation: codes for a unit, an OPD or an import; answers with one PDF of
    letters (the codes are shown only there and in the e-mails)."""
    user = request.user
    if not access.can_issue_activation(user):
        raise Http404
    form = ActivationIssueForm(request.POST or None, units=_activation_units(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = activation.activation_issue(
                by=user,
                scope=data["scope"],
                unit=data.get("unit"),
                import_date=data.get("import_date"),
                days=data.get("days"),
                send_email=bool(data.get("send_email")),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return _letters_response(issued)
    batches = (
        activation.ActivationBatch.objects.select_related("created_by").filter(created_by=user)
        if not access.is_regency_admin(user)
        else activation.ActivationBatch.objects.select_related("created_by")
    )
    return render(
        request,
        "adoption/activation_issue.html",
        {"form": form, "batches": batches.order_by("-created_at")[:10]},
    )


@never_cache
def activate(request: HttpRequest) -> HttpResponse:
    """Public: a person sets their first password with their NIP and one-time code. Tries are
    throttled per address and per NIP; every failure gets one generic message."""
    if request.user.is_authenticated and request.method == "GET" and not request.GET.get("kode"):
        return redirect("home:home")
    initial = {"code": request.GET.get("kode", "")[:20]}
    form = ActivateForm(request.POST or None, initial=initial)
    limited = False
    if request.method == "POST" and form.is_valid():
        rate = settings.ADOPTION_ACTIVATION_RATE_LIMIT
        nip = form.cleaned_data["nip"]
        ip = client_ip(request) or "-"
        if not (
            rate_limit_hit("activate-ip", ip, rate)
            and rate_limit_hit("activate-nip", "".join(nip.split()), rate)
        ):
            limited = True
            form.add_error(None, _("Terlalu banyak percobaan. Coba lagi 15 menit lagi."))
        else:
            try:
                user = activation.activation_redeem(
                    nip=nip,
                    code=form.cleaned_data["code"],
                    password=form.cleaned_data["new_password1"],
                )
            except ValidationError as exc:
                if getattr(exc, "code", "") == "generic":
                    form.add_error(None, exc.messages[0])
                else:
                    form.add_error("new_password1", exc)
            else:
                login(request, user, backend="kinerja.organisation.auth.NipOrUsernameBackend")
                messages.success(request, _("Akun Anda aktif. Selamat datang di Kinerja!"))
                return redirect("home:home")
    return render(
        request,
        "adoption/activate.html",
        {"form": form, "limited": limited},
        status=429 if limited else 200,
    )


@never_cache
def password_reset(request: HttpRequest) -> HttpResponse:
    """Public "Lupa kata sandi": a link by e-mail where the account has an address; otherwise
    whom to ask (the Admin OPD and the helpdesk of the person's OPD)."""
    form = PasswordResetRequestForm(request.POST or None)
    help_info = None
    sent = False
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request) or "-"
        if not rate_limit_hit("reset-ip", ip, settings.ADOPTION_PASSWORD_RESET_RATE_LIMIT):
            form.add_error(None, _("Terlalu banyak permintaan. Coba lagi 15 menit lagi."))
        else:
            help_info = activation.password_reset_request(nip=form.cleaned_data["nip"])
            sent = help_info is None
    return render(
        request,
        "adoption/password_reset.html",
        {"form": form, "help": help_info, "sent": sent},
    )


@never_cache
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        user = User.objects.filter(pk=pk, is_active=True).first()
    except (ValueError, TypeError, OverflowError):
        user = None
    valid = user is not None and default_token_generator.check_token(user, token)
    form = NewPasswordForm(request.POST or None)
    if valid and request.method == "POST" and form.is_valid():
        try:
            activation.password_reset_complete(
                user=user, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            messages.success(request, _("Kata sandi baru tersimpan. Silakan masuk."))
            return redirect("organisation:login")
    return render(
        request,
        "adoption/password_reset_confirm.html",
        {"form": form, "valid": valid},
        status=200 if valid else 404,
    )


# --- Preferences and onboarding ------------------------------------------------------------------


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    preference = preference_of(request.user)
    initial = {
        "email_mode": preference.email_mode,
        "webhook_enabled": preference.webhook_enabled,
        "kinds": [k for k in NotificationKind.values if k not in (preference.muted_kinds or [])],
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["kinds"])
        services.preference_update(
            user=request.user,
            email_mode=form.cleaned_data["email_mode"],
            webhook_enabled=form.cleaned_data["webhook_enabled"],
            muted_kinds=[k for k in NotificationKind.values if k not in chosen],
        )
        messages.success(request, _("Pilihan pemberitahuan tersimpan."))
        return redirect("adoption:preferences")
    return render(
        request,
        "adoption/preferences.html",
        {
            "form": form,
            "webhook_available": bool(settings.ADOPTION_WEBHOOK_URL),
            "has_email": bool(request.user.email),
        },
    )


@login_required
def onboarding_profile(request: HttpRequest) -> HttpResponse:
    """Check your profile and your supervisor: confirm, or report that the supervisor on record
    is wrong (it goes to the Admin OPD)."""
    user = request.user
    if user.employee_id is None:
        raise Http404
    employee = user.employee
    form = SupervisorReportForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "benar":
            services.onboarding_mark(user=user, step="profil")
            messages.success(request, _("Terima kasih. Profil dan atasan Anda sudah diperiksa."))
            return redirect("home:home")
        if form.is_valid():
            try:
                services.supervisor_report_create(by=user, **form.cleaned_data)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(
                    request, _("Laporan terkirim ke Admin OPD Anda. Anda akan diberi tahu.")
                )
                return redirect("home:home")
    reports = SupervisorReport.objects.filter(employee_id=employee.pk).order_by("-created_at")[:5]
    return render(
        request,
        "adoption/onboarding_profile.html",
        {"employee": employee, "form": form, "reports": reports},
    )


@login_required
def onboarding_team_board(request: HttpRequest) -> HttpResponse:
    if access.is_supervisor(request.user):
        services.onboarding_mark(user=request.user, step="papan_tim")
    return redirect("monitoring:team_board")


@login_required
@require_POST
def onboarding_dismiss(request: HttpRequest) -> HttpResponse:
    services.onboarding_mark(user=request.user, step="sembunyikan")
    request.session["adoption_checklist_hidden"] = True
    return redirect("home:home")


@login_required
def supervisor_reports(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (access.is_regency_admin(user) or access.is_opd_admin(user)):
        raise Http404
    page = Paginator(selectors.supervisor_reports(user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "adoption/supervisor_reports.html", {"page": page})


@login_required
@require_POST
def supervisor_report_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.supervisor_reports(request.user), pk=pk)
    services.supervisor_report_resolve(report=report, by=request.user)
    messages.success(request, _("Laporan ditandai sudah ditangani."))
    return redirect("adoption:supervisor_reports")


# --- Help centre ---------------------------------------------------------------------------------


def help_index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    found = list(selectors.articles(query))
    return render(
        request,
        "adoption/help_index.html",
        {
            "q": query,
            "guides": [a for a in found if a.kind == "artikel"],
            "faqs": [a for a in found if a.kind == "faq"],
            "helpdesk": selectors.helpdesk_for(request.user),
            "can_edit": access.can_edit_help(request.user),
        },
    )


def help_article(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(HelpArticle, slug=slug)
    return render(
        request,
        "adoption/help_article.html",
        {
            "article": article,
            "html": render_markdown(article.body),
            "helpdesk": selectors.helpdesk_for(request.user),
            "can_edit": access.can_edit_help(request.user),
        },
    )


def help_for_page(request: HttpRequest) -> HttpResponse:
    """ "Bantuan" in the header: the article of the page the person came from."""
    article = selectors.article_for_page(request.GET.get("dari", "")[:100])
    if article is None:
        return redirect("adoption:help_index")
    return redirect("adoption:help_article", slug=article.slug)


@login_required
def help_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    if not access.can_edit_help(request.user):
        raise Http404
    article = get_object_or_404(HelpArticle, slug=slug) if slug else None
    form = ArticleForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = services.article_save(by=request.user, article=article, **fields)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Artikel bantuan tersimpan."))
            return redirect("adoption:help_article", slug=saved.slug)
    preview = render_markdown(form["body"].value() or "") if request.method == "POST" else None
    return render(
        request,
        "adoption/help_edit.html",
        {"form": form, "article": article, "preview": preview},
    )


@login_required
def helpdesk_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (access.is_regency_admin(user) or access.is_opd_admin(user)):
        raise Http404
    opd_id = access.adoption_opd_id(user)
    if opd_id is None:
        raw = request.GET.get("opd") or request.POST.get("opd") or ""
        opd_id = whole_number(raw)
    opds = Unit.objects.filter(parent__isnull=True, is_active=True).order_by("name")
    opd = opds.filter(pk=opd_id).first() if opd_id else None
    contact = selectors.HelpdeskContact.objects.filter(opd=opd).first() if opd else None
    form = HelpdeskForm(request.POST or None, instance=contact)
    if opd is not None and request.method == "POST" and form.is_valid():
        services.helpdesk_save(by=user, opd=opd, **form.cleaned_data)
        messages.success(request, _("Kontak helpdesk tersimpan."))
        return redirect(f"{reverse('adoption:helpdesk_edit')}?opd={opd.pk}")
    return render(
        request,
        "adoption/helpdesk_edit.html",
        {"form": form, "opd": opd, "opds": opds if access.is_regency_admin(user) else []},
    )


# --- Announcements -------------------------------------------------------------------------------


@login_required
def announcement_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    page = Paginator(selectors.announcements_for(user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    managed = None
    if access.can_manage_announcements(user):
        managed = Paginator(selectors.managed_announcements(user), settings.PAGE_SIZE).get_page(
            request.GET.get("kelola")
        )
    return render(request, "adoption/announcement_list.html", {"page": page, "managed": managed})


@login_required
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    announcement = selectors.announcement_get(user, pk)
    if selectors.announcements_for(user).filter(pk=pk).exists():
        services.announcement_mark_read(announcement=announcement, user=user)
    receipts = None
    if selectors.managed_announcements(user).filter(pk=pk).exists():
        audience = selectors.audience_users(announcement).count()
        read = announcement.reads.count()
        receipts = {"audience": audience, "read": read}
    return render(
        request,
        "adoption/announcement_detail.html",
        {
            "a": announcement,
            "html": render_markdown(announcement.body),
            "receipts": receipts,
            "link": announcement.link
            or (selectors.training_catalogue_url() if announcement.kind == "sosialisasi" else ""),
        },
    )


@login_required
def announcement_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_manage_announcements(user):
        raise Http404
    opd_only = access.announcement_opd_id(user)
    form = AnnouncementForm(request.POST or None, opd_only=opd_only)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "opd" or opd_only is None}
        if not fields.get("starts_at"):
            fields["starts_at"] = timezone.now()
        try:
            created = services.announcement_create(by=user, **fields)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Pengumuman diterbitkan."))
            return redirect("adoption:announcement_detail", pk=created.pk)
    return render(request, "adoption/announcement_form.html", {"form": form})


# --- Adoption figures ----------------------------------------------------------------------------


def _month_label(month: date) -> str:
    from kinerja.rules.calendar import MONTHS

    return f"{MONTHS[month.month - 1][:3]} {month.year}"


@login_required
def dashboard(request: HttpRequest, unit_id: int | None = None) -> HttpResponse:
    """Adoption per OPD (or per unit inside one), from the precomputed figures."""
    user = request.user
    if not access.can_view_adoption(user):
        raise Http404
    opd_id = access.adoption_opd_id(user)
    if unit_id is None and opd_id is not None:
        return redirect("adoption:unit", unit_id=opd_id)
    unit = None
    if unit_id is not None:
        unit = get_object_or_404(Unit, pk=unit_id)
        if not access.can_view_adoption_unit(user, unit):
            raise Http404
        groups = [unit, *Unit.objects.filter(parent=unit).order_by("name")]
    else:
        groups = list(Unit.objects.filter(parent__isnull=True).order_by("name"))
    rows = stats.scope_rows(unit.path if unit else "")
    month = max((r.month for r in rows), default=None)
    if unit is not None:
        own = [r for r in rows if r.month == month and r.unit_id == unit.pk]
        others = [r for r in rows if r.month == month and r.unit_id != unit.pk]
        group_totals, overall = (
            stats.totals_by_group(others, groups[1:], month) if month else ([], stats.Totals())
        )
        own_totals = stats.Totals(unit=unit)
        for row in own:
            own_totals.add(row)
            overall.add(row)
        group_totals = [own_totals, *group_totals]
    else:
        group_totals, overall = (
            stats.totals_by_group(rows, groups, month) if month else ([], stats.Totals())
        )
    trend = [(_month_label(m), t) for m, t in stats.trend(rows)]
    refreshed = max((r.refreshed_at for r in rows), default=None)
    return render(
        request,
        "adoption/dashboard.html",
        {
            "unit": unit,
            "groups": group_totals,
            "overall": overall,
            "trend": trend,
            "refreshed": refreshed,
            "can_issue": access.can_issue_activation(user),
            "can_view_jobs": access.can_view_jobs(user),
        },
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """People not yet activated, or without an approved plan, with one-click reminders and
    activation letters."""
    user = request.user
    if not access.can_view_adoption(user):
        raise Http404
    which = request.GET.get("daftar") or request.POST.get("daftar") or "belum_aktif"
    which = which if which in ("belum_aktif", "tanpa_skp") else "belum_aktif"
    raw_unit = request.GET.get("unit") or request.POST.get("unit") or ""
    unit_id = whole_number(raw_unit)
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    if unit is not None and not access.can_view_adoption_unit(user, unit):
        raise Http404
    qs = selectors.adoption_people(user, unit=unit, which=which)
    if request.method == "POST":
        if not access.can_issue_activation(user):
            raise Http404
        chosen = [
            pk for v in request.POST.getlist("pegawai") if (pk := whole_number(v)) is not None
        ]
        selected = qs.filter(pk__in=chosen) if chosen else qs
        action = request.POST.get("action")
        try:
            if action == "surat" and which == "belum_aktif":
                issued = activation.activation_issue(
                    by=user,
                    scope=ActivationScope.PEOPLE,
                    employee_ids=list(selected.values_list("pk", flat=True)[:2000]),
                )
                return _letters_response(issued)
            if action == "ingatkan" and which == "tanpa_skp":
                count = services.plan_reminders_send(by=user, employees=list(selected[:2000]))
                messages.success(request, _("Pengingat terkirim ke %(n)s pegawai.") % {"n": count})
            elif action == "ingatkan":
                issued = activation.activation_issue(
                    by=user,
                    scope=ActivationScope.PEOPLE,
                    employee_ids=list(
                        selected.exclude(user__email="")
                        .exclude(user__isnull=True)
                        .values_list("pk", flat=True)[:2000]
                    ),
                )
                messages.success(
                    request,
                    _("Kode aktivasi baru dikirim lewat surel ke %(n)s pegawai.")
                    % {"n": issued.batch.emailed},
                )
        except ValidationError as exc:
            _errors(request, exc)
        return redirect(f"{reverse('adoption:people')}?daftar={which}&unit={raw_unit}")
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "adoption/people.html",
        {
            "page": page,
            "which": which,
            "unit": unit,
            "querystring": querystring_without_page(request),
            "can_issue": access.can_issue_activation(user),
        },
    )


@login_required
def jobs(request: HttpRequest) -> HttpResponse:
    """The scheduled jobs: schedule, last run and outcome (BKPSDM)."""
    if not access.can_view_jobs(request.user):
        raise Http404
    last = {
        row["job"]: row["last"]
        for row in JobRun.objects.values("job").annotate(last=Max("pk")).order_by()
    }
    runs = {r.job: r for r in JobRun.objects.filter(pk__in=list(last.values()))}
    rows = [(job, runs.get(job.name)) for job in JOBS]
    recent = Delivery.objects.order_by("-created_at", "-pk")[:20]
    from kinerja.core.taskqueue import health

    return render(
        request, "adoption/jobs.html", {"rows": rows, "recent": recent, "queue": health()}
    )
