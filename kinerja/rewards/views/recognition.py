"""Pages of recognition (/penghargaan/): the wall and one's consent, the Piagam's PDF,
Satyalancana and ASN Berprestasi candidates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kinerja.core.pdf import pdf_response, render_pdf
from kinerja.core.verification import qr_data_uri, verification_url
from kinerja.organisation import access
from kinerja.organisation.models import Unit

from .. import selectors, services
from .common import _int, _page, _year

# --- Recognition ---


@login_required
def recognition_wall(request: HttpRequest) -> HttpResponse:
    """Dinding penghargaan: recognitions whose holders agreed to appear; the user's own with the
    consent switch."""
    own = []
    if request.user.employee_id:
        from ..models import Recognition

        own = list(Recognition.objects.filter(employee_id=request.user.employee_id))
    return render(
        request,
        "rewards/recognition_wall.html",
        {"wall": selectors.recognitions_on_wall(), "own": own},
    )


@login_required
@require_POST
def recognition_consent(request: HttpRequest, pk: int) -> HttpResponse:
    from ..models import Recognition

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
