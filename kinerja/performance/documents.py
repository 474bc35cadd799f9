"""The official SKP document (PermenPANRB 6/2022, the national form) as PDF and XLSX.

Both are built from the same plain data: the plan's current content (`services.plan_snapshot`)
or the snapshot of an approved version (`PlanVersion.snapshot`), so what is printed is what was
agreed. A plan that is not approved is printed with a "DRAF" watermark and its status; the
header names the version.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kinerja.core.pdf import render_pdf
from kinerja.core.tabular import formulas_as_text
from kinerja.core.templatetags.kinerja import num
from kinerja.organisation.models import Regency
from kinerja.organisation.services import regency_get_cached
from kinerja.rules import berakhlak
from kinerja.rules.calendar import MONTHS

from . import services
from .choices import Aspek, PlanStatus, Polarity, RhkKind
from .models import Plan, PlanVersion

PERSON_FIELDS = (
    ("name", "Nama"),
    ("nip", "NIP"),
    ("golongan", "Pangkat/Gol."),
    ("position", "Jabatan"),
    ("unit", "Unit kerja"),
)


def long_date(day: date) -> str:
    """1 Januari 2026: the official forms' date, independent of the active language."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def regency_area(regency: Regency) -> str:
    """ "Bukitintan" from "Kabupaten Bukitintan": the place name of signatures."""
    short = regency.short_name.strip()
    for prefix in ("Kabupaten ", "Kota "):
        if short.startswith(prefix):
            return short[len(prefix) :].strip()
    return short


@dataclass
class IndicatorLine:
    aspek: str
    name: str
    target: str
    lower_is_better: bool


@dataclass
class RhkLine:
    number: int
    intervened: str
    text: str
    indicators: list[IndicatorLine]


@dataclass
class BehaviourLine:
    number: int
    name: str
    guides: tuple[str, str, str]
    expectation: str


@dataclass
class SkpDocument:
    """Everything the SKP form shows, as plain text ready to print."""

    regency_name: str
    place: str
    year: int
    period: str
    version: int
    status: str
    is_approved: bool
    signed_on: str
    employee: dict[str, str]
    assessor: dict[str, str]
    utama: list[RhkLine] = field(default_factory=list)
    tambahan: list[RhkLine] = field(default_factory=list)
    behaviours: list[BehaviourLine] = field(default_factory=list)
    lampiran: list[tuple[str, str]] = field(default_factory=list)
    generated_at: str = ""

    @property
    def filename_stem(self) -> str:
        nip = self.employee.get("nip", "").replace(" ", "")
        return f"SKP-{self.year}-{nip or 'pegawai'}-v{self.version}"

    def person_rows(self) -> list[tuple[int, str, str, str, str]]:
        """(no, label, employee value, label, assessor value) rows of the header table."""
        return [
            (i, label, self.employee.get(key, "") or "-", label, self.assessor.get(key, "") or "-")
            for i, (key, label) in enumerate(PERSON_FIELDS, start=1)
        ]


def _regent(regency: Regency) -> dict[str, str]:
    """The assessing official of those without a supervisor (the Sekretaris Daerah): the
    regent. The system holds no personal data of the regent, so the office is named."""
    title = _("Bupati %(area)s") % {"area": regency_area(regency)}
    return {"name": title, "nip": "", "golongan": "", "position": title, "unit": regency.name}


def _target_text(indicator: dict[str, Any]) -> str:
    return f"{num(Decimal(indicator['target']))} {indicator['unit']}".strip()


def _rhk_lines(snapshot: dict[str, Any], kind: str) -> list[RhkLine]:
    aspek_labels = dict(Aspek.choices)
    lines = []
    for rhk in (r for r in snapshot["rhk"] if r["kind"] == kind):
        if rhk.get("parent"):
            intervened = rhk["parent"]
        elif rhk.get("goal"):
            intervened = _("Sasaran OPD: %(goal)s") % {"goal": rhk["goal"]}
        else:
            intervened = "-"
        lines.append(
            RhkLine(
                number=len(lines) + 1,
                intervened=intervened,
                text=rhk["text"],
                indicators=[
                    IndicatorLine(
                        aspek=str(aspek_labels.get(i["aspek"], i["aspek"])),
                        name=i["name"],
                        target=_target_text(i),
                        lower_is_better=i.get("polarity") == Polarity.LOWER_IS_BETTER,
                    )
                    for i in rhk["indicators"]
                ],
            )
        )
    return lines


def build_document(plan: Plan, version: PlanVersion | None = None) -> SkpDocument:
    """The document of `plan` as it is now, or as approved in `version`."""
    regency = regency_get_cached()
    if version is not None:
        snapshot, number, approved = version.snapshot, version.number, True
        status = str(PlanStatus.APPROVED.label)
        signed = version.approved_at
    else:
        snapshot, number = services.plan_snapshot(plan), plan.version
        approved = plan.status == PlanStatus.APPROVED
        status = plan.get_status_display()
        signed = plan.approved_at if approved else None
    signed_day = timezone.localtime(signed).date() if signed else timezone.localdate()
    lampiran = snapshot.get("lampiran", {})
    expectations = snapshot.get("behaviours", {})
    return SkpDocument(
        regency_name=regency.name,
        place=regency_area(regency),
        year=plan.year,
        period=f"{long_date(plan.period_start)} – {long_date(plan.period_end)}",
        version=number,
        status=status,
        is_approved=approved,
        signed_on=long_date(signed_day),
        employee=dict(snapshot.get("employee") or {}),
        assessor=dict(snapshot.get("assessor") or {}) or _regent(regency),
        utama=_rhk_lines(snapshot, RhkKind.UTAMA),
        tambahan=_rhk_lines(snapshot, RhkKind.TAMBAHAN),
        behaviours=[
            BehaviourLine(v.number, v.name, v.guides, expectations.get(v.code, ""))
            for v in berakhlak.VALUES
        ],
        lampiran=[
            (_("Dukungan sumber daya"), lampiran.get("dukungan_sumber_daya", "")),
            (_("Skema pertanggungjawaban"), lampiran.get("skema_pertanggungjawaban", "")),
            (_("Konsekuensi"), lampiran.get("konsekuensi", "")),
        ],
        generated_at=generated_label(),
    )


# --- PDF ----------------------------------------------------------------------------------


def skp_pdf(document: SkpDocument) -> bytes:
    return render_pdf("pdf/skp.html", {"doc": document})


# --- XLSX ---------------------------------------------------------------------------------

THIN = Side(style="thin", color="333333")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E8EDF3")
GROUP_FILL = PatternFill("solid", fgColor="F3F3F3")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)
WIDTHS = (6, 38, 42, 12, 42, 18)  # No | RHK atasan | RHK | Aspek | Indikator | Target


class _Sheet:
    """A cursor over a worksheet that writes the form row by row."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.row = 1

    def cells(
        self,
        values: list[Any],
        *,
        bold: bool = False,
        fill: PatternFill | None = None,
        border: bool = True,
        merge: list[tuple[int, int]] | None = None,
        align: Alignment = WRAP,
    ) -> int:
        for column, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = self.sheet.cell(row=self.row, column=column, value=value)
            cell.alignment = align
            if bold:
                cell.font = Font(bold=True)
            if fill is not None:
                cell.fill = fill
        if border:
            for column in range(1, len(WIDTHS) + 1):
                self.sheet.cell(row=self.row, column=column).border = BOX
        for first, last in merge or []:
            self.sheet.merge_cells(
                start_row=self.row, start_column=first, end_row=self.row, end_column=last
            )
        self.row += 1
        return self.row - 1

    def title(self, text: str, size: int = 12) -> None:
        cell = self.sheet.cell(row=self.row, column=1, value=text)
        cell.font = Font(bold=True, size=size)
        cell.alignment = Alignment(horizontal="center")
        self.sheet.merge_cells(
            start_row=self.row, start_column=1, end_row=self.row, end_column=len(WIDTHS)
        )
        self.row += 1

    def section(self, text: str) -> None:
        self.row += 1
        self.cells([text], bold=True, fill=HEAD_FILL, merge=[(1, len(WIDTHS))])

    def skip(self, rows: int = 1) -> None:
        self.row += rows


def skp_xlsx(document: SkpDocument) -> bytes:
    """The same form as the PDF, one sheet, ready to print on A4 landscape."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"SKP {document.year}"
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    out = _Sheet(sheet)
    out.title(document.regency_name.upper(), 11)
    out.title(_("SASARAN KINERJA PEGAWAI"), 14)
    out.title(_("PERIODE: %(p)s") % {"p": document.period.upper()}, 10)
    status = _("Versi %(v)d · Status: %(s)s") % {"v": document.version, "s": document.status}
    if not document.is_approved:
        status += " · " + _("DRAF — belum disetujui")
    out.title(status, 9)
    out.skip()
    out.cells(
        [_("PEGAWAI YANG DINILAI"), None, None, _("PEJABAT PENILAI KINERJA")],
        bold=True,
        fill=HEAD_FILL,
        merge=[(1, 3), (4, 6)],
    )
    for number, label, mine, other_label, theirs in document.person_rows():
        out.cells([number, label, mine, number, other_label, theirs])

    out.section(_("HASIL KERJA"))
    out.cells(
        [
            "No",
            _("RHK atasan yang diintervensi"),
            _("Rencana Hasil Kerja"),
            _("Aspek"),
            _("Indikator Kinerja Individu"),
            _("Target"),
        ],
        bold=True,
        fill=HEAD_FILL,
    )
    for label, group in ((_("A. Utama"), document.utama), (_("B. Tambahan"), document.tambahan)):
        out.cells([label], bold=True, fill=GROUP_FILL, merge=[(1, len(WIDTHS))])
        if not group:
            out.cells(["", _("Tidak ada RHK pada kelompok ini.")], merge=[(2, len(WIDTHS))])
        for rhk in group:
            first = out.row
            indicators = rhk.indicators or [IndicatorLine("", "-", "", False)]
            for i, ind in enumerate(indicators):
                name = ind.name + (
                    " " + _("(semakin rendah semakin baik)") if ind.lower_is_better else ""
                )
                out.cells(
                    [rhk.number, rhk.intervened, rhk.text, ind.aspek, name, ind.target]
                    if i == 0
                    else [None, None, None, ind.aspek, name, ind.target]
                )
            if len(indicators) > 1:
                for column in (1, 2, 3):
                    sheet.merge_cells(
                        start_row=first, start_column=column, end_row=out.row - 1, end_column=column
                    )

    out.section(_("PERILAKU KERJA"))
    out.cells(
        ["No", _("Perilaku kerja"), _("Panduan perilaku"), _("Ekspektasi khusus pimpinan")],
        bold=True,
        fill=HEAD_FILL,
        merge=[(4, 6)],
    )
    for value in document.behaviours:
        out.cells(
            [
                value.number,
                value.name,
                "\n".join(f"• {g}" for g in value.guides),
                value.expectation or "-",
            ],
            merge=[(4, 6)],
        )

    out.section(_("LAMPIRAN SASARAN KINERJA PEGAWAI"))
    for label, text in document.lampiran:
        out.cells(["", label, text or "-"], merge=[(3, 6)])

    out.skip()
    out.cells(
        [None, None, None, None, f"{document.place}, {document.signed_on}"],
        border=False,
        align=CENTER,
        merge=[(5, 6)],
    )
    out.cells(
        [None, _("Pegawai yang Dinilai"), None, None, _("Pejabat Penilai Kinerja")],
        border=False,
        align=CENTER,
        merge=[(5, 6)],
    )
    out.skip(3)
    out.cells(
        [None, document.employee.get("name", ""), None, None, document.assessor.get("name", "")],
        bold=True,
        border=False,
        align=CENTER,
        merge=[(5, 6)],
    )
    out.cells(
        [None, _nip_line(document.employee), None, None, _nip_line(document.assessor)],
        border=False,
        align=CENTER,
        merge=[(5, 6)],
    )
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    workbook.properties.title = f"SKP {document.year} — {document.employee.get('name', '')}"
    workbook.properties.creator = document.regency_name
    formulas_as_text(workbook)  # an RHK or indicator typed as "=…" stays text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _nip_line(person: dict[str, str]) -> str:
    return f"NIP. {person['nip']}" if person.get("nip") else ""


def generated_label(moment: datetime | None = None) -> str:
    moment = timezone.localtime(moment or timezone.now())
    return f"{long_date(moment.date())} {moment:%H:%M}"
