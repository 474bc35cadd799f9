"""What the performance demo writes about: the SKP catalogue by field (an RHK on one line, its
indicators below), each OPD's goals, and the texts of expectations, feedback and dialogs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kinerja.organisation.choices import Sector
from kinerja.performance.choices import Aggregation, IndicatorSource, Polarity

HIGHER, LOWER = Polarity.HIGHER_IS_BETTER.value, Polarity.LOWER_IS_BETTER.value
SUM, AVERAGE, LAST = Aggregation.SUM.value, Aggregation.AVERAGE.value, Aggregation.LAST.value
LEVEL_UNITS = {"persen", "indeks", "nilai", "level", "per 100.000 KH"}


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
# them: see kinerja.demo.public.
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
