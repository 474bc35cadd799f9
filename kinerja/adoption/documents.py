"""The activation letters: one PDF, one A4 page per person (name, NIP, unit, the activation
address, the one-time code, and a QR code that opens /aktivasi/?kode=...).

Written directly with pydyf (the PDF writer WeasyPrint itself uses) in PDF's built-in Helvetica,
and the QR code drawn as filled squares from segno's matrix: a letter has a fixed layout, so no
HTML layout engine is needed, and 1,500 letters take a second or two instead of minutes
(bench `activation_letters_1500_s`). Text is encoded as Windows-1252 (WinAnsiEncoding), which
holds every letter of Indonesian names and titles; anything else prints as "?".
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from typing import Any

import pydyf
import segno
from django.utils import timezone
from django.utils.formats import date_format

from kinerja.core.links import absolute_reverse
from kinerja.organisation.services import regency_get_cached

from .activation import Letter

MM = 72 / 25.4  # PDF points per millimetre
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT, TOP = 18 * MM, 18 * MM, 18 * MM
QR_SIZE = 42 * MM


def _text(value: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding."""
    raw = value.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


class _Page:
    def __init__(self) -> None:
        self.stream = pydyf.Stream(compress=True)

    def text(
        self, x: float, y: float, value: str, *, size: float = 10.5, bold: bool = False
    ) -> None:
        s = self.stream
        s.begin_text()
        s.set_font_size("F2" if bold else "F1", size)
        s.set_text_matrix(1, 0, 0, 1, round(x, 2), round(y, 2))
        s.stream.append(_text(value) + b" Tj")
        s.end_text()

    def centred(self, y: float, value: str, *, size: float, bold: bool = False) -> None:
        width = len(value) * size * (0.6 if bold else 0.55)  # close enough for a heading
        self.text((PAGE_W - width) / 2, y, value, size=size, bold=bold)

    def paragraph(self, y: float, value: str, *, size: float = 10.5, width: int = 92) -> float:
        """Wrapped lines from `y` down; returns the y below the paragraph."""
        for line in textwrap.wrap(value, width=width) or [""]:
            self.text(LEFT, y, line, size=size)
            y -= size * 1.45
        return y

    def box(self, x: float, y: float, w: float, h: float) -> None:
        self.stream.rectangle(round(x, 2), round(y, 2), round(w, 2), round(h, 2))
        self.stream.stroke()

    def qr(self, x: float, y: float, payload: str, size: float) -> None:
        matrix = [list(row) for row in segno.make(payload, error="m").matrix]
        n = len(matrix)
        module = size / n
        for r, row in enumerate(matrix):
            c = 0
            while c < n:  # one rectangle per run of dark modules in the row
                if row[c]:
                    start = c
                    while c < n and row[c]:
                        c += 1
                    self.stream.rectangle(
                        round(x + start * module, 3),
                        round(y + size - (r + 1) * module, 3),
                        round((c - start) * module, 3),
                        round(module, 3),
                    )
                else:
                    c += 1
        self.stream.fill()


def _letter(page: _Page, letter: Letter, common: dict[str, Any]) -> None:
    y = PAGE_H - TOP - 10
    page.centred(y, common["regency"].upper(), size=11, bold=True)
    y -= 13
    page.centred(y, "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", size=9.5)
    page.qr(PAGE_W - RIGHT - QR_SIZE, y - 8 * MM - QR_SIZE, letter.url, QR_SIZE)
    y -= 16 * MM
    page.text(LEFT, y, "Aktivasi akun Kinerja", size=15, bold=True)
    y -= 12 * MM
    page.text(LEFT, y, "Yth. Bapak/Ibu")
    y -= 15
    page.text(LEFT, y, letter.name, size=11.5, bold=True)
    y -= 15
    page.text(LEFT, y, f"NIP {letter.nip}")
    y -= 15
    place = letter.unit if letter.opd == letter.unit else f"{letter.unit}, {letter.opd}"
    y = page.paragraph(y, place, width=60)
    y -= 10
    y = page.paragraph(
        y, "Akun Kinerja Anda sudah disiapkan. Aktifkan sendiri dengan langkah berikut:"
    )
    for step in (
        "1. Pindai kode QR di kanan atas dengan kamera ponsel, atau buka "
        + common["activation_url"],
        "2. Masukkan NIP Anda dan kode aktivasi di bawah ini.",
        "3. Buat kata sandi Anda sendiri (paling sedikit 8 karakter), lalu simpan.",
    ):
        y = page.paragraph(y, step)
    y -= 8
    page.text(LEFT, y, "Kode aktivasi:")
    y -= 30
    page.box(LEFT, y - 8, 78 * MM, 30)
    page.text(LEFT + 4 * MM, y + 1, letter.code_display, size=22, bold=True)
    y -= 28
    y = page.paragraph(
        y,
        f"Berlaku sampai {common['expires']} dan hanya dapat dipakai satu kali. Jangan berikan "
        "kode ini kepada siapa pun; petugas tidak akan pernah memintanya.",
    )
    y -= 20
    page.paragraph(
        y,
        f"Dicetak {common['printed']}. Kode hilang atau kedaluwarsa? Minta kode baru kepada "
        f"Admin OPD Anda. Bantuan: {common['help_url']}",
        size=8,
        width=120,
    )


def activation_letters_pdf(letters: Sequence[Letter], *, expires_at: Any) -> bytes:
    pdf = pydyf.PDF()
    fonts = {}
    for key, name in (("F1", "/Helvetica"), ("F2", "/Helvetica-Bold")):
        font = pydyf.Dictionary(
            {"Type": "/Font", "Subtype": "/Type1", "BaseFont": name, "Encoding": "/WinAnsiEncoding"}
        )
        pdf.add_object(font)
        fonts[key] = font.reference
    resources = pydyf.Dictionary({"Font": pydyf.Dictionary(fonts)})
    pdf.add_object(resources)
    common = {
        "regency": regency_get_cached().name,
        "activation_url": absolute_reverse("adoption:activate"),
        "help_url": absolute_reverse("adoption:help_index"),
        "expires": date_format(timezone.localtime(expires_at), "j F Y") if expires_at else "-",
        "printed": date_format(timezone.localtime(), "j F Y H:i"),
    }
    for letter in letters:
        page = _Page()
        _letter(page, letter, common)
        pdf.add_object(page.stream)
        pdf.add_page(
            pydyf.Dictionary(
                {
                    "Type": "/Page",
                    "Parent": pdf.pages.reference,
                    "MediaBox": pydyf.Array([0, 0, round(PAGE_W, 2), round(PAGE_H, 2)]),
                    "Contents": page.stream.reference,
                    "Resources": resources.reference,
                }
            )
        )
    pdf.info["Title"] = pydyf.String("Surat aktivasi akun Kinerja")
    buffer = io.BytesIO()
    pdf.write(buffer)
    return buffer.getvalue()
