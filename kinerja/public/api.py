"""The public API of community participation (/api/v1/public/...).

- POST /public/surveys/<code>/responses — a counter tablet sends one questionnaire, with
  ``Authorization: Bearer <device token>``.
- GET /public/ikm — the IKM of a service or a unit over a date range, for anyone.

Both override the API's session authentication per operation. Bad input answers 400 with a
readable Indonesian ``detail`` (never ninja's 422), and nothing is stored.
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import HttpBearer
from pydantic import BaseModel, ConfigDict, WithJsonSchema, model_validator

from kinerja.core.apikit import ErrorOut, Paginated
from kinerja.core.params import DbId, whole_number
from kinerja.rules.numbers import round2

from . import common, protection
from .choices import Channel, ComplaintKind, ComplaintStatus
from .complaints import selectors as complaint_selectors
from .models import KioskDevice, Service, SurveyResponse
from .survey import responses as survey_responses
from .survey import selectors as survey_selectors

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
        """The device this worker remembers for the token (no query; its questionnaire is then
        stored by an INSERT that checks the device and service still hold, see kiosk_submit),
        or else the device read from the database."""
        if len(token) > 200:
            raise HttpError(401, "Token perangkat tidak dikenal atau sudah dicabut.")
        digest = protection.token_hash(token)
        request.kiosk_token_hash = digest  # type: ignore[attr-defined]
        device = survey_selectors.kiosk_device_cached(digest)
        request.kiosk_device_remembered = device is not None  # type: ignore[attr-defined]
        return device or _device_read(digest)


def _device_read(digest: str) -> KioskDevice:
    device = survey_selectors.kiosk_device_for_hash(digest)
    if device is None:
        raise HttpError(401, "Token perangkat tidak dikenal atau sudah dicabut.")
    return device


class RateLimited(Exception):
    """A device sent more questionnaires than PUBLIC_KIOSK_RATE_LIMIT allows: 429 with
    Retry-After (handled in kinerja.api.api)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


Error = ErrorOut  # the API's one error shape (kinerja.core.apikit)

KIOSK_KEYS = ("answers", "profile", "suggestion")


# One questionnaire from a counter tablet. The shapes below are what the schema promises; the
# values are checked by `survey.responses.response_submit` and `validate_profile`, whose
# Indonesian messages name the unsur or field (the kiosk showed them before the body had a
# schema, and still does).
class KioskIn(BaseModel):
    """Satu kuesioner dari tablet loket."""

    answers: Annotated[
        Any,
        WithJsonSchema(
            {
                "type": "array",
                "items": {"type": "integer", "minimum": 1, "maximum": 4},
                "minItems": 9,
                "maxItems": 9,
                "description": "Jawaban U1..U9, masing-masing 1–4",
            }
        ),
    ]
    profile: Annotated[
        Any,
        WithJsonSchema(
            {
                "type": "object",
                "properties": {
                    "sex": {"type": "string", "enum": ["L", "P"]},
                    "age": {"type": "integer", "minimum": 15, "maximum": 100},
                    "education": {"type": "string"},
                    "occupation": {"type": "string"},
                },
                "additionalProperties": False,
                "description": "Profil responden (opsional)",
            }
        ),
    ] = None
    suggestion: Annotated[
        Any, WithJsonSchema({"type": "string", "maxLength": 1000, "description": "Saran"})
    ] = None

    model_config = ConfigDict(json_schema_extra={"additionalProperties": False})

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("Isi permintaan harus objek JSON dengan kunci answers.")
        unknown = sorted(set(data) - set(KIOSK_KEYS))
        if unknown:
            raise ValueError(f"Kunci tidak dikenal: {', '.join(map(str, unknown))}.")
        if "answers" not in data:
            raise ValueError("Kunci answers (9 jawaban 1–4) wajib ada.")
        if data.get("suggestion") and not isinstance(data["suggestion"], str):
            raise ValueError("suggestion harus berupa teks.")
        return data


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
def kiosk_submit(request: HttpRequest, code: str, body: KioskIn) -> Status[dict[str, Any]]:
    """Body: ``{"answers": [a1, …, a9], "profile": {"sex": "L"|"P", "age": 35, "education": "SMA",
    "occupation": "Swasta"}, "suggestion": "…"}`` — answers 1–4 in U1..U9 order; profile and
    suggestion optional. Each answer is checked by the survey's own service (its messages name
    the unsur: "U3 ..."), so the schema documents the shape and the service decides."""
    device: KioskDevice = request.auth  # type: ignore[attr-defined]
    remembered: bool = getattr(request, "kiosk_device_remembered", False)
    if remembered and (device.service.code != code.upper() or not device.service.is_active):
        device, remembered = _device_read(request.kiosk_token_hash), False  # type: ignore[attr-defined]
    if device.service.code != code.upper():
        raise HttpError(401, "Token perangkat ini tidak berlaku untuk layanan tersebut.")
    wait = protection.rate_limits_hit("kiosk", str(device.pk), settings.PUBLIC_KIOSK_RATE_LIMIT)
    if wait:
        raise RateLimited(wait)
    try:
        profile = survey_responses.validate_profile(body.profile)

        def submit(device: KioskDevice, remembered: bool) -> SurveyResponse:
            return survey_responses.response_submit(
                service=device.service,
                answers=body.answers,
                channel=Channel.KIOSK,
                profile=profile,
                suggestion=body.suggestion or "",
                device=device,
                verify_device=remembered,
            )

        try:
            response = submit(device, remembered)
        except survey_responses.StaleKioskDevice:
            # Revoked, closed or renamed since this worker remembered it: decide afresh.
            device = _device_read(request.kiosk_token_hash)  # type: ignore[attr-defined]
            if device.service.code != code.upper():
                raise HttpError(
                    401, "Token perangkat ini tidak berlaku untuk layanan tersebut."
                ) from None
            response = submit(device, False)
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
        unit_id = whole_number(unit)
        if unit_id is None:
            raise HttpError(400, "Parameter unit harus nomor unit.")
        found = common.public_units().model.objects.filter(pk=unit_id, is_active=True).first()
        if found is None:
            raise HttpError(400, f"Unit {unit} tidak ada.")
        scope = survey_selectors.unit_scope(found)
    result = survey_selectors.survey_result(scope=scope, start=start, end=end)
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


# --- Staff side (issue 17): services and complaints of the units the caller may read --------


class ServiceOut(Schema):
    id: int
    code: str
    name: str
    unit_id: int
    unit: str
    is_active: bool

    @staticmethod
    def resolve_unit(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.unit.name


class ComplaintOut(Schema):
    id: int
    tracking_code: str
    kind: str
    category: str
    unit_id: int
    unit: str
    service: str | None
    description: str
    anonymous: bool
    status: str
    received_at: datetime
    first_response_due: datetime
    first_response_at: datetime | None
    closed_at: datetime | None
    rating: int | None

    @staticmethod
    def resolve_unit(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.unit.name

    @staticmethod
    def resolve_service(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.service.code if obj.service_id else None


@router.get("/services", response=list[ServiceOut], summary="Layanan publik unit Anda")
@paginate(Paginated)
def list_services(
    request: HttpRequest,
    unit: DbId | None = None,
    q: str = Query("", max_length=100),  # type: ignore[assignment]
    active: bool | None = None,
) -> Any:
    """Layanan unit yang hasil survei dan pengaduannya boleh Anda baca. IKM sebuah layanan:
    ``GET /public/ikm?layanan=<kode>&from=…&to=…``."""
    qs = Service.objects.select_related("unit").filter(
        unit__in=common.units_readable_by(request.user)  # type: ignore[arg-type]
    )
    if unit:
        qs = qs.filter(unit_id=unit)
    if q.strip():
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(code__icontains=q.strip()))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("unit__path", "name", "pk")


@router.get("/complaints", response=list[ComplaintOut], summary="Pengaduan (sisi petugas)")
@paginate(Paginated)
def list_complaints(
    request: HttpRequest,
    status: ComplaintStatus | None = None,
    kind: ComplaintKind | None = None,
    unit: DbId | None = None,
    q: str = Query("", max_length=40, description="Kode lacak"),  # type: ignore[assignment]
) -> Any:
    qs = complaint_selectors.complaints_visible_to(request.user)  # type: ignore[arg-type]
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if unit:
        qs = qs.filter(unit_id=unit)
    if q.strip():
        qs = qs.filter(tracking_code__startswith=protection.normalise_code(q))
    return complaint_selectors.complaints_inbox_order(qs)


@router.get("/complaints/{complaint_id}", response=ComplaintOut, summary="Satu pengaduan")
def get_complaint(request: HttpRequest, complaint_id: DbId) -> Any:
    found = complaint_selectors.complaint_for_reader(request.user, complaint_id)  # type: ignore[arg-type]
    if found.removed_at is not None:
        raise Http404
    return found
