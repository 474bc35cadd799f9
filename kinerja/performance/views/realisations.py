"""Realisations: the month grid, review and reopening, evidence, and the year's realisations
from the filled XLSX template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.calendar import month_deadline, months_started
from kinerja.core.numbers import format_number, input_number
from kinerja.organisation import access
from kinerja.rules.calendar import MONTHS

from .. import selectors, services
from ..forms import EvidenceForm, RealisationGridFormSet
from ._shared import act, assessed_plan, back_to_plan, error_messages, owned_plan

# --- Realisations ------------------------------------------------------------------------


def _htmx_target(request: HttpRequest) -> str | None:
    """The id of the element an htmx request will swap (HX-Target), None for a plain request."""
    htmx = getattr(request, "htmx", None)
    return htmx.target if htmx and not htmx.boosted else None


@login_required
@require_http_methods(["GET", "POST"])
def realisation_grid(request: HttpRequest, pk: int, month: int) -> HttpResponse:
    """All indicators of one month on one screen; saved together (all rows or none)."""
    plan = selectors.plan_get_for_user(user=request.user, plan_id=pk, with_unit=False)
    if not 1 <= month <= 12:
        raise Http404
    owner = access.is_plan_owner(request.user, plan)
    errors: dict[int, str] = {}
    submitted: dict[int, str] = {}
    narratives: dict[int, str] = {}
    indicators = None
    realisations = None
    stale: list[services.RealisationInput] = []
    # The page's own form posted with htmx (the browser's usual way, templates' hx-post): the
    # answer is the updated page's <main> with its message, at once, instead of a redirect and
    # a second request for the page. A plain form post keeps POST/redirect/GET.
    in_place = request.method == "POST" and _htmx_target(request) == "main"
    if request.method == "POST":
        if not owner:
            raise Http404
        # Saving needs only the indicators, not the year's figures.
        grid = RealisationGridFormSet(request.POST, indicators=selectors.plan_indicators(plan))
        indicators = grid.indicators  # the page shown next reads them no more
        if grid.is_valid():
            try:
                saved = services.realisation_save_month(
                    plan=plan,
                    month=month,
                    by=request.user,
                    rows=grid.inputs(),
                    indicators=indicators,
                )
            except services.StaleRealisation:
                # Another tab or device saved this month since the page was opened: nothing is
                # saved, the typed values are shown again, except in the rows changed elsewhere,
                # which show what is stored now with the typed value beside (_changed_elsewhere).
                submitted, narratives = grid.submitted()
                stale = grid.inputs()
            except ValidationError as exc:
                error_messages(request, exc)
                submitted, narratives = grid.submitted()  # shown again as typed
            else:
                messages.success(request, _("Realisasi %(m)s disimpan.") % {"m": MONTHS[month - 1]})
                if not in_place:
                    return redirect("performance:realisation_grid", pk=plan.pk, month=month)
                if saved.year is not None:  # the year as the save committed it: not read again
                    realisations = saved.year.realisations
        else:
            errors = grid.row_errors()
            submitted, narratives = grid.submitted()
            messages.error(request, _("Periksa isian yang ditandai; belum ada yang disimpan."))
    view = selectors.realisation_grid_view(
        plan, month, indicators=indicators, realisations=realisations
    )
    rows = view.all_progress
    if stale:
        errors = _changed_elsewhere(stale, rows, month, submitted, narratives)
        told = _(
            "Realisasi bulan ini telah diubah di tempat lain sejak halaman ini dibuka; perubahan "
            "Anda belum disimpan."
        )
        if errors:
            told += " " + _(
                "Baris yang ditandai kini berisi nilai yang tersimpan, dengan nilai di halaman "
                "Anda tadi di bawahnya: periksa, lalu simpan lagi."
            )
        else:
            told += " " + _("Periksa isian Anda, lalu simpan lagi.")
        messages.error(request, told)
    deadline = month_deadline(plan.year, month)
    return render(
        request,
        "performance/realisation_grid.html",
        {
            "base_template": "base/main.html" if in_place else "base/base.html",
            "plan": plan,
            "month": month,
            "month_name": MONTHS[month - 1],
            "rows": rows,
            "is_owner": owner,
            "is_assessor": access.is_plan_assessor(request.user, plan),
            "errors": errors,
            "submitted": submitted,
            "narratives": narratives,
            "view": view,
            "deadline": deadline,
            "past_deadline": timezone.now() > deadline,
            "months": list(enumerate(MONTHS, start=1))[: max(view.months_elapsed, 0)],
            "can_comment": access.can_comment_on_plan(request.user, plan),
            "open": plan.accepts_realisations,
        },
    )


def _changed_elsewhere(
    typed: list[services.RealisationInput],
    rows: Any,
    month: int,
    submitted: dict[int, str],
    narratives: dict[int, str],
) -> dict[int, str]:
    """The rows whose stored month changed after the page showed it (another revision) and
    differs from what was typed: the box shows what is stored now and the row's message what
    was typed, so that saving again without reading keeps the other save's values rather than
    overwriting them unseen (the page shows the new revision). Per indicator id: the message."""
    stored = {p.indicator.pk: p.by_month.get(month) for p in rows}
    changed: dict[int, str] = {}
    for row in typed:
        pk, current = row.indicator.pk, stored.get(row.indicator.pk)
        if current is None or current.revision == row.revision:
            continue
        if current.value == row.value and current.narrative == row.narrative.strip():
            continue
        submitted[pk], narratives[pk] = input_number(current.value), current.narrative
        # "On your page", not "typed": the row may be one the person never touched, still
        # showing the value it was opened with.
        text = _(
            "Baris ini telah diubah di tempat lain; kotak kini berisi nilai yang tersimpan. "
            "Nilai di halaman Anda tadi (belum disimpan): %(v)s %(u)s"
        ) % {"v": format_number(row.value), "u": row.indicator.unit_of_measure}
        if row.narrative.strip():
            text = text.strip() + _(", uraian “%(n)s”") % {"n": row.narrative.strip()}
        changed[pk] = text.strip() + "."
    return changed


@login_required
@require_POST
def realisation_review(request: HttpRequest, pk: int, month: int) -> HttpResponse:
    plan = assessed_plan(request, pk)
    act(
        request,
        lambda: services.realisation_review(plan=plan, month=month, by=request.user),
        lambda count: _("%(n)d realisasi ditandai sudah diperiksa.") % {"n": count},
    )
    return redirect("performance:realisation_grid", pk=plan.pk, month=month)


@login_required
@require_POST
def realisation_reopen(request: HttpRequest, realisation_id: int) -> HttpResponse:
    realisation = selectors.realisation_get_for_user(
        user=request.user, realisation_id=realisation_id
    )
    plan = realisation.indicator.rhk.plan
    if not access.is_plan_assessor(request.user, plan):
        raise Http404
    try:
        services.realisation_reopen(realisation=realisation, by=request.user)
        messages.success(request, _("Realisasi dibuka kembali untuk diubah pegawai."))
    except ValidationError as exc:
        error_messages(request, exc)
    return redirect("performance:realisation_grid", pk=plan.pk, month=realisation.month)


@login_required
@require_POST
def evidence_add(request: HttpRequest, realisation_id: int) -> HttpResponse:
    realisation = selectors.realisation_get_for_user(
        user=request.user, realisation_id=realisation_id
    )
    plan = realisation.indicator.rhk.plan
    if not access.is_plan_owner(request.user, plan):
        raise Http404
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            upload = form.cleaned_data.get("file")
            if upload:
                if upload.size > 10 * 1024 * 1024:
                    raise ValidationError(_("Berkas terlalu besar (maksimal 10 MB)."))
                services.evidence_add_file(
                    realisation=realisation, by=request.user, name=upload.name, data=upload.read()
                )
            else:
                services.evidence_add_link(
                    realisation=realisation, by=request.user, url=form.cleaned_data["url"]
                )
            messages.success(request, _("Bukti ditambahkan."))
        except ValidationError as exc:
            error_messages(request, exc)
    return redirect(
        reverse("performance:realisation_grid", args=[plan.pk, realisation.month])
        + f"#ind-{realisation.indicator_id}"
    )


@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    item = selectors.evidence_get_for_user(user=request.user, evidence_id=evidence_id)
    if item.kind != "file":
        return redirect(item.url)
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=item.content_type not in {"application/pdf", "image/png", "image/jpeg"},
        filename=item.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    return response


@login_required
@require_POST
def evidence_delete(request: HttpRequest, evidence_id: int) -> HttpResponse:
    item = selectors.evidence_get_for_user(user=request.user, evidence_id=evidence_id)
    realisation = item.realisation
    if not access.is_plan_owner(request.user, realisation.indicator.rhk.plan):
        raise Http404
    act(request, lambda: services.evidence_delete(item=item, by=request.user), _("Bukti dihapus."))
    return redirect(
        "performance:realisation_grid",
        pk=realisation.indicator.rhk.plan_id,
        month=realisation.month,
    )


# --- Spreadsheet imports -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def realisation_import(request: HttpRequest, pk: int) -> HttpResponse:
    """A year of realisations from the filled XLSX template (the plan's owner only)."""
    from .. import imports

    plan = owned_plan(request, pk)
    form = imports.UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = imports.realisation_import(
            plan=plan, by=request.user, data=upload.read(), filename=upload.name
        )
        if result.ok:
            messages.success(request, result.summary())
            return back_to_plan(plan, "#hasil-kerja")
    return render(
        request,
        "performance/realisation_import.html",
        {
            "plan": plan,
            "form": form,
            "result": result,
            "open": imports.realisations_open(plan),
            "month_name": MONTHS[months_started(plan.year) - 1]
            if months_started(plan.year)
            else "",
        },
    )


@login_required
def realisation_template(request: HttpRequest, pk: int) -> HttpResponse:
    from kinerja.core.http import file_response
    from kinerja.core.tabular import XLSX_MIME

    from .. import imports

    plan = owned_plan(request, pk)
    nip = plan.employee.nip
    return file_response(
        imports.realisation_template(plan), f"realisasi-skp-{plan.year}-{nip}.xlsx", XLSX_MIME
    )
