"""Pages of the rewards app (/tindak-lanjut/, /tpp/, /penghargaan/). Thin: access from
organisation.access through the selectors, writes through the services; 404 outside scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core import importjobs
from kinerja.core.http import file_response, querystring_without_page
from kinerja.core.models import ImportJob
from kinerja.core.params import int_param, year_param
from kinerja.core.pdf import pdf_response, render_pdf
from kinerja.core.tabular import CSV_MIME, XLSX_MIME, csv_bytes, xlsx_bytes
from kinerja.core.verification import qr_data_uri, verification_url
from kinerja.organisation import access
from kinerja.organisation.models import Employee, Unit
from kinerja.rules.calendar import month_label

from . import imports, selectors, services
from .choices import Action, RecommendationStatus, TppStatus
from .forms import (
    AttendanceUploadForm,
    BaseAmountForm,
    CorrectionForm,
    DecideForm,
    DisciplineForm,
    MonthForm,
    OutcomeForm,
    RuleForm,
    SessionForm,
)
from .models import FollowUpRule, TppBaseAmount, TppMonth


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _int(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    value = int_param(request.GET.get(name), name, default=default, minimum=low, maximum=high)
    return default if value is None else value


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("tahun"), strict=True)


def _page(request: HttpRequest, items, per_page: int = 25):  # type: ignore[no-untyped-def]
    return Paginator(items, per_page).get_page(request.GET.get("page"))


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


@login_required
@require_http_methods(["GET", "POST"])
def attendance_import(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_rewards(request.user):
        raise Http404
    form = AttendanceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            form.add_error("file", "Berkas terlalu besar (maksimal 25 MB).")
        else:
            # Checked and applied by the task worker (kinerja.core.importjobs): a month of the
            # regency's fingerprint rows takes a while, and nobody else may wait for it.
            job = importjobs.import_request(
                kind="rewards.attendance",
                data=upload.read(),
                filename=upload.name,
                user=request.user,
                params={"back": reverse("rewards:attendance_import")},
            )
            return redirect("core:import_status", pk=job.pk)
    from .models import AttendanceImport

    jobs = ImportJob.objects.filter(requested_by=request.user, kind="rewards.attendance")
    return render(
        request,
        "rewards/attendance_import.html",
        {
            "form": form,
            "columns": imports.COLUMNS,
            "jobs": jobs.defer("journal", "errors")[:10],
            "recent": AttendanceImport.objects.select_related("uploaded_by")[:10],
        },
    )


@login_required
def attendance_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if not access.can_manage_rewards(request.user) or fmt not in {"xlsx", "csv"}:
        raise Http404
    headers, rows = imports.template_rows()
    if fmt == "csv":
        return file_response(csv_bytes(headers, rows), "templat-kehadiran.csv", CSV_MIME)
    data = xlsx_bytes([("Kehadiran", headers, rows)])
    return file_response(data, "templat-kehadiran.xlsx", XLSX_MIME)


@login_required
def attendance_summary(request: HttpRequest) -> HttpResponse:
    """Rekap kehadiran bulanan per pegawai (scoped like the employees)."""
    if not access.can_view_rewards_admin(request.user):
        raise Http404
    today = timezone.localdate()
    year = _year(request)
    month = _int(request, "bulan", today.month, 1, 12)
    rows = selectors.attendance_months_visible_to(request.user, year, month)
    return render(
        request,
        "rewards/attendance_summary.html",
        {
            "page": _page(request, rows, 50),
            "querystring": querystring_without_page(request),
            "year": year,
            "month": month,
            "label": month_label(year, month),
            "months": range(1, 13),
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


# --- TPP ---


@login_required
def tpp_overview(request: HttpRequest) -> HttpResponse:
    """The TPP months, and (BKPSDM) calculating a month."""
    if not access.can_view_rewards_admin(request.user):
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "rewards/tpp_overview.html",
        {
            "months": TppMonth.objects.all()[:36],
            "can_manage": access.can_manage_rewards(request.user),
            "form": MonthForm(initial={"year": today.year, "month": today.month}),
        },
    )


@login_required
@require_POST
def tpp_calculate(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_rewards(request.user):
        raise Http404
    form = MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tahun atau bulan tidak valid.")
        return redirect("rewards:tpp_overview")
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    try:
        tpp_month = services.tpp_calculate(year=year, month=month, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("rewards:tpp_overview")
    messages.success(
        request,
        f"TPP {month_label(year, month)} dihitung: {tpp_month.lines.count()} pegawai, "
        f"{len(tpp_month.skipped)} belum dapat dihitung.",
    )
    return redirect("rewards:tpp_month", year=year, month=month)


@login_required
@require_http_methods(["GET", "POST"])
def tpp_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """One month per OPD; BKPSDM approves and locks."""
    if not access.can_view_rewards_admin(request.user):
        raise Http404
    tm = selectors.tpp_month_get(year, month)
    can_manage = access.can_manage_rewards(request.user)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        step = request.POST.get("langkah")
        try:
            if step == "setujui":
                services.tpp_approve(tpp_month=tm, by=request.user)
                messages.success(request, "TPP disetujui.")
            elif step == "kunci":
                services.tpp_lock(tpp_month=tm, by=request.user)
                messages.success(request, "TPP dikunci; tidak dapat diubah lagi.")
            elif step == "koreksi":
                correction = CorrectionForm(request.POST)
                if not correction.is_valid():
                    for errors in correction.errors.values():
                        for error in errors:
                            messages.error(request, error)
                else:
                    data = correction.cleaned_data
                    employee = Employee.objects.filter(nip=data["nip"].replace(" ", "")).first()
                    if employee is None:
                        messages.error(request, "NIP tidak ditemukan.")
                    else:
                        services.tpp_correction_add(
                            tpp_month=tm,
                            employee=employee,
                            corrects=data["corrects"],
                            amount=data["amount"],
                            reason=data["reason"],
                            by=request.user,
                        )
                        messages.success(request, "Baris koreksi dicatat.")
            else:
                messages.error(request, "Langkah tidak dikenal.")
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("rewards:tpp_month", year=year, month=month)
    opds = selectors.tpp_month_opds(tm, request.user)
    skipped = tm.skipped if can_manage or access.sees_all(request.user) else []
    return render(
        request,
        "rewards/tpp_month.html",
        {
            "tm": tm,
            "label": month_label(year, month),
            "opds": opds,
            "grand_total": sum(o.total for o in opds),
            "skipped": skipped[:100],
            "skipped_count": len(skipped),
            "can_manage": can_manage,
            "statuses": TppStatus,
            "correction_form": CorrectionForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def tpp_opd(request: HttpRequest, year: int, month: int, opd_id: int) -> HttpResponse:
    """An OPD's lines of a month, with every component; the OPD marks them reviewed."""
    opd = selectors.opd_get_for_tpp(user=request.user, opd_id=opd_id)
    tm = selectors.tpp_month_get(year, month)
    can_review = access.can_review_tpp_opd(request.user, opd.pk)
    if request.method == "POST":
        if not can_review:
            raise Http404
        try:
            services.tpp_review_opd(
                tpp_month=tm, opd=opd, by=request.user, note=request.POST.get("note", "")
            )
            messages.success(request, "TPP OPD ditandai sudah diperiksa.")
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("rewards:tpp_opd", year=year, month=month, opd_id=opd.pk)
    lines = tm.lines.filter(opd=opd).select_related("employee").order_by("employee__name", "id")
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        lines = lines.filter(employee__name__icontains=query)
    return render(
        request,
        "rewards/tpp_opd.html",
        {
            "tm": tm,
            "opd": opd,
            "label": month_label(year, month),
            "page": _page(request, lines, 50),
            "querystring": querystring_without_page(request),
            "q": query,
            "review": tm.reviews.filter(opd=opd).select_related("reviewed_by").first(),
            "can_review": can_review and tm.status == TppStatus.CALCULATED,
        },
    )


PAYROLL_HEADERS = [
    "NIP",
    "Nama",
    "Unit kerja",
    "Jabatan",
    "Kelas",
    "Jenis baris",
    "Besaran dasar",
    "Predikat",
    "Periode predikat",
    "Faktor kinerja (%)",
    "Bagian kinerja",
    "Terlambat (kali)",
    "Pulang cepat (kali)",
    "Tanpa rekam (hari)",
    "Tanpa keterangan (hari)",
    "Faktor disiplin (%)",
    "Bagian disiplin",
    "Jumlah kotor",
    "Potongan hukuman (%)",
    "Dasar potongan",
    "Jumlah potongan",
    "TPP diterima",
    "Penjelasan",
]


@login_required
def tpp_payroll(request: HttpRequest, year: int, month: int, opd_id: int) -> HttpResponse:
    """Daftar pembayaran TPP of one OPD (XLSX) with the whole breakdown."""
    opd = selectors.opd_get_for_tpp(user=request.user, opd_id=opd_id)
    tm = selectors.tpp_month_get(year, month)
    rows = []
    for line in tm.lines.filter(opd=opd).select_related("employee").order_by("employee__name"):
        a = line.attendance
        rows.append(
            [
                line.employee.nip,
                line.employee.full_name,
                line.unit_name,
                line.position_name,
                line.kelas,
                line.get_kind_display(),
                int(line.base),
                line.predikat,
                line.predikat_period,
                float(line.performance_factor * 100),
                float(line.performance_part),
                len([m for m in a.get("late", []) if m]),
                len([m for m in a.get("early", []) if m]),
                a.get("missing", 0),
                a.get("unexcused", 0),
                float(line.discipline_factor),
                float(line.discipline_part),
                float(line.gross),
                float(line.cut_percent),
                line.cut_source,
                float(line.cut_amount),
                int(line.total),
                line.explanation,
            ]
        )
    data = xlsx_bytes([(f"TPP {month:02d}-{year}", PAYROLL_HEADERS, rows)])
    name = f"tpp-{year}-{month:02d}-{opd.code.lower()}.xlsx"
    return file_response(data, name, XLSX_MIME)


@login_required
def tpp_my(request: HttpRequest) -> HttpResponse:
    """The employee's own TPP slips."""
    if request.user.employee_id is None:
        raise Http404
    lines = (
        selectors.tpp_lines_visible_to(request.user)
        .filter(employee_id=request.user.employee_id)
        .order_by("-tpp_month__year", "-tpp_month__month", "id")
    )
    return render(request, "rewards/tpp_my.html", {"page": _page(request, lines, 24)})


@login_required
def tpp_slip(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.tpp_line_get_for_user(user=request.user, pk=pk)
    recomputed = None
    if line.kind == "reguler":
        recomputed = services.recompute_line(line)
    return render(
        request,
        "rewards/tpp_slip.html",
        {
            "line": line,
            "label": month_label(line.tpp_month.year, line.tpp_month.month),
            "late": [m for m in line.attendance.get("late", []) if m],
            "early": [m for m in line.attendance.get("early", []) if m],
            "reproducible": recomputed is None or recomputed.total == line.total,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def tpp_base(request: HttpRequest) -> HttpResponse:
    """The base amount table by kelas jabatan (effective-dated; BKPSDM edits)."""
    if not access.can_view_rewards_admin(request.user):
        raise Http404
    can_manage = access.can_manage_rewards(request.user)
    form = BaseAmountForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                services.tpp_base_set(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, "Besaran dasar TPP disimpan.")
                return redirect("rewards:tpp_base")
    today = timezone.localdate()
    return render(
        request,
        "rewards/tpp_base.html",
        {
            "rows": TppBaseAmount.objects.select_related("set_by").order_by(
                "kelas", "-effective_from"
            ),
            "in_force": services.bases_on(today),
            "form": form,
            "can_manage": can_manage,
        },
    )


# --- Recognition ---


@login_required
def recognition_wall(request: HttpRequest) -> HttpResponse:
    """Dinding penghargaan: recognitions whose holders agreed to appear; the user's own with the
    consent switch."""
    own = []
    if request.user.employee_id:
        from .models import Recognition

        own = list(Recognition.objects.filter(employee_id=request.user.employee_id))
    return render(
        request,
        "rewards/recognition_wall.html",
        {"wall": selectors.recognitions_on_wall(), "own": own},
    )


@login_required
@require_POST
def recognition_consent(request: HttpRequest, pk: int) -> HttpResponse:
    from .models import Recognition

    recognition = Recognition.objects.filter(
        pk=pk, employee_id=request.user.employee_id or -1
    ).first()
    if recognition is None:
        raise Http404
    services.recognition_consent(
        recognition=recognition, by=request.user, consent=request.POST.get("setuju") == "ya"
    )
    messages.success(request, "Persetujuan tampil di dinding penghargaan disimpan.")
    return redirect("rewards:recognition_wall")


@login_required
def recognition_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    recognition = selectors.recognition_get_for_user(user=request.user, pk=pk)
    if recognition.kind != "piagam":
        raise Http404
    document = services.piagam_issue(recognition=recognition, by=request.user)
    url = verification_url(document.code)
    data = render_pdf(
        "rewards/pdf/piagam.html",
        {"r": recognition, "code": document.code, "url": url, "qr": qr_data_uri(url)},
    )
    return pdf_response(data, f"piagam-{recognition.employee.nip}-{recognition.year}.pdf")


@login_required
def satyalancana(request: HttpRequest) -> HttpResponse:
    if not access.can_view_rewards_admin(request.user):
        raise Http404
    year = _year(request)
    rows = selectors.satyalancana_candidates(request.user, year)
    return render(
        request,
        "rewards/satyalancana.html",
        {"rows": rows, "year": year, "page": _page(request, rows, 50)},
    )


@login_required
def asn_berprestasi(request: HttpRequest) -> HttpResponse:
    if not access.can_view_rewards_admin(request.user):
        raise Http404
    year = _year(request)
    opds = Unit.objects.filter(parent__isnull=True).order_by("name")
    if not access.sees_all(request.user):
        opds = opds.filter(pk=request.user.managed_opd_id)
    opd_id = _int(request, "opd", 0, 0, 2**31 - 1)
    opd = opds.filter(pk=opd_id).first() if opd_id else opds.first()
    rows = selectors.asn_berprestasi_ranking(opd, year) if opd else []
    return render(
        request,
        "rewards/asn_berprestasi.html",
        {"opds": opds, "opd": opd, "rows": rows, "year": year},
    )
