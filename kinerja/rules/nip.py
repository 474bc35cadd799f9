"""NIP (Nomor Induk Pegawai) of a PNS: 18 digits that encode who the civil servant is.

Source: the NIP layout of BKN (DOMAIN §7)::

    19860926 201505 1 001
    │        │      │ └── digits 16–18: nomor urut 001–999
    │        │      └──── digit 15: jenis kelamin, 1 laki-laki, 2 perempuan
    │        └─────────── digits 9–14: TMT CPNS, YYYYMM
    └──────────────────── digits 1–8: tanggal lahir, YYYYMMDD

Valid when (DOMAIN §7): exactly 18 digits (whitespace allowed on input, stored without); a real
calendar birth date; appointment month 01–12; appointment after the 18th birthday; sex digit 1 or 2;
sequence not 000. Error messages are Indonesian sentences meant to be shown to the user as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "MIN_APPOINTMENT_AGE",
    "NIP_LENGTH",
    "InvalidNip",
    "Nip",
    "format_nip",
    "parse_nip",
]

NIP_LENGTH = 18
MIN_APPOINTMENT_AGE = 18
_DIGITS = frozenset("0123456789")

Sex = Literal["L", "P"]
_SEX_BY_DIGIT: dict[str, Sex] = {"1": "L", "2": "P"}


class InvalidNip(ValueError):
    """A NIP that does not satisfy DOMAIN §7; the message says, in Indonesian, what is wrong."""


@dataclass(frozen=True)
class Nip:
    """A valid NIP split into its parts (DOMAIN §7)."""

    value: str
    """The 18 digits, without spaces."""
    birth_date: date
    appointment_year: int
    appointment_month: int
    sex: Sex
    """``"L"`` (laki-laki, digit 1) or ``"P"`` (perempuan, digit 2)."""
    sequence: int

    @property
    def formatted(self) -> str:
        """The NIP grouped for display: ``"19860926 201505 1 001"``."""
        return _group(self.value)

    def __str__(self) -> str:
        return self.formatted


def _normalise(text: str) -> str:
    """Strip all whitespace and check the shape: 18 ASCII digits."""
    digits = "".join(text.split())
    if not set(digits) <= _DIGITS:
        raise InvalidNip("NIP hanya boleh berisi angka.")
    if len(digits) != NIP_LENGTH:
        raise InvalidNip(f"NIP harus {NIP_LENGTH} digit angka (tertulis {len(digits)} digit).")
    return digits


def _group(digits: str) -> str:
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def format_nip(value: str) -> str:
    """Group an 18-digit NIP for display (DOMAIN §7):
    ``"198609262015051001"`` → ``"19860926 201505 1 001"``.

    Whitespace in ``value`` is ignored. Only the shape (18 digits) is checked, not the dates, so
    that a legacy record can still be displayed; use :func:`parse_nip` to validate. Raises
    :class:`InvalidNip`.
    """
    return _group(_normalise(value))


def parse_nip(text: str) -> Nip:
    """Validate a NIP and split it into its parts (DOMAIN §7). Raises :class:`InvalidNip`.

    Whitespace anywhere in ``text`` is ignored (``"19860926 201505 1 001"`` is accepted).

    Project rule on "appointment after the 18th birthday": the NIP records only the month of the
    appointment (TMT CPNS, digits 9–14), so the check is made at month precision. The appointment
    month must be the month of the 18th birthday or later, i.e. ``appointment YYYYMM >= (birth year
    + 18, birth month)``. Born 26 September 1986 → appointment 2004-09 is accepted, 2004-08 is
    rejected. A NIP is rejected only when it is certainly invalid.
    """
    digits = _normalise(text)

    birth_text = digits[:8]
    try:
        birth_date = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:8]))
    except ValueError:
        raise InvalidNip(
            f"Tanggal lahir pada NIP (digit 1–8) bukan tanggal yang valid: {birth_text}."
        ) from None

    appointment_year, appointment_month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= appointment_month <= 12:
        raise InvalidNip("Bulan pengangkatan pada NIP (digit 13–14) harus 01–12.")
    eighteenth_birthday_month = (birth_date.year + MIN_APPOINTMENT_AGE, birth_date.month)
    if (appointment_year, appointment_month) < eighteenth_birthday_month:
        raise InvalidNip(
            f"Tanggal pengangkatan CPNS pada NIP lebih awal dari usia {MIN_APPOINTMENT_AGE} tahun."
        )

    sex = _SEX_BY_DIGIT.get(digits[14])
    if sex is None:
        raise InvalidNip(
            "Digit jenis kelamin pada NIP (digit 15) harus 1 (laki-laki) atau 2 (perempuan)."
        )

    sequence = int(digits[15:])
    if sequence == 0:
        raise InvalidNip("Nomor urut pada NIP (digit 16–18) tidak boleh 000.")

    return Nip(
        value=digits,
        birth_date=birth_date,
        appointment_year=appointment_year,
        appointment_month=appointment_month,
        sex=sex,
        sequence=sequence,
    )
