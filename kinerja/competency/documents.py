"""The certificate of a completed session (PDF through kinerja.core.pdf, with the QR code of
the one public verification page, kinerja.core.verification) and the needs analysis XLSX."""

from __future__ import annotations

from django.utils import timezone

from kinerja.core.pdf import render_pdf
from kinerja.core.tabular import xlsx_bytes
from kinerja.core.verification import qr_data_uri, verification_url
from kinerja.organisation.services import regency_get_cached

from .models import Enrolment
from .selectors import NeedRow
from .services import certificate_issue


def certificate_pdf(enrolment: Enrolment) -> bytes:
    document = certificate_issue(enrolment, None)  # idempotent: a reprint keeps its code
    url = verification_url(document.code)
    session = enrolment.session
    return render_pdf(
        "pdf/competency_certificate.html",
        {
            "e": enrolment,
            "session": session,
            "programme": session.programme,
            "employee": enrolment.employee,
            "regency": regency_get_cached(),
            "code": document.code,
            "verify_url": url,
            "qr": qr_data_uri(url),
            "issued": timezone.localdate(enrolment.completed_at or timezone.now()),
        },
    )


NEEDS_HEADERS = ["No", "OPD", "Kompetensi", "Jumlah pegawai"]


def needs_xlsx(rows: list[NeedRow], year: int) -> bytes:
    body = [[i, r.opd, r.tag, r.people] for i, r in enumerate(rows, start=1)]
    return xlsx_bytes([(f"Kebutuhan {year}", NEEDS_HEADERS, body)])
