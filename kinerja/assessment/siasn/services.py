"""The SIASN export as an act: each export that lets data leave (the XLSX, the API's rows, the
command's file) is written to the audit trail with its period, scope and counts. The dry-run
only reads and is not audited."""

from __future__ import annotations

from typing import Any

from kinerja.core.audit import AuditAction, audit_record
from kinerja.organisation.models import User

from . import xlsx
from .mapping import load_mapping
from .selectors import SiasnExport, resolve_period, resolve_unit, siasn_export

EXPORT_KIND = "assessment.siasn"
EXPORT_TITLE = "Ekspor SIASN kinerja periodik (XLSX)"


def siasn_export_record(*, by: User | None, export: SiasnExport, channel: str) -> None:
    """Audit one export (`channel`: "xlsx", "api", "perintah")."""
    scope = export.unit.name if export.unit is not None else "Kabupaten"
    audit_record(
        actor=by,
        action=AuditAction.EXPORT,
        object_type="assessment.siasn",
        object_id=export.period.code,
        object_repr=f"SIASN kinerja periodik {export.period.label} — {scope}"[:300],
        changes={
            "kanal": channel,
            "periode": export.period.code,
            "unit": export.unit.pk if export.unit is not None else None,
            "siap": len(export.rows),
            "ditolak": len(export.rejected),
        },
    )


def siasn_export_build(
    *, user: User, params: dict[str, Any], progress: Any = None, audit: bool = True
) -> tuple[bytes, str, str]:
    """The XLSX for `params` (tahun, periode, unit) — the builder of the background export
    "assessment.siasn" (kinerja.core.exports). PermissionError without the right; BadRequest
    (a ValueError) for a bad parameter; MappingError for a malformed mapping file."""
    period = resolve_period(params.get("tahun"), params.get("periode"))
    unit = resolve_unit(params.get("unit"))
    mapping = load_mapping()
    export = siasn_export(user=user, period=period, unit=unit, mapping=mapping)
    if progress is not None:
        progress(60)
    data = xlsx.render(export)
    if audit:
        siasn_export_record(by=user, export=export, channel="xlsx")
    return data, xlsx.filename(export), xlsx.XLSX_MIME
