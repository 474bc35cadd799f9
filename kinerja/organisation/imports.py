"""Bulk import of units, positions and employees from XLSX/CSV (BKPSDM).

All-or-nothing per file: every row is validated first and the report lists each bad row and
why; only a file without errors is written, in one transaction. Rows are matched on their key
(unit code, position name, NIP), so importing the same file again changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from kinerja.core import events
from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.params import whole_number
from kinerja.core.tabular import (
    Table,
    TableError,
    identifier_as_number_message,
    read_table,
    too_long_message,
)
from kinerja.rules.nip import InvalidNip, parse_nip

from . import services
from .choices import (
    EmploymentStatus,
    Golongan,
    Jenjang,
    PositionKind,
    Sector,
    UnitKind,
)
from .import_apply import apply_employees, plan_employees, undo_employees
from .models import Employee, Position, Unit, User

logger = logging.getLogger(__name__)

YES = {"ya", "y", "yes", "1", "true", "aktif", "benar"}
NO = {"tidak", "t", "no", "n", "0", "false", "nonaktif", "salah"}


@dataclass(frozen=True)
class Column:
    header: str
    required: bool
    help: str
    example: str = ""

    @property
    def key(self) -> str:
        return self.header.lower()


UNIT_COLUMNS = [
    Column(
        "Kode Unit", True, "Kode unik unit, misalnya DINKES atau DINKES-PKM-01", "DINKES-PKM-09"
    ),
    Column("Nama Unit", True, "Nama lengkap unit", "UPT Puskesmas Sukamaju"),
    Column("Jenis", True, "Salah satu: " + ", ".join(map(str, UnitKind.labels)), "UPT Puskesmas"),
    Column("Kode Induk", False, "Kode unit induk; kosong untuk OPD", "DINKES"),
    Column(
        "Bidang Urusan", False, "Salah satu: " + ", ".join(map(str, Sector.labels)), "Kesehatan"
    ),
    Column("Melayani Publik", False, "Ya atau Tidak (bawaan: Tidak)", "Ya"),
    Column("Alamat", False, "Alamat kantor", "Jl. Merdeka No. 5"),
]
POSITION_COLUMNS = [
    Column("Nama Jabatan", True, "Nama jabatan, unik", "Perawat Ahli Pertama"),
    Column(
        "Jenis Jabatan",
        True,
        "Salah satu: " + ", ".join(map(str, PositionKind.labels)),
        "Fungsional",
    ),
    Column("Kelas Jabatan", True, "Angka 1 sampai 17", "8"),
    Column(
        "Jenjang",
        False,
        "Wajib untuk jabatan fungsional: " + ", ".join(map(str, Jenjang.labels)),
        "Ahli Pertama",
    ),
]
EMPLOYEE_COLUMNS = [
    Column("NIP", True, "18 digit; spasi boleh", "19900514 201503 2 004"),
    Column("Nama", True, "Nama tanpa gelar", "Siti Rahmawati"),
    Column("Gelar Depan", False, "Misalnya dr. atau Ir.", ""),
    Column("Gelar Belakang", False, "Misalnya S.Kep., Ners", "S.Kep., Ners"),
    Column("Status", True, "PNS atau PPPK", "PNS"),
    Column("Golongan", True, "Misalnya III/a (PNS) atau IX (PPPK)", "III/a"),
    Column("Jabatan", True, "Nama jabatan yang sudah terdaftar", "Perawat Ahli Pertama"),
    Column("Kode Unit", True, "Kode unit kerja yang sudah terdaftar", "DINKES-PKM-01"),
    Column("NIP Atasan", False, "NIP atasan langsung (di berkas ini atau sudah terdaftar)", ""),
    Column("Email", False, "Alamat surel", ""),
    Column("Telepon", False, "Nomor telepon", ""),
    Column("Aktif", False, "Ya atau Tidak (bawaan: Ya)", "Ya"),
]
COLUMNS = {"units": UNIT_COLUMNS, "positions": POSITION_COLUMNS, "employees": EMPLOYEE_COLUMNS}
TITLES = {"units": "Unit Kerja", "positions": "Jabatan", "employees": "Pegawai"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    kind: str
    filename: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Problems past the first IMPORT_MAX_ERRORS are counted, not listed: a broken file of
    # 50,000 rows must not become a page of 50,000 messages.
    more_errors: int = 0
    # Set when a valid file could not be written (and was undone): not a row's fault.
    failed: str = ""
    # Units that an applied units file moved to another OPD, with their people (only when the
    # upload allowed it: see _opd_moves).
    opd_moves: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failed

    def add(self, row: int, column: str, message: str) -> None:
        if len(self.errors) >= int(getattr(settings, "IMPORT_MAX_ERRORS", 200)):
            self.more_errors += 1
            return
        self.errors.append(RowError(row, column, message))

    def summary(self) -> str:
        if self.failed:
            return self.failed
        if not self.ok:
            total = len(self.errors) + self.more_errors
            listed = (
                f" (ditampilkan {len(self.errors)} pertama, {self.more_errors} lainnya tidak)"
                if self.more_errors
                else f" pada {len({e.row for e in self.errors})} baris"
            )
            return f"Impor dibatalkan: {total} kesalahan{listed}. Tidak ada data yang diubah."
        moved = f" {len(self.opd_moves)} unit pindah OPD." if self.opd_moves else ""
        return (
            f"Impor berhasil: {self.rows} baris; {self.created} baru, {self.updated} diubah, "
            f"{self.unchanged} tanpa perubahan.{moved}"
        )


# The optional columns of existing rows that a file may leave out: (header key, field).
UNIT_OPTIONAL = (
    ("bidang urusan", "sector"),
    ("melayani publik", "serves_public"),
    ("alamat", "address"),
)
EMPLOYEE_OPTIONAL = (
    ("gelar depan", "front_title"),
    ("gelar belakang", "back_title"),
    ("email", "email"),
    ("telepon", "phone"),
    ("aktif", "is_active"),
)


def _keep_left_out(
    values: dict[str, Any], stored: Any, table: Table, columns: tuple[tuple[str, str], ...]
) -> None:
    """For a row that updates `stored` (None: a new row), an optional column left out of the
    file keeps the stored value; only a column that is there and empty clears it (or sets the
    default, such as Aktif = Ya). Without this, a file of the required columns alone reset
    e-mails, phones, titles and sectors it never mentioned."""
    if stored is None:
        return
    for column, key in columns:
        if column not in table.headers:
            values[key] = getattr(stored, key)


def _refuse_formula(report: ImportReport, number: int, column: str, value: str) -> None:
    """A value that can only be a formula (it starts with "=" or "@", a tab or a carriage
    return) is refused: no name, address or telephone number starts that way. A "+" or "-"
    is let through ("+62 812-3456-7890 (WA)", "- Jl. Raya"): every export writes text as
    text (kinerja.core.tabular), so such a value never runs."""
    if value[:1] in ("=", "@", "\t", "\r"):
        report.add(
            number,
            column,
            f"{column} diawali tanda '{value[:1].strip() or 'tab'}' sehingga dibaca Excel "
            "sebagai rumus. Hapus tanda itu di awal isian, lalu unggah lagi.",
        )


def _code_as_number(report: ImportReport, number: int, column: str, code: str, known: Any) -> None:
    """A code the workbook holds as a number is taken only when its text is a registered
    code (or one in the file): otherwise its leading zeros or its dot may already be gone
    (001 → 1, 1.10 → 1.1), and it is refused with what to do."""
    if code in known:
        return
    report.add(
        number,
        column,
        f"Kolom {column} berisi angka, bukan teks, dan {code} bukan kode yang terdaftar: "
        "angka nol di depan atau tanda titik bisa hilang (001 menjadi 1). Format kolom "
        f"{column} sebagai Teks (Format Cells → Text), ketik ulang kodenya, lalu unggah lagi.",
    )


def _choice(value: str, choices: Any) -> str | None:
    wanted = value.strip().lower()
    for key, label in choices.choices:
        if wanted in {str(key).lower(), str(label).lower()}:
            return str(key)
    return None


def _bool(value: str, default: bool) -> bool | None:
    wanted = value.strip().lower()
    if not wanted:
        return default
    if wanted in YES:
        return True
    if wanted in NO:
        return False
    return None


def _golongan(value: str, status: str) -> str | None:
    text = value.strip().upper().replace(" ", "")
    if status == EmploymentStatus.PPPK and not text.startswith("PPPK-"):
        text = f"PPPK-{text}"
    for key in Golongan.for_status(status):
        if key.upper() == text:
            return key
    return None


def import_file(
    *,
    kind: str,
    data: bytes,
    filename: str,
    by: User | None,
    dry_run: bool = False,
    on_apply: Callable[[dict[str, Any]], None] | None = None,
    progress: Callable[[int], None] | None = None,
    allow_opd_change: bool = False,
) -> ImportReport:
    """Check a whole file with no write, then (when valid and not a dry run) apply it; never
    a partial write. Employees are written in short batches (kinerja.organisation.import_apply):
    `on_apply(journal)` receives what an undo needs before the first write (the background
    job keeps it), `progress(percent)` follows the writing. Units and positions, a few hundred
    rows at most, are written in one transaction as they are checked. A units file that moves
    a registered unit to another OPD is refused unless `allow_opd_change` (_opd_moves)."""
    report = ImportReport(kind=kind, filename=filename)
    columns = COLUMNS[kind]
    try:
        table = read_table(data, filename)
    except TableError as exc:
        report.add(0, "", str(exc))
        return report
    missing = [c.header for c in columns if c.required and c.key not in table.headers]
    if missing:
        report.add(
            1,
            "",
            "Kolom wajib tidak ditemukan: "
            + ", ".join(missing)
            + ". Unduh templat untuk melihat judul kolom yang benar.",
        )
        return report
    report.rows = len(table.rows)
    if not table.rows:
        report.add(0, "", "Berkas tidak berisi baris data.")
        return report
    if kind == "employees":
        _import_employees(table, report, by, dry_run, on_apply, progress)
        return report
    importer: Callable[..., None] = {"units": _import_units, "positions": _import_positions}[kind]
    options = {"allow_opd_change": allow_opd_change} if kind == "units" else {}
    try:
        with transaction.atomic():
            importer(table, report, by, **options)
            if not report.ok or dry_run:
                transaction.set_rollback(True)
            else:
                _finish(report, by)
    except ValidationError as exc:  # a database-level check that the row checks missed
        report.add(0, "", "; ".join(exc.messages))
    return report


def _finish(report: ImportReport, by: User | None) -> None:
    """The audit record of an applied file and, after commit, the "people" event: figures that
    count people (the dashboards' "pegawai aktif", team sizes) follow an import at once."""
    if not (report.created or report.updated):
        return
    changed, kind = report.created + report.updated, report.kind
    transaction.on_commit(
        lambda: events.publish("people", employee_id=0, kind=kind, changed=changed)
    )
    audit_record(
        actor=by,
        action=AuditAction.IMPORT,
        object_type="import",
        object_repr=f"{TITLES[kind]}: {report.filename}"[:300],
        changes={
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            **({"opd_moves": report.opd_moves} if report.opd_moves else {}),
        },
    )


# --- Units -------------------------------------------------------------------------------


def _import_units(
    table: Table, report: ImportReport, by: User | None, allow_opd_change: bool = False
) -> None:
    existing = {u.code: u for u in Unit.objects.select_related("parent")}
    # Codes are matched exactly; one that differs from a registered code (or an earlier row's)
    # only in letter case is refused rather than made a second unit ("dinkes" beside "DINKES").
    by_folded = {code.casefold(): code for code in existing}
    seen: dict[str, tuple[int, str]] = {}
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, row in table.rows:
        code = row.get("kode unit", "").strip()
        values: dict[str, Any] = {"code": code, "name": row.get("nama unit", "").strip()}
        known = by_folded.get(code.casefold())
        if table.is_number(number, "kode unit") and code not in existing:
            _code_as_number(report, number, "Kode Unit", code, existing)
        elif not code:
            report.add(number, "Kode Unit", "Kode unit wajib diisi.")
        elif code.casefold() in seen:
            first_row, first_code = seen[code.casefold()]
            report.add(
                number,
                "Kode Unit",
                f"Kode unit {code} sudah muncul di baris {first_row}."
                if first_code == code
                else f"Kode unit {code} sama dengan {first_code} di baris {first_row} "
                "(hanya berbeda huruf besar/kecil).",
            )
        elif code not in existing and known is not None:
            report.add(
                number,
                "Kode Unit",
                f"Kode unit {code} hanya berbeda huruf besar/kecil dari unit terdaftar {known}; "
                f"tulis {known} untuk mengubah unit itu.",
            )
        elif code not in existing and (problem := services.unit_code_problem(code)):
            report.add(number, "Kode Unit", problem)
        seen.setdefault(code.casefold(), (number, code))
        if not values["name"]:
            report.add(number, "Nama Unit", "Nama unit wajib diisi.")
        _refuse_formula(report, number, "Nama Unit", values["name"])
        kind = _choice(row.get("jenis", ""), UnitKind)
        if kind is None:
            report.add(number, "Jenis", f"Jenis unit '{row.get('jenis', '')}' tidak dikenal.")
        values["kind"] = kind
        sector_text = row.get("bidang urusan", "")
        sector = _choice(sector_text, Sector) if sector_text else Sector.GENERAL
        if sector is None:
            report.add(number, "Bidang Urusan", f"Bidang urusan '{sector_text}' tidak dikenal.")
        values["sector"] = sector
        public = _bool(row.get("melayani publik", ""), False)
        if public is None:
            report.add(number, "Melayani Publik", "Isi dengan Ya atau Tidak.")
        values["serves_public"] = public
        values["address"] = row.get("alamat", "").strip()
        if len(values["address"]) > 300:
            report.add(number, "Alamat", too_long_message("Alamat", 300, len(values["address"])))
        _refuse_formula(report, number, "Alamat", values["address"])
        values["parent_code"] = row.get("kode induk", "").strip()
        if table.is_number(number, "kode induk"):
            _code_as_number(report, number, "Kode Induk", values["parent_code"], existing)
        unit = existing.get(code)
        _keep_left_out(values, unit, table, UNIT_OPTIONAL)
        if unit is not None and "kode induk" not in table.headers:
            values["parent_code"] = unit.parent.code if unit.parent_id else ""
        parsed.append((number, values))
    codes_in_file = {v["code"] for _, v in parsed}
    for number, values in parsed:
        parent_code = values["parent_code"]
        is_opd = values["kind"] in UnitKind.opd_kinds()
        if parent_code and parent_code not in existing and parent_code not in codes_in_file:
            report.add(
                number, "Kode Induk", f"Unit induk dengan kode {parent_code} tidak ditemukan."
            )
        if parent_code == values["code"]:
            report.add(number, "Kode Induk", "Unit tidak boleh menjadi induk dirinya sendiri.")
        if values["kind"] and is_opd and parent_code:
            report.add(number, "Kode Induk", "OPD tidak boleh memiliki unit induk.")
        if values["kind"] and not is_opd and not parent_code:
            report.add(number, "Kode Induk", "Unit selain OPD wajib memiliki kode induk.")
    # A parent chain inside the file must not loop.
    parent_of = {code: (u.parent.code if u.parent_id else "") for code, u in existing.items()}
    for _, values in parsed:
        parent_of[values["code"]] = values["parent_code"]
    for number, values in parsed:
        node, steps = values["code"], 0
        while node and steps <= len(parent_of):
            node, steps = parent_of.get(node, ""), steps + 1
        if node:
            report.add(number, "Kode Induk", "Hubungan unit induk membentuk lingkaran.")
    # The moves are told with the file's other errors, not one upload later; a failed file
    # applies nothing, so an allowed move is only recorded for a file that will be written.
    if report.ok or not allow_opd_change:
        _opd_moves(parsed, existing, parent_of, report, allow_opd_change)
    if not report.ok:
        return

    # Write parents before children: order by depth in the final tree.
    def depth(code: str) -> int:
        d, node = 0, parent_of.get(code, "")
        while node:
            d, node = d + 1, parent_of.get(node, "")
        return d

    for number, values in sorted(parsed, key=lambda item: depth(item[1]["code"])):
        parent_code = values.pop("parent_code")
        values["parent"] = existing.get(parent_code) if parent_code else None
        unit = existing.get(values["code"])
        try:
            if unit is None:
                existing[values["code"]] = services.unit_create(by=by, **values)
                report.created += 1
            else:
                changed = {k: v for k, v in values.items() if getattr(unit, k) != v}
                if changed:
                    existing[values["code"]] = services.unit_update(unit=unit, by=by, **changed)
                    report.updated += 1
                else:
                    report.unchanged += 1
        except ValidationError as exc:
            report.add(number, "", "; ".join(exc.messages))


def _opd_moves(
    parsed: list[tuple[int, dict[str, Any]]],
    existing: dict[str, Unit],
    parent_of: dict[str, str],
    report: ImportReport,
    allowed: bool,
) -> None:
    """Registered units that the file puts under another OPD: an OPD given a parent (merged
    into another), a unit made an OPD, or a unit moved under another OPD's unit. Their sub-units
    and people move with them, and with them the OPD admins' reach, the OPD's figures and its
    assessments; a wrong "Kode Induk" would do the same silently. So such a file is refused,
    naming each move, unless the upload allows OPD changes; an allowed move is recorded in
    the import's audit entry."""

    def opd_in_file(code: str) -> str:  # the top of its chain in the file's tree
        return (_ancestors(code, parent_of) or [code])[-1]

    # A row whose place in the tree is already in error (its code, type or parent: a missing
    # parent, a loop) has no OPD to name yet, nor has any unit below it.
    if report.more_errors:
        return  # errors beyond those listed: which rows they are on is not known
    rows_in_error = {
        e.row for e in report.errors if e.column in ("Kode Unit", "Jenis", "Kode Induk")
    }
    in_error = {values["code"] for number, values in parsed if number in rows_in_error}
    known = set(existing) | {values["code"] for _, values in parsed}
    code_of = {unit.pk: code for code, unit in existing.items()}
    moved: dict[str, tuple[int, Unit, str, str]] = {}
    for number, values in parsed:
        unit = existing.get(values["code"])
        chain = [values["code"], *_ancestors(values["code"], parent_of)]
        if unit is None or in_error.intersection(chain) or chain[-1] not in known:
            continue
        old, new = code_of.get(unit.opd_id or 0, ""), opd_in_file(values["code"])
        if old != new:
            moved[values["code"]] = (number, unit, old, new)
    will = "" if allowed else "akan "
    for code, (number, unit, old, new) in sorted(moved.items(), key=lambda item: item[1][0]):
        if any(_carried(unit, moved.get(above), old, new) for above in _ancestors(code, parent_of)):
            continue  # told with the moved unit above it, whose sub-units it is counted among
        sub_units = Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk).count()
        people = Employee.objects.filter(unit__path__startswith=unit.path, is_active=True).count()
        if code == old:
            what = f"OPD {code} ({unit.name}) {will}menjadi bagian dari OPD {new}"
        elif code == new:
            what = f"Unit {code} ({unit.name}) {will}keluar dari OPD {old} dan menjadi OPD sendiri"
        else:
            what = f"Unit {code} ({unit.name}) {will}pindah dari OPD {old} ke OPD {new}"
        what += f", bersama {sub_units} subunit dan {people} pegawai aktif"
        if code == old:
            # An OPD admin's reach is an OPD: merged into another, theirs would reach nobody.
            admins = list(
                User.objects.filter(managed_opd=unit, is_active=True)
                .order_by("username")
                .values_list("username", flat=True)
            )
            if admins:
                what += (
                    f"; akun Admin OPD-nya ({', '.join(admins)}) tidak {will}lagi menjangkau "
                    "siapa pun sampai perannya diatur ulang"
                )
        if allowed:
            report.opd_moves.append(what + ".")
        else:
            report.add(
                number,
                "Kode Induk",
                f'{what}. Bila memang dimaksudkan, centang "Izinkan pindah OPD" lalu unggah '
                "berkas ini lagi; bila tidak, perbaiki Jenis atau Kode Induk-nya.",
            )


def _carried(unit: Unit, above: tuple[int, Unit, str, str] | None, old: str, new: str) -> bool:
    """Whether `unit`'s move is the move of a unit above it in the file (`above`): registered
    below it already, and going from the same OPD to the same OPD."""
    return (
        above is not None
        and unit.path.startswith(above[1].path)
        and (above[2], above[3]) == (old, new)
    )


def _ancestors(code: str, parent_of: dict[str, str]) -> list[str]:
    found: list[str] = []
    node = parent_of.get(code, "")
    while node and node not in found:
        found.append(node)
        node = parent_of.get(node, "")
    return found


# --- Positions ---------------------------------------------------------------------------


def _import_positions(table: Table, report: ImportReport, by: User | None) -> None:
    existing = {p.name.lower(): p for p in Position.objects.all()}
    seen: dict[str, int] = {}
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, row in table.rows:
        name = " ".join(row.get("nama jabatan", "").split())
        if not name:
            report.add(number, "Nama Jabatan", "Nama jabatan wajib diisi.")
        elif name.lower() in seen:
            report.add(
                number, "Nama Jabatan", f"Jabatan ini sudah muncul di baris {seen[name.lower()]}."
            )
        seen.setdefault(name.lower(), number)
        kind = _choice(row.get("jenis jabatan", ""), PositionKind)
        if kind is None:
            report.add(
                number,
                "Jenis Jabatan",
                f"Jenis jabatan '{row.get('jenis jabatan', '')}' tidak dikenal.",
            )
        kelas_text = row.get("kelas jabatan", "")
        kelas = whole_number(kelas_text)
        if kelas is None or not 1 <= kelas <= 17:
            report.add(number, "Kelas Jabatan", "Kelas jabatan harus angka 1 sampai 17.")
        jenjang_text = row.get("jenjang", "")
        jenjang = _choice(jenjang_text, Jenjang) if jenjang_text else ""
        if jenjang is None:
            report.add(number, "Jenjang", f"Jenjang '{jenjang_text}' tidak dikenal.")
        elif kind == PositionKind.FUNGSIONAL and not jenjang:
            report.add(number, "Jenjang", "Jabatan fungsional wajib memiliki jenjang.")
        elif kind and kind != PositionKind.FUNGSIONAL and jenjang:
            report.add(number, "Jenjang", "Hanya jabatan fungsional yang memiliki jenjang.")
        parsed.append((number, {"name": name, "kind": kind, "kelas": kelas, "jenjang": jenjang}))
    if not report.ok:
        return

    for _number, values in parsed:
        position = existing.get(values["name"].lower())
        if position is None:
            services.position_create(by=by, **values)
            report.created += 1
        else:
            changed = {k: v for k, v in values.items() if getattr(position, k) != v}
            if changed:
                services.position_update(position=position, by=by, **changed)
                report.updated += 1
            else:
                report.unchanged += 1


# --- Employees ---------------------------------------------------------------------------


def _import_employees(
    table: Table,
    report: ImportReport,
    by: User | None,
    dry_run: bool,
    on_apply: Callable[[dict[str, Any]], None] | None,
    progress: Callable[[int], None] | None,
) -> None:
    positions = {name.lower(): pk for pk, name in Position.objects.values_list("id", "name")}
    units = dict(Unit.objects.values_list("code", "id"))
    existing: dict[str, Employee] = {e.nip: e for e in Employee.objects.all()}
    by_id = {e.pk: e for e in existing.values()}
    seen: dict[str, int] = {}
    parsed: list[tuple[int, str, dict[str, Any], str]] = []  # row, nip, values, supervisor nip

    for number, row in table.rows:
        nip = ""
        if table.is_number(number, "nip"):
            report.add(number, "NIP", identifier_as_number_message("NIP"))
        else:
            try:
                nip = parse_nip(row.get("nip", "")).value
            except InvalidNip as exc:
                report.add(number, "NIP", str(exc))
        if nip and nip in seen:
            report.add(number, "NIP", f"NIP {nip} sudah muncul di baris {seen[nip]}.")
        if nip:
            seen.setdefault(nip, number)
        values: dict[str, Any] = {
            "name": " ".join(row.get("nama", "").split()),
            "front_title": row.get("gelar depan", "").strip(),
            "back_title": row.get("gelar belakang", "").strip(),
            "email": row.get("email", "").strip(),
            "phone": row.get("telepon", "").strip(),
        }
        for key, column, limit in (
            ("front_title", "Gelar Depan", 50),
            ("back_title", "Gelar Belakang", 80),
            ("email", "Email", 254),
            ("phone", "Telepon", 30),
        ):
            if len(values[key]) > limit:
                report.add(number, column, too_long_message(column, limit, len(values[key])))
            _refuse_formula(report, number, column, values[key])
        _refuse_formula(report, number, "Nama", values["name"])
        if not values["name"]:
            report.add(number, "Nama", "Nama wajib diisi.")
        elif len(values["name"]) > 150:
            report.add(number, "Nama", "Nama terlalu panjang (maksimal 150 karakter).")
        status = _choice(row.get("status", ""), EmploymentStatus)
        if status is None:
            report.add(number, "Status", "Status harus PNS atau PPPK.")
        values["status"] = status
        golongan = _golongan(row.get("golongan", ""), status) if status else None
        if status and golongan is None:
            report.add(
                number,
                "Golongan",
                f"Golongan '{row.get('golongan', '')}' tidak berlaku untuk {status.upper()}.",
            )
        values["golongan"] = golongan
        position_name = " ".join(row.get("jabatan", "").split())
        values["position_id"] = positions.get(position_name.lower())
        if values["position_id"] is None:
            report.add(
                number,
                "Jabatan",
                f"Jabatan '{position_name}' belum terdaftar; impor jabatan terlebih dahulu.",
            )
        unit_code = row.get("kode unit", "").strip()
        values["unit_id"] = units.get(unit_code)
        if table.is_number(number, "kode unit"):
            _code_as_number(report, number, "Kode Unit", unit_code, units)
        elif values["unit_id"] is None:
            report.add(number, "Kode Unit", f"Unit dengan kode '{unit_code}' tidak ditemukan.")
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                report.add(number, "Email", f"Alamat surel '{values['email']}' tidak valid.")
        active = _bool(row.get("aktif", ""), True)
        if active is None:
            report.add(number, "Aktif", "Isi dengan Ya atau Tidak.")
        values["is_active"] = active
        supervisor_nip = ""
        if table.is_number(number, "nip atasan"):
            report.add(number, "NIP Atasan", identifier_as_number_message("NIP Atasan"))
        elif row.get("nip atasan", "").strip():
            try:
                supervisor_nip = parse_nip(row["nip atasan"]).value
            except InvalidNip as exc:
                report.add(number, "NIP Atasan", str(exc))
        if supervisor_nip and supervisor_nip == nip:
            report.add(number, "NIP Atasan", "Pegawai tidak boleh menjadi atasan dirinya sendiri.")
        employee = existing.get(nip)
        _keep_left_out(values, employee, table, EMPLOYEE_OPTIONAL)
        if employee is not None and "nip atasan" not in table.headers:
            supervisor_nip = by_id[employee.supervisor_id].nip if employee.supervisor_id else ""
        parsed.append((number, nip, values, supervisor_nip))

    # The reporting lines as they would be after the import: file rows override the database.
    final_sup: dict[str, str] = {
        nip: (by_id[e.supervisor_id].nip if e.supervisor_id else "") for nip, e in existing.items()
    }
    final_active: dict[str, bool] = {nip: e.is_active for nip, e in existing.items()}
    for _number, nip, values, sup in parsed:
        if nip:
            final_sup[nip] = sup
            final_active[nip] = bool(values["is_active"])
    for number, _nip, values, sup in parsed:
        if not sup:
            continue
        if sup not in final_active:
            report.add(number, "NIP Atasan", f"Atasan dengan NIP {sup} tidak ditemukan.")
        elif not final_active[sup] and values["is_active"]:
            report.add(number, "NIP Atasan", f"Atasan dengan NIP {sup} tidak aktif.")
    for number, nip, _values, sup in parsed:
        if not nip or not sup or sup not in final_sup:
            continue
        chain, node = [nip], sup
        while node and node not in chain and len(chain) <= len(final_sup):
            chain.append(node)
            node = final_sup.get(node, "")
        if node == nip:
            report.add(
                number,
                "NIP Atasan",
                "Hubungan atasan membentuk lingkaran: " + " → ".join([*chain, nip]) + ".",
            )
    if not report.ok:
        return
    plan = plan_employees(parsed, existing)
    report.created = len(plan.created_nips)
    report.updated = len(plan.changes)
    report.unchanged = plan.unchanged
    if dry_run or not (report.created or report.updated):
        return
    journal = plan.journal()
    if on_apply is not None:
        on_apply(journal)

    def step(done: int, total: int) -> None:
        if progress is not None:
            progress(int(100 * done / max(total, 1)))

    try:
        apply_employees(plan, by=by, progress=step)
        with transaction.atomic():
            _finish(report, by)
    except Exception as exc:
        logger.warning("employee import %s failed, undoing: %r", report.filename, exc)
        undo_employees(journal)
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else ""
        report.failed = (
            f"Impor gagal saat menyimpan{': ' + reason if reason else ''}. Semua perubahan "
            "dari berkas ini telah dibatalkan; tidak ada data yang berubah. Coba unggah lagi."
        )


def template_rows(kind: str) -> tuple[list[str], list[list[str]]]:
    """Headers and the Petunjuk (instructions) rows of the downloadable template."""
    columns = COLUMNS[kind]
    headers = [c.header for c in columns]
    guide = [
        [c.header, "Wajib" if c.required else "Tidak wajib", c.help, c.example] for c in columns
    ]
    return headers, guide
