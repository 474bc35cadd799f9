"""Official documents of an assessment: the evaluation document as PDF (PermenPANRB 6/2022
layout: header with the organisation's predikat and its distribution curve, hasil kerja, ratings,
predikat, signatures, and a QR code to the public verification page) and XLSX recaps."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from kinerja.core.links import absolute_reverse
from kinerja.core.pdf import render_pdf
from kinerja.core.tabular import xlsx_bytes
from kinerja.organisation.services import regency_get_cached
from kinerja.rules import berakhlak
from kinerja.rules.enums import Predikat, Rating

from . import charts, selectors
from .models import Assessment


def verification_url(assessment: Assessment, request: HttpRequest | None = None) -> str:
    """The public verification page printed (and QR-coded) on the document: on SITE_URL, never
    on the host the PDF happened to be downloaded from (`request` is kept for callers)."""
    return absolute_reverse("assessment:verify", assessment.code)


def qr_data_uri(payload: str) -> str:
    """The QR code of `payload` as an embedded SVG (segno), never fetched."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="svg", scale=4, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _label(enum: type, value: str) -> str:
    return enum(value).label if value else "-"


def evaluation_context(
    assessment: Assessment, request: HttpRequest | None = None
) -> dict[str, Any]:
    period = assessment.period_obj
    dist = selectors.distributions([assessment.opd_id], period)[assessment.opd_id]
    url = verification_url(assessment, request)
    values = [
        (v.number, v.name, _label(Rating, assessment.behaviour.get(v.code, "")))
        for v in berakhlak.VALUES
    ]
    objection = assessment.objections.first()
    return {
        "a": assessment,
        "period": period,
        "regency": regency_get_cached(),
        "employee": assessment.employee_snapshot,
        "assessor": assessment.assessor_snapshot
        or {"name": "Pimpinan Daerah", "nip": "-", "position": "Kepala Daerah"},
        "opd_name": assessment.opd.name,
        "dist": dist,
        "chart": charts.distribution_svg(dist, width=480, height=170),
        "rows": assessment.snapshot.get("rows", []),
        "values": values,
        "hasil": _label(Rating, assessment.hasil),
        "perilaku": _label(Rating, assessment.perilaku),
        "predikat": _label(Predikat, assessment.predikat),
        "suggested_hasil": _label(Rating, assessment.suggested_hasil),
        "suggested_perilaku": _label(Rating, assessment.suggested_perilaku),
        "objection": objection,
        "verify_url": url,
        "qr": qr_data_uri(url),
        "generated_at": timezone.localtime().strftime("%d-%m-%Y %H:%M"),
        "place_date": timezone.localdate(assessment.finalised_at).strftime("%d-%m-%Y")
        if assessment.finalised_at
        else "",
    }


def evaluation_pdf(assessment: Assessment, request: HttpRequest | None = None) -> bytes:
    return render_pdf("pdf/assessment.html", evaluation_context(assessment, request))


RECAP_HEADERS = [
    "No",
    "NIP",
    "Nama",
    "Jabatan",
    "Unit kerja",
    "OPD",
    "Pejabat penilai",
    "Capaian (%)",
    "Saran hasil kerja",
    "Rating hasil kerja",
    "Saran perilaku",
    "Rating perilaku kerja",
    "Predikat",
    "Angka kredit",
    "Status",
    "Keberatan",
]


def recap_xlsx(assessments: Iterable[Assessment], period: Any, scope: str) -> bytes:
    """Recap of assessments (per unit, per OPD or for the regency) as one XLSX sheet, plus a
    sheet with the predikat counts."""
    rows = []
    counts: dict[str, int] = {p.label: 0 for p in Predikat}
    qs = (
        assessments.select_related("employee", "employee__position", "unit", "opd", "assessor")
        .prefetch_related("objections")
        .order_by("opd__name", "unit__path", "employee__name")
    )
    for n, a in enumerate(qs, start=1):
        objection = next(iter(a.objections.all()), None)
        if a.predikat:
            counts[Predikat(a.predikat).label] += 1
        rows.append(
            [
                n,
                a.employee.nip,
                a.employee.full_name,
                a.employee.position.name,
                a.unit.name,
                a.opd.name,
                a.assessor.full_name if a.assessor_id else "Pimpinan Daerah",
                float(a.capaian) if a.capaian is not None else None,
                _label(Rating, a.suggested_hasil),
                _label(Rating, a.hasil),
                _label(Rating, a.suggested_perilaku),
                _label(Rating, a.perilaku),
                _label(Predikat, a.predikat),
                float(a.angka_kredit) if a.angka_kredit is not None else None,
                a.get_status_display(),
                objection.get_status_display() if objection else "",
            ]
        )
    summary = [[label, count] for label, count in counts.items()]
    return xlsx_bytes(
        [
            (f"Rekap {period.code}"[:31], RECAP_HEADERS, rows),
            ("Sebaran predikat", [f"{scope} — {period.label}", "Jumlah pegawai"], summary),
        ]
    )
