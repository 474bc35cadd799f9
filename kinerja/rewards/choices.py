"""Choices of the rewards app (PP 94/2021; PP 30/2019 Pasal 56–58; PP 12/2019 Pasal 58)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.rules.discipline import PUNISHMENTS


class DisciplineLevel(models.TextChoices):
    """Tingkat hukuman disiplin (PP 94/2021 Pasal 8)."""

    RINGAN = "ringan", _("Ringan")
    SEDANG = "sedang", _("Sedang")
    BERAT = "berat", _("Berat")


DisciplineKind = models.TextChoices(  # type: ignore[misc]
    "DisciplineKind", [(p.kind.upper(), (p.kind, p.label)) for p in PUNISHMENTS]
)


class AttendanceStatus(models.TextChoices):
    """Status codes of the fingerprint machines' export (DOMAIN §5)."""

    HADIR = "H", _("Hadir")
    TANPA_KETERANGAN = "TK", _("Tanpa keterangan")
    SAKIT = "S", _("Sakit dengan surat keterangan")
    IZIN = "I", _("Izin")
    CUTI = "C", _("Cuti")
    DINAS_LUAR = "DL", _("Dinas luar")

    @classmethod
    def excused(cls) -> set[str]:
        """Days with a valid reason: they cut nothing (DOMAIN §5)."""
        return {cls.SAKIT, cls.IZIN, cls.CUTI, cls.DINAS_LUAR}


class TppStatus(models.TextChoices):
    CALCULATED = "dihitung", _("Dihitung")
    APPROVED = "disetujui", _("Disetujui")
    LOCKED = "dikunci", _("Dikunci")


class TppLineKind(models.TextChoices):
    REGULAR = "reguler", _("Reguler")
    CORRECTION = "koreksi", _("Koreksi")


class ConditionKind(models.TextChoices):
    """Kinds of follow-up rule conditions (kinerja.rules.followup)."""

    PREDIKAT_TERAKHIR = "predikat_terakhir", _("Predikat periode terakhir")
    PREDIKAT_BERTURUT = "predikat_berturut", _("Predikat beberapa periode berturut-turut")
    PREDIKAT_TAHUNAN = "predikat_tahunan", _("Predikat tahunan")
    KETIDAKHADIRAN = "ketidakhadiran", _("Ketidakhadiran tanpa keterangan (PP 94/2021)")
    KEKURANGAN_JP = "kekurangan_jp", _("Kekurangan JP pengembangan kompetensi")
    PEMBINAAN_GAGAL = "pembinaan_gagal", _("Pembinaan tidak berhasil")


class Action(models.TextChoices):
    """What an accepted recommendation does."""

    PIAGAM = "piagam", _("Piagam Penghargaan")
    ASN_BERPRESTASI = "asn_berprestasi", _("Nominasi ASN Berprestasi")
    PEMBINAAN = "pembinaan", _("Rencana pembinaan (6 bulan)")
    RUJUKAN = "rujukan_bkpsdm", _("Rujukan ke BKPSDM untuk pemeriksaan")
    MUTASI = "mutasi", _("Rekomendasi pemindahan jabatan (PP 30/2019 Pasal 56–58)")
    PELATIHAN = "pelatihan_wajib", _("Pelatihan wajib")
    HUKUMAN = "hukuman_disiplin", _("Hukuman disiplin (PP 94/2021)")

    @classmethod
    def bkpsdm_only(cls) -> set[str]:
        """Actions only BKPSDM decides (on behalf of the Pejabat Pembina Kepegawaian)."""
        return {cls.MUTASI, cls.RUJUKAN, cls.HUKUMAN}  # = access.BKPSDM_ONLY_ACTIONS


class RecommendationStatus(models.TextChoices):
    PENDING = "menunggu", _("Menunggu keputusan")
    ACCEPTED = "diterima", _("Diterima")
    REJECTED = "ditolak", _("Ditolak")


class CoachingStatus(models.TextChoices):
    RUNNING = "berjalan", _("Berjalan")
    IMPROVED = "berhasil", _("Berhasil: kinerja membaik")
    FAILED = "tidak_berhasil", _("Tidak berhasil")


class RecognitionKind(models.TextChoices):
    PIAGAM = "piagam", _("Piagam Penghargaan")
    ASN_BERPRESTASI = "asn_berprestasi", _("Nominasi ASN Berprestasi")
