"""PDF documents rendered from HTML templates with WeasyPrint, shared by every app.

Nothing is fetched from a network: the house stylesheet (templates/pdf/base.css) is inlined by
the templates that extend templates/pdf/base.html, fonts are the system's (DejaVu Sans on Debian,
found through fontconfig; no web fonts), and only data: URLs may load (QR codes, logos).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

PDF_MIME = "application/pdf"


def render_html(template_name: str, context: dict[str, Any], *, language: str = "id") -> str:
    """The HTML of a document, in `language` whatever the request's language (official forms
    are Indonesian)."""
    with translation.override(language):
        return render_to_string(template_name, context)


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML string; only data: URLs may load."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def render_pdf(template_name: str, context: dict[str, Any], *, language: str = "id") -> bytes:
    """PDF bytes of a template (usually one extending pdf/base.html)."""
    return html_to_pdf(render_html(template_name, context, language=language))


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """A PDF answer: shown in the browser's viewer (inline) or downloaded."""
    response = HttpResponse(data, content_type=PDF_MIME)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
