"""Choices of the performance app (SKP, PermenPANRB 6/2022)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.rules.enums import Polarity as RulesPolarity
from kinerja.rules.realisation import Aggregation as RulesAggregation


class PlanStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    SUBMITTED = "diajukan", _("Diajukan")
    APPROVED = "disetujui", _("Disetujui")
    RETURNED = "dikembalikan", _("Dikembalikan")


class RhkKind(models.TextChoices):
    UTAMA = "utama", _("A. Utama")
    TAMBAHAN = "tambahan", _("B. Tambahan")


class Aspek(models.TextChoices):
    KUANTITAS = "kuantitas", _("Kuantitas")
    KUALITAS = "kualitas", _("Kualitas")
    WAKTU = "waktu", _("Waktu")
    BIAYA = "biaya", _("Biaya")


Polarity = models.TextChoices(  # type: ignore[misc]
    "Polarity", [(m.name, (m.value, m.label)) for m in RulesPolarity]
)
Aggregation = models.TextChoices(  # type: ignore[misc]
    "Aggregation", [(m.name, (m.value, m.label)) for m in RulesAggregation]
)


class IndicatorSource(models.TextChoices):
    """Where realisations come from: typed by the employee, or filled by the system."""

    MANUAL = "manual", _("Diisi pegawai")
    IKM = "ikm", _("Otomatis: IKM layanan (survei)")
    COMPLAINTS = "pengaduan", _("Otomatis: pengaduan selesai tepat waktu")


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Berkas")
    LINK = "link", _("Tautan")


class ActionStatus(models.TextChoices):
    OPEN = "terbuka", _("Belum selesai")
    DONE = "selesai", _("Selesai")
    DROPPED = "dibatalkan", _("Dibatalkan")
