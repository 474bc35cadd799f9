"""The SIASN "kinerja periodik" export as data: one row per finalised periodic or annual result
(PermenPANRB 6/2022) that SIASN would accept, and the people in scope whose data it would
reject, each with the reasons in Indonesian (the dry-run).

Who is in scope: everyone with an assessment for the period whose unit (at the assessment) lies
in the chosen unit's subtree, and every active employee of that subtree who has none (they are
"belum final: belum dinilai"). A result is exported only when it is final, the employee's NIP is
valid (18 digits, DOMAIN §7), there is an assessing official, and every code it needs is set in
the mapping (codes unknown here are configuration, never guessed: mapping.py).

The work is a fixed number of queries whatever the number of people (two `values()` reads).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from kinerja.organisation import access
from kinerja.organisation.models import Employee, Unit, User
from kinerja.rules.enums import Predikat, Rating
from kinerja.rules.nip import InvalidNip, parse_nip
from kinerja.rules.periods import Period, Periodicity, parse_period

from ..choices import AssessmentStatus
from ..models import Assessment
from .mapping import STATUS_LABELS, STATUS_PEJABAT, SiasnMapping, missing_message, period_key

# Reason keys (JSON `alasan`) → the short Indonesian name used in counts.
REASONS = {
    "tanpa_nip": "Tidak ada NIP",
    "nip_tidak_valid": "NIP tidak valid (18 digit)",
    "tanpa_penilai": "Tidak ada penilai",
    "nip_penilai_tidak_valid": "NIP penilai tidak valid",
    "belum_final": "Belum final",
    "kode_belum_diatur": "Kode SIASN belum diatur",
}

# (key, XLSX header, what it is) — the columns of the export, in order; docs/SIASN.md lists them.
COLUMNS: list[tuple[str, str]] = [
    ("nip", "NIP"),
    ("nama", "Nama"),
    ("unit_kerja", "Unit Kerja"),
    ("opd", "OPD"),
    ("tahun", "Tahun"),
    ("periode", "Periode"),
    ("kode_periode", "Kode Periodik SIASN (periodikId)"),
    ("bulan_mulai", "Bulan Mulai Penilaian"),
    ("tahun_mulai", "Tahun Mulai Penilaian"),
    ("bulan_selesai", "Bulan Selesai Penilaian"),
    ("tahun_selesai", "Tahun Selesai Penilaian"),
    ("hasil_kerja", "Rating Hasil Kerja"),
    ("kode_hasil_kerja", "Kode Hasil Kerja (hasilKinerjaNilai)"),
    ("perilaku", "Rating Perilaku Kerja"),
    ("kode_perilaku", "Kode Perilaku Kerja (perilakuKerjaNilai)"),
    ("predikat", "Predikat Kinerja"),
    ("kode_predikat", "Kode Kuadran Kinerja (kuadranKinerjaNilai)"),
    ("penilai_nip", "NIP Penilai (penilaiNipNrp)"),
    ("penilai_nama", "Nama Penilai (penilaiNama)"),
    ("penilai_jabatan", "Jabatan Penilai (penilaiJabatanNama)"),
    ("penilai_golongan", "Golongan Penilai"),
    ("penilai_unit", "Unit Kerja Penilai (penilaiUnorNama)"),
    ("status_penilai", "Status Penilai"),
    ("kode_status_penilai", "Kode Status Penilai (statusPenilai)"),
    ("tanggal_final", "Tanggal Final"),
]
TEXT_COLUMNS = {"nip", "penilai_nip"}  # identifiers: always text, never a number

_SHORT_PERIOD = re.compile(r"^(?P<letter>[TSB])(?P<number>\d{1,2})$")


class BadRequest(ValueError):
    """A year, period or unit that does not exist; the message is shown as it is."""


def resolve_period(tahun: Any, periode: Any) -> Period:
    """The period named by a year and `periode`: empty, "tahunan" or "TH" → the annual one;
    "T1", "S2", "B3"/"B03" or a full code "2026-T1" → that periodic one (of that year)."""
    try:
        year = int(str(tahun).strip())
    except (TypeError, ValueError):
        raise BadRequest("Tahun harus bilangan bulat, misalnya 2026.") from None
    if not 2000 <= year <= 2100:
        raise BadRequest("Tahun harus antara 2000 dan 2100.")
    raw = str(periode or "").strip().upper()
    try:
        if raw in ("", "TAHUNAN", "TH"):
            return Period(year, Periodicity.ANNUAL)
        short = _SHORT_PERIOD.match(raw)
        if short:
            letter, number = short["letter"], int(short["number"])
            code = f"{year}-{letter}{number:02d}" if letter == "B" else f"{year}-{letter}{number}"
            return parse_period(code)
        period = parse_period(raw)
    except ValueError:
        raise BadRequest(
            f"Periode {periode!r} tidak dikenal; gunakan tahunan, T1–T4, S1–S2 atau B01–B12."
        ) from None
    if period.year != year:
        raise BadRequest(f"Periode {period.code} bukan periode tahun {year}.")
    return period


def resolve_unit(raw: Any) -> Unit | None:
    text = str(raw or "").strip()
    if not text:
        return None
    unit = Unit.objects.filter(pk=int(text)).first() if text.isdigit() and len(text) < 19 else None
    if unit is None:
        raise BadRequest("Unit kerja tidak ditemukan.")
    return unit


@dataclass(frozen=True)
class Rejected:
    """Someone in scope whose data SIASN would reject, with every reason."""

    nip: str
    nama: str
    unit_kerja: str
    opd: str
    status: str  # "belum dinilai", "draf" or "final"
    reasons: list[tuple[str, str]]  # (reason key, Indonesian sentence)

    def as_dict(self) -> dict[str, Any]:
        return {
            "nip": self.nip,
            "nama": self.nama,
            "unit_kerja": self.unit_kerja,
            "opd": self.opd,
            "status": self.status,
            "alasan": [{"kode": k, "pesan": m} for k, m in self.reasons],
        }


@dataclass
class SiasnExport:
    """Rows ready for SIASN and the rejected people of one period (and unit)."""

    period: Period
    unit: Unit | None
    rows: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    missing_codes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.rejected)

    @property
    def reason_counts(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for person in self.rejected:
            counts.update({key for key, _message in person.reasons})
        return {key: counts[key] for key in REASONS if counts[key]}

    def summary(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "siap": len(self.rows),
            "ditolak": len(self.rejected),
            "alasan": self.reason_counts,
        }


def _name(front: str, name: str, back: str) -> str:
    full = f"{front} {name}".strip()
    return f"{full}, {back}" if back else full


def _nip_problem(nip: str | None, key_missing: str, key_bad: str) -> tuple[str, str] | None:
    if not (nip or "").strip():
        return key_missing, REASONS[key_missing] + "."
    try:
        parse_nip(nip or "")
    except InvalidNip as exc:
        return key_bad, f"{REASONS[key_bad]}: {exc}"
    return None


def _scope(qs: QuerySet[Any], unit: Unit | None, field_name: str) -> QuerySet[Any]:
    return qs.filter(access.under(unit.path, field_name)) if unit is not None else qs


def _finalised_on(moment: datetime | None) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def siasn_export(
    *, user: User, period: Period, unit: Unit | None, mapping: SiasnMapping
) -> SiasnExport:
    """The export of `period` (and `unit`'s subtree) as `user` may see it; PermissionError when
    `user` may not export to SIASN at all (access.can_export_siasn)."""
    if not access.can_export_siasn(user):
        raise PermissionError
    result = SiasnExport(period=period, unit=unit)
    result.missing_codes = mapping.missing([period_key(period)])
    visible = access.employee_filter(user, "employee__")
    assessments = _scope(
        Assessment.objects.filter(visible, period=period.code), unit, "unit__path"
    ).values(
        "status",
        "hasil",
        "perilaku",
        "predikat",
        "finalised_at",
        "employee_snapshot",
        "assessor_id",
        "assessor_snapshot",
        "employee__nip",
        "employee__name",
        "employee__front_title",
        "employee__back_title",
        "assessor__nip",
        "assessor__status",
        "assessor__golongan",
        "unit__name",
        "opd__name",
    )
    for a in assessments.iterator(chunk_size=2000):
        _one(result, a, period, mapping)
    unassessed = (
        _scope(
            Employee.objects.filter(access.employee_filter(user), is_active=True),
            unit,
            "unit__path",
        )
        .exclude(pk__in=Assessment.objects.filter(period=period.code).values("employee_id"))
        .values("nip", "name", "front_title", "back_title", "unit__name", "unit__opd__name")
    )
    for e in unassessed.iterator(chunk_size=2000):
        reasons = [("belum_final", "Belum final: belum dinilai pada periode ini.")]
        problem = _nip_problem(e["nip"], "tanpa_nip", "nip_tidak_valid")
        if problem:
            reasons.insert(0, problem)
        result.rejected.append(
            Rejected(
                nip=e["nip"] or "",
                nama=_name(e["front_title"], e["name"], e["back_title"]),
                unit_kerja=e["unit__name"],
                opd=e["unit__opd__name"] or e["unit__name"],
                status="belum dinilai",
                reasons=reasons,
            )
        )
    result.rows.sort(key=lambda r: (r["opd"], r["unit_kerja"], r["nama"], r["nip"]))
    result.rejected.sort(key=lambda r: (r.opd, r.unit_kerja, r.nama, r.nip))
    return result


def _one(result: SiasnExport, a: dict[str, Any], period: Period, mapping: SiasnMapping) -> None:
    nip = a["employee__nip"] or ""
    snapshot = a["employee_snapshot"] or {}
    name = snapshot.get("name") or _name(
        a["employee__front_title"], a["employee__name"], a["employee__back_title"]
    )
    reasons: list[tuple[str, str]] = []
    problem = _nip_problem(nip, "tanpa_nip", "nip_tidak_valid")
    if problem:
        reasons.append(problem)
    final = a["status"] == AssessmentStatus.FINAL
    if not final:
        reasons.append(("belum_final", "Belum final: penilaian masih draf."))
    # The assessing official: an employee, or Pimpinan Daerah (no record here; the regent's
    # name comes from the mapping's [pimpinan_daerah]).
    assessor = a["assessor_snapshot"] or {}
    if a["assessor_id"] is not None:
        status_key = a["assessor__status"]
        penilai = {
            "penilai_nip": a["assessor__nip"] or "",
            "penilai_nama": assessor.get("name", ""),
            "penilai_jabatan": assessor.get("position", ""),
            "penilai_golongan": a["assessor__golongan"] or "",
            "penilai_unit": assessor.get("unit", ""),
        }
        problem = _nip_problem(a["assessor__nip"], "tanpa_penilai", "nip_penilai_tidak_valid")
        if problem:
            reasons.append(problem)
    elif mapping.pimpinan_nama:
        status_key = STATUS_PEJABAT
        penilai = {
            "penilai_nip": "",
            "penilai_nama": mapping.pimpinan_nama,
            "penilai_jabatan": mapping.pimpinan_jabatan,
            "penilai_golongan": "",
            "penilai_unit": "",
        }
    else:
        status_key = STATUS_PEJABAT
        penilai = {}
        reasons.append(
            (
                "tanpa_penilai",
                "Tidak ada penilai: dinilai Pimpinan Daerah, tetapi nama pejabatnya belum "
                "diatur di [pimpinan_daerah] berkas pemetaan SIASN.",
            )
        )
    codes: dict[str, str] = {}
    if final:
        wanted = [
            ("kode_periode", "periode", period_key(period)),
            ("kode_hasil_kerja", "hasil_kerja", a["hasil"]),
            ("kode_perilaku", "perilaku", a["perilaku"]),
            ("kode_predikat", "predikat", a["predikat"]),
        ]
        if penilai:
            wanted.append(("kode_status_penilai", "status_penilai", status_key))
        for column, table, key in wanted:
            codes[column] = mapping.code(table, key)
            if not codes[column]:
                reasons.append(("kode_belum_diatur", missing_message(table, key)))
    opd = a["opd__name"] or a["unit__name"]
    if reasons:
        result.rejected.append(
            Rejected(
                nip=nip,
                nama=name,
                unit_kerja=a["unit__name"],
                opd=opd,
                status="final" if final else "draf",
                reasons=reasons,
            )
        )
        return
    result.rows.append(
        {
            "nip": nip,
            "nama": name,
            "unit_kerja": a["unit__name"],
            "opd": opd,
            "tahun": period.year,
            "periode": period.label,
            "kode_periode": codes["kode_periode"],
            "bulan_mulai": period.months[0],
            "tahun_mulai": period.year,
            "bulan_selesai": period.months[-1],
            "tahun_selesai": period.year,
            "hasil_kerja": Rating(a["hasil"]).label,
            "kode_hasil_kerja": codes["kode_hasil_kerja"],
            "perilaku": Rating(a["perilaku"]).label,
            "kode_perilaku": codes["kode_perilaku"],
            "predikat": Predikat(a["predikat"]).label,
            "kode_predikat": codes["kode_predikat"],
            **penilai,
            "status_penilai": STATUS_LABELS.get(status_key, status_key),
            "kode_status_penilai": codes["kode_status_penilai"],
            "tanggal_final": _finalised_on(a["finalised_at"]),
        }
    )
