"""GET /api/v1/siasn/kinerja-periodik: the SIASN export as JSON (issue 17).

Only a personal token with the scope "admin" opens it (`Authorization: Bearer …`), and only for
an owner who may export to SIASN (access.can_export_siasn: BKPSDM; 404 for anyone else, as on
the pages). `?dry_run=1` answers only the summary and the rejected people, and is not audited;
otherwise the rows of the page are returned and the export is audited.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from kinerja.core.apikit import page_link
from kinerja.organisation import access
from kinerja.organisation.models import ApiToken
from kinerja.organisation.tokens import TokenAuth, digest

from .mapping import MappingError, load_mapping
from .selectors import BadRequest, resolve_period, resolve_unit, siasn_export
from .services import siasn_export_record

MAX_PAGE_SIZE = 200


class AdminTokenAuth(TokenAuth):
    """A usable personal token whose scopes include "admin" (a "read" token is refused: 401)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = super().authenticate(request, token)
        if user is None:
            return None
        scopes = ApiToken.objects.filter(digest=digest(token)).values_list("scopes", flat=True)
        return user if "admin" in (scopes.first() or []) else None


router = Router(tags=["SIASN"], auth=AdminTokenAuth())


class Filters(Schema):
    tahun: int = Field(..., ge=2000, le=2100, description="Tahun penilaian, misalnya 2026.")
    periode: str = Field(
        "tahunan",
        max_length=12,
        description="tahunan (default), T1–T4, S1–S2, B01–B12, atau kode lengkap 2026-T1.",
    )
    unit: int | None = Field(None, ge=1, le=2**63 - 1, description="Id unit kerja (subpohon).")
    dry_run: bool = Field(False, description="1: hanya ringkasan dan daftar yang ditolak.")
    page: int = Field(1, ge=1, le=10**9)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class RowOut(Schema):
    nip: str
    nama: str
    unit_kerja: str
    opd: str
    tahun: int
    periode: str
    kode_periode: str
    bulan_mulai: int
    tahun_mulai: int
    bulan_selesai: int
    tahun_selesai: int
    hasil_kerja: str
    kode_hasil_kerja: str
    perilaku: str
    kode_perilaku: str
    predikat: str
    kode_predikat: str
    penilai_nip: str
    penilai_nama: str
    penilai_jabatan: str
    penilai_golongan: str
    penilai_unit: str
    status_penilai: str
    kode_status_penilai: str
    tanggal_final: str


class ReasonOut(Schema):
    kode: str
    pesan: str


class RejectedOut(Schema):
    nip: str
    nama: str
    unit_kerja: str
    opd: str
    status: str
    alasan: list[ReasonOut]


class SummaryOut(Schema):
    total: int
    siap: int
    ditolak: int
    alasan: dict[str, int]


class ExportOut(Schema):
    tahun: int
    periode: str
    periode_label: str
    unit: int | None
    dry_run: bool
    ringkasan: SummaryOut
    kode_belum_diatur: list[str]
    count: int
    next: str | None
    previous: str | None
    items: list[RowOut]
    rejected_count: int
    rejected: list[RejectedOut]


@router.get("/siasn/kinerja-periodik", response=ExportOut)
def kinerja_periodik(request: HttpRequest, filters: Query[Filters]) -> dict[str, Any]:
    """Hasil penilaian periodik/tahunan yang final dalam bentuk kiriman "kinerja periodik"
    SIASN, dan daftar pegawai yang datanya akan ditolak beserta alasannya. `items` dan
    `rejected` dipaginasi bersama dengan `page`/`page_size` (≤ 200)."""
    user = request.user
    if not access.can_export_siasn(user):  # type: ignore[arg-type]
        raise Http404
    try:
        period = resolve_period(filters.tahun, filters.periode)
        unit = resolve_unit(filters.unit)
        mapping = load_mapping()
    except BadRequest as exc:
        raise HttpError(400, str(exc)) from None
    except MappingError as exc:
        raise HttpError(503, f"Ekspor SIASN tidak tersedia: {exc}") from None
    export = siasn_export(user=user, period=period, unit=unit, mapping=mapping)  # type: ignore[arg-type]
    size, page = filters.page_size, filters.page
    start = (page - 1) * size
    rows = [] if filters.dry_run else export.rows
    longest = max(len(rows), len(export.rejected))
    if not filters.dry_run:
        siasn_export_record(by=user, export=export, channel="api")  # type: ignore[arg-type]
    return {
        "tahun": period.year,
        "periode": period.code,
        "periode_label": period.label,
        "unit": unit.pk if unit is not None else None,
        "dry_run": filters.dry_run,
        "ringkasan": export.summary(),
        "kode_belum_diatur": export.missing_codes,
        "count": len(rows),
        "next": page_link(request, page + 1) if start + size < longest else None,
        "previous": page_link(request, page - 1) if page > 1 else None,
        "items": rows[start : start + size],
        "rejected_count": len(export.rejected),
        "rejected": [r.as_dict() for r in export.rejected[start : start + size]],
    }
