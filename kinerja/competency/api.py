"""API of competency development (issue 12), scoped by the same access policy as the pages:
the JP of one employee in one year, and self-enrolment into a session."""

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from kinerja.core.apikit import MAX_PAGE_SIZE, ErrorOut, page_of
from kinerja.core.params import MAX_PAGE, DbId
from kinerja.organisation import access
from kinerja.organisation.models import Employee
from kinerja.organisation.selectors import employee_search, employees_visible_to

from . import selectors, services

router = Router(tags=["kompetensi"])


class JpQuery(Schema):
    nip: Annotated[str, Field(pattern=r"^\d{18}$", description="NIP, 18 digit")]
    year: Annotated[int, Field(ge=2000, le=2100, description="Tahun, mis. 2026")]


class JpOut(Schema):
    nip: str
    year: int
    required_jp: int
    completed_jp: str
    enrolled_jp: str
    shortfall_jp: str


class EnrolmentOut(Schema):
    status: str
    position: int | None


Message = ErrorOut  # the API's one error shape (kinerja.core.apikit)


@router.get("/competency/jp", response=JpOut, summary="JP seorang pegawai dalam setahun")
def get_jp(request: HttpRequest, query: Query[JpQuery]) -> dict[str, Any]:
    """JP selesai, terdaftar dan kekurangan terhadap kewajiban 20 JP (PP 11/2017), sebagai teks
    dengan 2 desimal. 404 bila pegawai tidak ada atau di luar lingkup akses."""
    employee = (
        Employee.objects.filter(access.employee_filter(request.user), nip=query.nip)  # type: ignore[arg-type]
        .only("pk", "nip", "status")
        .first()
    )
    if employee is None:
        raise Http404
    totals = selectors.jp_provider(employee_ids=[employee.pk], year=query.year)[employee.pk]
    return {
        "nip": employee.nip,
        "year": query.year,
        "required_jp": selectors.required_jp(employee.status),
        "completed_jp": f"{totals.completed_jp:.2f}",
        "enrolled_jp": f"{totals.enrolled_jp:.2f}",
        "shortfall_jp": f"{totals.shortfall_jp:.2f}",
    }


class JpLineOut(JpOut):
    employee_id: int
    name: str


class JpListQuery(Schema):
    year: Annotated[int, Field(ge=2000, le=2100, description="Tahun, mis. 2026")]
    opd: DbId | None = Field(None, description="Id unit OPD")
    unit: DbId | None = Field(None, description="Id unit (beserta sub-unitnya)")
    q: str = Field("", max_length=100, description="Nama atau awal NIP")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class JpPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[JpLineOut]


@router.get("/competency/jp/people", response=JpPage, summary="JP pegawai yang boleh Anda lihat")
def list_jp(request: HttpRequest, query: Query[JpListQuery]) -> dict[str, Any]:
    """Satu baris per pegawai aktif: JP selesai, terdaftar dan kekurangannya pada tahun itu."""
    qs = employee_search(
        employees_visible_to(request.user),  # type: ignore[arg-type]
        q=query.q,
        opd=query.opd,
        unit=query.unit,
    ).order_by("name", "nip")
    people = qs.select_related(None).only("pk", "nip", "name", "status")
    page = page_of(request, people, query.page, query.page_size)
    totals = selectors.jp_totals_for(page["results"], query.year)
    page["results"] = [
        {
            "employee_id": e.pk,
            "name": e.name,
            "nip": e.nip,
            "year": query.year,
            "required_jp": selectors.required_jp(e.status),
            "completed_jp": f"{totals[e.pk].completed_jp:.2f}",
            "enrolled_jp": f"{totals[e.pk].enrolled_jp:.2f}",
            "shortfall_jp": f"{totals[e.pk].shortfall_jp:.2f}",
        }
        for e in page["results"]
    ]
    return page


@router.post(
    "/competency/sessions/{session_id}/enrolments",
    response={201: EnrolmentOut, 400: Message, 409: Message},
    summary="Mendaftarkan diri ke sesi pelatihan",
)
def post_enrolment(request: HttpRequest, session_id: DbId) -> Status:
    """Pegawai yang masuk mendaftarkan dirinya: 201 dengan status (enrolled, pending_approval,
    waitlisted) dan urutan tunggu; 409 bila sudah terdaftar; 400 bila pendaftaran ditutup."""
    user = request.user
    session = selectors.session_get(user, session_id)  # type: ignore[arg-type]
    if user.employee_id is None:  # type: ignore[union-attr]
        return Status(
            400, {"detail": "Akun ini bukan akun pegawai, sehingga tidak dapat mendaftar."}
        )
    try:
        enrolment = services.enrolment_create(
            session=session,
            employee=user.employee,  # type: ignore[union-attr]
            by=user,  # type: ignore[arg-type]
        )
    except services.AlreadyEnrolled as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    except ValidationError as exc:
        return Status(400, {"detail": " ".join(exc.messages)})
    return Status(201, {"status": enrolment.status, "position": enrolment.waitlist_position})
