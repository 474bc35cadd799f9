"""Read API of the organisation, scoped by the same access policy as the pages: units,
positions and employees.

Contracts kept from before issue 17's list format: ``GET /units`` without ``page``/``page_size``
answers the plain list of active units; ``GET /employees`` keeps ``items`` beside the standard
``results`` (the same rows).
"""

from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kinerja.core.apikit import MAX_PAGE_SIZE, Paginated, page_of
from kinerja.core.params import MAX_PAGE, DbId

from . import selectors
from .choices import EmploymentStatus, PositionKind, UnitKind
from .models import Position, Unit


class EmployeeNamed(Schema):
    """A row about one employee (`obj.employee`): its `nip` and `name` fields, when a schema
    declares them, are read from that employee. Declares no fields itself, so each schema keeps
    its own field order."""

    @staticmethod
    def resolve_nip(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.employee.nip

    @staticmethod
    def resolve_name(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.employee.name


def person_filtered(
    qs: Any, q: str, *, prefix: str = "employee__", opd: int | None = None, unit: int | None = None
) -> Any:
    """Rows about one employee (`<prefix>` leads to it) whose name contains `q`, or whose NIP
    starts with it when `q` is digits (spaces ignored); in an OPD; in a unit with its
    sub-units. The one `q`/`opd`/`unit` filter of every API list about people."""
    text = q.strip()
    if text:
        compact = "".join(text.split())
        if compact.isdigit():
            qs = qs.filter(**{f"{prefix}nip__startswith": compact})
        else:
            qs = qs.filter(**{f"{prefix}name__icontains": text})
    if opd:
        qs = qs.filter(**{f"{prefix}unit__opd_id": opd})
    if unit:
        found = Unit.objects.filter(pk=unit).only("path").first()
        qs = qs.filter(**{f"{prefix}unit__path__startswith": found.path}) if found else qs.none()
    return qs


router = Router(tags=["organisasi"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    opd_id: int | None
    serves_public: bool


class UnitPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[UnitOut]


class UnitQuery(Schema):
    q: str = Field("", max_length=100, description="Bagian nama atau kode unit")
    kind: UnitKind | None = Field(None, description="Jenis unit")
    opd: DbId | None = Field(None, description="Hanya unit dalam OPD ini (id unit OPD)")
    parent: DbId | None = Field(None, description="Hanya anak langsung unit ini")
    serves_public: bool | None = Field(None, description="Hanya unit pelayanan publik")
    page: int | None = Field(None, ge=1, le=MAX_PAGE)
    page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)


class PositionOut(Schema):
    id: int
    name: str
    kind: str
    kelas: int | None
    jenjang: str


class EmployeeOut(Schema):
    id: int
    nip: str
    name: str
    full_name: str
    status: str
    golongan: str
    position: str
    position_kind: str
    unit_id: int
    unit: str
    supervisor_id: int | None
    is_active: bool

    @staticmethod
    def resolve_position(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.position.name

    @staticmethod
    def resolve_position_kind(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.position.kind

    @staticmethod
    def resolve_unit(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.unit.name


class EmployeePage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[EmployeeOut]
    items: list[EmployeeOut] = Field(description="Sama dengan results (nama lama, tetap ada)")


class EmployeeQuery(Schema):
    q: str = Field("", max_length=100, description="Nama atau awal NIP")
    opd: DbId | None = Field(None, description="Id unit OPD")
    unit: DbId | None = Field(None, description="Id unit (beserta sub-unitnya)")
    status: EmploymentStatus | None = None
    position_kind: PositionKind | None = None
    active: bool = Field(True, description="false: pegawai yang sudah tidak aktif")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


@router.get(
    "/units",
    response=list[UnitOut] | UnitPage,
    summary="Unit organisasi",
)
def list_units(request: HttpRequest, filters: Query[UnitQuery]) -> Any:
    """Unit aktif. Tanpa ``page``/``page_size`` jawabannya daftar biasa (bentuk lama); dengan
    salah satunya jawabannya berhalaman (``count``, ``next``, ``previous``, ``results``)."""
    qs = Unit.objects.filter(is_active=True).order_by("path")
    if filters.q.strip():
        text = filters.q.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(code__icontains=text))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.opd:
        qs = qs.filter(opd_id=filters.opd)
    if filters.parent:
        qs = qs.filter(parent_id=filters.parent)
    if filters.serves_public is not None:
        qs = qs.filter(serves_public=filters.serves_public)
    if filters.page is None and filters.page_size is None:
        return list(qs)
    return page_of(request, qs, filters.page or 1, filters.page_size or 50)


@router.get("/units/{unit_id}", response=UnitOut, summary="Satu unit organisasi")
def get_unit(request: HttpRequest, unit_id: DbId) -> Unit:
    found = Unit.objects.filter(pk=unit_id, is_active=True).first()
    if found is None:
        raise Http404
    return found


@router.get("/positions", response=list[PositionOut], summary="Jabatan")
@paginate(Paginated)
def list_positions(
    request: HttpRequest,
    q: str = Query("", max_length=100, description="Bagian nama jabatan"),  # type: ignore[type-arg]
    kind: PositionKind | None = None,
) -> Any:
    qs = Position.objects.order_by("name", "pk")
    if q.strip():
        qs = qs.filter(name__icontains=q.strip())
    if kind:
        qs = qs.filter(kind=kind)
    return qs


@router.get("/employees", response=EmployeePage, summary="Pegawai yang boleh Anda lihat")
def list_employees(request: HttpRequest, filters: Query[EmployeeQuery]) -> dict[str, Any]:
    qs = selectors.employees_visible_to(request.user)  # type: ignore[arg-type]
    qs = selectors.employee_search(
        qs,
        q=filters.q,
        opd=filters.opd,
        unit=filters.unit,
        status=filters.status or "",
        kind=filters.position_kind or "",
        active="1" if filters.active else "0",
    ).order_by("name", "nip")
    page = page_of(request, qs, filters.page, filters.page_size)
    page["items"] = page["results"]
    return page


@router.get("/employees/{employee_id}", response=EmployeeOut, summary="Satu pegawai")
def get_employee(request: HttpRequest, employee_id: DbId):  # type: ignore[no-untyped-def]
    return selectors.employee_get_for_user(user=request.user, employee_id=employee_id)  # type: ignore[arg-type]
