"""Choices of the assessment app (PermenPANRB 6/2022; SE MenPANRB 3/2023; PP 30/2019)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.rules.enums import OrgPredikat as RulesOrgPredikat
from kinerja.rules.enums import Predikat as RulesPredikat
from kinerja.rules.enums import Rating as RulesRating


def _from_rules(name: str, enum: type) -> type[models.TextChoices]:
    return models.TextChoices(name, [(m.name, (m.value, m.label)) for m in enum])  # type: ignore[return-value]


Rating = _from_rules("Rating", RulesRating)
Predikat = _from_rules("Predikat", RulesPredikat)
OrgPredikat = _from_rules("OrgPredikat", RulesOrgPredikat)


class AssessmentStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    FINAL = "final", _("Final")


class ObjectionStatus(models.TextChoices):
    SUBMITTED = "diajukan", _("Diajukan")
    CLARIFYING = "klarifikasi", _("Meminta penjelasan")
    UPHELD = "dikuatkan", _("Penilaian dikuatkan")
    CHANGED = "diubah", _("Penilaian diubah")

    @classmethod
    def open_values(cls) -> list[str]:
        return [cls.SUBMITTED, cls.CLARIFYING]


class Party(models.TextChoices):
    EMPLOYEE = "pegawai", _("Pegawai yang mengajukan keberatan")
    ASSESSOR = "penilai", _("Pejabat penilai")
