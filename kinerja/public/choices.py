"""Choices of the public-participation app (Indonesian labels are the official terms)."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeSlot(models.TextChoices):
    """Jam survei on the SKM questionnaire (PermenPANRB 14/2017)."""

    MORNING = "pagi", "08.00–12.00"
    AFTERNOON = "siang", "13.00–17.00"


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Education(models.TextChoices):
    SD = "sd", "SD"
    SMP = "smp", "SMP"
    SMA = "sma", "SMA"
    D1_D3 = "d1d3", "D1–D3"
    D4_S1 = "d4s1", "D4/S1"
    S2 = "s2", "S2"
    S3 = "s3", "S3"


class Occupation(models.TextChoices):
    PNS = "pns", "PNS"
    TNI = "tni", "TNI"
    POLRI = "polri", "POLRI"
    SWASTA = "swasta", _("Swasta")
    WIRAUSAHA = "wirausaha", _("Wirausaha")
    OTHER = "lainnya", _("Lainnya")


class Channel(models.TextChoices):
    """How a questionnaire reached us."""

    WEB = "web", _("Daring (ponsel)")
    KIOSK = "kiosk", _("Tablet loket")
    PAPER = "paper", _("Kuesioner kertas")


# Age bands of the respondent profile: (key, label, lowest age, highest age or None).
AGE_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("u20", "< 20", 0, 19),
    ("20", "20–29", 20, 29),
    ("30", "30–39", 30, 39),
    ("40", "40–49", 40, 49),
    ("50", "50–59", 50, 59),
    ("60", "≥ 60", 60, None),
)
AGE_MIN, AGE_MAX = 15, 100


def age_band(age: int | None) -> str:
    """The key of the age band of `age` ("" when unknown)."""
    if age is None:
        return ""
    for key, _label, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return key
    return ""


class ProfileDimension(models.TextChoices):
    """The respondent-profile breakdowns kept per service and day."""

    SEX = "sex", _("Jenis kelamin")
    AGE = "age", _("Usia")
    EDUCATION = "education", _("Pendidikan")
    OCCUPATION = "occupation", _("Pekerjaan")
    SLOT = "slot", _("Jam survei")
    CHANNEL = "channel", _("Cara mengisi")


DIMENSION_VALUES: dict[str, list[tuple[str, Any]]] = {
    ProfileDimension.SEX: list(Sex.choices),
    ProfileDimension.AGE: [(key, label) for key, label, _low, _high in AGE_BANDS],
    ProfileDimension.EDUCATION: list(Education.choices),
    ProfileDimension.OCCUPATION: list(Occupation.choices),
    ProfileDimension.SLOT: list(TimeSlot.choices),
    ProfileDimension.CHANNEL: list(Channel.choices),
}

# The question asked for each unsur, as printed on the questionnaire of PermenPANRB 14/2017
# (Lampiran); the regency may reword them (SurveyQuestion). Names and answer labels come from
# kinerja.rules.skm.UNSUR.
DEFAULT_QUESTIONS: dict[str, str] = {
    "U1": "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
    "pelayanannya?",
    "U2": "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    "U3": "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    "U4": "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    "U5": "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
    "dalam standar pelayanan dengan hasil yang diberikan?",
    "U6": "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
    "U7": "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
    "kesopanan dan keramahan?",
    "U8": "Bagaimana pendapat Saudara tentang penanganan pengaduan, saran, dan masukan di unit "
    "ini?",
    "U9": "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
}


class ComplaintKind(models.TextChoices):
    COMPLAINT = "pengaduan", _("Pengaduan")
    SUGGESTION = "saran", _("Saran/masukan")


class ComplaintCategory(models.TextChoices):
    SERVICE = "pelayanan", _("Prosedur dan persyaratan pelayanan")
    TIME = "waktu", _("Waktu pelayanan")
    COST = "biaya", _("Biaya/pungutan")
    STAFF = "petugas", _("Perilaku petugas")
    FACILITY = "sarana", _("Sarana dan prasarana")
    INFORMATION = "informasi", _("Informasi")
    OTHER = "lainnya", _("Lainnya")


class ComplaintStatus(models.TextChoices):
    """Diterima → Diverifikasi → Diproses → Selesai, or Ditolak with a reason."""

    RECEIVED = "diterima", _("Diterima")
    VERIFIED = "diverifikasi", _("Diverifikasi")
    IN_PROGRESS = "diproses", _("Diproses")
    RESOLVED = "selesai", _("Selesai")
    REJECTED = "ditolak", _("Ditolak")

    @classmethod
    def final(cls) -> frozenset[str]:
        return frozenset({cls.RESOLVED, cls.REJECTED})


# The moves a unit may make; the citizen's only move is reopening a final complaint once.
COMPLAINT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ComplaintStatus.RECEIVED: (ComplaintStatus.VERIFIED, ComplaintStatus.REJECTED),
    ComplaintStatus.VERIFIED: (ComplaintStatus.IN_PROGRESS, ComplaintStatus.REJECTED),
    ComplaintStatus.IN_PROGRESS: (ComplaintStatus.RESOLVED, ComplaintStatus.REJECTED),
    ComplaintStatus.RESOLVED: (),
    ComplaintStatus.REJECTED: (),
}


class UpdateKind(models.TextChoices):
    """One entry of a complaint's timeline."""

    STATUS = "status", _("Perubahan status")
    RESPONSE = "response", _("Tanggapan resmi")
    REOPENED = "reopened", _("Dibuka kembali oleh pelapor")
    RATED = "rated", _("Penilaian pelapor")
    REMOVED = "removed", _("Dihapus sebagai spam")


class PostStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu moderasi")
    PUBLISHED = "published", _("Tayang")
    HIDDEN = "hidden", _("Disembunyikan")
