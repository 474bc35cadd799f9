"""Choices of the adoption app (activation, channels, reminders, help, announcements)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivationScope(models.TextChoices):
    UNIT = "unit", _("Unit kerja (beserta unit di bawahnya)")
    OPD = "opd", _("Satu OPD")
    IMPORT = "impor", _("Satu kali impor (akun yang dibuat pada tanggal itu)")
    PEOPLE = "orang", _("Pegawai terpilih")


class NotificationKind(models.TextChoices):
    """What a notification is about (kinerja.core.notifications.notify(kind=...)); a person
    chooses which kinds reach them outside the app."""

    GENERAL = "umum", _("Pemberitahuan umum (umpan balik, persetujuan, penilaian)")
    REALISATION_DUE = "realisasi_jatuh_tempo", _("Pengingat batas pengisian realisasi")
    PLAN_WAITING = "skp_menunggu", _("SKP bawahan menunggu persetujuan")
    ASSESSMENT_CLOSING = "penilaian_berakhir", _("Periode penilaian segera berakhir")
    OBJECTION_DEADLINE = "batas_keberatan", _("Batas waktu keberatan")
    DIGEST = "ringkasan_harian", _("Ringkasan harian atasan")
    ANNOUNCEMENT = "pengumuman", _("Pengumuman")
    ACTIVATION = "aktivasi", _("Aktivasi akun dan pengingat aktivasi")
    TRAINING_STARTING = "pelatihan_mulai", _("Pelatihan yang Anda ikuti dimulai besok")
    DEVELOPMENT_ITEM_OPEN = (
        "rencana_pengembangan_terlambat",
        _("Rencana pengembangan kompetensi belum ditindaklanjuti"),
    )


class EmailMode(models.TextChoices):
    IMMEDIATE = "segera", _("Segera, satu surel per pemberitahuan")
    DIGEST = "harian", _("Dikumpulkan dalam satu surel harian")
    OFF = "mati", _("Tidak lewat surel")


class Channel(models.TextChoices):
    EMAIL = "email", _("Surel")
    WEBHOOK = "webhook", _("Gateway WhatsApp/SMS (webhook)")


class DeliveryStatus(models.TextChoices):
    PENDING = "antre", _("Dalam antrean")
    SENT = "terkirim", _("Terkirim")
    FAILED = "gagal", _("Gagal")


class ArticleKind(models.TextChoices):
    ARTICLE = "artikel", _("Panduan")
    FAQ = "faq", _("Tanya jawab (FAQ)")


class AnnouncementKind(models.TextChoices):
    GENERAL = "umum", _("Pengumuman")
    SOCIALISATION = "sosialisasi", _("Sosialisasi")


class ReportStatus(models.TextChoices):
    OPEN = "baru", _("Belum ditangani")
    DONE = "selesai", _("Sudah ditangani")
