"""Choices of the competency app (DOMAIN §4: forms and kinds of competency development)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LearningForm(models.TextChoices):
    """Bentuk pengembangan kompetensi (PerLAN 10/2018)."""

    KLASIKAL = "klasikal", _("Klasikal")
    NONKLASIKAL = "nonklasikal", _("Nonklasikal")


class LearningKind(models.TextChoices):
    """Jalur pengembangan kompetensi (DOMAIN §4); `form_of` gives the form of each kind."""

    # klasikal
    STRUKTURAL = "struktural", _("Pelatihan struktural kepemimpinan")
    MANAJERIAL = "manajerial", _("Pelatihan manajerial")
    TEKNIS = "teknis", _("Pelatihan teknis")
    FUNGSIONAL = "fungsional", _("Pelatihan fungsional")
    SOSIAL_KULTURAL = "sosial_kultural", _("Pelatihan sosial kultural")
    SEMINAR = "seminar", _("Seminar/konferensi")
    WORKSHOP = "workshop", _("Lokakarya (workshop)")
    KURSUS = "kursus", _("Kursus")
    PENATARAN = "penataran", _("Penataran")
    BIMTEK = "bimtek", _("Bimbingan teknis")
    SOSIALISASI = "sosialisasi", _("Sosialisasi")
    # nonklasikal
    COACHING = "coaching", _("Coaching")
    MENTORING = "mentoring", _("Mentoring")
    E_LEARNING = "e_learning", _("E-learning")
    MAGANG = "magang", _("Magang/praktik kerja")
    BENCHMARKING = "benchmarking", _("Benchmarking")
    DETASERING = "detasering", _("Detasering")
    BELAJAR_MANDIRI = "belajar_mandiri", _("Belajar mandiri")
    PJJ = "pjj", _("Pelatihan jarak jauh")
    LAINNYA = "lainnya", _("Lainnya")


NONKLASIKAL_KINDS = frozenset(
    {
        LearningKind.COACHING,
        LearningKind.MENTORING,
        LearningKind.E_LEARNING,
        LearningKind.MAGANG,
        LearningKind.BENCHMARKING,
        LearningKind.DETASERING,
        LearningKind.BELAJAR_MANDIRI,
        LearningKind.PJJ,
        LearningKind.LAINNYA,
    }
)


def form_of(kind: str) -> str:
    return LearningForm.NONKLASIKAL if kind in NONKLASIKAL_KINDS else LearningForm.KLASIKAL


class EnrolmentStatus(models.TextChoices):
    """The values are the API's words (issue 12); the labels the pages'."""

    ENROLLED = "enrolled", _("Terdaftar")
    PENDING_APPROVAL = "pending_approval", _("Menunggu persetujuan atasan")
    WAITLISTED = "waitlisted", _("Daftar tunggu")
    CANCELLED = "cancelled", _("Dibatalkan")
    REJECTED = "rejected", _("Tidak disetujui")
    COMPLETED = "completed", _("Selesai")
    NOT_COMPLETED = "not_completed", _("Tidak memenuhi syarat kelulusan")

    @classmethod
    def seat_holding(cls) -> list[str]:
        """Statuses that hold one of the session's seats."""
        return [cls.ENROLLED, cls.PENDING_APPROVAL, cls.COMPLETED, cls.NOT_COMPLETED]

    @classmethod
    def active(cls) -> list[str]:
        """Statuses that count as "already enrolled" (409 on a second enrolment)."""
        return [*cls.seat_holding(), cls.WAITLISTED]


class SessionStatus(models.TextChoices):
    OPEN = "dibuka", _("Dibuka")
    CLOSED = "selesai", _("Selesai")
    CANCELLED = "dibatalkan", _("Dibatalkan")


class AttendanceSource(models.TextChoices):
    SHEET = "lembar", _("Lembar presensi")
    QR = "qr", _("Pindai QR")


class ExternalStatus(models.TextChoices):
    SUBMITTED = "diajukan", _("Menunggu verifikasi BKPSDM")
    APPROVED = "disetujui", _("Disetujui")
    RETURNED = "dikembalikan", _("Dikembalikan")


class GapSource(models.TextChoices):
    BEHAVIOUR = "perilaku", _("Nilai BerAKHLAK di bawah ekspektasi")
    INDICATOR = "indikator", _("Indikator kinerja di bawah target")
    SUPERVISOR = "atasan", _("Catatan atasan")
    MANDATORY = "wajib", _("Pelatihan wajib")
    SELF = "mandiri", _("Usulan pegawai")


class PlanItemStatus(models.TextChoices):
    PROPOSED = "usulan", _("Usulan")
    AGREED = "disepakati", _("Disepakati")
    DONE = "tercapai", _("Tercapai")
    DROPPED = "batal", _("Dibatalkan")


# Competency tags: the seven BerAKHLAK core values (SE MenPANRB 20/2021) and technical areas.
BERAKHLAK_TAGS = [
    "Berorientasi Pelayanan",
    "Akuntabel",
    "Kompeten",
    "Harmonis",
    "Loyal",
    "Adaptif",
    "Kolaboratif",
]
TECHNICAL_TAGS = [
    "Teknologi Informasi",
    "Pelayanan Prima",
    "Kegawatdaruratan",
    "Administrasi Kependudukan",
    "Manajemen Kinerja",
    "Keuangan Daerah",
]
TAGS = [*BERAKHLAK_TAGS, *TECHNICAL_TAGS]
