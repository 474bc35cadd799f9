"""Pages of the catalogue (/kompetensi/): programmes and their sessions, registration,
nomination, cancellation and approval of an enrolment, a session's rating, the certificate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.params import int_param
from kinerja.core.pdf import pdf_response
from kinerja.organisation import access
from kinerja.organisation.choices import PositionKind
from kinerja.organisation.models import Employee

from .. import documents, selectors, services
from ..choices import TAGS, EnrolmentStatus, LearningForm, LearningKind, SessionStatus
from ..forms import DecisionForm, ProgrammeForm, RatingForm, SessionForm
from .common import _employee_or_404, _errors

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
            "has_learning": request.user.employee_id is not None,  # type: ignore[union-attr]
            "can_approve": services.can_open_approvals(request.user),
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
