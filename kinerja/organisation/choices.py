"""Choices of the organisation app (Indonesian labels are the official terms)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    SEKRETARIAT_DAERAH = "setda", _("Sekretariat Daerah")
    SEKRETARIAT_DPRD = "setwan", _("Sekretariat DPRD")
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    SATPOL_PP = "satpol", _("Satuan Polisi Pamong Praja")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    BIDANG = "bidang", _("Bidang")
    BAGIAN = "bagian", _("Bagian")
    SEKSI = "seksi", _("Seksi")
    SUBBAGIAN = "subbagian", _("Subbagian")
    RSUD = "rsud", _("UPT Rumah Sakit Umum Daerah")
    PUSKESMAS = "puskesmas", _("UPT Puskesmas")
    UPT = "upt", _("UPT lainnya")

    @classmethod
    def opd_kinds(cls) -> set[str]:
        """Kinds that make a unit an OPD (perangkat daerah), the top of an organisation tree."""
        return {
            cls.SEKRETARIAT_DAERAH,
            cls.SEKRETARIAT_DPRD,
            cls.DINAS,
            cls.BADAN,
            cls.INSPEKTORAT,
            cls.SATPOL_PP,
            cls.KECAMATAN,
        }


class Sector(models.TextChoices):
    """The field a unit works in; later features pick indicator libraries by it."""

    HEALTH = "kesehatan", _("Kesehatan")
    EDUCATION = "pendidikan", _("Pendidikan")
    CIVIL_REGISTRY = "kependudukan", _("Kependudukan dan Pencatatan Sipil")
    LICENSING = "perizinan", _("Perizinan dan Penanaman Modal")
    SOCIAL = "sosial", _("Sosial")
    PUBLIC_WORKS = "pupr", _("Pekerjaan Umum dan Penataan Ruang")
    GENERAL = "umum", _("Administrasi Umum")


class PositionKind(models.TextChoices):
    JPT = "jpt", _("Jabatan Pimpinan Tinggi")
    ADMINISTRATOR = "administrator", _("Administrator")
    PENGAWAS = "pengawas", _("Pengawas")
    FUNGSIONAL = "fungsional", _("Fungsional")
    PELAKSANA = "pelaksana", _("Pelaksana")


class Jenjang(models.TextChoices):
    """Jenjang jabatan fungsional (PerBKN 3/2023); keys match kinerja.rules.incentives."""

    PEMULA = "pemula", _("Pemula")
    TERAMPIL = "terampil", _("Terampil")
    MAHIR = "mahir", _("Mahir")
    PENYELIA = "penyelia", _("Penyelia")
    AHLI_PERTAMA = "ahli_pertama", _("Ahli Pertama")
    AHLI_MUDA = "ahli_muda", _("Ahli Muda")
    AHLI_MADYA = "ahli_madya", _("Ahli Madya")
    AHLI_UTAMA = "ahli_utama", _("Ahli Utama")


class EmploymentStatus(models.TextChoices):
    PNS = "pns", _("PNS")
    PPPK = "pppk", _("PPPK")


class Golongan(models.TextChoices):
    """Pangkat/golongan ruang of PNS (PP 99/2000) and golongan of PPPK (Perpres 98/2020)."""

    I_A = "I/a", "Juru Muda (I/a)"
    I_B = "I/b", "Juru Muda Tingkat I (I/b)"
    I_C = "I/c", "Juru (I/c)"
    I_D = "I/d", "Juru Tingkat I (I/d)"
    II_A = "II/a", "Pengatur Muda (II/a)"
    II_B = "II/b", "Pengatur Muda Tingkat I (II/b)"
    II_C = "II/c", "Pengatur (II/c)"
    II_D = "II/d", "Pengatur Tingkat I (II/d)"
    III_A = "III/a", "Penata Muda (III/a)"
    III_B = "III/b", "Penata Muda Tingkat I (III/b)"
    III_C = "III/c", "Penata (III/c)"
    III_D = "III/d", "Penata Tingkat I (III/d)"
    IV_A = "IV/a", "Pembina (IV/a)"
    IV_B = "IV/b", "Pembina Tingkat I (IV/b)"
    IV_C = "IV/c", "Pembina Utama Muda (IV/c)"
    IV_D = "IV/d", "Pembina Utama Madya (IV/d)"
    IV_E = "IV/e", "Pembina Utama (IV/e)"
    P_I = "PPPK-I", "PPPK Golongan I"
    P_II = "PPPK-II", "PPPK Golongan II"
    P_III = "PPPK-III", "PPPK Golongan III"
    P_IV = "PPPK-IV", "PPPK Golongan IV"
    P_V = "PPPK-V", "PPPK Golongan V"
    P_VI = "PPPK-VI", "PPPK Golongan VI"
    P_VII = "PPPK-VII", "PPPK Golongan VII"
    P_VIII = "PPPK-VIII", "PPPK Golongan VIII"
    P_IX = "PPPK-IX", "PPPK Golongan IX"
    P_X = "PPPK-X", "PPPK Golongan X"
    P_XI = "PPPK-XI", "PPPK Golongan XI"
    P_XII = "PPPK-XII", "PPPK Golongan XII"
    P_XIII = "PPPK-XIII", "PPPK Golongan XIII"
    P_XIV = "PPPK-XIV", "PPPK Golongan XIV"
    P_XV = "PPPK-XV", "PPPK Golongan XV"
    P_XVI = "PPPK-XVI", "PPPK Golongan XVI"
    P_XVII = "PPPK-XVII", "PPPK Golongan XVII"

    @classmethod
    def for_status(cls, status: str) -> list[str]:
        prefix = "PPPK-" if status == EmploymentStatus.PPPK else ""
        return [
            value
            for value in cls.values
            if (value.startswith("PPPK-") if prefix else not value.startswith("PPPK-"))
        ]


class Role(models.TextChoices):
    """Account roles. Supervisor rights are not a role: they follow the reporting lines."""

    PEGAWAI = "pegawai", _("Pegawai")
    ADMIN_OPD = "admin_opd", _("Admin OPD")
    ADMIN_BKPSDM = "admin_bkpsdm", _("Admin BKPSDM")
    PIMPINAN = "pimpinan", _("Pimpinan Daerah")
    INSPEKTORAT = "inspektorat", _("Inspektorat")


class ChangeReason(models.TextChoices):
    """Why an employee's position, unit or supervisor record changed (riwayat/mutasi)."""

    INITIAL = "awal", _("Data awal")
    MUTASI = "mutasi", _("Mutasi")
    PROMOSI = "promosi", _("Promosi/rotasi jabatan")
    ATASAN = "atasan", _("Perubahan atasan langsung")
    KOREKSI = "koreksi", _("Koreksi data")
    IMPOR = "impor", _("Impor data")
    NONAKTIF = "nonaktif", _("Nonaktif")
