"""The API root (/api/v1/): each app contributes its router; OpenAPI at /api/v1/docs.

Every error answers one shape (kinerja.core.apikit.ErrorOut) with an Indonesian ``detail``:
400 bad parameters or body, 401 no or bad credentials (or a token whose scope does not allow
the method), 403 visible but not allowed, 404 outside the caller's scope (as on the pages),
409 a stale revision, 429 too many requests (with ``Retry-After``). docs/API.md tells it whole.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from ninja.security import django_auth

from kinerja.assessment.api import router as assessment_router
from kinerja.assessment.siasn.api import router as siasn_router
from kinerja.competency.api import router as competency_router
from kinerja.core.apikit import AddressThrottle, ApiError, ErrorOut, TokenThrottle, error_body
from kinerja.core.http import CSRF_FAILED_API
from kinerja.core.middleware import client_ip
from kinerja.core.params import JsonTooDeep, loads_bounded, validation_message
from kinerja.core.ratelimit import rate_limits_hit
from kinerja.organisation.api import router as organisation_router
from kinerja.organisation.tokens import TokenAuth
from kinerja.performance.api import router as performance_router
from kinerja.public.api import RateLimited
from kinerja.public.api import router as public_router
from kinerja.rewards.api import router as rewards_router

ERROR_STATUSES = {
    "400": "Parameter atau isi permintaan tidak valid",
    "401": "Tanpa kredensial yang berlaku, atau cakupan token tidak mengizinkan",
    "403": "Terlihat, tetapi tindakan ini tidak diizinkan",
    "404": "Tidak ada, atau di luar lingkup akses",
    "409": "Konflik: data telah diubah di tempat lain",
    "429": "Terlalu banyak permintaan; lihat Retry-After",
}


class BoundedParser(Parser):
    """Every JSON body through kinerja.core.params.loads_bounded: no body nests deeper than
    MAX_JSON_DEPTH (a body 100,000 deep would exhaust Python's recursion)."""

    def parse_body(self, request: HttpRequest) -> Any:
        return loads_bounded(request.body or b"")


class KinerjaAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Every operation documents the one error shape for every error status, so clients
        and schemathesis know what an error looks like."""
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components["ErrorOut"] = error_schema
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for path in schema["paths"].values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                for status, text in ERROR_STATUSES.items():
                    responses[status] = {"description": text, "content": ref}
        return schema


api = KinerjaAPI(
    title="Kinerja API",
    version="1",
    description=(
        "API Kinerja ASN Pemerintah Kabupaten. Autentikasi: `Authorization: Bearer <token>` "
        "dengan token API pribadi (dibuat di profil atau dengan `manage.py api_token`), atau "
        "sesi login. Token bertindak dengan hak pemiliknya, dibatasi cakupannya. Daftar "
        "berhalaman (`?page`, `?page_size` ≤ 200). Setiap galat berbentuk "
        '`{"detail": ..., "errors": [{"field": ..., "message": ...}]}`.'
    ),
    auth=[TokenAuth(), django_auth],
    throttle=[TokenThrottle(), AddressThrottle()],
    urls_namespace="api",
    parser=BoundedParser(),
)
api.add_router("/", organisation_router)
api.add_router("/", performance_router)
api.add_router("/", public_router)  # per-operation auth: kiosk bearer token, or none
api.add_router("/", competency_router)
api.add_router("/", siasn_router)  # admin-scoped tokens only (kinerja.assessment.siasn.api)
api.add_router("/", assessment_router)
api.add_router("/", rewards_router)


def _answer(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    return api.create_response(request, error_body(detail, errors), status=status)


def _too_many(request: HttpRequest, wait: int | None) -> HttpResponse:
    response = _answer(request, 429, "Terlalu banyak permintaan. Coba lagi sebentar lagi.")
    if wait:
        response["Retry-After"] = str(wait)
    return response


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _answer(
        request, 429, "Terlalu banyak kiriman dari perangkat ini. Coba lagi sebentar lagi."
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def bad_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Bad parameters answer 400 with one Indonesian sentence (never ninja's 422) and the
    field-by-field list."""
    errors = []
    for error in exc.errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body")]
        field = ".".join(loc) or "isi permintaan"
        errors.append({"field": field, "message": validation_message([error])})
    return _answer(request, 400, validation_message(exc.errors), errors)


@api.exception_handler(ApiError)
def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _answer(request, exc.status, exc.detail, exc.errors)


@api.exception_handler(DjangoValidationError)
def rule_broken(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service refused the input: 400 with its messages (nothing was stored)."""
    return _answer(request, 400, " ".join(exc.messages))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _answer(request, 404, "Tidak ditemukan, atau di luar lingkup akses Anda.")


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """401; failed attempts count against the address's limit, so guessing tokens meets 429."""
    wait = rate_limits_hit("api-ip", client_ip(request) or "", settings.API_RATE_LIMIT_ADDRESS)
    if wait:
        return _too_many(request, wait)
    bearer = request.headers.get("Authorization", "").lower().startswith("bearer ")
    detail = (
        "Token tidak dikenal, kedaluwarsa, dicabut, atau cakupannya tidak mengizinkan "
        "permintaan ini."
        if bearer
        else "Perlu masuk: kirim Authorization: Bearer <token>."
    )
    return _answer(request, 401, detail)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return _too_many(request, None)  # ninja sets Retry-After from the throttle's wait()


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc.message)
    if exc.status_code == 403 and detail == "CSRF check Failed":  # ninja's session-cookie auth
        detail = CSRF_FAILED_API
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        cause = exc.__cause__
        detail = (
            str(cause)
            if isinstance(cause, JsonTooDeep)
            else "Isi permintaan bukan JSON yang valid."
        )
    return _answer(request, exc.status_code, detail)
