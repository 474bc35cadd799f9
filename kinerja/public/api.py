"""The public API of community participation (/api/v1/public/...).

- POST /public/surveys/<code>/responses — a counter tablet sends one questionnaire, with
  ``Authorization: Bearer <device token>``.
- GET /public/ikm — the IKM of a service or a unit over a date range, for anyone.

Both override the API's session authentication per operation. Bad input answers 400 with a
readable Indonesian ``detail`` (never ninja's 422), and nothing is stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from kinerja.core.params import JsonTooDeep, loads_bounded
from kinerja.rules.numbers import round2

from . import protection, selectors, services
from .choices import Channel
from .models import KioskDevice, Service

router = Router(tags=["partisipasi masyarakat"])


class KioskAuth(HttpBearer):
    """A kiosk device token; a missing, unknown or revoked token answers 401 with a reason."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HttpError(401, "Token perangkat diperlukan: Authorization: Bearer <token>.")
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> KioskDevice:
        device = selectors.kiosk_device_for_token(token)
        if device is None:
            raise HttpError(401, "Token perangkat tidak dikenal atau sudah dicabut.")
        return device


class RateLimited(Exception):
    """A device sent more questionnaires than PUBLIC_KIOSK_RATE_LIMIT allows: 429 with
    Retry-After (handled in kinerja.api.api)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class Error(Schema):
    detail: str


class Accepted(Schema):
    id: int
    service: str
    survey_date: date


class IkmOut(Schema):
    respondents: int
    nrr: dict[str, str | None]
    ikm: str | None
    mutu: str | None
    label: str | None
    min_sample: int | None
    representative: bool


@router.post(
    "/public/surveys/{code}/responses",
    auth=KioskAuth(),
    response={201: Accepted, 400: Error, 401: Error, 429: Error},
    summary="Kirim satu kuesioner dari tablet loket",
)
def kiosk_submit(request: HttpRequest, code: str) -> Status[dict[str, Any]]:
    """Body: ``{"answers": [a1, …, a9], "profile": {"sex": "L"|"P", "age": 35, "education": "SMA",
    "occupation": "Swasta"}, "suggestion": "…"}`` — answers 1–4 in U1..U9 order; profile and
    suggestion optional."""
    device: KioskDevice = request.auth  # type: ignore[attr-defined]
    if device.service.code != code.upper():
        raise HttpError(401, "Token perangkat ini tidak berlaku untuk layanan tersebut.")
    wait = protection.rate_limits_hit("kiosk", str(device.pk), settings.PUBLIC_KIOSK_RATE_LIMIT)
    if wait:
        raise RateLimited(wait)
    try:
        body = loads_bounded(request.body or b"")
    except JsonTooDeep as exc:
        return Status(400, {"detail": str(exc)})
    except (ValueError, UnicodeDecodeError, RecursionError):
        return Status(400, {"detail": "Isi permintaan bukan JSON yang valid."})
    if not isinstance(body, dict):
        return Status(400, {"detail": "Isi permintaan harus objek JSON dengan kunci answers."})
    unknown = sorted(set(body) - {"answers", "profile", "suggestion"})
    if unknown:
        return Status(400, {"detail": f"Kunci tidak dikenal: {', '.join(unknown)}."})
    if "answers" not in body:
        return Status(400, {"detail": "Kunci answers (9 jawaban 1–4) wajib ada."})
    suggestion = body.get("suggestion") or ""
    if not isinstance(suggestion, str):
        return Status(400, {"detail": "suggestion harus berupa teks."})
    try:
        response = services.response_submit(
            service=device.service,
            answers=body["answers"],
            channel=Channel.KIOSK,
            profile=services.validate_profile(body.get("profile")),
            suggestion=suggestion,
            device=device,
        )
    except ValidationError as exc:
        return Status(400, {"detail": " ".join(exc.messages)})
    return Status(
        201,
        {"id": response.pk, "service": device.service.code, "survey_date": response.survey_date},
    )


def _date(value: str | None, name: str) -> date:
    if not value:
        raise HttpError(400, f"Parameter {name} wajib diisi (YYYY-MM-DD).")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HttpError(
            400, f"Parameter {name} harus tanggal YYYY-MM-DD, tertulis '{value}'."
        ) from None


@router.get(
    "/public/ikm",
    auth=None,
    response={200: IkmOut, 400: Error},
    summary="IKM sebuah layanan atau unit pada rentang tanggal",
)
def public_ikm(
    request: HttpRequest,
    layanan: str | None = None,
    unit: str | None = None,
    date_from: str | None = Query(None, alias="from"),  # type: ignore[assignment]
    date_to: str | None = Query(None, alias="to"),  # type: ignore[assignment]
) -> dict[str, Any]:
    """Exactly one of ``layanan`` (service code) or ``unit`` (unit id, its whole subtree), and
    ``from``/``to`` survey dates (inclusive). Decimal values are strings with 2 decimals."""
    if bool(layanan) == bool(unit):
        raise HttpError(400, "Isi tepat salah satu parameter: layanan=<kode> atau unit=<id>.")
    start, end = _date(date_from, "from"), _date(date_to, "to")
    if end < start:
        raise HttpError(400, "Tanggal to tidak boleh sebelum from.")
    if (end - start).days > 3660:
        raise HttpError(400, "Rentang tanggal paling panjang 10 tahun.")
    if layanan:
        service = Service.objects.filter(code=layanan.upper(), unit__serves_public=True).first()
        if service is None:
            raise HttpError(400, f"Layanan dengan kode '{layanan}' tidak ada.")
        scope = Q(service=service)
    else:
        if not (unit or "").isdecimal():
            raise HttpError(400, "Parameter unit harus nomor unit.")
        found = (
            selectors.public_units().model.objects.filter(pk=int(unit or 0), is_active=True).first()
        )
        if found is None:
            raise HttpError(400, f"Unit {unit} tidak ada.")
        scope = selectors.unit_scope(found)
    result = selectors.survey_result(scope=scope, start=start, end=end)
    ikm = result.ikm
    return {
        "respondents": result.respondents,
        "nrr": {
            row.code: None if row.nrr is None else str(round2(row.nrr)) for row in result.unsur_rows
        },
        "ikm": None if ikm.converted is None else str(ikm.converted),
        "mutu": None if ikm.mutu is None else ikm.mutu.value,
        "label": ikm.label,
        "min_sample": result.min_sample,
        "representative": result.representative,
    }
