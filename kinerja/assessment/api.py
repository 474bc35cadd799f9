"""Read API of assessments, results and objections (issue 17), scoped by the same selectors as
the pages: an assessment is visible to whoever sees its employee, and the employee sees their
own only once it is final; an objection to whoever sees its assessment, or decides it."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kinerja.core.apikit import Paginated
from kinerja.core.params import DbId
from kinerja.organisation.api import EmployeeNamed, person_filtered
from kinerja.organisation.models import Unit

from . import selectors
from .choices import AssessmentStatus, ObjectionStatus
from .models import Assessment, Objection

router = Router(tags=["penilaian"])


class ResultOut(EmployeeNamed):
    id: int
    employee_id: int
    nip: str
    name: str
    year: int
    period: str
    hasil: str
    perilaku: str
    predikat: str
    finalised_at: datetime | None


class AssessmentOut(ResultOut):
    plan_id: int | None
    opd_id: int
    unit_id: int
    assessor_id: int | None
    status: str
    capaian: Decimal | None
    suggested_hasil: str
    suggested_perilaku: str
    behaviour: dict[str, str]
    is_unit_head: bool
    shown_at: datetime | None
    acknowledged_at: datetime | None

    @staticmethod
    def resolve_behaviour(obj) -> dict[str, str]:  # type: ignore[no-untyped-def]
        return {str(k): str(v) for k, v in (obj.behaviour or {}).items()}


class ObjectionOut(Schema):
    id: int
    assessment_id: int
    employee_id: int
    decider_id: int | None
    status: str
    reasons: str
    submitted_at: datetime
    decision_reason: str
    decided_at: datetime | None

    @staticmethod
    def resolve_employee_id(obj) -> int:  # type: ignore[no-untyped-def]
        return obj.assessment.employee_id


class AssessmentQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    period: str = Field("", max_length=10, description="Kode periode, mis. 2026-T1 atau 2026")
    status: AssessmentStatus | None = None
    opd: DbId | None = None
    unit: DbId | None = Field(None, description="Id unit (beserta sub-unitnya)")
    employee: DbId | None = None
    q: str = Field("", max_length=100, description="Nama atau awal NIP")


def _filtered(qs: Any, f: AssessmentQuery) -> Any:
    if f.year:
        qs = qs.filter(year=f.year)
    if f.period:
        qs = qs.filter(period=f.period)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.opd:
        qs = qs.filter(opd_id=f.opd)
    if f.unit:
        found = Unit.objects.filter(pk=f.unit).only("path").first()
        qs = qs.filter(unit__path__startswith=found.path) if found else qs.none()
    if f.employee:
        qs = qs.filter(employee_id=f.employee)
    return person_filtered(qs, f.q).order_by("-year", "period", "employee__name", "pk")


@router.get("/assessments", response=list[AssessmentOut], summary="Penilaian kinerja")
@paginate(Paginated)
def list_assessments(request: HttpRequest, filters: Query[AssessmentQuery]) -> Any:
    return _filtered(selectors.assessments_visible_to(request.user), filters)  # type: ignore[arg-type]


@router.get("/assessments/{assessment_id}", response=AssessmentOut, summary="Satu penilaian")
def get_assessment(request: HttpRequest, assessment_id: DbId) -> Assessment:
    return selectors.assessment_get_for_user(user=request.user, pk=assessment_id)  # type: ignore[arg-type]


@router.get("/results", response=list[ResultOut], summary="Hasil penilaian yang sudah final")
@paginate(Paginated)
def list_results(request: HttpRequest, filters: Query[AssessmentQuery]) -> Any:
    """Rating hasil kerja, rating perilaku dan predikat dari penilaian final (PermenPANRB
    6/2022), periodik maupun tahunan."""
    qs = selectors.assessments_visible_to(request.user).filter(  # type: ignore[arg-type]
        status=AssessmentStatus.FINAL
    )
    return _filtered(qs, filters)


@router.get("/objections", response=list[ObjectionOut], summary="Keberatan atas penilaian")
@paginate(Paginated)
def list_objections(
    request: HttpRequest,
    status: ObjectionStatus | None = None,
    year: int | None = Query(None, ge=2000, le=2100),  # type: ignore[assignment]
) -> Any:
    qs = selectors.objections_visible_to(request.user)  # type: ignore[arg-type]
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(assessment__year=year)
    return qs.order_by("-submitted_at", "pk")


@router.get("/objections/{objection_id}", response=ObjectionOut, summary="Satu keberatan")
def get_objection(request: HttpRequest, objection_id: DbId) -> Objection:
    return selectors.objection_get_for_user(user=request.user, pk=objection_id)  # type: ignore[arg-type]
