"""The performance part of the Bukitintan demo (run by `seed_demo` after the organisation).

For the current year: three or four goals (sasaran) for every OPD, by sector; an approved SKP
for every active employee, cascaded as PermenPANRB 6/2022 asks (unit heads' RHK hang from their
OPD's goals, everyone else's from one of their direct supervisor's RHK); monthly realisations up
to now with a realistic spread (some ahead, most on track, some behind, a few with gaps; some
entered late; most months up to two months ago reviewed by the supervisor); evidence links and a
handful of small PDF files; feedback threads; dialog kinerja records with agreed actions. The
heads of Dinkes and Disdukcapil also have an RHK Tambahan whose indicators the system fills
from the survey IKM and the complaints (the public demo, which runs next, fills them).

The demo logins (`kinerja.organisation.demo.demo_logins`) get a story: the Pegawai's last month
is entered but not yet reviewed and carries a question from the supervisor; the Atasan has one
plan of another subordinate waiting in the approval inbox (a revised version 2).

It is a bulk tool, like the organisation demo: ids are assigned in memory and every table is
written in bulk (per-plan services would take minutes at 10,000 employees). The rows
are exactly what the services would write: the version snapshots have the shape of
`services.plan_snapshot` (tests/performance/test_demo.py compares them), and one audit record
notes the seeding. Everything depends only on the organisation and the seed.
"""

from __future__ import annotations

import functools
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.models import Notification
from kinerja.organisation.choices import Role, Sector
from kinerja.organisation.demo import demo_logins
from kinerja.organisation.models import Employee, Unit, User
from kinerja.rules import berakhlak

from . import services
from .choices import (
    ActionStatus,
    Aggregation,
    EvidenceKind,
    IndicatorSource,
    PlanStatus,
    Polarity,
    RhkKind,
)
from .models import (
    AgreedAction,
    BehaviourExpectation,
    Comment,
    Dialog,
    Evidence,
    Indicator,
    OrgGoal,
    Plan,
    PlanVersion,
    Realisation,
    Rhk,
)

HIGHER, LOWER = Polarity.HIGHER_IS_BETTER.value, Polarity.LOWER_IS_BETTER.value
SUM, AVERAGE, LAST = Aggregation.SUM.value, Aggregation.AVERAGE.value, Aggregation.LAST.value
LEVEL_UNITS = {"persen", "indeks", "nilai", "level", "per 100.000 KH"}
EVIDENCE_HOST = "https://arsip.bukitintan.go.id/bukti"
BATCH = 5000


# --- The catalogue ---------------------------------------------------------------------------
# Written as text so that it reads like the SKP form: an RHK (or an OPD's sasaran) on one line,
# its indicators indented below as "name; unit; aspek; + or - (polarity); aggregation; target".
# Targets are the staff-level annual defaults; the first indicators come from the indicator
# library (kinerja.performance.library) where it has them, so the demo speaks as the library.


@dataclass(frozen=True)
class Spec:
    """An indicator as a demo plan uses it."""

    name: str
    unit: str
    aspek: str
    polarity: str
    aggregation: str
    target: Decimal
    source: str = IndicatorSource.MANUAL.value
    source_ref: str = ""


@dataclass(frozen=True)
class Work:
    """An RHK (or a goal's sasaran) with its indicators."""

    rhk: str
    specs: tuple[Spec, ...]


def parse_catalogue(text: str) -> dict[str, list[Work]]:
    """ "[key]" lines open a list; unindented lines are RHK; indented lines their indicators."""
    result: dict[str, list[Work]] = {}
    key = ""
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("["):
            key = line.strip()[1:-1]
            result[key] = []
        elif line.startswith(" "):
            name, unit, aspek, sign, aggregation, target = (p.strip() for p in line.split(";"))
            polarity = HIGHER if sign == "+" else LOWER
            spec = Spec(name, unit, aspek, polarity, aggregation, Decimal(target))
            last = result[key][-1]
            result[key][-1] = Work(last.rhk, (*last.specs, spec))
        else:
            result[key].append(Work(line.strip(), ()))
    return result


STAFF_WORK = parse_catalogue(
    """
[kesehatan]
Terlaksananya pelayanan kesehatan perorangan
  Jumlah pasien terlayani; pasien; kuantitas; +; sum; 2400
  Persentase rekam medis lengkap dan tepat waktu; persen; kualitas; +; average; 95
Terlaksananya pelayanan gawat darurat yang cepat
  Waktu respons penanganan gawat darurat; menit; waktu; -; average; 5
  Jumlah pasien gawat darurat tertangani; pasien; kuantitas; +; sum; 600
Meningkatnya cakupan imunisasi
  Persentase bayi mendapat imunisasi dasar lengkap; persen; kualitas; +; last; 95
  Jumlah sesi posyandu imunisasi dilayani; sesi; kuantitas; +; sum; 48
Menurunnya kematian ibu
  Jumlah pemeriksaan ibu hamil (K1–K6); kunjungan; kuantitas; +; sum; 480
  Jumlah kematian ibu melahirkan; kasus; kualitas; -; sum; 0
Terlaksananya kunjungan rumah keluarga berisiko
  Jumlah kunjungan rumah; kunjungan; kuantitas; +; sum; 120
  Persentase keluarga berisiko yang ditindaklanjuti; persen; kualitas; +; last; 90
Tersedianya obat dan perbekalan kesehatan
  Jumlah resep dilayani; resep; kuantitas; +; sum; 6000
  Persentase ketersediaan obat esensial; persen; kualitas; +; average; 95
Terlaksananya pemeriksaan laboratorium yang tepat waktu
  Jumlah sampel laboratorium diperiksa; sampel; kuantitas; +; sum; 3000
  Waktu tunggu hasil laboratorium; jam; waktu; -; average; 2

[pendidikan]
Terlaksananya pembelajaran yang berkualitas
  Jumlah jam mengajar terlaksana; jam; kuantitas; +; sum; 864
  Persentase kehadiran mengajar; persen; kualitas; +; average; 98
Meningkatnya hasil belajar peserta didik
  Persentase peserta didik tuntas KKM; persen; kualitas; +; last; 85
  Jumlah peserta didik mendapat pembelajaran remedial; siswa; kuantitas; +; sum; 60
Tersusunnya perangkat pembelajaran
  Jumlah modul ajar disusun; dokumen; kuantitas; +; sum; 12
Terlaksananya supervisi akademik sekolah binaan
  Jumlah kunjungan supervisi sekolah binaan; kunjungan; kuantitas; +; sum; 48
  Jumlah laporan supervisi disusun; laporan; kuantitas; +; sum; 12
Terkelolanya data pokok pendidikan
  Persentase data Dapodik sekolah valid; persen; kualitas; +; last; 95

[kependudukan]
Terbitnya dokumen kependudukan tepat waktu
  Persentase dokumen kependudukan terbit tepat waktu; persen; waktu; +; average; 95
  Jumlah dokumen kependudukan diterbitkan; dokumen; kuantitas; +; sum; 4800
Terlayaninya perekaman KTP-el
  Jumlah perekaman KTP-el; perekaman; kuantitas; +; sum; 3000
Cepatnya penerbitan akta kelahiran
  Rata-rata waktu penerbitan akta kelahiran; hari; waktu; -; average; 1
  Jumlah akta kelahiran diterbitkan; akta; kuantitas; +; sum; 2400
Termutakhirkannya data kependudukan
  Jumlah data kependudukan dimutakhirkan; rekam; kuantitas; +; sum; 6000

[perizinan]
Terbitnya izin sesuai standar waktu
  Persentase izin terbit sesuai SOP; persen; waktu; +; average; 95
  Rata-rata waktu penerbitan izin; hari; waktu; -; average; 3
Terlayaninya permohonan perizinan
  Jumlah permohonan izin diproses; permohonan; kuantitas; +; sum; 1200
Terlaksananya pengawasan penanaman modal
  Jumlah perusahaan diawasi; perusahaan; kuantitas; +; sum; 60
  Jumlah LKPM terverifikasi; laporan; kuantitas; +; sum; 240

[sosial]
Tersalurkannya bantuan sosial tepat sasaran
  Jumlah keluarga penerima manfaat diverifikasi; KPM; kuantitas; +; sum; 1500
Tertanganinya PPKS
  Persentase PPKS yang ditangani; persen; kualitas; +; last; 90
  Jumlah PPKS mendapat rehabilitasi sosial; orang; kuantitas; +; sum; 120
Terlaksananya pendampingan keluarga penerima PKH
  Jumlah keluarga PKH didampingi; keluarga; kuantitas; +; sum; 250
  Persentase laporan pendampingan tepat waktu; persen; waktu; +; average; 95
Termutakhirkannya data terpadu kesejahteraan sosial
  Jumlah rumah tangga DTKS diverifikasi; rumah tangga; kuantitas; +; sum; 1800

[pupr]
Meningkatnya kondisi jalan kabupaten
  Panjang jalan kabupaten dalam kondisi mantap; km; kuantitas; +; last; 420
Terlaksananya pengawasan pekerjaan konstruksi
  Jumlah laporan pengawasan lapangan; laporan; kuantitas; +; sum; 48
  Persentase paket pekerjaan selesai tepat waktu; persen; waktu; +; last; 90
Terpeliharanya jaringan irigasi
  Panjang saluran irigasi dipelihara; km; kuantitas; +; sum; 36
Tertanganinya kerusakan jalan
  Waktu penanganan laporan jalan rusak; hari; waktu; -; average; 7
  Luas lubang jalan ditambal; m²; kuantitas; +; sum; 2400
Tersusunnya dokumen perencanaan teknis
  Jumlah dokumen DED disusun; dokumen; kuantitas; +; sum; 6

[umum]
Tersusunnya dokumen perencanaan dan laporan
  Jumlah dokumen tersusun tepat waktu; dokumen; kuantitas; +; sum; 12
Terkelolanya administrasi persuratan
  Persentase surat diproses paling lama 1 hari; persen; waktu; +; average; 95
  Jumlah surat masuk dan keluar diadministrasikan; surat; kuantitas; +; sum; 1800
Terselesaikannya layanan kepegawaian
  Jumlah usulan layanan kepegawaian diproses; usulan; kuantitas; +; sum; 200
Terkelolanya keuangan unit kerja
  Jumlah dokumen SPJ diverifikasi; dokumen; kuantitas; +; sum; 360
  Persentase SPJ diverifikasi tepat waktu; persen; waktu; +; average; 95
Terkelolanya barang milik daerah
  Persentase barang milik daerah tercatat; persen; kualitas; +; last; 100
Terlaksananya dukungan teknologi informasi
  Jumlah permintaan dukungan TI diselesaikan; tiket; kuantitas; +; sum; 240
  Persentase gangguan layanan TI ditangani dalam 1 hari; persen; waktu; +; average; 90

[audit]
Terlaksananya pengawasan internal
  Jumlah laporan hasil audit diterbitkan; LHA; kuantitas; +; sum; 18
  Persentase rekomendasi hasil pengawasan ditindaklanjuti; persen; kualitas; +; last; 85
Terlaksananya reviu laporan keuangan dan kinerja
  Jumlah OPD direviu; OPD; kuantitas; +; sum; 24
Tertanganinya pengaduan masyarakat
  Jumlah pengaduan ditangani; pengaduan; kuantitas; +; sum; 36
  Waktu penanganan pengaduan; hari; waktu; -; average; 14

[planning]
Tersusunnya dokumen perencanaan pembangunan daerah
  Jumlah dokumen perencanaan tersusun; dokumen; kuantitas; +; sum; 6
Terlaksananya pengendalian dan evaluasi pembangunan
  Jumlah laporan evaluasi RKPD; laporan; kuantitas; +; sum; 4
  Persentase program prioritas termonitor; persen; kualitas; +; last; 100
Terlaksananya musyawarah perencanaan pembangunan
  Jumlah usulan musrenbang diverifikasi; usulan; kuantitas; +; sum; 400

[hr]
Terselesaikannya layanan kepegawaian
  Jumlah usulan layanan kepegawaian diproses; usulan; kuantitas; +; sum; 600
  Rata-rata waktu penyelesaian layanan kepegawaian; hari; waktu; -; average; 5
Meningkatnya kompetensi ASN
  Jumlah ASN mengikuti pengembangan kompetensi; orang; kuantitas; +; sum; 400
  Persentase ASN memenuhi 20 JP; persen; kualitas; +; last; 80
Termutakhirkannya data ASN
  Persentase data ASN di SIASN valid; persen; kualitas; +; last; 98

[order]
Terlaksananya penegakan peraturan daerah
  Jumlah operasi penertiban dilaksanakan; operasi; kuantitas; +; sum; 48
  Persentase pelanggaran perda ditindaklanjuti; persen; kualitas; +; average; 90
Terjaganya ketenteraman dan ketertiban umum
  Jumlah patroli wilayah; patroli; kuantitas; +; sum; 240
  Waktu respons laporan gangguan ketertiban; menit; waktu; -; average; 30

[district]
Terlayaninya administrasi umum di kecamatan
  Jumlah layanan administrasi diselesaikan; layanan; kuantitas; +; sum; 1800
  Persentase layanan selesai di hari yang sama; persen; waktu; +; average; 90
Terlaksananya pembinaan pemerintahan desa
  Jumlah kunjungan pembinaan desa; kunjungan; kuantitas; +; sum; 24
  Persentase APBDes ditetapkan tepat waktu; persen; waktu; +; last; 100
Terlaksananya ketenteraman dan ketertiban kecamatan
  Jumlah patroli ketertiban; patroli; kuantitas; +; sum; 96

[manager]
Terkoordinasinya pelaksanaan tugas {unit}
  Persentase kegiatan terlaksana sesuai rencana; persen; kualitas; +; last; 95
  Jumlah laporan kinerja bulanan disusun; laporan; kuantitas; +; sum; 12
Meningkatnya kinerja pegawai {unit}
  Persentase bawahan mengisi realisasi tepat waktu; persen; waktu; +; average; 90
  Jumlah dialog kinerja dengan bawahan; dialog; kuantitas; +; sum; 8
Meningkatnya kualitas layanan {unit}
  Persentase pengaduan layanan diselesaikan; persen; kualitas; +; average; 90

[tambahan]
Menjadi anggota tim penyusun laporan kinerja instansi
  Jumlah rapat tim diikuti; rapat; kuantitas; +; sum; 6
Menjadi narasumber sosialisasi layanan kepada masyarakat
  Jumlah kegiatan sosialisasi; kegiatan; kuantitas; +; sum; 4
Mengikuti pengembangan kompetensi
  Jumlah jam pelajaran pengembangan kompetensi; JP; kuantitas; +; sum; 20
Menjadi anggota tim pengadaan barang/jasa
  Jumlah paket pengadaan didukung; paket; kuantitas; +; sum; 4
Menjadi mentor pegawai baru
  Jumlah sesi mentoring; sesi; kuantitas; +; sum; 6
"""
)
MANAGER_WORK = STAFF_WORK.pop("manager")
TAMBAHAN_WORK = STAFF_WORK.pop("tambahan")

# Heads of OPDs with public services also answer for their users' satisfaction and for handling
# complaints. The system fills these realisations (kinerja.public: the survey IKM of the service,
# and the OPD's complaints answered within the service level) once the public demo has stored
# them: see kinerja.public.demo.
AUTOMATIC_BY_OPD = {
    "DINKES": ("RSUD-RJ", "Rawat Jalan RSUD"),
    "DISDUKCAPIL": ("DUKCAPIL-KTP", "Perekaman dan Pencetakan KTP-el"),
}


def automatic_work(service_code: str, service_name: str) -> Work:
    return Work(
        f"Meningkatnya kepuasan masyarakat dan penanganan pengaduan layanan {service_name}",
        (
            Spec(
                f"Indeks Kepuasan Masyarakat layanan {service_name}",
                "indeks",
                "Kualitas",
                HIGHER,
                AVERAGE,
                Decimal("82"),
                IndicatorSource.IKM.value,
                service_code,
            ),
            Spec(
                "Persentase pengaduan ditanggapi dalam batas waktu layanan",
                "persen",
                "Waktu",
                HIGHER,
                AVERAGE,
                Decimal("90"),
                IndicatorSource.COMPLAINTS.value,
            ),
        ),
    )


# Each OPD's goals (Perjanjian Kinerja): the sasaran, and its indicator below it.
GOALS = parse_catalogue(
    """
[DINKES]
Meningkatnya derajat kesehatan masyarakat
  Angka kematian ibu; per 100.000 KH; kualitas; -; last; 90
Menurunnya prevalensi stunting
  Prevalensi balita stunting; persen; kualitas; -; last; 14
Meningkatnya mutu pelayanan kesehatan
  Persentase fasilitas kesehatan terakreditasi paripurna; persen; kualitas; +; last; 60
Meningkatnya cakupan layanan kesehatan dasar
  Persentase penduduk mendapat layanan kesehatan sesuai SPM; persen; kualitas; +; last; 95

[DISDIK]
Meningkatnya akses pendidikan dasar
  Angka partisipasi murni SD/MI; persen; kuantitas; +; last; 98
Meningkatnya mutu pendidikan
  Rata-rata nilai asesmen nasional literasi; nilai; kualitas; +; last; 70
Meningkatnya kualitas pendidik
  Persentase guru bersertifikat pendidik; persen; kualitas; +; last; 75

[DISDUKCAPIL]
Meningkatnya kepemilikan dokumen kependudukan
  Persentase penduduk wajib KTP memiliki KTP-el; persen; kuantitas; +; last; 98
Meningkatnya kepemilikan akta kelahiran anak
  Persentase anak 0–18 tahun memiliki akta kelahiran; persen; kuantitas; +; last; 95
Meningkatnya kualitas layanan administrasi kependudukan
  Indeks kepuasan masyarakat layanan adminduk; indeks; kualitas; +; last; 85

[DPMPTSP]
Meningkatnya investasi daerah
  Nilai realisasi investasi; miliar rupiah; kuantitas; +; sum; 450
Meningkatnya kualitas pelayanan perizinan
  Persentase izin terbit tepat waktu; persen; waktu; +; last; 95
Meningkatnya kepuasan pelaku usaha
  Indeks kepuasan masyarakat layanan perizinan; indeks; kualitas; +; last; 85

[DINSOS]
Meningkatnya perlindungan sosial bagi masyarakat miskin
  Persentase penerima bantuan sosial tepat sasaran; persen; kualitas; +; last; 95
Tertanganinya penyandang masalah kesejahteraan sosial
  Persentase PPKS tertangani; persen; kuantitas; +; last; 85
Termutakhirkannya data kesejahteraan sosial
  Persentase desa memutakhirkan DTKS; persen; kuantitas; +; last; 100

[DPUPR]
Meningkatnya kualitas infrastruktur jalan
  Persentase jalan kabupaten dalam kondisi mantap; persen; kualitas; +; last; 75
Meningkatnya layanan irigasi
  Persentase jaringan irigasi dalam kondisi baik; persen; kualitas; +; last; 70
Meningkatnya ketaatan pemanfaatan ruang
  Persentase pemanfaatan ruang sesuai RTRW; persen; kualitas; +; last; 85

[SETDA]
Meningkatnya kualitas tata kelola pemerintahan
  Nilai SAKIP pemerintah daerah; nilai; kualitas; +; last; 72
Meningkatnya kualitas pelayanan publik
  Indeks pelayanan publik; indeks; kualitas; +; last; 4
Meningkatnya efektivitas pengadaan barang/jasa
  Persentase paket pengadaan selesai tepat waktu; persen; waktu; +; last; 90
Terwujudnya birokrasi yang bersih dan akuntabel
  Indeks reformasi birokrasi; nilai; kualitas; +; last; 70

[BAPPEDA]
Meningkatnya kualitas perencanaan pembangunan daerah
  Persentase konsistensi program RPJMD dan RKPD; persen; kualitas; +; last; 95
Meningkatnya kualitas pengendalian dan evaluasi pembangunan
  Nilai evaluasi RKPD; nilai; kualitas; +; last; 85
Tersedianya data pembangunan yang akurat
  Persentase indikator makro tersedia tepat waktu; persen; waktu; +; last; 100

[BKPSDM]
Meningkatnya profesionalitas ASN
  Indeks profesionalitas ASN; indeks; kualitas; +; last; 75
Meningkatnya kualitas layanan kepegawaian
  Persentase layanan kepegawaian selesai tepat waktu; persen; waktu; +; last; 95
Meningkatnya kompetensi ASN
  Persentase ASN memenuhi 20 JP pengembangan kompetensi; persen; kualitas; +; last; 80
Terwujudnya sistem merit dalam manajemen ASN
  Nilai penerapan sistem merit; nilai; kualitas; +; last; 300

[INSPEKTORAT]
Meningkatnya kualitas pengawasan internal
  Level kapabilitas APIP; level; kualitas; +; last; 3
Meningkatnya tindak lanjut hasil pengawasan
  Persentase rekomendasi hasil pemeriksaan ditindaklanjuti; persen; kualitas; +; last; 90
Menurunnya temuan berulang
  Jumlah temuan berulang; temuan; kualitas; -; sum; 5

[SATPOLPP]
Meningkatnya ketenteraman dan ketertiban umum
  Persentase gangguan trantibum tertangani; persen; kualitas; +; last; 95
Meningkatnya penegakan peraturan daerah
  Persentase pelanggaran perda ditindak; persen; kualitas; +; last; 90
Meningkatnya perlindungan masyarakat
  Jumlah anggota satlinmas terlatih; orang; kuantitas; +; sum; 300

[KEC]
Meningkatnya kualitas pelayanan kecamatan
  Indeks kepuasan masyarakat layanan kecamatan; indeks; kualitas; +; last; 85
Meningkatnya kinerja pemerintahan desa
  Persentase desa menetapkan APBDes tepat waktu; persen; waktu; +; last; 100
Terjaganya ketenteraman dan ketertiban wilayah
  Jumlah gangguan ketertiban; kejadian; kualitas; -; sum; 12
"""
)
SECTOR_GOALS = {
    Sector.HEALTH: "DINKES",
    Sector.EDUCATION: "DISDIK",
    Sector.CIVIL_REGISTRY: "DISDUKCAPIL",
    Sector.LICENSING: "DPMPTSP",
    Sector.SOCIAL: "DINSOS",
    Sector.PUBLIC_WORKS: "DPUPR",
}
# Work that fits a position better than the rest of its field (matched in the RHK text).
PREFERRED_WORK = [
    ("Apoteker", ("obat",)),
    ("Laboratorium", ("laboratorium",)),
    ("Bidan", ("imunisasi", "kematian ibu")),
    ("Perawat", ("perorangan", "gawat darurat")),
    ("Dokter", ("perorangan", "gawat darurat")),
    ("Nutrisionis", ("kunjungan rumah",)),
    ("Sanitasi", ("kunjungan rumah",)),
    ("Penyuluh Kesehatan", ("kunjungan rumah", "imunisasi")),
    ("Guru", ("pembelajaran", "hasil belajar", "perangkat")),
    ("Pengawas Sekolah", ("supervisi",)),
    ("Penilik", ("supervisi",)),
    ("Pamong Belajar", ("pembelajaran",)),
    ("Pranata Komputer", ("teknologi informasi", "data")),
    ("Arsiparis", ("persuratan",)),
    ("Analis Sumber Daya Manusia", ("kepegawaian", "kompetensi")),
    ("Auditor", ("pengawasan internal", "reviu")),
    ("Perencana", ("perencanaan",)),
    ("Statistisi", ("evaluasi",)),
    ("Polisi Pamong Praja", ("penegakan", "ketenteraman")),
    ("Pekerja Sosial", ("PPKS", "PKH")),
    ("Penyuluh Sosial", ("PKH", "bantuan")),
    ("Teknik Jalan", ("jalan",)),
    ("Teknik Pengairan", ("irigasi",)),
    ("Penata Ruang", ("perencanaan teknis",)),
    ("Penata Perizinan", ("izin", "perizinan")),
    ("Administrator Database Kependudukan", ("data kependudukan", "dokumen kependudukan")),
]
FIELD_BY_OPD = {"INSPEKTORAT": "audit", "BAPPEDA": "planning", "BKPSDM": "hr", "SATPOLPP": "order"}

EXPECTATIONS = {
    "berorientasi_pelayanan": [
        "Menanggapi keluhan pengguna layanan paling lama satu hari kerja",
        "Menyampaikan informasi layanan dengan jelas dan ramah",
    ],
    "akuntabel": [
        "Mengisi realisasi bulanan tepat waktu beserta bukti dukung",
        "Menyusun laporan kegiatan tanpa menunggu diminta",
    ],
    "kompeten": [
        "Menuntaskan minimal 20 JP pengembangan kompetensi tahun ini",
        "Berbagi ilmu hasil pelatihan kepada rekan satu unit",
    ],
    "harmonis": ["Menjaga suasana kerja yang saling menghargai"],
    "loyal": ["Menjaga kerahasiaan data pribadi pengguna layanan"],
    "adaptif": [
        "Memanfaatkan aplikasi Kinerja untuk pencatatan harian",
        "Mengusulkan minimal satu perbaikan proses kerja per semester",
    ],
    "kolaboratif": ["Aktif berkoordinasi lintas seksi dalam kegiatan bersama"],
}
LAMPIRAN = {
    "dukungan": [
        "Sarana dan prasarana kantor, anggaran kegiatan DPA tahun berjalan",
        "Aplikasi pendukung layanan, perangkat komputer dan jaringan internet",
        "Dukungan tim kerja dan koordinasi lintas bidang",
    ],
    "skema": [
        "Laporan realisasi bulanan kepada atasan langsung melalui aplikasi Kinerja",
        "Laporan kegiatan triwulanan dan dialog kinerja dengan atasan",
    ],
    "konsekuensi": [
        "Sesuai ketentuan pemberian tunjangan tambahan penghasilan (TPP) dan penilaian kinerja",
        "Penghargaan bagi kinerja di atas ekspektasi; pembinaan bagi kinerja di bawah ekspektasi",
    ],
}
FEEDBACK = {
    "ahead": [
        "Capaian bulan ini sangat baik, terima kasih. Tolong bagikan caranya di rapat seksi.",
        "Realisasi di atas target. Pertahankan, dan pastikan bukti dukungnya lengkap.",
        "Bagus sekali. Bisa jadi contoh praktik baik untuk unit lain.",
    ],
    "on_track": [
        "Sudah sesuai rencana. Mohon lampirkan rekap atau foto kegiatan sebagai bukti.",
        "Terima kasih, realisasi sudah saya lihat. Uraian singkatnya tolong dilengkapi.",
        "Capaian sesuai target. Perhatikan konsistensi pencatatan setiap minggu.",
        "Sudah baik. Bulan depan koordinasikan dengan rekan satu tim agar tidak dobel hitung.",
    ],
    "behind": [
        "Realisasi masih di bawah target. Apa kendalanya? Mari kita bahas di dialog kinerja.",
        "Capaian bulan ini turun. Mohon jelaskan penyebabnya dan rencana perbaikannya.",
        "Perlu percepatan di triwulan ini. Kabari saya bila butuh dukungan sumber daya.",
    ],
}
REPLIES = {
    "ahead": [
        "Terima kasih, Pak/Bu. Siap dibagikan di rapat minggu depan.",
        "Baik, bukti dukung sudah saya lengkapi.",
    ],
    "on_track": [
        "Baik, sudah saya unggah rekapnya.",
        "Siap, uraian sudah saya lengkapi.",
        "Terima kasih atas masukannya, akan saya perhatikan.",
    ],
    "behind": [
        "Kendalanya ada pada ketersediaan sarana; sudah saya usulkan ke subbagian umum.",
        "Mohon maaf, bulan ini ada tugas tambahan. Bulan depan saya kejar.",
        "Baik, saya siapkan rencana perbaikan untuk dibahas.",
    ],
}
FOLLOW_UPS = ["Baik, saya pantau bulan depan.", "Terima kasih, sudah jelas."]
DIALOG_NOTES = [
    "Membahas capaian triwulan III yang masih di bawah target dan kendala di lapangan. Disepakati "
    "langkah perbaikan dan dukungan yang dibutuhkan.",
    "Evaluasi pelaksanaan RHK semester I. Pegawai menyampaikan kebutuhan pelatihan; atasan "
    "menekankan ketepatan waktu pengisian realisasi.",
    "Diskusi rencana kerja sampai akhir tahun, pembagian tugas dalam tim, dan target yang perlu "
    "dipercepat.",
]
AGREED_ACTIONS = [
    "Menyusun jadwal kegiatan mingguan dan melaporkannya setiap Jumat",
    "Mengikuti pelatihan teknis yang relevan",
    "Melengkapi bukti dukung realisasi bulan sebelumnya",
    "Berkoordinasi dengan seksi terkait untuk dukungan sarana",
    "Menyusun rencana percepatan capaian triwulan IV",
]

# Share of plans by how their year is going (capaian factor against the target to date).
PROFILES = [("ahead", 0.12), ("on_track", 0.68), ("behind", 0.14), ("gaps", 0.06)]
FACTORS = {
    "ahead": (1.10, 1.30),
    "on_track": (0.92, 1.08),
    "behind": (0.60, 0.85),
    "gaps": (0.9, 1.06),
}


# --- Helpers ---------------------------------------------------------------------------------


def tiny_pdf(lines: Sequence[str]) -> bytes:
    """A small, valid one-page PDF with a few lines of text (evidence samples; no dependency)."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = "BT /F1 13 Tf 56 780 Td 16 TL " + " ".join(f"({escape(t)}) '" for t in lines) + " ET"
    content = body.encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _nice(value: Decimal, unit: str) -> Decimal:
    """A target a person would write: whole numbers for counts, rounded to 5/10/50."""
    if unit in LEVEL_UNITS or value < 20:
        return value.quantize(Decimal(1) if value >= 10 else Decimal("0.5"), ROUND_HALF_UP)
    step = Decimal(50) if value >= 1000 else Decimal(10) if value >= 100 else Decimal(5)
    return max((value / step).quantize(Decimal(1), ROUND_HALF_UP) * step, step)


@functools.lru_cache(maxsize=4096)
def _moment(day: date, hour: int, now: datetime) -> datetime:
    """`day` at `hour` in the regency's time zone, but never after `now`."""
    return min(timezone.make_aware(datetime.combine(day, time(hour, 0))), now)


def _month_start(year: int, month: int) -> date:
    return date(year + (month > 12), (month - 1) % 12 + 1, 1)


class RowWriter:
    """Rows straight into their table with executemany.

    bulk_create spends most of its time compiling every value into SQL (about 10 µs a value):
    at 10,000 employees (300,000 realisations) that alone is most of a minute. Values are adapted
    here once per field kind (datetimes cached, few distinct), exactly as the ORM would store
    them; auto_now fields without a value get the seeding time.
    """

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.datetimes: dict[datetime, Any] = {}

    def datetime(self, value: datetime | None) -> Any:
        if value is None:
            return None
        if value not in self.datetimes:
            self.datetimes[value] = connection.ops.adapt_datetimefield_value(value)
        return self.datetimes[value]

    def _adapter(self, f: models.Field) -> Any:
        if isinstance(f, models.DateTimeField):
            if f.auto_now or f.auto_now_add:
                return lambda v: self.datetime(v or self.now)
            return self.datetime
        if isinstance(f, models.DateField):
            return connection.ops.adapt_datefield_value
        if isinstance(f, models.DecimalField):
            return lambda v: connection.ops.adapt_decimalfield_value(
                v, f.max_digits, f.decimal_places
            )
        if isinstance(f, models.JSONField):
            return lambda v: None if v is None else f.get_db_prep_save(v, connection)
        if isinstance(f, models.FileField):
            return lambda v: v.name if v else ""
        return None

    def insert(self, model: type[models.Model], names: Sequence[str], rows: list[tuple]) -> None:
        """`rows` hold the values of the fields `names`, already adapted."""
        if not rows:
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(model._meta.get_field(n).column) for n in names)
        sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
            f"VALUES ({', '.join(['%s'] * len(names))})"
        )
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start : start + BATCH])

    def insert_objects(self, model: type[models.Model], objects: Sequence[models.Model]) -> None:
        """Unsaved instances with their ids set."""
        fields = list(model._meta.concrete_fields)
        adapters = [(f.attname, self._adapter(f)) for f in fields]
        rows = [
            tuple(
                adapt(getattr(obj, name)) if adapt else getattr(obj, name)
                for name, adapt in adapters
            )
            for obj in objects
        ]
        self.insert(model, [f.name for f in fields], rows)


@dataclass(frozen=True)
class Entry:
    """A realisation written by the demo, remembered for feedback and evidence."""

    id: int
    indicator: Indicator
    month: int
    value: Decimal


@dataclass
class PlanDraft:
    """One employee's plan while it is being built in memory."""

    plan: Plan
    employee: Employee
    profile: str
    factor: float
    approver_id: int | None
    user_id: int | None
    rhks: list[Rhk] = field(default_factory=list)
    indicators: dict[int, list[Indicator]] = field(default_factory=lambda: defaultdict(list))
    behaviours: list[tuple[int, int, str, str]] = field(
        default_factory=list
    )  # id, plan, code, text


class PerformanceDemo:
    def __init__(self, *, seed: int) -> None:
        self.rng = random.Random(seed * 7919 + 17)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.year = self.today.year
        self.months_open = self.today.month  # months of this year that have started
        self.ids = {
            model: (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1
            for model in (
                OrgGoal,
                Plan,
                Rhk,
                Indicator,
                BehaviourExpectation,
                PlanVersion,
                Realisation,
                Evidence,
                Comment,
                Dialog,
                AgreedAction,
            )
        }
        self.counts: dict[str, int] = defaultdict(int)
        self.utama: dict[int, list[Rhk]] = {}  # each employee's Utama RHK, for their team
        self.writer = RowWriter(self.now)
        self.people: dict[int, dict[str, str]] = {}

    def next_id(self, model: type[models.Model]) -> int:
        value = self.ids[model]
        self.ids[model] += 1
        return value

    # --- Run ------------------------------------------------------------------------------

    def run(self) -> str:
        employees = list(
            Employee.objects.filter(is_active=True)
            .select_related("position", "unit", "unit__opd")
            .order_by("depth", "pk")
        )
        if not employees:
            return "Kinerja (SKP): tidak ada pegawai; tidak ada data kinerja."
        self.by_id = {e.pk: e for e in employees}
        self.users = dict(
            User.objects.filter(employee__isnull=False).values_list("employee_id", "pk")
        )
        self.pimpinan_id = (
            User.objects.filter(role=Role.PIMPINAN, is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        self.reports: dict[int, int] = defaultdict(int)
        for e in employees:
            if e.supervisor_id:
                self.reports[e.supervisor_id] += 1
        self.personas = self._personas()
        goals = self._goals()
        drafts = [self._plan(e, goals) for e in employees]
        self._write_plans(drafts)
        self._story(drafts)
        self._realisations(drafts)
        self._feedback(drafts)
        self._dialogs(drafts)
        self._reset_sequences()
        audit_record(
            actor=None,
            action=AuditAction.IMPORT,
            object_type="demo",
            object_repr="Data demo kinerja (SKP) Kabupaten Bukitintan",
            changes={k: v for k, v in sorted(self.counts.items())},
        )
        c = self.counts
        return (
            f"Kinerja (SKP) {self.year}: {c['goals']} sasaran OPD, {c['plans']} SKP "
            f"({c['rhk']} RHK, {c['indicators']} indikator), {c['realisations']} realisasi, "
            f"{c['evidence']} bukti, {c['comments']} umpan balik, {c['dialogs']} dialog kinerja."
        )

    # --- Who is who ---------------------------------------------------------------------

    def _personas(self) -> dict[str, Employee]:
        found: dict[str, Employee] = {}
        by_nip = {e.nip: e for e in self.by_id.values()}
        for login in demo_logins():
            if login.role in {"Pegawai", "Atasan langsung"} and login.username in by_nip:
                found[login.role] = by_nip[login.username]
        return found

    def _person(self, e: Employee | None) -> dict[str, str]:
        """The SKP header of a person, as the services snapshot it (each person once)."""
        if e is None:
            return {}
        if e.pk not in self.people:
            self.people[e.pk] = services.person_snapshot(e)
        return self.people[e.pk]

    def is_head(self, e: Employee) -> bool:
        sup = self.by_id.get(e.supervisor_id) if e.supervisor_id else None
        return sup is None or sup.unit.opd_id != e.unit.opd_id

    def _field(self, e: Employee) -> str:
        opd = e.unit.opd or e.unit
        if opd.code in FIELD_BY_OPD:
            return FIELD_BY_OPD[opd.code]
        if opd.code.startswith("KEC-"):
            return "district"
        return e.unit.sector if e.unit.sector in STAFF_WORK else Sector.GENERAL

    # --- Goals --------------------------------------------------------------------------

    def _goals(self) -> dict[int, list[OrgGoal]]:
        """Every OPD's goals; `self.goal_specs` keeps each goal's indicator for the head's RHK."""
        by_opd: dict[int, list[OrgGoal]] = {}
        self.goal_specs: dict[int, Spec] = {}
        for opd in Unit.objects.filter(parent__isnull=True, is_active=True).order_by("code"):
            key = "KEC" if opd.code.startswith("KEC-") else opd.code
            works = GOALS.get(key) or GOALS[SECTOR_GOALS.get(opd.sector, "SETDA")]
            by_opd[opd.pk] = []
            for number, work in enumerate(works, start=1):
                spec = work.specs[0]
                goal = OrgGoal(
                    id=self.next_id(OrgGoal),
                    opd=opd,
                    year=self.year,
                    number=number,
                    sasaran=work.rhk,
                    indicator=spec.name,
                    unit_of_measure=spec.unit,
                    target=spec.target,
                    polarity=spec.polarity,
                )
                by_opd[opd.pk].append(goal)
                self.goal_specs[goal.id] = spec
        rows = [g for goals in by_opd.values() for g in goals]
        self.writer.insert_objects(OrgGoal, rows)
        self.counts["goals"] = len(rows)
        return by_opd

    # --- Plans --------------------------------------------------------------------------

    def _plan(self, e: Employee, goals: dict[int, list[OrgGoal]]) -> PlanDraft:
        rng = self.rng
        sup = self.by_id.get(e.supervisor_id) if e.supervisor_id else None
        profile = rng.choices([p for p, _w in PROFILES], [w for _p, w in PROFILES])[0]
        if e in self.personas.values():
            profile = "on_track"
        low, high = FACTORS[profile]
        submitted = _moment(date(self.year, 1, rng.randint(6, 24)), rng.randint(8, 15), self.now)
        approved = min(
            submitted + timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 6)), self.now
        )
        approver = self.users.get(sup.pk) if sup else self.pimpinan_id
        plan = Plan(
            id=self.next_id(Plan),
            employee=e,
            year=self.year,
            status=PlanStatus.APPROVED,
            version=1,
            period_start=date(self.year, 1, 1),
            period_end=date(self.year, 12, 31),
            assessor_id=sup.pk if sup else None,
            employee_snapshot=self._person(e),
            assessor_snapshot=self._person(sup),
            dukungan_sumber_daya=rng.choice(LAMPIRAN["dukungan"]),
            skema_pertanggungjawaban=rng.choice(LAMPIRAN["skema"]),
            konsekuensi=rng.choice(LAMPIRAN["konsekuensi"]),
            submitted_at=submitted,
            approved_at=approved,
            approved_by_id=approver,
        )
        draft = PlanDraft(plan, e, profile, rng.uniform(low, high), approver, self.users.get(e.pk))
        expecting = rng.random() < 0.25
        for value in berakhlak.VALUES:
            text = ""
            if expecting and value.code in EXPECTATIONS and rng.random() < 0.3:
                text = rng.choice(EXPECTATIONS[value.code])
            draft.behaviours.append((self.next_id(BehaviourExpectation), plan.id, value.code, text))
        if self.is_head(e):
            opd_goals = goals.get(e.unit.opd_id or e.unit_id, [])
            for goal in opd_goals[:3]:  # the head answers for the OPD's goals
                rhk = self._rhk(draft, RhkKind.UTAMA, goal.sasaran, goal=goal)
                self._indicator(draft, rhk, self.goal_specs[goal.id], scale=1.0)
            automatic = AUTOMATIC_BY_OPD.get((e.unit.opd or e.unit).code)
            if automatic:
                work = automatic_work(*automatic)
                rhk = self._rhk(draft, RhkKind.TAMBAHAN, work.rhk)
                for spec in work.specs:
                    self._indicator(draft, rhk, spec, scale=1.0)
        else:
            parents = self.utama.get(sup.pk, []) if sup else []
            works = self._works_for(e)
            count = 1 if rng.random() < 0.35 else 2
            for i in range(count):
                work = works[i % len(works)]
                parent = parents[(i + rng.randint(0, 1)) % len(parents)] if parents else None
                rhk = self._rhk(
                    draft, RhkKind.UTAMA, work.rhk.format(unit=e.unit.name), parent=parent
                )
                self._indicators(draft, rhk, work)
        if rng.random() < 0.3:
            work = rng.choice(TAMBAHAN_WORK)
            rhk = self._rhk(draft, RhkKind.TAMBAHAN, work.rhk)
            self._indicators(draft, rhk, work, most=1)
        self.utama[e.pk] = [r for r in draft.rhks if r.kind == RhkKind.UTAMA]
        return draft

    def _works_for(self, e: Employee) -> list[Work]:
        pool = list(STAFF_WORK[self._field(e)])
        self.rng.shuffle(pool)
        words = next((w for title, w in PREFERRED_WORK if title in e.position.name), ())
        if words:
            fits = [w for w in pool if any(k.lower() in w.rhk.lower() for k in words)]
            pool = fits + [w for w in pool if w not in fits]
        if self.reports.get(e.pk):
            managerial = list(MANAGER_WORK)
            self.rng.shuffle(managerial)
            return [managerial[0], *pool]
        return pool

    def _rhk(
        self,
        draft: PlanDraft,
        kind: str,
        text: str,
        *,
        parent: Rhk | None = None,
        goal: OrgGoal | None = None,
    ) -> Rhk:
        rhk = Rhk(
            id=self.next_id(Rhk),
            plan_id=draft.plan.id,
            kind=kind,
            order=len(draft.rhks) + 1,
            text=text[:500],
            parent=parent,
            goal=goal,
        )
        draft.rhks.append(rhk)
        return rhk

    def _indicators(self, draft: PlanDraft, rhk: Rhk, work: Work, most: int = 2) -> None:
        specs = work.specs[: 1 if self.rng.random() < 0.4 else most]
        team = self.reports.get(draft.employee.pk, 0)
        for spec in specs:
            # Counts of a team lead cover their team's share of the work.
            scale = self.rng.uniform(0.6, 1.4) * (1 + team / 3 if spec.aggregation == SUM else 1)
            self._indicator(draft, rhk, spec, scale=scale)

    def _indicator(self, draft: PlanDraft, rhk: Rhk, spec: Spec, *, scale: float) -> None:
        target = spec.target
        if target and spec.unit not in LEVEL_UNITS:
            target = _nice(target * Decimal(str(round(scale, 3))), spec.unit)
        draft.indicators[rhk.id].append(
            Indicator(
                id=self.next_id(Indicator),
                rhk_id=rhk.id,
                order=len(draft.indicators[rhk.id]) + 1,
                aspek=spec.aspek,
                name=spec.name,
                unit_of_measure=spec.unit,
                target=target,
                polarity=spec.polarity,
                aggregation=spec.aggregation,
                source=spec.source,
                source_ref=spec.source_ref,
            )
        )

    def snapshot(self, draft: PlanDraft) -> dict[str, Any]:
        """The data `services.plan_snapshot` returns for this plan, built from memory."""
        plan = draft.plan
        # Rhk.Meta.ordering: A. Utama before B. Tambahan, then their order.
        ordered = sorted(draft.rhks, key=lambda r: (r.kind != RhkKind.UTAMA, r.order, r.id))
        return {
            "employee": plan.employee_snapshot,
            "assessor": plan.assessor_snapshot,
            "rhk": [
                {
                    "id": rhk.id,
                    "kind": rhk.kind,
                    "text": rhk.text,
                    "parent": rhk.parent.text if rhk.parent is not None else None,
                    "goal": str(rhk.goal) if rhk.goal is not None else None,
                    "indicators": [
                        {
                            "id": i.id,
                            "aspek": i.aspek,
                            "name": i.name,
                            "unit": i.unit_of_measure,
                            "target": services.decimal_text(i.target),
                            "polarity": i.polarity,
                            "aggregation": i.aggregation,
                        }
                        for i in draft.indicators[rhk.id]
                    ],
                }
                for rhk in ordered
            ],
            "behaviours": {code: text for _id, _plan, code, text in draft.behaviours},
            "lampiran": {
                "dukungan_sumber_daya": plan.dukungan_sumber_daya,
                "skema_pertanggungjawaban": plan.skema_pertanggungjawaban,
                "konsekuensi": plan.konsekuensi,
            },
        }

    def _write_plans(self, drafts: list[PlanDraft]) -> None:
        first = services.snapshot_changes(None, {"rhk": [], "behaviours": {}, "lampiran": {}})
        versions = [
            PlanVersion(
                id=self.next_id(PlanVersion),
                plan_id=d.plan.id,
                number=1,
                snapshot=self.snapshot(d),
                changes=first,
                approved_at=d.plan.approved_at,
                approved_by_id=d.approver_id,
            )
            for d in drafts
        ]
        write = self.writer
        write.insert_objects(Plan, [d.plan for d in drafts])
        write.insert(
            BehaviourExpectation,
            ("id", "plan", "value_code", "expectation"),
            [b for d in drafts for b in d.behaviours],
        )
        write.insert_objects(Rhk, [r for d in drafts for r in d.rhks])
        indicators = [i for d in drafts for items in d.indicators.values() for i in items]
        write.insert_objects(Indicator, indicators)
        write.insert_objects(PlanVersion, versions)
        self.counts["plans"] = len(drafts)
        self.counts["rhk"] = sum(len(d.rhks) for d in drafts)
        self.counts["indicators"] = len(indicators)

    # --- The demo logins' story ---------------------------------------------------------

    def _story(self, drafts: list[PlanDraft]) -> None:
        """One plan of the Atasan's team waits for approval: a revised version 2 (a higher target
        after a mid-year change), submitted yesterday."""
        boss = self.personas.get("Atasan langsung")
        pegawai = self.personas.get("Pegawai")
        self.inbox_plan: Plan | None = None
        if boss is None:
            return
        candidates = [
            d
            for d in drafts
            if d.employee.supervisor_id == boss.pk
            and d.employee != pegawai
            and not self.reports.get(d.employee.pk)
            and any(i.aggregation == SUM for items in d.indicators.values() for i in items)
        ]
        if not candidates:
            return
        draft = candidates[0]
        plan = draft.plan
        indicator = next(
            i for items in draft.indicators.values() for i in items if i.aggregation == SUM
        )
        before = self.snapshot(draft)
        new_target = _nice(indicator.target * Decimal("1.2"), indicator.unit_of_measure)
        Indicator.objects.filter(pk=indicator.pk).update(target=new_target)
        indicator.target = new_target
        submitted = self.now - timedelta(days=1, hours=3)
        Plan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.SUBMITTED, version=2, submitted_at=submitted
        )
        plan.status, plan.version, plan.submitted_at = PlanStatus.SUBMITTED, 2, submitted
        self.inbox_plan = plan
        changes = services.snapshot_changes(before, self.snapshot(draft))
        Notification.objects.create(
            recipient_id=self.users[boss.pk],
            message=f"{draft.employee.full_name} mengajukan SKP {self.year} untuk disetujui."[:300],
            url=reverse("performance:plan_detail", args=[plan.pk]),
            created_at=submitted,
        )
        self.counts["inbox_changes"] = len(changes)

    # --- Realisations -------------------------------------------------------------------

    REALISATION_FIELDS = (
        "id", "indicator", "month", "value", "narrative", "is_late", "is_automatic", "revision",
        "entered_by", "reviewed_at", "reviewed_by", "created_at", "updated_at",
    )  # fmt: skip

    def _realisations(self, drafts: list[PlanDraft]) -> None:
        """Months 1 to last month for everyone (a few with gaps), this month for some."""
        rng, write = self.rng, self.writer
        last_closed = self.months_open - 1  # the previous month: its deadline may have passed
        pegawai = self.personas.get("Pegawai")
        rows: list[tuple] = []
        links: list[Evidence] = []
        self.entries: list[tuple[PlanDraft, Entry]] = []
        # When people entered each month: around its end; late ones after the deadline (the 5th).
        entered = {}
        for m in range(1, self.months_open):
            ends = _month_start(self.year, m + 1)
            on_time = _moment(ends - timedelta(days=2), 10, self.now)
            late = _moment(ends + timedelta(days=11), 14, self.now)
            entered[m] = (write.datetime(on_time), write.datetime(late))
        this_month = write.datetime(_moment(self.today - timedelta(days=1), 9, self.now))
        entered[self.months_open] = (this_month, this_month)
        for draft in drafts:
            if draft.user_id is None:
                continue
            months = list(range(1, last_closed + 1))
            if draft.profile == "gaps" and months:
                months = months[: -rng.randint(1, min(3, len(months)))]
            persona = draft.employee == pegawai
            # Some enter the current month early, but only once most of it is behind them: on
            # 4 December nobody has a December figure yet (issue 10).
            if self.today.day >= 20 and rng.random() < 0.35 and not persona:
                months.append(self.months_open)
            reviewed_until = last_closed - 1 if rng.random() < 0.92 else last_closed - 2
            if rng.random() < 0.35:
                reviewed_until = last_closed
            if persona:  # everything reviewed but last month, which waits for the Atasan
                reviewed_until = last_closed - 1
            late_rate = 0.25 if draft.profile == "behind" else 0.06
            reviewer = draft.approver_id
            reviewed_at = {
                m: write.datetime(
                    _moment(
                        _month_start(self.year, m + 1) + timedelta(days=rng.randint(7, 14)),
                        rng.randint(8, 16),
                        self.now,
                    )
                )
                for m in months
                if m <= reviewed_until and reviewer is not None
            }
            for items in draft.indicators.values():
                for indicator in items:
                    if indicator.source != IndicatorSource.MANUAL:
                        continue  # filled by the system (kinerja.public.demo)
                    for month in months:
                        if rng.random() < 0.02 and month < last_closed - 1 and not persona:
                            continue  # the odd forgotten month
                        value = self._value(indicator, draft.factor)
                        late = month < self.months_open and rng.random() < late_rate
                        narrative = ""
                        if persona or rng.random() < 0.3:
                            narrative = self._narrative(indicator, value, month)
                        entry = Entry(self.next_id(Realisation), indicator, month, value)
                        when = entered[month][late]
                        checked = reviewed_at.get(month)
                        rows.append(
                            (
                                entry.id, indicator.id, month, value, narrative, late, False, 1,
                                draft.user_id, checked, reviewer if checked else None, when, when,
                            )
                        )  # fmt: skip
                        if persona or rng.random() < 0.02:
                            self.entries.append((draft, entry))
                        if rng.random() < 0.05 or (persona and month >= last_closed - 2):
                            links.append(self._link(draft, entry))
        write.insert(Realisation, self.REALISATION_FIELDS, rows)
        self.counts["realisations"] = len(rows)
        self._evidence_files(links)
        write.insert_objects(Evidence, links)
        self.counts["evidence"] = len(links)

    def _value(self, indicator: Indicator, factor: float) -> Decimal:
        rng = self.rng
        target = indicator.target
        lower = indicator.polarity == LOWER
        f = factor * rng.uniform(0.97, 1.03)
        if target == 0:  # "zero maternal deaths": almost always met
            return Decimal(1 if (factor < 0.86 and rng.random() < 0.15) else 0)
        if indicator.aggregation == SUM:
            share = float(target) / 12 * (2 - f if lower else f) * rng.uniform(0.85, 1.15)
            whole = int(share) + (1 if rng.random() < share - int(share) else 0)
            return Decimal(max(whole, 0))
        level = float(target) * ((2 - f) if lower else f) * rng.uniform(0.98, 1.02)
        if indicator.unit_of_measure == "persen":
            level = min(level, 100.0)
        places = Decimal("0.1") if level >= 10 else Decimal("0.01")
        return max(Decimal(str(level)).quantize(places, ROUND_HALF_UP), Decimal(0))

    def _narrative(self, indicator: Indicator, value: Decimal, month: int) -> str:
        from kinerja.rules.calendar import MONTHS

        shown = services.decimal_text(value).replace(".", ",")
        return (
            f"{indicator.name} bulan {MONTHS[month - 1]}: {shown} {indicator.unit_of_measure}. "
            + self.rng.choice(
                [
                    "Rekap terlampir.",
                    "Sesuai register kegiatan.",
                    "Data dari aplikasi layanan.",
                    "Dilaporkan dalam rapat bulanan.",
                ]
            )
        )

    def _link(self, draft: PlanDraft, entry: Entry) -> Evidence:
        slug = "-".join(entry.indicator.name.lower().split()[:4]).replace("/", "-")
        return Evidence(
            id=self.next_id(Evidence),
            realisation_id=entry.id,
            kind=EvidenceKind.LINK,
            url=f"{EVIDENCE_HOST}/{self.year}/{entry.month:02d}/{slug}-{entry.id}.pdf",
            uploaded_by_id=draft.user_id,
            uploaded_at=_moment(
                _month_start(self.year, entry.month + 1) - timedelta(days=1), 11, self.now
            ),
        )

    def _evidence_files(self, links: list[Evidence]) -> None:
        """A handful of real files (small PDFs) in the media storage, written through the
        FileField as an upload would be: the Pegawai's recent months and a few others."""
        from kinerja.rules.calendar import MONTHS

        pegawai = self.personas.get("Pegawai")
        chosen = [(d, r) for d, r in self.entries if d.employee == pegawai][-3:]
        others = [(d, r) for d, r in self.entries if d.employee != pegawai]
        chosen += self.rng.sample(others, min(3, len(others)))
        for draft, entry in chosen:
            indicator = entry.indicator
            data = tiny_pdf(
                [
                    f"Rekap realisasi {MONTHS[entry.month - 1]} {self.year}",
                    draft.employee.full_name,
                    f"{indicator.name}: {services.decimal_text(entry.value)} "
                    f"{indicator.unit_of_measure}",
                    draft.employee.unit.name,
                ]
            )
            item = Evidence(
                id=self.next_id(Evidence),
                realisation_id=entry.id,
                kind=EvidenceKind.FILE,
                original_name=f"rekap-{MONTHS[entry.month - 1].lower()}-{self.year}.pdf",
                content_type="application/pdf",
                size=len(data),
                uploaded_by_id=draft.user_id,
                uploaded_at=_moment(
                    _month_start(self.year, entry.month + 1) - timedelta(days=1), 15, self.now
                ),
            )
            token = f"{self.rng.getrandbits(128):032x}"
            item.file.save(f"{token}.pdf", ContentFile(data), save=False)
            links.append(item)
        self.counts["evidence_files"] = len(chosen)

    # --- Feedback and dialogs -----------------------------------------------------------

    def _feedback(self, drafts: list[PlanDraft]) -> None:
        rng = self.rng
        comments: list[Comment] = []

        def add(plan_id: int, author: int, body: str, when: datetime, **target: int) -> None:
            comments.append(
                Comment(
                    id=self.next_id(Comment),
                    plan_id=plan_id,
                    author_id=author,
                    body=body,
                    created_at=when,
                    **target,
                )
            )

        pegawai = self.personas.get("Pegawai")
        boss = self.personas.get("Atasan langsung")
        threads = [(d, r) for d, r in self.entries if d.approver_id and d.employee != pegawai]
        wanted = max(30, min(400, len(drafts) // 5))
        for draft, entry in rng.sample(threads, min(wanted, len(threads))):
            when = _moment(
                _month_start(self.year, entry.month + 1) + timedelta(days=rng.randint(6, 12)),
                rng.randint(8, 16),
                self.now,
            )
            kind = "behind" if draft.profile == "behind" else draft.profile
            kind = kind if kind in FEEDBACK else "on_track"
            add(
                draft.plan.id,
                draft.approver_id,
                rng.choice(FEEDBACK[kind]),
                when,
                realisation_id=entry.id,
            )
            if rng.random() < 0.65:
                when += timedelta(hours=rng.randint(1, 30))
                add(
                    draft.plan.id,
                    draft.user_id,
                    rng.choice(REPLIES[kind]),
                    when,
                    realisation_id=entry.id,
                )
                if rng.random() < 0.3:
                    add(
                        draft.plan.id,
                        draft.approver_id,
                        rng.choice(FOLLOW_UPS),
                        when + timedelta(hours=rng.randint(1, 20)),
                        realisation_id=entry.id,
                    )
        for draft in rng.sample(drafts, min(len(drafts) // 30, 60)):
            if draft.approver_id and draft.rhks and draft.user_id:
                add(
                    draft.plan.id,
                    draft.approver_id,
                    "RHK ini selaras dengan RHK saya. Pastikan indikatornya terukur tiap bulan.",
                    _moment(date(self.year, 1, 28), 10, self.now),
                    rhk_id=draft.rhks[0].id,
                )
        # The Pegawai: an answered thread two months ago, and a fresh question on last month.
        mine = [(d, r) for d, r in self.entries if d.employee == pegawai]
        last = max((r.month for _d, r in mine), default=0)
        if pegawai is not None and boss is not None and mine:
            draft = mine[0][0]
            older = [r for _d, r in mine if r.month == last - 2][:1]
            for entry in older:
                when = _moment(
                    _month_start(self.year, entry.month + 1) + timedelta(days=8), 9, self.now
                )
                add(
                    draft.plan.id,
                    draft.approver_id,
                    "Terima kasih, capaian sudah sesuai. Mohon rekap register dilampirkan.",
                    when,
                    realisation_id=entry.id,
                )
                add(
                    draft.plan.id,
                    draft.user_id,
                    "Baik, rekap register sudah saya unggah.",
                    when + timedelta(hours=5),
                    realisation_id=entry.id,
                )
            recent = [r for _d, r in mine if r.month == last][:1]
            for entry in recent:
                body = (
                    "Angka bulan ini naik dibanding bulan lalu. Apakah sudah termasuk pasien "
                    "posyandu lansia? Mohon dijelaskan di uraian sebelum saya periksa."
                )
                when = self.now - timedelta(hours=20)
                add(draft.plan.id, draft.approver_id, body, when, realisation_id=entry.id)
                Notification.objects.create(
                    recipient_id=draft.user_id,
                    message=f"Umpan balik dari {boss.full_name}: {body}"[:300],
                    url=reverse("performance:plan_detail", args=[draft.plan.id]) + "#umpan-balik",
                    created_at=when,
                )
        self.writer.insert_objects(Comment, comments)
        self.counts["comments"] = len(comments)

    def _dialogs(self, drafts: list[PlanDraft]) -> None:
        rng = self.rng
        behind = [d for d in drafts if d.profile == "behind" and d.approver_id and d.user_id]
        others = [d for d in drafts if d.profile != "behind" and d.approver_id and d.user_id]
        pegawai = self.personas.get("Pegawai")
        chosen = rng.sample(behind, min(len(behind), max(6, len(drafts) // 60)))
        chosen += rng.sample(others, min(len(others), max(4, len(drafts) // 150)))
        chosen += [d for d in drafts if d.employee == pegawai and d.approver_id and d.user_id]
        dialogs: list[Dialog] = []
        actions: list[AgreedAction] = []
        for draft in chosen:
            boss = self.by_id.get(draft.employee.supervisor_id)
            held = self.today - timedelta(days=rng.randint(10, 80))
            if held.year != self.year:
                held = self.today
            dialog = Dialog(
                id=self.next_id(Dialog),
                plan_id=draft.plan.id,
                held_on=held,
                participants=f"{draft.employee.full_name}; {boss.full_name if boss else '-'}",
                notes=rng.choice(DIALOG_NOTES),
                created_by_id=draft.approver_id,
            )
            dialogs.append(dialog)
            for description in rng.sample(AGREED_ACTIONS, rng.randint(1, 2)):
                due = held + timedelta(days=rng.choice([14, 21, 30, 45]))
                status = ActionStatus.OPEN
                follow_up = ""
                if due < self.today and rng.random() < 0.6:
                    status, follow_up = ActionStatus.DONE, "Sudah dilaksanakan; laporan terlampir."
                actions.append(
                    AgreedAction(
                        id=self.next_id(AgreedAction),
                        dialog_id=dialog.id,
                        description=description,
                        due_date=due,
                        status=status,
                        follow_up=follow_up,
                    )
                )
        self.writer.insert_objects(Dialog, dialogs)
        self.writer.insert_objects(AgreedAction, actions)
        self.counts["dialogs"] = len(dialogs)
        self.counts["agreed_actions"] = len(actions)

    def _reset_sequences(self) -> None:
        """After inserting explicit ids, move PostgreSQL's sequences past them."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.ids))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def seed(*, seed: int, options: dict[str, Any]) -> str:
    """Extend the demo regency with a year of performance data (see the module docstring).

    One transaction (seed_demo already opens one; callers such as the benchmarks may not): all
    or nothing, and on SQLite one commit instead of one per inserted row.
    """
    with transaction.atomic():
        return PerformanceDemo(seed=seed).run()
