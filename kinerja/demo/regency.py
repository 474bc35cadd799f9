"""The Bukitintan demo regency's shape: its OPDs and units, the positions staff are drawn from,
the golongan that fit each position, and the names people are given (kinerja.demo.organisation
builds the people from them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kinerja.organisation.choices import Jenjang, PositionKind, Sector, UnitKind


def _names(text: str) -> list[str]:
    return text.split()


MALE = _names(
    "Agus Ahmad Andi Arif Bambang Budi Dedi Eko Fajar Hendra Irfan Joko Kurniawan "
    "Muhammad Nanang Rahmat Rizky Slamet Teguh Wahyu Yusuf Zainal Doni Heru Imam Ridwan "
    "Sutrisno Taufik Hasan Syahrul Iwan Gilang Dimas Bayu Rudi Asep Ujang Made"
)
FEMALE = _names(
    "Ani Ayu Dewi Endang Fitri Indah Kartika Lestari Maya Nur Putri Ratna Rina Sari Siti "
    "Sri Tuti Wulan Yuliana Yanti Nurul Dian Eka Fatimah Hana Intan Lia Mega Novi Rahma "
    "Desi Evi Citra Anisa Ratih Nining Komang Ika"
)
FAMILY = _names(
    "Saputra Wijaya Hidayat Santoso Pratama Kusuma Nugroho Siregar Nasution Harahap Lubis "
    "Simanjuntak Hasibuan Gunawan Setiawan Rahman Hakim Putra Sembiring Ginting Tanjung "
    "Syahputra Rangkuti Purba Hutapea Marpaung Ramadhan Firmansyah Susanto Wibowo Permana "
    "Suryadi Halim Maulana Anggraini Rahayu Wahyuni Handayani"
)
DEGREES = ["S.E.", "S.H.", "S.Sos.", "S.Kom.", "S.T.", "S.AP.", "S.IP.", "S.Pd.", "A.Md."]

# (code, name, kind, sector, serves_public, weight of staff, children)
# children: (suffix, name, kind, serves_public)
KECAMATAN = ["Bukitintan Kota", "Sungai Emas", "Lembah Hijau", "Tanjung Padi", "Air Jernih"]


@dataclass
class UnitSpec:
    code: str
    name: str
    kind: str
    sector: str = Sector.GENERAL
    serves_public: bool = False
    weight: float = 1.0
    head: str = ""  # position name of the head
    children: list[UnitSpec] = field(default_factory=list)
    staff: list[str] = field(default_factory=list)  # position names staff are drawn from


def _sub(code: str, name: str, kind: str, **kw: object) -> UnitSpec:
    return UnitSpec(code=code, name=name, kind=kind, **kw)  # type: ignore[arg-type]


GENERAL_STAFF = [
    "Analis Kebijakan Ahli Pertama",
    "Analis Kebijakan Ahli Muda",
    "Pranata Komputer Ahli Pertama",
    "Arsiparis Terampil",
    "Analis Sumber Daya Manusia Aparatur Ahli Pertama",
    "Penata Layanan Operasional",
    "Pengelola Layanan Operasional",
    "Operator Layanan Operasional",
    "Pengadministrasi Perkantoran",
]
HEALTH_STAFF = [
    "Perawat Terampil",
    "Perawat Mahir",
    "Perawat Ahli Pertama",
    "Perawat Ahli Muda",
    "Bidan Terampil",
    "Bidan Ahli Pertama",
    "Dokter Ahli Pertama",
    "Dokter Ahli Muda",
    "Apoteker Ahli Pertama",
    "Pranata Laboratorium Kesehatan Terampil",
    "Nutrisionis Ahli Pertama",
    "Tenaga Sanitasi Lingkungan Terampil",
    "Penyuluh Kesehatan Masyarakat Ahli Pertama",
    "Perawat Terampil",
    "Bidan Terampil",
    "Pengadministrasi Perkantoran",
]
EDUCATION_STAFF = [
    "Guru Ahli Pertama",
    "Guru Ahli Muda",
    "Guru Ahli Madya",
    "Guru Ahli Pertama",
    "Pengawas Sekolah Ahli Madya",
    "Penilik Ahli Pertama",
    "Pamong Belajar Ahli Pertama",
    "Pengelola Layanan Operasional",
]
REGISTRY_STAFF = [
    "Administrator Database Kependudukan Ahli Pertama",
    "Pengelola Layanan Operasional",
    "Operator Layanan Operasional",
    "Penata Layanan Operasional",
    "Pranata Komputer Terampil",
]
LICENSING_STAFF = [
    "Penata Perizinan Ahli Pertama",
    "Penata Perizinan Ahli Muda",
    "Analis Kebijakan Ahli Pertama",
    "Operator Layanan Operasional",
    "Pengelola Layanan Operasional",
]
SOCIAL_STAFF = [
    "Pekerja Sosial Ahli Pertama",
    "Pekerja Sosial Terampil",
    "Penyuluh Sosial Ahli Pertama",
    "Pengelola Layanan Operasional",
]
WORKS_STAFF = [
    "Teknik Jalan dan Jembatan Ahli Pertama",
    "Teknik Pengairan Ahli Pertama",
    "Penata Ruang Ahli Muda",
    "Teknik Tata Bangunan dan Perumahan Ahli Pertama",
    "Pengawas Lapangan",
    "Operator Layanan Operasional",
]
AUDIT_STAFF = [
    "Auditor Ahli Pertama",
    "Auditor Ahli Muda",
    "Auditor Ahli Madya",
    "Pengawas Penyelenggaraan Urusan Pemerintahan Daerah Ahli Pertama",
    "Pengadministrasi Perkantoran",
]
PLANNING_STAFF = [
    "Perencana Ahli Pertama",
    "Perencana Ahli Muda",
    "Statistisi Ahli Pertama",
    "Pengelola Layanan Operasional",
]
SATPOL_STAFF = [
    "Polisi Pamong Praja Terampil",
    "Polisi Pamong Praja Mahir",
    "Polisi Pamong Praja Ahli Pertama",
    "Operator Layanan Operasional",
]
HR_STAFF = [
    "Analis Sumber Daya Manusia Aparatur Ahli Pertama",
    "Analis Sumber Daya Manusia Aparatur Ahli Muda",
    "Pranata Komputer Ahli Pertama",
    "Pengelola Layanan Operasional",
    "Widyaiswara Ahli Muda",
]


def _opd(
    code: str,
    name: str,
    kind: str,
    sector: str,
    weight: float,
    head: str,
    parts: list[tuple[str, str, str]],
    staff: list[str],
    public: bool = False,
    extra: list[UnitSpec] | None = None,
) -> UnitSpec:
    children = [
        _sub(
            f"{code}-{suffix}",
            part_name,
            part_kind,
            sector=sector,
            staff=staff,
            serves_public=public and part_kind == UnitKind.BIDANG,
        )
        for suffix, part_name, part_kind in parts
    ]
    return UnitSpec(
        code=code,
        name=name,
        kind=kind,
        sector=sector,
        weight=weight,
        head=head,
        serves_public=public,
        children=children + (extra or []),
        staff=staff,
    )


def regency_structure() -> list[UnitSpec]:
    sec = ("SEK", "Sekretariat", UnitKind.SEKRETARIAT)
    puskesmas = [
        _sub(
            f"DINKES-PKM-{i:02d}",
            f"UPT Puskesmas {name}",
            UnitKind.PUSKESMAS,
            sector=Sector.HEALTH,
            serves_public=True,
            staff=HEALTH_STAFF,
            weight=1.0,
        )
        for i, name in enumerate(
            [
                "Bukitintan",
                "Sungai Emas",
                "Lembah Hijau",
                "Tanjung Padi",
                "Air Jernih",
                "Simpang Tiga",
            ],
            start=1,
        )
    ]
    rsud = _sub(
        "DINKES-RSUD",
        "UPT RSUD Bukitintan",
        UnitKind.RSUD,
        sector=Sector.HEALTH,
        serves_public=True,
        staff=HEALTH_STAFF,
        weight=4.0,
    )
    for spec in [rsud, *puskesmas]:
        spec.children = [
            _sub(
                f"{spec.code}-TU",
                "Subbagian Tata Usaha",
                UnitKind.SUBBAGIAN,
                sector=Sector.HEALTH,
                staff=GENERAL_STAFF,
            )
        ]
    rsud.children.append(
        _sub(
            "DINKES-RSUD-YAN",
            "Seksi Pelayanan Medik",
            UnitKind.SEKSI,
            sector=Sector.HEALTH,
            serves_public=True,
            staff=HEALTH_STAFF,
        )
    )
    rsud.children.append(
        _sub(
            "DINKES-RSUD-KEP",
            "Seksi Keperawatan",
            UnitKind.SEKSI,
            sector=Sector.HEALTH,
            staff=HEALTH_STAFF,
        )
    )
    opds = [
        _opd(
            "SETDA",
            "Sekretariat Daerah",
            UnitKind.SEKRETARIAT_DAERAH,
            Sector.GENERAL,
            1.5,
            "Sekretaris Daerah",
            [
                ("PEM", "Bagian Pemerintahan", UnitKind.BAGIAN),
                ("HKM", "Bagian Hukum", UnitKind.BAGIAN),
                ("KESRA", "Bagian Kesejahteraan Rakyat", UnitKind.BAGIAN),
                ("EKO", "Bagian Perekonomian dan Sumber Daya Alam", UnitKind.BAGIAN),
                ("PBJ", "Bagian Pengadaan Barang dan Jasa", UnitKind.BAGIAN),
                ("ORG", "Bagian Organisasi", UnitKind.BAGIAN),
                ("UMUM", "Bagian Umum", UnitKind.BAGIAN),
                ("PROKOPIM", "Bagian Protokol dan Komunikasi Pimpinan", UnitKind.BAGIAN),
            ],
            GENERAL_STAFF,
        ),
        _opd(
            "BAPPEDA",
            "Badan Perencanaan Pembangunan Daerah",
            UnitKind.BADAN,
            Sector.GENERAL,
            1.0,
            "Kepala Badan Perencanaan Pembangunan Daerah",
            [
                sec,
                ("PPM", "Bidang Pemerintahan dan Pembangunan Manusia", UnitKind.BIDANG),
                ("EKO", "Bidang Perekonomian dan Sumber Daya Alam", UnitKind.BIDANG),
                ("INFRA", "Bidang Infrastruktur dan Kewilayahan", UnitKind.BIDANG),
            ],
            PLANNING_STAFF,
        ),
        _opd(
            "BKPSDM",
            "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            UnitKind.BADAN,
            Sector.GENERAL,
            1.0,
            "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            [
                sec,
                ("MUT", "Bidang Mutasi dan Promosi", UnitKind.BIDANG),
                ("PSDM", "Bidang Pengembangan Sumber Daya Manusia", UnitKind.BIDANG),
                ("INFO", "Bidang Pengadaan, Pemberhentian, dan Informasi", UnitKind.BIDANG),
            ],
            HR_STAFF,
        ),
        _opd(
            "INSPEKTORAT",
            "Inspektorat Daerah",
            UnitKind.INSPEKTORAT,
            Sector.GENERAL,
            1.0,
            "Inspektur Daerah",
            [
                sec,
                ("IRBAN1", "Inspektur Pembantu Wilayah I", UnitKind.BIDANG),
                ("IRBAN2", "Inspektur Pembantu Wilayah II", UnitKind.BIDANG),
                ("IRBANSUS", "Inspektur Pembantu Khusus", UnitKind.BIDANG),
            ],
            AUDIT_STAFF,
        ),
        _opd(
            "DINKES",
            "Dinas Kesehatan",
            UnitKind.DINAS,
            Sector.HEALTH,
            3.0,
            "Kepala Dinas Kesehatan",
            [
                sec,
                ("KESMAS", "Bidang Kesehatan Masyarakat", UnitKind.BIDANG),
                ("P2P", "Bidang Pencegahan dan Pengendalian Penyakit", UnitKind.BIDANG),
                ("YANKES", "Bidang Pelayanan dan Sumber Daya Kesehatan", UnitKind.BIDANG),
            ],
            HEALTH_STAFF,
            public=True,
            extra=[rsud, *puskesmas],
        ),
        _opd(
            "DISDIK",
            "Dinas Pendidikan",
            UnitKind.DINAS,
            Sector.EDUCATION,
            3.0,
            "Kepala Dinas Pendidikan",
            [
                sec,
                ("PAUD", "Bidang Pendidikan Anak Usia Dini dan Nonformal", UnitKind.BIDANG),
                ("SD", "Bidang Pembinaan Sekolah Dasar", UnitKind.BIDANG),
                ("SMP", "Bidang Pembinaan Sekolah Menengah Pertama", UnitKind.BIDANG),
                ("GTK", "Bidang Guru dan Tenaga Kependidikan", UnitKind.BIDANG),
            ],
            EDUCATION_STAFF,
            public=True,
        ),
        _opd(
            "DISDUKCAPIL",
            "Dinas Kependudukan dan Pencatatan Sipil",
            UnitKind.DINAS,
            Sector.CIVIL_REGISTRY,
            1.0,
            "Kepala Dinas Kependudukan dan Pencatatan Sipil",
            [
                sec,
                ("DAFDUK", "Bidang Pelayanan Pendaftaran Penduduk", UnitKind.BIDANG),
                ("CAPIL", "Bidang Pelayanan Pencatatan Sipil", UnitKind.BIDANG),
                ("PIAK", "Bidang Pengelolaan Informasi Administrasi Kependudukan", UnitKind.BIDANG),
            ],
            REGISTRY_STAFF,
            public=True,
        ),
        _opd(
            "DPMPTSP",
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            UnitKind.DINAS,
            Sector.LICENSING,
            0.8,
            "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            [
                sec,
                ("YAN", "Bidang Pelayanan Perizinan", UnitKind.BIDANG),
                ("PM", "Bidang Penanaman Modal", UnitKind.BIDANG),
            ],
            LICENSING_STAFF,
            public=True,
        ),
        _opd(
            "DINSOS",
            "Dinas Sosial",
            UnitKind.DINAS,
            Sector.SOCIAL,
            0.8,
            "Kepala Dinas Sosial",
            [
                sec,
                ("REHSOS", "Bidang Rehabilitasi Sosial", UnitKind.BIDANG),
                ("LINJAMSOS", "Bidang Perlindungan dan Jaminan Sosial", UnitKind.BIDANG),
            ],
            SOCIAL_STAFF,
            public=True,
        ),
        _opd(
            "DPUPR",
            "Dinas Pekerjaan Umum dan Penataan Ruang",
            UnitKind.DINAS,
            Sector.PUBLIC_WORKS,
            1.2,
            "Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
            [
                sec,
                ("BM", "Bidang Bina Marga", UnitKind.BIDANG),
                ("SDA", "Bidang Sumber Daya Air", UnitKind.BIDANG),
                ("TR", "Bidang Penataan Ruang", UnitKind.BIDANG),
            ],
            WORKS_STAFF,
        ),
        _opd(
            "SATPOLPP",
            "Satuan Polisi Pamong Praja",
            UnitKind.SATPOL_PP,
            Sector.GENERAL,
            0.9,
            "Kepala Satuan Polisi Pamong Praja",
            [
                sec,
                ("GAKDA", "Bidang Penegakan Peraturan Daerah", UnitKind.BIDANG),
                ("TIBUM", "Bidang Ketertiban Umum dan Ketenteraman Masyarakat", UnitKind.BIDANG),
            ],
            SATPOL_STAFF,
        ),
    ]
    for i, name in enumerate(KECAMATAN, start=1):
        opds.append(
            _opd(
                f"KEC-{i:02d}",
                f"Kecamatan {name}",
                UnitKind.KECAMATAN,
                Sector.GENERAL,
                0.5,
                f"Camat {name}",
                [
                    sec,
                    ("PEM", "Seksi Pemerintahan", UnitKind.SEKSI),
                    ("PEL", "Seksi Pelayanan Umum", UnitKind.SEKSI),
                    ("TRANTIB", "Seksi Ketenteraman dan Ketertiban Umum", UnitKind.SEKSI),
                ],
                GENERAL_STAFF,
                public=True,
            )
        )
    # Sections under every bidang / bagian / sekretariat of the OPDs (not the kecamatan seksi).
    for opd in opds:
        for part in opd.children:
            if part.kind in {UnitKind.BIDANG, UnitKind.BAGIAN}:
                part.children = [
                    _sub(
                        f"{part.code}-{j}",
                        f"{'Subbagian' if part.kind == UnitKind.BAGIAN else 'Seksi'} "
                        f"{topic} {part.name.split(' ', 1)[1]}",
                        UnitKind.SUBBAGIAN if part.kind == UnitKind.BAGIAN else UnitKind.SEKSI,
                        sector=opd.sector,
                        staff=opd.staff,
                        serves_public=part.serves_public,
                    )
                    for j, topic in enumerate(["Perencanaan", "Pelaksanaan", "Evaluasi"], start=1)
                ]
            elif part.kind == UnitKind.SEKRETARIAT:
                part.children = [
                    _sub(
                        f"{part.code}-{j}",
                        f"Subbagian {topic}",
                        UnitKind.SUBBAGIAN,
                        sector=opd.sector,
                        staff=GENERAL_STAFF,
                    )
                    for j, topic in enumerate(
                        ["Umum dan Kepegawaian", "Keuangan dan Perencanaan"], start=1
                    )
                ]
    return opds


# --- Positions ---------------------------------------------------------------------------

JENJANG_BY_SUFFIX = [
    (" Ahli Utama", Jenjang.AHLI_UTAMA, 14),
    (" Ahli Madya", Jenjang.AHLI_MADYA, 11),
    (" Ahli Muda", Jenjang.AHLI_MUDA, 9),
    (" Ahli Pertama", Jenjang.AHLI_PERTAMA, 8),
    (" Penyelia", Jenjang.PENYELIA, 8),
    (" Mahir", Jenjang.MAHIR, 7),
    (" Terampil", Jenjang.TERAMPIL, 6),
    (" Pemula", Jenjang.PEMULA, 5),
]
PELAKSANA_KELAS = {
    "Penata Layanan Operasional": 7,
    "Pengelola Layanan Operasional": 6,
    "Operator Layanan Operasional": 5,
    "Pengadministrasi Perkantoran": 5,
    "Pengawas Lapangan": 6,
}


def position_kind_of(name: str) -> tuple[str, int, str]:
    for suffix, jenjang, kelas in JENJANG_BY_SUFFIX:
        if name.endswith(suffix):
            return PositionKind.FUNGSIONAL, kelas, jenjang
    return PositionKind.PELAKSANA, PELAKSANA_KELAS.get(name, 5), ""


GOLONGAN_BY_JENJANG = {
    Jenjang.PEMULA: ["II/a", "II/b"],
    Jenjang.TERAMPIL: ["II/b", "II/c", "II/d"],
    Jenjang.MAHIR: ["III/a", "III/b"],
    Jenjang.PENYELIA: ["III/c", "III/d"],
    Jenjang.AHLI_PERTAMA: ["III/a", "III/b"],
    Jenjang.AHLI_MUDA: ["III/c", "III/d"],
    Jenjang.AHLI_MADYA: ["IV/a", "IV/b", "IV/c"],
    Jenjang.AHLI_UTAMA: ["IV/d", "IV/e"],
}
GOLONGAN_BY_KIND = {
    PositionKind.JPT: ["IV/c", "IV/d"],
    PositionKind.ADMINISTRATOR: ["IV/a", "IV/b"],
    PositionKind.PENGAWAS: ["III/c", "III/d", "IV/a"],
    PositionKind.PELAKSANA: ["II/a", "II/b", "II/c", "II/d", "III/a", "III/b"],
}
PPPK_GOLONGAN = {
    Jenjang.TERAMPIL: "PPPK-VII",
    Jenjang.MAHIR: "PPPK-VIII",
    Jenjang.AHLI_PERTAMA: "PPPK-IX",
    Jenjang.AHLI_MUDA: "PPPK-X",
}
