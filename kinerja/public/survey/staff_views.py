"""Staff pages of the survey: paper questionnaires (grid entry, XLSX import and template), the
unit's results and its SKM report with the follow-up plan.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.http import file_response
from kinerja.core.tabular import XLSX_MIME, TableError, read_table, xlsx_bytes
from kinerja.organisation import access
from kinerja.organisation.models import Unit
from kinerja.rules.periods import Period

from .. import common, documents
from ..complaints import selectors as complaint_selectors
from ..models import FollowUpPlan, Service
from ..web import period_context, period_of_request, regency
from . import responses, selectors, services
from .charts import trend_chart
from .forms import FollowUpForm, PaperImportForm, PaperRowForm, PaperRowFormSet

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
                count = responses.responses_enter(
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
                            count = responses.responses_enter(
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
        "complaints": complaint_selectors.complaint_figures(
            scope=Q(unit__path__startswith=unit.path), start=start, end=end
        ),
        **period_context(period),
    }


@login_required
def unit_results(request: HttpRequest, pk: int) -> HttpResponse:
    unit = common.unit_for_reader(request.user, pk)
    period = period_of_request(request)
    context = _results_context(unit, period)
    can_admin = access.can_administer_public_unit(request.user, unit)
    context.update(
        can_admin=can_admin,
        follow_up_form=FollowUpForm(
            initial={"text": context["plan"].text if context["plan"] else ""}
        )
        if can_admin
        else None,
        **trend_chart(selectors.unit_scope(unit), period.year, f"trend-{unit.pk}", unit.name),
    )
    return render(request, "public/unit_results.html", context)


@login_required
@require_POST
def follow_up_save(request: HttpRequest, pk: int) -> HttpResponse:
    unit = common.unit_for_admin(request.user, pk)
    period = period_of_request(request)
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
    unit = common.unit_for_reader(request.user, pk)
    period = period_of_request(request)
    context = _results_context(unit, period)
    context.update(
        regency=regency(),
        printed=timezone.localtime(),
        **trend_chart(selectors.unit_scope(unit), period.year, "trend", unit.name),
    )
    data = documents.render_pdf("public/pdf/report.html", context)
    return file_response(data, f"laporan-skm-{unit.code}-{period.code}.pdf", "application/pdf")
