"""Synthetic data for benchmarks: valid, unique NIPs and import files."""

from __future__ import annotations

import io
import random
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from kinerja.rules.nip import MIN_APPOINTMENT_AGE, parse_nip


class NipFactory:
    """Valid NIPs (kinerja.rules.nip.parse_nip) that collide neither with `taken` nor with one
    another: YYYYMMDD birth + YYYYMM appointment (18–35 years later, not after 2024) + sex 1/2
    + sequence 001–999."""

    def __init__(self, rng: random.Random, taken: Iterable[str] = ()) -> None:
        self.rng = rng
        self.used: set[str] = set(taken)

    def __call__(self, sex: str | None = None) -> str:
        rng = self.rng
        while True:
            birth = date(rng.randint(1966, 2000), rng.randint(1, 12), rng.randint(1, 28))
            year = rng.randint(birth.year + MIN_APPOINTMENT_AGE + 1, min(birth.year + 35, 2024))
            digit = {"L": "1", "P": "2"}.get(sex or "", rng.choice("12"))
            nip = (
                f"{birth:%Y%m%d}{year:04d}{rng.randint(1, 12):02d}{digit}{rng.randint(1, 999):03d}"
            )
            if nip not in self.used:
                parse_nip(nip)  # never hand out an invalid one
                self.used.add(nip)
                return nip


def xlsx_file(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Data") -> bytes:
    """A one-sheet XLSX, as a spreadsheet program would save it (write-only mode: fast)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
