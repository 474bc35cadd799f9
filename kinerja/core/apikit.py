"""Pieces every API router shares (issue 17): the one error shape, page-number pagination with
``count``/``next``/``previous``/``results``, and the throttles per token and per address.

Errors, whatever their status (400, 401, 403, 404, 409, 429), answer
``{"detail": "<one Indonesian sentence>", "errors": [{"field": ..., "message": ...}]}``;
``errors`` lists what the client can fix field by field (empty when nothing is field-bound).
The handlers that produce it live in kinerja.api.api; routers raise :class:`ApiError` (or
Http404, or ninja's HttpError) and never build an error body themselves.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from ninja.throttling import BaseThrottle

from kinerja.core.links import absolute_url
from kinerja.core.middleware import client_ip
from kinerja.core.params import MAX_PAGE
from kinerja.core.ratelimit import rate_limits_hit

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


class FieldError(Schema):
    field: str = Field(description="Nama isian, dengan titik untuk isian bersarang")
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class ApiError(Exception):
    """An error answer with its status, an Indonesian sentence and optional field errors."""

    def __init__(
        self, status: int, detail: str, errors: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []


def error_body(detail: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or []}


# --- Pagination ------------------------------------------------------------------------------


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Halaman, mulai dari 1")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description="Baris per halaman, paling banyak 200",
    )


def page_link(request: HttpRequest, page: int | None) -> str | None:
    """The absolute address (on SITE_URL) of another page of the same list, with the other
    parameters kept."""
    if page is None:
        return None
    params = request.GET.copy()
    params["page"] = str(page)
    return absolute_url(f"{request.path}?{urlencode(sorted(params.lists()), doseq=True)}")


def page_of(request: HttpRequest, items: Any, page: int, page_size: int) -> dict[str, Any]:
    """One page of a queryset (or list): count, next/previous links, results. A page past the
    end is empty (with a previous link), not an error."""
    try:
        count = items.count()
    except (AttributeError, TypeError):
        count = len(items)
    start = (page - 1) * page_size
    results = list(items[start : start + page_size]) if start < count else []
    return {
        "count": count,
        "next": page_link(request, page + 1) if start + page_size < count else None,
        "previous": page_link(request, min(page - 1, max(1, -(-count // page_size))))
        if page > 1
        else None,
        "results": results,
    }


class Paginated(PaginationBase):
    """``@paginate(Paginated)``: ``?page`` and ``?page_size`` (≤ 200) in, ``count``, ``next``,
    ``previous`` and ``results`` out."""

    Input = PageQuery

    class Output(Schema):
        count: int
        next: str | None
        previous: str | None
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        return page_of(request, queryset, pagination.page, pagination.page_size)


# --- Throttles -------------------------------------------------------------------------------


class _WindowThrottle(BaseThrottle):
    """A ninja throttle on the project's atomic fixed-window counters (kinerja.core.ratelimit):
    ninja answers 429 with ``Retry-After`` (the seconds until the exceeded windows end)."""

    scope = ""
    setting = ""

    def __init__(self) -> None:
        self._local = threading.local()  # ninja asks wait() right after allow_request()

    def ident(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        ident = self.ident(request)
        rates = getattr(settings, self.setting, "")
        if not ident or not rates:
            return True
        self._local.wait = rate_limits_hit(self.scope, ident, rates)
        return self._local.wait == 0

    def wait(self) -> float | None:
        return float(getattr(self._local, "wait", 0)) or None


class TokenThrottle(_WindowThrottle):
    """API_RATE_LIMIT_TOKEN per personal token (requests with a session or no token pass)."""

    scope = "api-token"
    setting = "API_RATE_LIMIT_TOKEN"

    def ident(self, request: HttpRequest) -> str | None:
        token = getattr(request, "api_token_id", None)
        return str(token) if token else None


class AddressThrottle(_WindowThrottle):
    """API_RATE_LIMIT_ADDRESS per client address (every request, whoever sends it)."""

    scope = "api-ip"
    setting = "API_RATE_LIMIT_ADDRESS"

    def ident(self, request: HttpRequest) -> str | None:
        return client_ip(request)
