"""The API root (/api/v1/): each app contributes its router; OpenAPI at /api/v1/docs."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import django_auth

from kinerja.assessment.siasn.api import router as siasn_router
from kinerja.competency.api import router as competency_router
from kinerja.core.params import validation_message
from kinerja.organisation.api import router as organisation_router
from kinerja.organisation.tokens import TokenAuth
from kinerja.performance.api import router as performance_router
from kinerja.public.api import RateLimited
from kinerja.public.api import router as public_router

api = NinjaAPI(
    title="Kinerja API",
    version="1",
    description=(
        "API Kinerja ASN Pemerintah Kabupaten. Autentikasi: `Authorization: Bearer <token>` "
        "dengan token API pribadi (dibuat di profil atau dengan `manage.py api_token`), atau "
        "sesi login. Token bertindak dengan hak pemiliknya, dibatasi cakupannya."
    ),
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)
api.add_router("/", organisation_router)
api.add_router("/", performance_router)
api.add_router("/", public_router)  # per-operation auth: kiosk bearer token, or none
api.add_router("/", competency_router)
api.add_router("/", siasn_router)  # admin-scoped tokens only (kinerja.assessment.siasn.api)


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": "Terlalu banyak kiriman dari perangkat ini. Coba lagi sebentar lagi."},
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def bad_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Bad parameters answer 400 with one Indonesian sentence (never ninja's 422)."""
    return api.create_response(request, {"detail": validation_message(exc.errors)}, status=400)
