"""Pages of the TPP (/tpp/): the months, calculation, review per OPD, approval and lock,
the payroll file, one's slips, the base table."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.http import file_response, querystring_without_page
from kinerja.core.tabular import XLSX_MIME, xlsx_bytes
from kinerja.organisation import access
from kinerja.organisation.models import Employee
from kinerja.rules.calendar import month_label

from .. import selectors, services
from ..choices import TppStatus
from ..forms import BaseAmountForm, CorrectionForm, MonthForm
from ..models import TppBaseAmount, TppMonth
from .common import _errors, _page

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
