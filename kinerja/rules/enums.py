"""The closed vocabularies of the regulations, each value with its official Indonesian label.

* :class:`Rating` — rating hasil kerja and rating perilaku kerja (PermenPANRB 6/2022, Lampiran).
* :class:`Predikat` — predikat kinerja pegawai, the 3×3 matrix (PermenPANRB 6/2022).
* :class:`OrgPredikat` — predikat kinerja organisasi that sets the distribution curve
  (SE MenPANRB 3/2023).
* :class:`Polarity` — polarity of an indicator for the project's capaian rule (DOMAIN §1, the SAKIP
  convention for negative-polarity indicators).
* :class:`Mutu` — mutu pelayanan of the community satisfaction survey (PermenPANRB 14/2017).

Values are lowercase snake strings (``Rating.DI_ATAS.value == "di_atas"``; the SKM grades keep their
official letters, ``Mutu.A.value == "A"``) so that they can be stored as is and turned into Django
``TextChoices`` with :meth:`LabelledEnum.choices`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

__all__ = [
    "LabelledEnum",
    "Mutu",
    "OrgPredikat",
    "Polarity",
    "Predikat",
    "Rating",
]

_E = TypeVar("_E", bound="LabelledEnum")
_LABELS: dict[type[LabelledEnum], Mapping[str, str]] = {}


def _labelled(**labels: str) -> Callable[[type[_E]], type[_E]]:
    """Attach the official label of every member (keyed by member name) to an enum class.

    Fails at import time if a member has no label or a label names no member.
    """

    def register(cls: type[_E]) -> type[_E]:
        names = {member.name for member in cls}
        if set(labels) != names:
            raise TypeError(
                f"{cls.__name__}: label untuk {sorted(labels)} ≠ anggota {sorted(names)}"
            )
        _LABELS[cls] = MappingProxyType(dict(labels))
        return cls

    return register


class LabelledEnum(StrEnum):
    """A string enum whose members carry an official Indonesian label."""

    @property
    def label(self) -> str:
        """The official Indonesian label, e.g. ``"Di Atas Ekspektasi"``."""
        return _LABELS[type(self)][self.name]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``(value, label)`` pairs in declaration order, ready for Django ``choices``."""
        return [(member.value, member.label) for member in cls]


@_labelled(
    DI_ATAS="Di Atas Ekspektasi",
    SESUAI="Sesuai Ekspektasi",
    DI_BAWAH="Di Bawah Ekspektasi",
)
class Rating(LabelledEnum):
    """Rating hasil kerja / rating perilaku kerja (PermenPANRB 6/2022)."""

    DI_ATAS = "di_atas"
    SESUAI = "sesuai"
    DI_BAWAH = "di_bawah"


@_labelled(
    SANGAT_BAIK="Sangat Baik",
    BAIK="Baik",
    BUTUH_PERBAIKAN="Butuh Perbaikan",
    KURANG="Kurang/Misconduct",
    SANGAT_KURANG="Sangat Kurang",
)
class Predikat(LabelledEnum):
    """Predikat kinerja pegawai (PermenPANRB 6/2022), best first."""

    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"


@_labelled(
    ISTIMEWA="Istimewa",
    BAIK="Baik",
    BUTUH_PERBAIKAN="Butuh Perbaikan (Cukup)",
    KURANG="Kurang",
    SANGAT_KURANG="Sangat Kurang",
)
class OrgPredikat(LabelledEnum):
    """Predikat kinerja organisasi, which sets the distribution curve (SE MenPANRB 3/2023)."""

    ISTIMEWA = "istimewa"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"


@_labelled(
    HIGHER_IS_BETTER="Semakin tinggi semakin baik",
    LOWER_IS_BETTER="Semakin rendah semakin baik",
)
class Polarity(LabelledEnum):
    """Polarity of a performance indicator (DOMAIN §1, project rule on capaian)."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


@_labelled(
    A="Sangat Baik",
    B="Baik",
    C="Kurang Baik",
    D="Tidak Baik",
)
class Mutu(LabelledEnum):
    """Mutu pelayanan and kinerja unit pelayanan of the SKM (PermenPANRB 14/2017)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
