"""API of plans (SKP) and realisations, scoped by the access policy (a plan is visible to whoever
sees its employee).

Writing realisations goes through the grid's own service (kinerja.performance.bulk calls
services.realisation_save_month): one month of one plan (PUT or POST), or one month of many
plans in one all-or-nothing request (POST /realisations/bulk). A stale revision answers 409.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import BeforeValidator

from kinerja.core.apikit import ApiError, Paginated
from kinerja.core.params import DbId
from kinerja.organisation import access
from kinerja.organisation.api import EmployeeNamed, person_filtered

from . import bulk, selectors
from .choices import PlanStatus
from .models import Realisation

router = Router(tags=["skp"])

Month = Annotated[int, Field(ge=1, le=12, description="Bulan 1–12")]
Year = Annotated[int, Field(ge=2000, le=2100, description="Tahun, mis. 2026")]
TEXT_BOUND = 20_000  # far above the service's own limit, which answers the exact message


class RealisationMonthOut(Schema):
    month: int
    value: Decimal
    revision: int
    is_late: bool
    is_automatic: bool
    reviewed: bool


class IndicatorOut(Schema):
    id: int
    rhk_id: int
    rhk: str
    kind: str
    aspek: str
    name: str
    unit: str
    target: Decimal
    polarity: str
    aggregation: str
    source: str
    realisation_to_date: Decimal | None
    target_to_date: Decimal | None
    capaian_to_date: Decimal | None
    months: dict[int, Decimal]
    realisations: list[RealisationMonthOut]


class RhkOut(Schema):
    id: int
    kind: str
    order: int
    text: str
    parent_id: int | None
    goal_id: int | None


class PlanOut(Schema):
    id: int
    employee_id: int
    year: int
    status: str
    version: int
    capaian_to_date: Decimal | None
    rhk: list[RhkOut]
    indicators: list[IndicatorOut]


class PlanSummaryOut(EmployeeNamed):
    id: int
    employee_id: int
    nip: str
    name: str
    unit_id: int
    year: int
    status: str
    version: int
    assessor_id: int | None
    submitted_at: datetime | None
    approved_at: datetime | None

    @staticmethod
    def resolve_unit_id(obj) -> int:  # type: ignore[no-untyped-def]
        return obj.employee.unit_id


class RealisationOut(Schema):
    id: int
    plan_id: int
    employee_id: int
    indicator_id: int
    month: int
    value: Decimal
    narrative: str
    is_late: bool
    is_automatic: bool
    revision: int
    reviewed_at: datetime | None
    updated_at: datetime

    @staticmethod
    def resolve_plan_id(obj) -> int:  # type: ignore[no-untyped-def]
        return obj.indicator.rhk.plan_id

    @staticmethod
    def resolve_employee_id(obj) -> int:  # type: ignore[no-untyped-def]
        return obj.indicator.rhk.plan.employee_id


def _number_or_text(value: Any) -> Any:
    """A month's value as JSON may carry it: a number (7.5) or the grid's text ("7,5"), read by
    services.parse_value. Anything else is refused in one sentence (pydantic would name each
    member of the union: "rows.0.value.decimal … rows.0.value.str")."""
    if value is None or isinstance(value, str | Decimal):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
        if not number.is_finite():
            raise ValueError(f"Nilai realisasi “{value}” bukan angka.")
        return number
    raise ValueError(
        'Nilai realisasi harus berupa angka (7.5) atau teks angka ("7,5"), atau null untuk '
        "membiarkan bulan ini."
    )


class RowIn(Schema):
    indicator_id: DbId
    value: Annotated[Decimal | str | None, BeforeValidator(_number_or_text)] = Field(
        description='Angka (7.5) atau teks seperti di grid ("7,5"); null: biarkan bulan ini'
    )
    narrative: str = Field("", max_length=TEXT_BOUND, description="Uraian, paling banyak 2000")
    revision: int | None = Field(
        None,
        ge=0,
        le=2**31,
        description="Revisi yang Anda baca (realisations[].revision); null bila belum ada",
    )


class MonthIn(Schema):
    rows: list[RowIn] = Field(max_length=500, description="Indikator bulan ini")


class MonthEntryOut(RealisationMonthOut):
    indicator_id: int


class MonthOut(Schema):
    plan_id: int
    month: int
    realisations: list[MonthEntryOut]
    saved: list[RealisationOut]


class BulkItemIn(Schema):
    plan_id: DbId | None = Field(None, description="Id SKP; atau isi nip")
    nip: str | None = Field(None, pattern=r"^\d{18}$", description="NIP pemilik SKP tahun itu")
    rows: list[RowIn] = Field(max_length=500)


class BulkIn(Schema):
    year: Year
    month: Month
    items: list[BulkItemIn] = Field(min_length=1, max_length=10_000)


class BulkItemOut(Schema):
    plan_id: int
    saved: int


class BulkOut(Schema):
    year: int
    month: int
    plans: int
    realisations: int
    items: list[BulkItemOut]


class PlanQuery(Schema):
    year: Year | None = None
    status: PlanStatus | None = None
    employee: DbId | None = Field(None, description="Id pegawai")
    opd: DbId | None = Field(None, description="Id unit OPD")
    unit: DbId | None = Field(None, description="Id unit (beserta sub-unitnya)")
    q: str = Field("", max_length=100, description="Nama atau awal NIP pemilik")


class RealisationQuery(Schema):
    plan: DbId | None = None
    employee: DbId | None = None
    year: Year | None = None
    month: Month | None = None
    opd: DbId | None = None
    late: bool | None = Field(None, description="true: hanya yang terlambat diisi")
    reviewed: bool | None = Field(None, description="true: hanya yang sudah diperiksa atasan")


@router.get("/plans", response=list[PlanSummaryOut], summary="SKP yang boleh Anda lihat")
@paginate(Paginated)
def list_plans(request: HttpRequest, filters: Query[PlanQuery]) -> Any:
    qs = selectors.plans_visible_to(request.user)  # type: ignore[arg-type]
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.employee:
        qs = qs.filter(employee_id=filters.employee)
    qs = person_filtered(qs, filters.q, opd=filters.opd, unit=filters.unit)
    return qs.order_by("-year", "employee__name", "pk")


def _month(r: Realisation) -> dict[str, Any]:
    return {
        "month": r.month,
        "value": r.value,
        "revision": r.revision,
        "is_late": r.is_late,
        "is_automatic": r.is_automatic,
        "reviewed": r.is_reviewed,
    }


@router.get("/plans/{plan_id}", response=PlanOut, summary="Satu SKP dengan RHK dan indikatornya")
def get_plan(request: HttpRequest, plan_id: DbId) -> dict:  # type: ignore[type-arg]
    plan = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)  # type: ignore[arg-type]
    view = selectors.plan_view(plan)
    return {
        "id": plan.pk,
        "employee_id": plan.employee_id,
        "year": plan.year,
        "status": plan.status,
        "version": plan.version,
        "capaian_to_date": view.capaian,
        "rhk": [
            {
                "id": r.rhk.pk,
                "kind": r.rhk.kind,
                "order": r.rhk.order,
                "text": r.rhk.text,
                "parent_id": r.rhk.parent_id,
                "goal_id": r.rhk.goal_id,
            }
            for r in (*view.utama, *view.tambahan)
        ],
        "indicators": [
            {
                "id": p.indicator.pk,
                "rhk_id": p.indicator.rhk_id,
                "rhk": p.indicator.rhk.text,
                "kind": p.indicator.rhk.kind,
                "aspek": p.indicator.aspek,
                "name": p.indicator.name,
                "unit": p.indicator.unit_of_measure,
                "target": p.indicator.target,
                "polarity": p.indicator.polarity,
                "aggregation": p.indicator.aggregation,
                "source": p.indicator.source,
                "realisation_to_date": p.value,
                "target_to_date": p.target_to_date,
                "capaian_to_date": p.capaian_to_date,
                "months": {m: r.value for m, r in sorted(p.by_month.items())},
                "realisations": [_month(r) for _m, r in sorted(p.by_month.items())],
            }
            for p in view.all_progress
        ],
    }


@router.get("/realisations", response=list[RealisationOut], summary="Realisasi bulanan")
@paginate(Paginated)
def list_realisations(request: HttpRequest, filters: Query[RealisationQuery]) -> Any:
    qs = Realisation.objects.filter(
        access.employee_filter(request.user, "indicator__rhk__plan__employee__")  # type: ignore[arg-type]
    ).select_related("indicator__rhk__plan")
    prefix = "indicator__rhk__plan__"
    if filters.plan:
        qs = qs.filter(**{f"{prefix}id": filters.plan})
    if filters.employee:
        qs = qs.filter(**{f"{prefix}employee_id": filters.employee})
    if filters.year:
        qs = qs.filter(**{f"{prefix}year": filters.year})
    if filters.month:
        qs = qs.filter(month=filters.month)
    if filters.opd:
        qs = qs.filter(**{f"{prefix}employee__unit__opd_id": filters.opd})
    if filters.late is not None:
        qs = qs.filter(is_late=filters.late)
    if filters.reviewed is not None:
        qs = qs.filter(reviewed_at__isnull=not filters.reviewed)
    return qs.order_by(f"{prefix}id", "month", "indicator_id")


def _rows(rows: list[RowIn]) -> list[bulk.RowInput]:
    return [
        bulk.RowInput(
            indicator_id=r.indicator_id,
            value=None if r.value is None else str(r.value),
            narrative=r.narrative,
            revision=r.revision,
        )
        for r in rows
    ]


def _refused(exc: bulk.BulkError) -> ApiError:
    errors = [{"field": f, "message": m} for f, m in exc.errors]
    if exc.stale:
        return ApiError(409, exc.errors[0][1], errors)
    return ApiError(400, "Belum ada yang disimpan: " + exc.errors[0][1], errors)


def _write_month(request: HttpRequest, plan_id: int, month: int, body: MonthIn) -> dict[str, Any]:
    user = request.user
    plan = selectors.plan_get_for_user(user=user, plan_id=plan_id)  # type: ignore[arg-type]
    if not access.can_enter_realisations(user, plan):  # type: ignore[arg-type]
        raise ApiError(403, "Hanya pegawai pemilik SKP yang mengisi realisasinya.")
    try:
        saved = bulk.save_month(plan=plan, month=month, by=user, rows=_rows(body.rows))  # type: ignore[arg-type]
    except bulk.BulkError as exc:
        raise _refused(exc) from None
    current = Realisation.objects.filter(indicator__rhk__plan=plan, month=month).select_related(
        "indicator__rhk__plan"
    )
    for r in saved:
        r.indicator.rhk.plan = plan
    return {
        "plan_id": plan.pk,
        "month": month,
        "realisations": [_month(r) | {"indicator_id": r.indicator_id} for r in current],
        "saved": saved,
    }


WRITE_DOC = (
    "Menyimpan realisasi satu bulan dari satu SKP (indikator yang dikirim), dengan aturan grid "
    "realisasi: kirim `revision` yang Anda baca (409 bila sudah diubah di tempat lain); bulan "
    "yang sudah diperiksa atasan terkunci; isian setelah tenggat ditandai terlambat; nilai yang "
    "tidak masuk akal dan uraian lebih dari 2000 karakter ditolak (400, tidak ada yang "
    "disimpan). Perlu token bercakupan `realisations` atau `admin`."
)


@router.put(
    "/plans/{plan_id}/realisations/{month}",
    response=MonthOut,
    summary="Mengisi realisasi satu bulan (PUT)",
    description=WRITE_DOC,
)
def put_month(
    request: HttpRequest, plan_id: DbId, month: Path[Month], body: MonthIn
) -> dict[str, Any]:
    return _write_month(request, plan_id, month, body)


@router.post(
    "/plans/{plan_id}/realisations/{month}",
    response=MonthOut,
    summary="Mengisi realisasi satu bulan (POST, sama dengan PUT)",
    description=WRITE_DOC,
)
def post_month(
    request: HttpRequest, plan_id: DbId, month: Path[Month], body: MonthIn
) -> dict[str, Any]:
    return _write_month(request, plan_id, month, body)


@router.post(
    "/realisations/bulk",
    response=BulkOut,
    summary="Mengisi realisasi satu bulan untuk banyak pegawai (semua atau tidak sama sekali)",
)
def post_bulk(request: HttpRequest, body: BulkIn) -> dict[str, Any]:
    """Satu permintaan, satu bulan, banyak SKP (per `plan_id`, atau per `nip` dengan `year`).
    Aturannya sama dengan grid untuk setiap SKP. Bila satu saja gagal, tidak ada yang disimpan
    dan jawabannya 400 (409 bila ada revisi usang) dengan setiap kesalahan di `errors`, berikut
    nomor item-nya (`items.3.rows.1.value`)."""
    limit = settings.API_BULK_MAX_ITEMS
    if len(body.items) > limit:
        raise ApiError(
            400,
            f"Paling banyak {limit} item dalam satu permintaan.",
            [{"field": "items", "message": f"{len(body.items)} item; batasnya {limit}."}],
        )
    missing = [
        {"field": f"items.{i}", "message": "Isi plan_id atau nip."}
        for i, item in enumerate(body.items)
        if item.plan_id is None and not item.nip
    ]
    if missing:
        raise ApiError(400, "Setiap item perlu plan_id atau nip.", missing)
    items = [
        bulk.ItemInput(rows=_rows(item.rows), plan_id=item.plan_id, nip=item.nip)
        for item in body.items
    ]
    try:
        saved = bulk.realisation_save_many(
            by=request.user,  # type: ignore[arg-type]
            year=body.year,
            month=body.month,
            items=items,
        )
    except bulk.BulkError as exc:
        raise _refused(exc) from None
    return {
        "year": body.year,
        "month": body.month,
        "plans": len(saved),
        "realisations": sum(len(rows) for _plan, rows in saved),
        "items": [{"plan_id": plan.pk, "saved": len(rows)} for plan, rows in saved],
    }
