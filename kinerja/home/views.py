"""The work home page and the audit log: pages of the top layer (kinerja.home)."""

from datetime import datetime, time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_http_methods

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.http import querystring_without_page
from kinerja.core.models import AuditLog
from kinerja.organisation import access, selectors
from kinerja.organisation.forms import AuditFilterForm

from . import mydata


def home(request: HttpRequest) -> HttpResponse:
    """The logged-in user's work page; for anyone else, the citizens' portal
    (settings.PUBLIC_HOME_VIEW), so that a citizen typing the site's address finds the survey,
    complaints and results instead of a login form."""
    user = request.user
    if not user.is_authenticated:
        return import_string(settings.PUBLIC_HOME_VIEW)(request)
    return render(
        request,
        "core/home.html",
        {
            "summary": selectors.role_summary(user),
            "sees_all": access.sees_all(user),
            "is_opd_admin": access.is_opd_admin(user),
            "headed_opd_id": access.headed_opd_id(user),
            "is_regency_admin": access.is_regency_admin(user),
            "can_read_audit": access.can_read_audit(user),
        },
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not access.can_read_audit(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    qs = AuditLog.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            qs = qs.filter(
                Q(object_repr__icontains=data["q"])
                | Q(actor_repr__icontains=data["q"])
                | Q(object_id=data["q"])
            )
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("object_type"):
            qs = qs.filter(object_type=data["object_type"])
        tz = timezone.get_current_timezone()
        if data.get("date_from"):
            qs = qs.filter(at__gte=datetime.combine(data["date_from"], time.min, tzinfo=tz))
        if data.get("date_to"):
            qs = qs.filter(at__lte=datetime.combine(data["date_to"], time.max, tzinfo=tz))
    page = Paginator(qs.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "querystring": querystring_without_page(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """The person's own data (UU 27/2022): what is held, by section, and a button that
    downloads all of it as one JSON file. Only the logged-in user's data, whoever asks."""
    if request.method == "POST":
        content = mydata.my_data_json(request.user)
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            obj=request.user,
            note="Unduh data pribadi (UU 27/2022)",
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="data-saya-{request.user.pk}-{stamp}.json"'
        )
        response["Cache-Control"] = "no-store"
        return response
    sections = mydata.sections(mydata.my_data(request.user))
    return render(
        request,
        "home/my_data.html",
        {"sections": [(mydata.SECTION_LABELS.get(k, k), n) for k, n in sections]},
    )
