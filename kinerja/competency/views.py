"""Pages of the competency app (/kompetensi/). Access decisions come from organisation.access
through the selectors and services (404 outside scope); writes go through the services."""

from __future__ import annotations

from datetime import date
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

from kinerja.core.links import absolute_reverse
from kinerja.core.params import int_param, year_param
from kinerja.core.pdf import pdf_response
from kinerja.core.verification import qr_data_uri
from kinerja.organisation import access
from kinerja.organisation.choices import PositionKind
from kinerja.organisation.models import Employee, Unit

from . import documents, selectors, services
from .choices import TAGS, EnrolmentStatus, LearningForm, LearningKind, SessionStatus
from .forms import (
    DecisionForm,
    ExternalLearningForm,
    ExternalReviewForm,
    PlanItemForm,
    ProgrammeForm,
    RatingForm,
    SessionForm,
)
from .models import ExternalLearning


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("tahun"), strict=True)


def _employee_or_404(request: HttpRequest) -> Employee:
    if request.user.employee_id is None:  # type: ignore[union-attr]
        raise Http404
    return request.user.employee  # type: ignore[union-attr]


# --- Catalogue, programmes, sessions --------------------------------------------------------------


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The catalogue: search, filter by competency, form and kind, only programmes with open
    registration."""
    q = (request.GET.get("q") or "").strip()[:100]
    tag = request.GET.get("kompetensi") or ""
    form = request.GET.get("bentuk") or ""
    kind = request.GET.get("jalur") or ""
    only_open = request.GET.get("buka") == "1"
    tag = tag if tag in TAGS else ""
    form = form if form in LearningForm.values else ""
    kind = kind if kind in LearningKind.values else ""
    programmes = selectors.catalogue(q=q, tag=tag, form=form, kind=kind, only_open=only_open)
    page = Paginator(programmes, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "competency/catalogue.html",
        {
            "page": page,
            "q": q,
            "tag": tag,
            "form_value": form,
            "kind": kind,
            "only_open": only_open,
            "tags": TAGS,
            "forms": LearningForm.choices,
            "kinds": LearningKind.choices,
            "querystring": query.urlencode(),
            "can_manage": services.can_manage_programme(request.user),
            "can_approve": access.is_regency_admin(request.user)
            or access.is_supervisor(request.user),
            "can_comply": selectors.compliance_scope(request.user) is not None,
            "can_needs": access.sees_all(request.user),
        },
    )


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    sessions = programme.sessions.exclude(status=SessionStatus.CANCELLED).order_by("-starts_on")
    return render(
        request,
        "competency/programme_detail.html",
        {
            "programme": programme,
            "sessions": Paginator(sessions, 20).get_page(request.GET.get("page")),
            "can_manage": services.can_manage_programme(request.user, programme),
            "audience": [
                label for value, label in PositionKind.choices if value in programme.audience_kinds
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk) if pk else None
    if not services.can_manage_programme(request.user, programme):
        raise Http404
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.programme_save(by=request.user, programme=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Program disimpan."))
            return redirect("competency:programme_detail", saved.pk)
    return render(request, "competency/programme_form.html", {"form": form, "programme": programme})


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    if not services.can_manage_programme(request.user, programme):
        raise Http404
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        session.programme = programme
        try:
            services.session_save(by=request.user, session=session)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Sesi dibuat."))
            return redirect("competency:session_detail", session.pk)
    return render(request, "competency/session_form.html", {"form": form, "programme": programme})


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a session (a larger quota gives its seats to the waitlist in order)."""
    session = selectors.session_get(request.user, pk)
    if not services.can_manage_programme(request.user, session.programme):
        raise Http404
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(by=request.user, session=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Sesi disimpan."))
            return redirect("competency:session_detail", session.pk)
    return render(
        request,
        "competency/session_form.html",
        {"form": form, "programme": session.programme, "session": session},
    )


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(request.user, pk)
    manage = services.can_manage_session(request.user, session)
    mine = selectors.own_enrolment(request.user, session)
    team: list[Employee] = []
    if request.user.employee_id and access.is_supervisor(request.user):  # type: ignore[union-attr]
        team = list(
            Employee.objects.filter(
                supervisor_id=request.user.employee_id,  # type: ignore[union-attr]
                is_active=True,
            ).order_by("name")[:100]
        )
    return render(
        request,
        "competency/session_detail.html",
        {
            "session": session,
            "programme": session.programme,
            "mine": mine,
            "manage": manage,
            "participants": selectors.participants(session) if manage else [],
            "ratings": selectors.rating_summary(session) if manage else None,
            "open": services.registration_open(session),
            "team": team,
            "can_edit": services.can_manage_programme(request.user, session.programme),
            "rating_form": RatingForm(),
            "today": timezone.localdate(),
            "active_statuses": EnrolmentStatus.active(),
        },
    )


@login_required
@require_POST
def session_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(request.user, pk)
    employee = _employee_or_404(request)
    try:
        enrolment = services.enrolment_create(session=session, employee=employee, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            _("Pendaftaran tercatat: %(s)s.") % {"s": enrolment.get_status_display()},
        )
    return redirect("competency:session_detail", session.pk)


@login_required
@require_POST
def session_nominate(request: HttpRequest, pk: int) -> HttpResponse:
    """One-click nomination by a supervisor or an admin (the employee must be visible)."""
    session = selectors.session_get(request.user, pk)
    employee_id = int_param(request.POST.get("pegawai"), "pegawai", minimum=1)
    if employee_id is None:
        raise Http404
    employee = selectors.employee_get(request.user, employee_id)
    if not services.can_nominate(request.user, employee):
        raise Http404
    try:
        enrolment = services.enrolment_create(session=session, employee=employee, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            _("%(n)s diusulkan: %(s)s.")
            % {"n": employee.full_name, "s": enrolment.get_status_display()},
        )
    back = request.POST.get("kembali") or ""
    if back.startswith("/kompetensi/") and "//" not in back:
        return redirect(back)
    return redirect("competency:session_detail", session.pk)


@login_required
@require_POST
def enrolment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_get(request.user, pk)
    try:
        services.enrolment_cancel(enrolment=enrolment, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Pendaftaran dibatalkan."))
    return redirect("competency:session_detail", enrolment.session_id)


@login_required
@require_POST
def enrolment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_get(request.user, pk)
    if not services.can_decide_enrolment(request.user, enrolment):
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        try:
            services.enrolment_decide(
                enrolment=enrolment,
                by=request.user,
                approve=form.cleaned_data["decision"] == "setujui",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Keputusan disimpan."))
    return redirect("competency:approvals")


@login_required
@require_POST
def rating_submit(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_get(request.user, pk)
    if enrolment.employee_id != request.user.employee_id:  # type: ignore[union-attr]
        raise Http404
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rating_submit(
                enrolment=enrolment,
                by=request.user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Terima kasih atas penilaian Anda."))
    else:
        messages.error(request, _("Pilih nilai 1 sampai 5."))
    return redirect("competency:session_detail", enrolment.session_id)


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_get(request.user, pk)
    if (
        enrolment.status != EnrolmentStatus.COMPLETED
        or not enrolment.session.programme.issues_certificate
    ):
        raise Http404
    data = documents.certificate_pdf(enrolment)
    return pdf_response(data, f"sertifikat-{enrolment.employee.nip}-{enrolment.pk}.pdf")


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
            present[e.pk] = [d for d in days if request.POST.get(f"hadir-{e.pk}-{d.isoformat()}")]
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


# --- Pembelajaran saya, external learning ---------------------------------------------------


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    employee = _employee_or_404(request)
    year = _year(request)
    return render(
        request,
        "competency/my_learning.html",
        {"detail": selectors.jp_detail(employee, year), "year": year, "own": True},
    )


@login_required
def person_jp(request: HttpRequest, pk: int) -> HttpResponse:
    """The list behind each number of one person (the employee's profile, drill-down)."""
    employee = selectors.employee_get(request.user, pk)
    year = _year(request)
    return render(
        request,
        "competency/my_learning.html",
        {
            "detail": selectors.jp_detail(employee, year),
            "year": year,
            "own": employee.pk == request.user.employee_id,  # type: ignore[union-attr]
            "sessions": selectors.sessions_with_seats()
            if services.can_nominate(request.user, employee)
            else [],
        },
    )


@login_required
def person_jp_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The small JP card the employee's profile loads (htmx) from this app."""
    employee = selectors.employee_get(request.user, pk)
    year = timezone.localdate().year
    totals = selectors.jp_totals_for([employee], year)[employee.pk]
    return render(
        request,
        "competency/_jp_card.html",
        {
            "employee": employee,
            "year": year,
            "totals": totals,
            "required": selectors.required_jp(employee.status),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def external_create(request: HttpRequest) -> HttpResponse:
    employee = _employee_or_404(request)
    resubmit = None
    raw = request.GET.get("ulang") or request.POST.get("ulang")
    if raw:
        item_id = int_param(raw, "ulang", minimum=1)
        resubmit = get_object_or_404(ExternalLearning, pk=item_id, employee=employee)
    initial = {}
    if resubmit:
        initial = {
            "title": resubmit.title,
            "kind": resubmit.kind,
            "provider": resubmit.provider,
            "started_on": resubmit.started_on,
            "ended_on": resubmit.ended_on,
            "hours": resubmit.hours,
        }
    form = ExternalLearningForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.external_submit(
                employee=employee,
                by=request.user,
                title=data["title"],
                kind=data["kind"],
                provider=data["provider"],
                started_on=data["started_on"],
                ended_on=data["ended_on"],
                hours=data["hours"],
                upload=data["evidence"],
                item=resubmit,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Pengajuan dikirim ke BKPSDM untuk diverifikasi."))
            return redirect("competency:my_learning")
    return render(request, "competency/external_form.html", {"form": form, "resubmit": resubmit})


@login_required
@require_http_methods(["GET", "POST"])
def external_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.external_get(request.user, pk)
    reviewer = access.is_regency_admin(request.user)
    form = ExternalReviewForm(request.POST or None) if reviewer else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.external_review(
                    item=item,
                    by=request.user,
                    approve=form.cleaned_data["decision"] == "setujui",
                    jp=form.cleaned_data["jp"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Verifikasi disimpan."))
                return redirect("competency:approvals")
    return render(
        request,
        "competency/external_detail.html",
        {"item": item, "form": form, "suggested": item.hours * 60 / 45},
    )


@login_required
def external_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.external_get(request.user, pk)
    response = FileResponse(
        item.evidence.open("rb"), as_attachment=True, filename=item.evidence_name
    )
    response["Content-Type"] = item.evidence_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Approvals, compliance ---------------------------------------------------------------------


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """Supervisors: self-registrations to approve. BKPSDM: also external learning to verify."""
    pending = selectors.pending_enrolments(request.user)
    external = selectors.external_to_review(request.user)
    if (
        not pending
        and not access.is_regency_admin(request.user)
        and not access.is_supervisor(request.user)
    ):
        raise Http404
    return render(
        request,
        "competency/approvals.html",
        {
            "pending": pending,
            "external": Paginator(external, 30).get_page(request.GET.get("page")),
            "is_bkpsdm": access.is_regency_admin(request.user),
            "organised": selectors.organised_sessions(request.user)[:20],
        },
    )


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    """JP compliance: regency → OPD → unit → person, people at risk, one-click nomination."""
    user = request.user
    start = selectors.compliance_scope(user)
    if start is None:
        raise Http404
    year = _year(request)
    opd_id = int_param(request.GET.get("opd"), "opd", minimum=1)
    unit_id = int_param(request.GET.get("unit"), "unit", minimum=1)
    opd = unit = None
    if unit_id:
        unit = get_object_or_404(Unit.objects.select_related("opd"), pk=unit_id)
        opd = unit.opd or unit
    elif opd_id:
        opd = get_object_or_404(Unit, pk=opd_id, parent__isnull=True)
    if start == "opd" and opd is None:
        opd = Unit.objects.filter(
            pk=user.managed_opd_id or access.headed_opd_id(user)  # type: ignore[union-attr]
        ).first()
    if start != "team" and opd is not None and not access.can_view_unit_dashboard(user, opd):
        raise Http404
    if start == "team" and (opd is not None):
        raise Http404
    data = selectors.compliance(user, year, opd=opd, unit=unit)
    page = selectors.people_page(data.people, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "competency/compliance.html",
        {
            "data": data,
            "year": year,
            "page": page,
            "querystring": query.urlencode(),
            "sessions": selectors.sessions_with_seats(),
            "start": start,
        },
    )


# --- Development plan, needs analysis -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_view(request: HttpRequest, employee_id: int | None = None) -> HttpResponse:
    user = request.user
    employee = (
        selectors.employee_get(user, employee_id) if employee_id else _employee_or_404(request)
    )
    own = employee.pk == user.employee_id  # type: ignore[union-attr]
    if not own and not services.can_nominate(user, employee):
        raise Http404
    year = _year(request)
    form = PlanItemForm(request.POST or None) if request.method == "POST" else PlanItemForm()
    if request.method == "POST":
        action = request.POST.get("aksi")
        try:
            if action == "muat":
                services.plan_refresh(employee=employee, year=year, by=user)
                messages.success(request, _("Kesenjangan dari hasil penilaian dimuat."))
            elif action == "setujui":
                plan = selectors.plan_get(employee, year)
                if plan is None:
                    raise ValidationError(_("Rencana belum ada."))
                services.plan_agree(plan=plan, by=user)
                messages.success(request, _("Rencana disetujui."))
            elif form.is_valid():
                plan = selectors.plan_get(employee, year) or services.plan_refresh(
                    employee=employee, year=year, by=user
                )
                services.plan_item_add(
                    plan=plan,
                    by=user,
                    tag=form.cleaned_data["tag"],
                    gap=form.cleaned_data["gap"],
                    programme=form.cleaned_data["programme"],
                )
                messages.success(request, _("Butir rencana ditambahkan."))
            else:
                raise ValidationError(_("Periksa isian butir rencana."))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            url = (
                reverse("competency:plan_employee", args=[employee.pk])
                if not own
                else reverse("competency:plan")
            )
            return redirect(f"{url}?tahun={year}")
    plan = selectors.plan_get(employee, year)
    return render(
        request,
        "competency/plan.html",
        {
            "employee": employee,
            "plan": plan,
            "progress": selectors.item_progress(plan) if plan else {},
            "year": year,
            "own": own,
            "form": form,
        },
    )


def _needs_reader(request: HttpRequest) -> None:
    if not access.sees_all(request.user):
        raise Http404


@login_required
def needs_view(request: HttpRequest) -> HttpResponse:
    _needs_reader(request)
    year = _year(request)
    rows = selectors.needs_analysis(year)
    return render(
        request,
        "competency/needs.html",
        {"rows": Paginator(rows, 100).get_page(request.GET.get("page")), "year": year},
    )


@login_required
def needs_xlsx(request: HttpRequest) -> HttpResponse:
    _needs_reader(request)
    year = _year(request)
    data = documents.needs_xlsx(selectors.needs_analysis(year), year)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="analisis-kebutuhan-{year}.xlsx"'
    return response
