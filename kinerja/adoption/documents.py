"""The activation letters: one PDF, one page per person (WeasyPrint through kinerja.core.pdf;
the QR code through kinerja.core.verification.qr_data_uri opens /aktivasi/?kode=...)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from kinerja.core.links import absolute_reverse
from kinerja.core.pdf import render_pdf
from kinerja.core.verification import qr_data_uri
from kinerja.organisation.services import regency_get_cached

from .activation import Letter


def activation_letters_pdf(letters: Sequence[Letter], *, expires_at: object) -> bytes:
    pages = [(letter, qr_data_uri(letter.url, kind="png")) for letter in letters]
    return render_pdf(
        "pdf/activation_letters.html",
        {
            "pages": pages,
            "regency": regency_get_cached(),
            "expires_at": expires_at,
            "printed_at": timezone.localtime(),
            "activation_url": absolute_reverse("adoption:activate"),
            "help_url": absolute_reverse("adoption:help_index"),
        },
    )
