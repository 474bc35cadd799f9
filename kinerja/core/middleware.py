import ipaddress
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render, resolve_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.log import log_response
from django.views import defaults
from django_htmx.http import HttpResponseClientRedirect

from .audit import current_ip

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(entries: Sequence[str]) -> tuple[IPNetwork, ...]:
    """The networks of the TRUSTED_PROXIES setting (addresses or CIDR blocks)."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.9:51234"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for rate limits, lockouts and the audit trail.

    The direct peer (REMOTE_ADDR) is the client unless it is one of the TRUSTED_PROXIES (a
    comma-separated setting of addresses and CIDR blocks, empty by default). Only then is
    X-Forwarded-For read, from the right: each trusted proxy appends the address it received
    the request from, so the right-most address that is not a trusted proxy is the client, and
    whatever a client wrote into the header itself (to the left) is never believed.

    uvicorn must not rewrite the peer itself (it trusts X-Forwarded-For from 127.0.0.1 by
    default): run it with --no-proxy-headers (bin/run-dev and README do).
    """
    peer = request.META.get("REMOTE_ADDR") or None
    networks = trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if peer is None or not networks:
        return peer
    peer_address = _address(peer)
    if peer_address is None or not any(peer_address in n for n in networks):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = peer
    for entry in reversed(forwarded.split(",")):
        address = _address(entry)
        if address is None:  # garbage: nothing to its left can be trusted either
            break
        client = str(address)
        if not any(address in n for n in networks):
            return client
    return client


class RequestContextMiddleware:
    """Makes the client IP available to the audit trail for the duration of a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class HtmxLoginRedirectMiddleware:
    """An htmx request answered with a redirect to the login page (the session ended while the
    page stayed open: a logout in another tab, an expiry, a deactivated account) sends the
    whole page to the login page (`HX-Redirect`), instead of letting htmx follow the redirect
    and swap the login page into a table row, a status panel or a form.

    The login page's `next` is the page the browser shows (`HX-Current-URL`), not the
    fragment's address, so that signing in again returns to the page. A boosted link keeps its
    own `next`: it was a navigation to that page anyway."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") != "true"
            or response.status_code not in (301, 302, 303, 307, 308)
            or "Location" not in response
        ):
            return response
        location = response["Location"]
        login = resolve_url(settings.LOGIN_URL)
        if urlsplit(location).path != urlsplit(login).path:
            return response
        current = request.headers.get("HX-Current-URL", "")
        if request.headers.get("HX-Boosted") != "true" and url_has_allowed_host_and_scheme(
            current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            parts = urlsplit(current)
            page = parts.path + (f"?{parts.query}" if parts.query else "")
            if page.startswith("/") and not page.startswith("//"):
                location = f"{urlsplit(login).path}?{urlencode({REDIRECT_FIELD_NAME: page})}"
        redirect = HttpResponseClientRedirect(location)
        redirect.cookies = response.cookies  # e.g. a session cookie deleted on the way
        return redirect


class LanguageMiddleware(LocaleMiddleware):
    """Indonesian unless the user chose another language with the switcher (its cookie).

    Django's LocaleMiddleware also follows the browser's Accept-Language: a civil servant whose
    phone is set to English then got Django's own messages ("This field is required.") in
    English amid an Indonesian interface. The interface speaks Indonesian; English is opt-in."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class FriendlyErrorsMiddleware:
    """With DEBUG on (`make run`, the pilots' setup), answer a missing page or an error with
    Kinerja's own Indonesian 404/500 pages instead of Django's English technical pages, which
    list every URL of the application. The traceback of an error still goes to the console.

    Without DEBUG, Django already renders templates/404.html and 500.html; this does nothing.
    FRIENDLY_ERROR_PAGES=0 turns it off for a developer who wants the technical pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def active() -> bool:
        return settings.DEBUG and getattr(settings, "FRIENDLY_ERROR_PAGES", True)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No view matched: Django answered with its technical 404 (the URL list). Views' own
        # 404 answers (e.g. the API's JSON) pass untouched: they have a resolver match.
        if (
            response.status_code == 404
            and self.active()
            and getattr(request, "resolver_match", None) is None
        ):
            return defaults.page_not_found(request, Http404(request.path))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not self.active():
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return defaults.permission_denied(request, exception)
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return defaults.bad_request(request, exception)
        response = defaults.server_error(request)
        log_response(
            "%s: %s",
            "Internal Server Error",
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response


NUL_REFUSED = (
    "Isian berisi karakter kosong (NUL) yang tidak dapat disimpan. Hapus karakter tersebut, "
    "misalnya dengan mengetik ulang teks yang disalin, lalu kirim lagi. Belum ada yang disimpan."
)


UPLOAD_UNREAD = (
    "Berkas yang diunggah tidak dapat dibaca: nama berkasnya memuat karakter yang tidak "
    "dikenali. Ganti nama berkas dengan huruf, angka, tanda hubung atau garis bawah saja, lalu "
    "unggah lagi. Belum ada yang disimpan."
)
# What a multipart body may carry beyond the fields and files Django read: the boundaries and
# part headers (about 100 to 200 bytes a part, with the boundary line) and the parts a browser
# sends that Django drops on purpose (a file input left empty). A dropped part larger than this
# is a file that Django's parser could not read (below).
UPLOAD_SLACK_BYTES = 4096
UPLOAD_PART_BYTES = 300


def _unread_upload(request: HttpRequest) -> bool:
    """Whether Django's multipart parser left a part of this body unread. It skips a part whose
    headers are not UTF-8 (a file name written in another encoding by a non-browser client;
    browsers send UTF-8) without a word: the file would vanish and the form would say that no
    file was chosen, or save without it. The body's length is compared with what was read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    boundary = len(request.content_params.get("boundary", ""))
    read = parts = 0
    for key, values in request.POST.lists():
        for value in values:
            read, parts = read + len(key.encode()) + len(value.encode()), parts + 1
    for key, files in request.FILES.lists():
        for upload in files:
            name = upload.name or ""
            read, parts = read + len(key.encode()) + len(name.encode()) + upload.size, parts + 1
    slack = UPLOAD_SLACK_BYTES + parts * (UPLOAD_PART_BYTES + boundary)
    return length - read > slack


def _has_nul(values: Any) -> bool:
    return any("\x00" in value for key in values for value in values.getlist(key)) or any(
        "\x00" in key for key in values
    )


class RefuseNulBytesMiddleware:
    """Refuse text with NUL characters (U+0000) on every form, query string and JSON body
    before any view sees it: PostgreSQL cannot store them in text (a 500), SQLite stores them
    silently, and no person types one. The answer is the same 400 on both databases, and
    nothing is written. Uploaded files are not text and are not inspected; but a form whose
    file Django's parser could not read (its name not in UTF-8) is refused the same way, with
    its own message, rather than handled as if no file was chosen (_unread_upload)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._refused(request)
        if refused:
            message = str(translation.gettext(refused))
            if request.content_type == "application/json" or request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)

    @staticmethod
    def _refused(request: HttpRequest) -> str:
        """Why the request is refused ("" when it is not)."""
        if "\x00" in request.path or _has_nul(request.GET):
            return NUL_REFUSED
        if request.method not in {"POST", "PUT", "PATCH"}:
            return ""
        # The API reads its bodies itself (JSON): reading them here as a form would leave
        # django-ninja nothing to read (RawPostDataException, a server error), so a form sent to
        # the API is checked as bytes too, and the API then refuses it as the wrong kind of body.
        if request.content_type == "application/json" or request.path.startswith("/api/"):
            body = request.body
            return NUL_REFUSED if b"\x00" in body or b"\\u0000" in body.lower() else ""
        if request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            if _has_nul(request.POST):
                return NUL_REFUSED
            if request.content_type == "multipart/form-data" and _unread_upload(request):
                return UPLOAD_UNREAD
        return ""
