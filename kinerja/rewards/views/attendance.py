"""Pages of attendance (/tindak-lanjut/kehadiran/): the monthly file's upload (a background
import job), its template, the month's summary."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kinerja.core import importjobs
from kinerja.core.http import file_response, querystring_without_page
from kinerja.core.models import ImportJob
from kinerja.core.tabular import CSV_MIME, XLSX_MIME, csv_bytes, xlsx_bytes
from kinerja.organisation import access
from kinerja.rules.calendar import month_label

from .. import imports, selectors
from ..forms import AttendanceUploadForm
from .common import _int, _page, _year


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
    from ..models import AttendanceImport

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
