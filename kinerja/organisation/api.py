"""Read API of the organisation, scoped by the same access policy as the pages."""

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from kinerja.core.params import DbId, PageNumberPagination

from . import selectors
from .models import Unit

router = Router(tags=["organisasi"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    opd_id: int | None
    serves_public: bool


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


@router.get("/units", response=list[UnitOut])
def list_units(request: HttpRequest) -> list[Unit]:
    return list(Unit.objects.filter(is_active=True).order_by("path"))


@router.get("/employees", response=list[EmployeeOut])
@paginate(PageNumberPagination, page_size=50)
def list_employees(request: HttpRequest, q: str = "", opd: DbId | None = None):  # type: ignore[no-untyped-def]
    qs = selectors.employees_visible_to(request.user)  # type: ignore[arg-type]
    return selectors.employee_search(qs, q=q, opd=opd).order_by("name", "nip")


@router.get("/employees/{employee_id}", response=EmployeeOut)
def get_employee(request: HttpRequest, employee_id: DbId):  # type: ignore[no-untyped-def]
    return selectors.employee_get_for_user(user=request.user, employee_id=employee_id)  # type: ignore[arg-type]
