from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_PREFIXES = ("/static/", "/healthz", "/i18n/", "/logout/", "/akun/ganti-sandi/")


class ForcePasswordChangeMiddleware:
    """Until a temporary password is replaced, every page leads to the change-password form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The path first: a request to an allowed path (a health probe, a static file) must
        # not load the session and the account (two queries) only to be let through.
        if request.path.startswith(ALLOWED_PREFIXES):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            return redirect(reverse("organisation:password_change"))
        return self.get_response(request)
