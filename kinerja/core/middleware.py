from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.log import log_response
from django.views import defaults

from .audit import current_ip


def client_ip(request: HttpRequest) -> str | None:
    """The client address. Behind a proxy, set the proxy to overwrite REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or None


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
