"""Pages of complaints: filing and tracking for citizens (/pengaduan/), the inbox and the
official response for staff.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.http import file_response, querystring_without_page
from kinerja.organisation import access
from kinerja.rules.workdays import working_days_between

from .. import common, protection
from ..choices import ComplaintStatus
from ..web import add_errors, admin_required, page_of, too_many
from . import selectors, services
from .forms import (
    ComplaintActionForm,
    ComplaintForm,
    InboxFilterForm,
    RateForm,
    RemoveForm,
    ReopenForm,
    TrackForm,
)

# --- Complaints (citizens) ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def complaint_create(request: HttpRequest) -> HttpResponse:
    targets = common.public_targets()
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
                    add_errors(form, exc)
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
            return too_many(request, "public/complaint_track.html", {"form": form})
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
        return too_many(request, "public/complaint_track.html", {"form": TrackForm()})
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
            add_errors(form, exc)
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
            add_errors(form, exc)
        else:
            messages.success(request, _("Pengaduan dibuka kembali dan akan ditanggapi unit."))
            return redirect("public:complaint_status", code=complaint.tracking_code)
    return _render_status(request, complaint, reopen_form=form)


# --- Staff: complaints ----------------------------------------------------------------------


def _clock(complaint: Any, now: Any) -> dict[str, Any] | None:
    """The running service-level clock of a complaint in working days (None when stopped)."""
    if complaint.clock_due is None:
        return None
    days = working_days_between(
        timezone.localdate(now), timezone.localdate(complaint.clock_due), common.holidays()
    )
    overdue = complaint.clock_due < now
    return {"overdue": overdue, "days": abs(days), "urgent": not overdue and days <= 1}


@login_required
def complaint_inbox(request: HttpRequest) -> HttpResponse:
    """The units' complaints, what needs action first (selectors.complaints_inbox_order), with
    a filter chip and its count for each state."""
    qs = selectors.complaints_visible_to(request.user)
    form = InboxFilterForm(
        request.GET or None, units=common.units_readable_by(request.user).order_by("name")
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
    page = page_of(request, selectors.complaints_inbox_order(qs), 25)
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
    admin_required(access.can_administer_public_unit, request.user, complaint.unit)
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
            add_errors(form, exc)
        else:
            messages.success(request, _("Tindakan atas pengaduan disimpan."))
            return redirect("public:complaint_manage", pk=complaint.pk)
    return complaint_manage(request, pk, action_form=form)


@login_required
@require_POST
def complaint_remove(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_for_reader(request.user, pk)
    admin_required(access.can_administer_public_unit, request.user, complaint.unit)
    form = RemoveForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_remove(
                complaint=complaint, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
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
