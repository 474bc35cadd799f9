"""Small request/response helpers shared by the apps."""

from urllib.parse import quote

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

# What a refused CSRF check answers where no page can be shown: an htmx request and the JSON
# API (kinerja.core.views.csrf_failure, kinerja.api.api). The form page explains more.
CSRF_FAILED_SHORT = (
    "Kiriman ditolak karena halaman sudah terbuka terlalu lama atau cookie diblokir. Muat ulang "
    "halaman, lalu kirim lagi. Belum ada yang disimpan."
)
CSRF_FAILED_API = (
    "Pemeriksaan CSRF gagal: permintaan dengan sesi peramban harus menyertakan header "
    "X-CSRFToken berisi nilai cookie csrftoken. Program lain memakai Authorization: Bearer "
    "<token>. Tidak ada yang diubah."
)


def file_response(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def querystring_without_page(request: HttpRequest) -> str:
    """The current query string minus `page`, for pagination links that keep the filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def same_site_referer(request: HttpRequest) -> str | None:
    """The page the request came from when it is on this site (a link back), else None."""
    referer = request.headers.get("Referer", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return None


def wants_json(request: HttpRequest) -> bool:
    """Whether the request is the API's or asks for JSON (an answer not for a person's page)."""
    accept = request.headers.get("Accept", "")
    return (
        request.path.startswith("/api/")
        or request.content_type == "application/json"
        or ("application/json" in accept and "text/html" not in accept)
    )


def safe_next(request: HttpRequest, fallback: str, field: str = "next") -> str:
    """Where to go after a form: the request's `next` (POST, then GET) when it is an address on
    this site, else `fallback`. Every redirect to a client-supplied address goes through here,
    so that "//evil.example/x" or "https://evil.example/" never leaves the site, and a bare word
    ("abc") never reaches `redirect()` as a view's name."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    # A path on this site ("/skp/12/") or an address on this host. A bare word ("abc") is
    # neither: `redirect()` would look it up as a view's name and fail with a server error.
    if (
        target.startswith("/") or target.lower().startswith(("http://", "https://"))
    ) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
