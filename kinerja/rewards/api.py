"""Read-only API of TPP lines (issue 17): a person's monthly TPP as calculated, scoped by the
access policy (their own line; every line for the regency-wide readers; an Admin OPD's OPD)."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kinerja.core.apikit import Paginated
from kinerja.core.params import DbId
from kinerja.organisation.api import EmployeeNamed, person_filtered

from . import selectors
from .models import TppLine

router = Router(tags=["tpp"])


class TppLineOut(EmployeeNamed):
    id: int
    year: int
    month: int
    month_status: str
    employee_id: int
    nip: str
    name: str
    kind: str
    opd_id: int
    unit_name: str
    position_name: str
    kelas: int
    base: Decimal
    predikat: str
    predikat_period: str
    discipline_factor: Decimal
    cut_percent: Decimal
    performance_factor: Decimal
    performance_part: Decimal
    discipline_part: Decimal
    gross: Decimal
    cut_amount: Decimal
    total: Decimal
    corrects: str
    reason: str

    @staticmethod
    def resolve_year(obj) -> int:  # type: ignore[no-untyped-def]
        return obj.tpp_month.year

    @staticmethod
    def resolve_month(obj) -> int:  # type: ignore[no-untyped-def]
        return obj.tpp_month.month

    @staticmethod
    def resolve_month_status(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.tpp_month.status


class TppQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    month: int | None = Field(None, ge=1, le=12)
    opd: DbId | None = None
    employee: DbId | None = None
    q: str = Field("", max_length=100, description="Nama atau awal NIP")


@router.get("/tpp/lines", response=list[TppLineOut], summary="Baris TPP (hanya baca)")
@paginate(Paginated)
def list_tpp_lines(request: HttpRequest, filters: Query[TppQuery]) -> Any:
    qs = selectors.tpp_lines_visible_to(request.user)  # type: ignore[arg-type]
    if filters.year:
        qs = qs.filter(tpp_month__year=filters.year)
    if filters.month:
        qs = qs.filter(tpp_month__month=filters.month)
    if filters.opd:
        qs = qs.filter(opd_id=filters.opd)
    if filters.employee:
        qs = qs.filter(employee_id=filters.employee)
    return person_filtered(qs, filters.q).order_by(
        "-tpp_month__year", "-tpp_month__month", "employee__name", "pk"
    )


@router.get("/tpp/lines/{line_id}", response=TppLineOut, summary="Satu baris TPP")
def get_tpp_line(request: HttpRequest, line_id: DbId) -> TppLine:
    return selectors.tpp_line_get_for_user(user=request.user, pk=line_id)  # type: ignore[arg-type]
