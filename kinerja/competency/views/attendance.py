"""Pages of a session's attendance: the organiser's sheet, the QR check-in (display and
scan), closing the session."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.forms import checked
from kinerja.core.links import absolute_reverse
from kinerja.core.verification import qr_data_uri

from .. import selectors, services
from ..choices import EnrolmentStatus, SessionStatus
from .common import _errors

# --- Attendance -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attendance_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser's sheet: one row per participant, one checkbox per day, the post-test
    score; tab moves along the row. Saving is all or nothing."""
    session = selectors.session_manage_get(request.user, pk)
    people = [
        e
        for e in selectors.participants(session)
        if e.status
        in (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)
    ]
    days = session.days
    if request.method == "POST":
        present: dict[int, list[date]] = {}
        scores: dict[int, Any] = {}
        for e in people:
            present[e.pk] = [
                d for d in days if checked(request.POST.get(f"hadir-{e.pk}-{d.isoformat()}"))
            ]
            if session.programme.post_test_pass_mark is not None:
                scores[e.pk] = request.POST.get(f"nilai-{e.pk}", "")
        try:
            changed = services.attendance_sheet_save(
                session=session, by=request.user, present=present, scores=scores
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Presensi disimpan (%(n)d perubahan).") % {"n": changed})
            return redirect("competency:attendance_sheet", session.pk)
    marked = {(a.enrolment_id, a.day) for e in people for a in e.attendance.all()}
    scheduled = session.scheduled_minutes
    rows = [
        (
            e,
            [(d, (e.pk, d) in marked) for d in days],
            round(sum(a.minutes for a in e.attendance.all()) * 100 / scheduled) if scheduled else 0,
        )
        for e in people
    ]

    return render(
        request,
        "competency/attendance_sheet.html",
        {
            "session": session,
            "programme": session.programme,
            "days": days,
            "rows": rows,
            "can_close": session.status == SessionStatus.OPEN
            and timezone.localdate() >= session.ends_on,
        },
    )


@login_required
def checkin_display(request: HttpRequest, pk: int) -> HttpResponse:
    """The rotating code at the venue (organiser's screen); htmx refreshes it."""
    session = selectors.session_manage_get(request.user, pk)
    code = services.checkin_code(session)
    url = absolute_reverse("competency:checkin", session.pk) + f"?kode={code}"
    context = {"session": session, "code": code, "qr": qr_data_uri(url), "url": url}
    template = (
        "competency/_checkin_code.html"
        if request.headers.get("HX-Request")
        else "competency/checkin_display.html"
    )
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant's phone: the code from the QR (or typed), confirmed with one tap."""
    session = selectors.session_get(request.user, pk)
    code = (request.POST.get("kode") or request.GET.get("kode") or "").strip()[:12]
    done = None
    if request.method == "POST":
        try:
            done = services.attendance_checkin(session=session, by=request.user, code=code)
        except ValidationError as exc:
            _errors(request, exc)
    return render(
        request, "competency/checkin.html", {"session": session, "code": code, "done": done}
    )


@login_required
@require_POST
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_manage_get(request.user, pk)
    try:
        counts = services.session_close(session=session, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            _("Sesi ditutup: %(c)d selesai, %(n)d belum memenuhi syarat.")
            % {"c": counts["completed"], "n": counts["not_completed"]},
        )
    return redirect("competency:attendance_sheet", session.pk)
