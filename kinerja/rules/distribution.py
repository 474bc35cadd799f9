"""Distribution curve of employee predikat (kurva distribusi, SE MenPANRB 3/2023).

Before employees are rated, the organisation's own predikat (:class:`OrgPredikat`) is set. It limits
how the employees it rates in one period may be spread over the predikat (DOMAIN §1):

* Istimewa: Sangat Baik at most 70%.
* Baik: Baik at most 70%; at least one employee Butuh Perbaikan and/or Kurang/Misconduct.
* Butuh Perbaikan (Cukup): Butuh Perbaikan at least 60%; Sangat Baik at most 10%.
* Kurang: Kurang/Misconduct at least 60%; Butuh Perbaikan at least 10%; Sangat Baik at most 10%.
* Sangat Kurang: Sangat Kurang at least 60%; Kurang/Misconduct + Butuh Perbaikan together at least
  10%; no Sangat Baik at all.

Other predikat are free.

Project rule — counting, with n the number of employees rated: "at most p%" allows ⌊p × n⌋
employees; "at least p%" requires ⌈p × n⌉; "at least one" requires 1. p × n is computed exactly
(``Fraction``). With n = 0 nothing is checked.

Consequences for small units, which follow from the rule as written (a violation does not block; the
unit head finalises with a written justification):

* Istimewa, n = 1: Sangat Baik is allowed for ⌊0.7⌋ = 0 employees. Likewise a Butuh Perbaikan or
  Kurang organisation with fewer than 10 employees cannot give Sangat Baik at all (⌊0.1n⌋ = 0).
* Baik, n = 1: Baik is allowed for ⌊0.7⌋ = 0 employees and one employee must be Butuh Perbaikan or
  Kurang/Misconduct, so a single employee must be rated Butuh Perbaikan or Kurang/Misconduct.
* Kurang and Sangat Kurang, n = 1 or 2: the two "at least" quotas need ⌈0.6n⌉ + ⌈0.1n⌉ = 2 or 3
  employees, more than the unit has, so every spread violates the curve. From n = 3 on a compliant
  spread exists.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Literal

from kinerja.rules.enums import OrgPredikat, Predikat

__all__ = [
    "CURVE",
    "Constraint",
    "Kind",
    "OrgPredikat",
    "Predikat",
    "Unit",
    "Violation",
    "bounds",
    "check",
    "constraints",
]

Kind = Literal["max", "min"]
Unit = Literal["percent", "employees"]


@dataclass(frozen=True)
class Constraint:
    """One line of the curve: the number of employees whose predikat is in ``predikat`` (counted
    together) is at most (``kind == "max"``) or at least (``"min"``) ``amount`` — a percentage of
    n when ``unit == "percent"``, a number of employees when ``unit == "employees"`` (the "at least
    one" rule).
    """

    predikat: tuple[Predikat, ...]
    kind: Kind
    amount: int
    unit: Unit = "percent"

    def __post_init__(self) -> None:
        if not self.predikat:
            raise ValueError("Batasan kurva harus menyebut sedikitnya satu predikat.")
        if self.amount < 0 or (self.unit == "percent" and self.amount > 100):
            raise ValueError(f"Besaran batasan kurva tidak valid: {self.amount} ({self.unit}).")

    @property
    def code(self) -> str:
        """Stable identifier, e.g. ``"sangat_baik_max"`` or ``"butuh_perbaikan_kurang_min"``."""
        return "_".join([*(p.value for p in self.predikat), self.kind])

    @property
    def subject(self) -> str:
        """The predikat concerned, in Indonesian.

        E.g. ``"Sangat Baik"`` or ``"Butuh Perbaikan dan/atau Kurang/Misconduct"``.
        """
        return " dan/atau ".join(p.label for p in self.predikat)

    @property
    def rule(self) -> str:
        """The bound in Indonesian: ``"paling banyak 70%"``, ``"paling sedikit 1 pegawai"``."""
        if self.kind == "max" and self.amount == 0:
            return "tidak boleh ada"
        quantifier = "paling banyak" if self.kind == "max" else "paling sedikit"
        unit = "%" if self.unit == "percent" else " pegawai"
        return f"{quantifier} {self.amount}{unit}"

    @property
    def description(self) -> str:
        """The whole line in Indonesian, e.g. ``"Sangat Baik paling banyak 70%"``."""
        return f"{self.subject} {self.rule}"

    def required(self, n: int) -> int:
        """The bound in employees for a unit of ``n``: ⌊p × n⌋ for "at most p%", ⌈p × n⌉ for "at
        least p%", the fixed number for "at least one" (project counting rule, DOMAIN §1)."""
        if self.unit == "employees":
            return self.amount
        share = Fraction(self.amount, 100) * n
        return math.floor(share) if self.kind == "max" else math.ceil(share)

    def actual(self, counts: Mapping[Predikat, int]) -> int:
        """How many of the employees in ``counts`` this line counts."""
        return sum(counts.get(p, 0) for p in self.predikat)

    def is_met(self, actual: int, n: int) -> bool:
        """Whether ``actual`` employees satisfy this line in a unit of ``n``."""
        required = self.required(n)
        return actual <= required if self.kind == "max" else actual >= required


def _at_most(predikat: Predikat, percent: int) -> Constraint:
    return Constraint((predikat,), "max", percent)


def _at_least(*predikat: Predikat, percent: int) -> Constraint:
    return Constraint(predikat, "min", percent)


def _at_least_one(*predikat: Predikat) -> Constraint:
    return Constraint(predikat, "min", 1, unit="employees")


_P = Predikat
CURVE: Mapping[OrgPredikat, tuple[Constraint, ...]] = MappingProxyType(
    {
        OrgPredikat.ISTIMEWA: (_at_most(_P.SANGAT_BAIK, 70),),
        OrgPredikat.BAIK: (
            _at_most(_P.BAIK, 70),
            _at_least_one(_P.BUTUH_PERBAIKAN, _P.KURANG),
        ),
        OrgPredikat.BUTUH_PERBAIKAN: (
            _at_least(_P.BUTUH_PERBAIKAN, percent=60),
            _at_most(_P.SANGAT_BAIK, 10),
        ),
        OrgPredikat.KURANG: (
            _at_least(_P.KURANG, percent=60),
            _at_least(_P.BUTUH_PERBAIKAN, percent=10),
            _at_most(_P.SANGAT_BAIK, 10),
        ),
        OrgPredikat.SANGAT_KURANG: (
            _at_least(_P.SANGAT_KURANG, percent=60),
            _at_least(_P.KURANG, _P.BUTUH_PERBAIKAN, percent=10),
            _at_most(_P.SANGAT_BAIK, 0),
        ),
    }
)
"""The curve of SE MenPANRB 3/2023, per organisation predikat (DOMAIN §1)."""


@dataclass(frozen=True)
class Violation:
    """A line of the curve that a spread breaks, and by how many people.

    ``required`` is the bound in employees (the maximum allowed for ``kind == "max"``, the minimum
    needed for ``"min"``), ``actual`` the number counted, and ``by`` how many employees must move
    to satisfy this line: ``actual − required`` for "max", ``required − actual`` for "min"; always
    at least 1 (also exposed as :attr:`excess` / :attr:`shortfall`). ``total`` is n, the number of
    employees rated. ``code``, ``predikat`` and ``kind`` identify the line as in
    :class:`Constraint`. ``message`` says all of it in Indonesian for the unit head.
    """

    code: str
    predikat: tuple[Predikat, ...]
    kind: Kind
    required: int
    actual: int
    by: int
    total: int
    message: str

    @property
    def excess(self) -> int:
        """Employees too many (a "max" line), else 0."""
        return self.by if self.kind == "max" else 0

    @property
    def shortfall(self) -> int:
        """Employees missing (a "min" line), else 0."""
        return self.by if self.kind == "min" else 0


def constraints(org: OrgPredikat) -> list[Constraint]:
    """The lines of the curve for an organisation predikat (SE MenPANRB 3/2023; DOMAIN §1)."""
    return list(CURVE[OrgPredikat(org)])


def bounds(org: OrgPredikat, n: int) -> list[tuple[Constraint, int]]:
    """Each line of the curve with its bound in employees for a unit of ``n`` (project counting
    rule, DOMAIN §1), e.g. Istimewa, n = 10 → ``[(Sangat Baik at most 70%, 7)]``."""
    if n < 0:
        raise ValueError(f"Jumlah pegawai tidak boleh negatif (tertulis {n}).")
    return [(constraint, constraint.required(n)) for constraint in constraints(org)]


def _validated_counts(counts: Mapping[Predikat, int]) -> dict[Predikat, int]:
    tally: dict[Predikat, int] = {}
    for key, value in counts.items():
        try:
            predikat = Predikat(key)
        except ValueError:
            raise ValueError(f"Predikat tidak dikenal: {key!r}.") from None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(
                f"Jumlah pegawai berpredikat {predikat.label} harus bilangan bulat ≥ 0 "
                f"(tertulis {value!r})."
            )
        tally[predikat] = value
    return tally


def _violation(constraint: Constraint, required: int, actual: int, n: int) -> Violation:
    by = abs(actual - required)
    quota = f" ({required} dari {n} pegawai)" if constraint.unit == "percent" else ""
    action = "kurangi" if constraint.kind == "max" else "tambah"
    message = (
        f"Predikat {constraint.description}{quota}, saat ini {actual} pegawai: "
        f"{action} {by} pegawai."
    )
    return Violation(
        code=constraint.code,
        predikat=constraint.predikat,
        kind=constraint.kind,
        required=required,
        actual=actual,
        by=by,
        total=n,
        message=message,
    )


def check(org: OrgPredikat, counts: Mapping[Predikat, int]) -> list[Violation]:
    """The lines of the curve (SE MenPANRB 3/2023) that a spread of employee predikat breaks.

    ``counts`` maps each predikat to the number of employees the organisation rated with it in one
    period (missing predikat count 0); n is their total. Bounds follow the project counting rule
    (⌊p × n⌋ for "at most", ⌈p × n⌉ for "at least", 1 for "at least one"; DOMAIN §1). Returns an
    empty list when the spread complies, and always when n = 0. Violations come in the order of
    :func:`constraints`. Example (Istimewa, 10 employees, 8 Sangat Baik): "Predikat Sangat Baik
    paling banyak 70% (7 dari 10 pegawai), saat ini 8 pegawai: kurangi 1 pegawai."
    """
    tally = _validated_counts(counts)
    n = sum(tally.values())
    if n == 0:
        return []
    violations = []
    for constraint, required in bounds(org, n):
        actual = constraint.actual(tally)
        if not constraint.is_met(actual, n):
            violations.append(_violation(constraint, required, actual, n))
    return violations
