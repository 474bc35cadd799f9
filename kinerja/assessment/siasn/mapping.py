"""The mapping from Kinerja's vocabularies to SIASN's national reference codes, kept as a
configuration file (TOML; `config/siasn_mapping.toml`, path overridable by the setting
``SIASN_MAPPING_PATH``) because the codes belong to BKN, not to this project.

A code that is not known is left empty ("") in the file: the export never guesses one. Every
result that needs an empty code is rejected and listed by the dry-run ("kode SIASN untuk …
belum diatur"). A malformed file (unknown or missing table or key, a value that is not text or
a whole number) is refused as a whole: :class:`MappingError`, reported at start-up by the
system check kinerja.E101 (kinerja/assessment/siasn/checks.py).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from django.conf import settings

from kinerja.rules.enums import Predikat, Rating
from kinerja.rules.periods import Period, Periodicity

__all__ = [
    "TABLES",
    "MappingError",
    "SiasnMapping",
    "load_mapping",
    "mapping_path",
    "period_key",
]

MAX_CODE_LENGTH = 40

# Assessor status keys: an employee's EmploymentStatus value, or "pejabat" for Pimpinan Daerah
# (the regent is a pejabat negara, not an ASN, and has no employee record here).
STATUS_PEJABAT = "pejabat"
STATUS_LABELS = {"pns": "PNS", "pppk": "PPPK", STATUS_PEJABAT: "Pejabat negara"}

PERIOD_KEYS = (
    "TH",
    *(f"T{n}" for n in range(1, 5)),
    *(f"S{n}" for n in range(1, 3)),
    *(f"B{n:02d}" for n in range(1, 13)),
)

# Table → (the SIASN field it fills, Indonesian name of what it maps, {key: label}).
TABLES: Mapping[str, tuple[str, str, Mapping[str, str]]] = MappingProxyType(
    {
        "hasil_kerja": (
            "hasilKinerjaNilai",
            "rating hasil kerja",
            {r.value: r.label for r in Rating},
        ),
        "perilaku": (
            "perilakuKerjaNilai",
            "rating perilaku kerja",
            {r.value: r.label for r in Rating},
        ),
        "predikat": ("kuadranKinerjaNilai", "predikat", {p.value: p.label for p in Predikat}),
        "status_penilai": ("statusPenilai", "status penilai", STATUS_LABELS),
        "periode": ("periodikId", "periode", {k: k for k in PERIOD_KEYS}),
    }
)
PIMPINAN_KEYS = ("nama", "jabatan")


class MappingError(ValueError):
    """The mapping file cannot be used; the message (Indonesian) says where and why."""


@dataclass(frozen=True)
class SiasnMapping:
    """The codes, by table and Kinerja key ("" where the code is not set), and the regent's
    name and title used as assessor of those Pimpinan Daerah rates."""

    codes: Mapping[str, Mapping[str, str]]
    pimpinan_nama: str = ""
    pimpinan_jabatan: str = ""
    source: str = ""

    def code(self, table: str, key: str) -> str:
        return self.codes.get(table, {}).get(key, "")

    def missing(self, period_keys: Iterable[str] | None = None) -> list[str]:
        """Every code left empty, as "rating hasil kerja “Di Atas Ekspektasi”" phrases; for
        [periode] only `period_keys` when given (the periods the regency uses)."""
        wanted = set(period_keys) if period_keys is not None else None
        out = []
        for table, (_field, what, labels) in TABLES.items():
            for key, label in labels.items():
                if table == "periode" and wanted is not None and key not in wanted:
                    continue
                if not self.code(table, key):
                    out.append(f"{what} “{label}”")
        return out


def period_key(period: Period) -> str:
    """The key of a period in the [periode] table: the suffix of its code (2026-T1 → T1)."""
    return period.code.split("-", 1)[1]


def missing_message(table: str, key: str) -> str:
    _field, what, labels = TABLES[table]
    return f"Kode SIASN untuk {what} “{labels.get(key, key)}” belum diatur."


def mapping_path() -> Path:
    default = Path(settings.BASE_DIR) / "config" / "siasn_mapping.toml"
    return Path(getattr(settings, "SIASN_MAPPING_PATH", "") or default)


def _code(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MappingError(f"{where}: kode harus teks atau bilangan bulat, bukan {value!r}.")
    text = str(value).strip()
    if len(text) > MAX_CODE_LENGTH:
        raise MappingError(f"{where}: kode lebih dari {MAX_CODE_LENGTH} karakter.")
    return text


def parse_mapping(data: Mapping[str, Any], source: str = "") -> SiasnMapping:
    """Validate a parsed mapping document; MappingError naming the first problems found."""
    problems: list[str] = []
    expected = {*TABLES, "pimpinan_daerah"}
    for name in sorted(set(data) - expected):
        problems.append(f"tabel [{name}] tidak dikenal")
    codes: dict[str, dict[str, str]] = {}
    for table, (_field, _what, labels) in TABLES.items():
        raw = data.get(table)
        if not isinstance(raw, dict):
            problems.append(f"tabel [{table}] tidak ada")
            continue
        for key in sorted(set(raw) - set(labels)):
            problems.append(f"[{table}] kunci {key!r} tidak dikenal")
        for key in labels:
            if key not in raw:
                problems.append(f"[{table}] kunci {key!r} tidak ada")
                continue
            try:
                codes.setdefault(table, {})[key] = _code(raw[key], f"[{table}] {key}")
            except MappingError as exc:
                problems.append(str(exc))
    pimpinan = data.get("pimpinan_daerah", {})
    texts: dict[str, str] = {}
    if not isinstance(pimpinan, dict):
        problems.append("[pimpinan_daerah] harus berupa tabel")
        pimpinan = {}
    for key in sorted(set(pimpinan) - set(PIMPINAN_KEYS)):
        problems.append(f"[pimpinan_daerah] kunci {key!r} tidak dikenal")
    for key in PIMPINAN_KEYS:
        value = pimpinan.get(key, "")
        if not isinstance(value, str) or len(value) > 200:
            problems.append(f"[pimpinan_daerah] {key} harus teks (paling banyak 200 karakter)")
        else:
            texts[key] = " ".join(value.split())
    if problems:
        shown = "; ".join(problems[:8]) + ("; …" if len(problems) > 8 else "")
        raise MappingError(f"Berkas pemetaan SIASN {source or ''} tidak valid: {shown}.")
    frozen = {t: MappingProxyType(v) for t, v in codes.items()}
    return SiasnMapping(
        codes=MappingProxyType(frozen),
        pimpinan_nama=texts.get("nama", ""),
        pimpinan_jabatan=texts.get("jabatan", ""),
        source=source,
    )


def load_mapping(path: Path | str | None = None) -> SiasnMapping:
    """Read and validate the mapping file (read every time: it is small, and an edit by the
    administrator takes effect without a restart)."""
    file = Path(path) if path is not None else mapping_path()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MappingError(f"Berkas pemetaan SIASN {file} tidak ditemukan.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"Berkas pemetaan SIASN {file} tidak dapat dibaca: {exc}.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"Berkas pemetaan SIASN {file} bukan TOML yang valid: {exc}.") from None
    return parse_mapping(data, str(file))


def periodicity_keys(kind: Periodicity) -> list[str]:
    """The [periode] keys a periodicity uses (for the page's list of missing codes)."""
    prefix = {
        Periodicity.QUARTERLY: "T",
        Periodicity.SEMESTER: "S",
        Periodicity.MONTHLY: "B",
        Periodicity.ANNUAL: "TH",
    }[kind]
    return [k for k in PERIOD_KEYS if k.startswith(prefix) and (k == "TH") == (prefix == "TH")]
