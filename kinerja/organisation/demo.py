"""The Bukitintan demo regency: a deterministic, realistic organisation and its people.

`build_demo(employees=N, seed=S)` creates the OPDs of a typical regency (Sekretariat Daerah,
Bappeda, BKPSDM, Inspektorat, Dinas Kesehatan with RSUD and Puskesmas, Dinas Pendidikan,
Disdukcapil, DPMPTSP, Dinas Sosial, Dinas PUPR, Satpol PP and several Kecamatan), structural
heads for every unit, and functional and administrative staff in realistic spans of control
(4–12 direct reports: large sections get team leads). Everything depends only on N and S.

It is a bulk tool: employees are written with pre-assigned ids in one pass (paths computed in
memory), and every account shares one pre-computed password hash, so that 10,000 employees
seed in seconds. The coordination of OPD heads through the three Asisten of the Sekretariat
Daerah is the demo's simplification of the regent's span of control.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from kinerja.core.audit import AuditAction, audit_record

from .choices import ChangeReason, EmploymentStatus, Jenjang, PositionKind, Role, Sector, UnitKind
from .models import Employee, EmployeeHistory, Position, Regency, Unit, User

DEMO_PASSWORD = "bukitintan"

MALE = [
    "Agus",
    "Ahmad",
    "Andi",
    "Arif",
    "Bambang",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Irfan",
    "Joko",
    "Kurniawan",
    "Muhammad",
    "Nanang",
    "Rahmat",
    "Rizky",
    "Slamet",
    "Teguh",
    "Wahyu",
    "Yusuf",
    "Zainal",
    "Doni",
    "Heru",
    "Imam",
    "Ridwan",
    "Sutrisno",
    "Taufik",
    "Hasan",
    "Syahrul",
    "Iwan",
    "Gilang",
    "Dimas",
    "Bayu",
    "Rudi",
    "Asep",
    "Ujang",
    "Made",
]
FEMALE = [
    "Ani",
    "Ayu",
    "Dewi",
    "Endang",
    "Fitri",
    "Indah",
    "Kartika",
    "Lestari",
    "Maya",
    "Nur",
    "Putri",
    "Ratna",
    "Rina",
    "Sari",
    "Siti",
    "Sri",
    "Tuti",
    "Wulan",
    "Yuliana",
    "Yanti",
    "Nurul",
    "Dian",
    "Eka",
    "Fatimah",
    "Hana",
    "Intan",
    "Lia",
    "Mega",
    "Novi",
    "Rahma",
    "Desi",
    "Evi",
    "Citra",
    "Anisa",
    "Ratih",
    "Nining",
    "Komang",
    "Ika",
]
FAMILY = [
    "Saputra",
    "Wijaya",
    "Hidayat",
    "Santoso",
    "Pratama",
    "Kusuma",
    "Nugroho",
    "Siregar",
    "Nasution",
    "Harahap",
    "Lubis",
    "Simanjuntak",
    "Hasibuan",
    "Gunawan",
    "Setiawan",
    "Rahman",
    "Hakim",
    "Putra",
    "Sembiring",
    "Ginting",
    "Tanjung",
    "Syahputra",
    "Rangkuti",
    "Purba",
    "Hutapea",
    "Marpaung",
    "Ramadhan",
    "Firmansyah",
    "Susanto",
    "Wibowo",
    "Permana",
    "Suryadi",
    "Halim",
    "Maulana",
    "Anggraini",
    "Rahayu",
    "Wahyuni",
    "Handayani",
]
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


@dataclass
class Person:
    pk: int
    unit: Unit
    position: Position
    supervisor: Person | None
    depth: int = 0
    path: str = ""


class DemoBuilder:
    def __init__(self, *, employees: int, seed: int) -> None:
        self.target = max(employees, 1)
        self.rng = random.Random(seed)
        self.positions: dict[str, Position] = {}
        self.people: list[Person] = []
        self.next_pk = (Employee.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.used_nips: set[str] = set(Employee.objects.values_list("nip", flat=True))
        self.units: dict[str, Unit] = {}

    # Positions
    def position(self, name: str, kind: str | None = None, kelas: int | None = None) -> Position:
        if name not in self.positions:
            guessed_kind, guessed_kelas, jenjang = position_kind_of(name)
            kind = kind or guessed_kind
            self.positions[name] = Position(
                name=name,
                kind=kind,
                kelas=kelas or guessed_kelas,
                jenjang=jenjang if kind == PositionKind.FUNGSIONAL else "",
            )
        return self.positions[name]

    def head_position(self, spec: UnitSpec, parent: UnitSpec | None, owner: str) -> Position:
        """The head's position; `owner` is the OPD or UPT the unit belongs to (names must be
        unique across the regency, so they carry it)."""
        if parent is None:
            kelas = 15 if spec.kind == UnitKind.SEKRETARIAT_DAERAH else 14
            return self.position(spec.head, PositionKind.JPT, kelas)
        if spec.kind == UnitKind.RSUD:
            return self.position(f"Direktur {spec.name}", PositionKind.ADMINISTRATOR, 12)
        if spec.kind == UnitKind.PUSKESMAS:
            return self.position(f"Kepala {spec.name}", PositionKind.PENGAWAS, 9)
        if spec.kind == UnitKind.SEKRETARIAT:
            kelas = 11 if parent.kind == UnitKind.KECAMATAN else 12
            return self.position(f"Sekretaris {owner}", PositionKind.ADMINISTRATOR, kelas)
        if spec.kind in {UnitKind.BIDANG, UnitKind.BAGIAN}:
            name = spec.name if spec.name.startswith("Inspektur") else f"Kepala {spec.name} {owner}"
            return self.position(name, PositionKind.ADMINISTRATOR, 12)
        return self.position(f"Kepala {spec.name} {owner}", PositionKind.PENGAWAS, 9)

    # Units
    def create_units(self, specs: list[UnitSpec]) -> None:
        from . import services

        def walk(spec: UnitSpec, parent: Unit | None) -> None:
            unit = services.unit_create(
                by=None,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                sector=spec.sector,
                parent=parent,
                serves_public=spec.serves_public,
            )
            self.units[spec.code] = unit
            for child in spec.children:
                walk(child, unit)

        for spec in specs:
            walk(spec, None)

    def add(self, unit: Unit, position: Position, supervisor: Person | None) -> Person:
        person = Person(pk=self.next_pk, unit=unit, position=position, supervisor=supervisor)
        self.next_pk += 1
        person.depth = supervisor.depth + 1 if supervisor else 0
        person.path = f"{supervisor.path if supervisor else '/'}{person.pk}/"
        self.people.append(person)
        return person

    def attach_staff(self, leader: Person, unit: Unit, names: list[str], count: int) -> None:
        """Attach `count` staff under `leader`, adding team leads so no one leads more than 12."""
        if count <= 0:
            return
        if count <= 12:
            for _ in range(count):
                self.add(unit, self.position(self.rng.choice(names)), leader)
            return
        leads = min(max(4, -(-count // 10)), 12)
        remaining = count - leads
        lead_people = [
            self.add(unit, self.position(self._lead_position(names)), leader) for _ in range(leads)
        ]
        share, extra = divmod(remaining, leads)
        for i, lead in enumerate(lead_people):
            self.attach_staff(lead, unit, names, share + (1 if i < extra else 0))

    def _lead_position(self, names: list[str]) -> str:
        seniors = [n for n in names if n.endswith((" Ahli Muda", " Ahli Madya", " Penyelia"))]
        return self.rng.choice(seniors or ["Analis Kebijakan Ahli Muda"])

    def build_people(self, specs: list[UnitSpec]) -> None:
        sekda_spec, *others = specs
        sekda = self.add(
            self.units[sekda_spec.code], self.head_position(sekda_spec, None, sekda_spec.name), None
        )
        asisten = [
            self.add(self.units["SETDA"], self.position(title, PositionKind.JPT, 14), sekda)
            for title in [
                "Asisten Pemerintahan dan Kesejahteraan Rakyat",
                "Asisten Perekonomian dan Pembangunan",
                "Asisten Administrasi Umum",
            ]
        ]
        coordination = {  # OPD code -> asisten index; Inspektorat reports to the Sekda
            "SETDA-PEM": 0,
            "SETDA-HKM": 0,
            "SETDA-KESRA": 0,
            "SETDA-EKO": 1,
            "SETDA-PBJ": 1,
            "SETDA-ORG": 2,
            "SETDA-UMUM": 2,
            "SETDA-PROKOPIM": 2,
            "BAPPEDA": 1,
            "DPMPTSP": 1,
            "DPUPR": 1,
            "BKPSDM": 2,
            "DINKES": 2,
            "DISDIK": 2,
            "DISDUKCAPIL": 0,
            "DINSOS": 0,
            "SATPOLPP": 0,
        }
        # (head, unit, share): staff work in leaf units, and a few work directly for the head
        # of a bidang/bagian/UPT (the functional analysts of today's flatter structure).
        leaves: list[tuple[Person, UnitSpec, float]] = []

        def walk(
            spec: UnitSpec,
            parent_spec: UnitSpec | None,
            supervisor: Person,
            owner: str,
            weight: float = 1.0,
        ) -> None:
            head = self.add(
                self.units[spec.code], self.head_position(spec, parent_spec, owner), supervisor
            )
            weight *= spec.weight
            if spec.kind in {UnitKind.RSUD, UnitKind.PUSKESMAS}:
                owner = spec.name
            for child in spec.children:
                walk(child, spec, head, owner, weight)
            if not spec.children:
                leaves.append((head, spec, weight))
            elif parent_spec is not None:
                leaves.append((head, spec, weight * 0.3))

        for part in sekda_spec.children:
            walk(part, sekda_spec, asisten[coordination[part.code]], sekda_spec.name)
        for spec in others:
            boss = (
                sekda
                if spec.code == "INSPEKTORAT"
                else (asisten[coordination[spec.code]] if spec.code in coordination else asisten[0])
            )
            walk(spec, None, boss, spec.name)
        # Staff: what is left of the target, spread over the leaf units by their OPD's weight.
        remaining = max(self.target - len(self.people), 0)
        leaf_weights = [weight for _head, _spec, weight in leaves]
        total = sum(leaf_weights) or 1.0
        allotted = [int(remaining * w / total) for w in leaf_weights]
        for i in range(remaining - sum(allotted)):
            allotted[i % len(allotted)] += 1
        for (head, spec, _weight), count in zip(leaves, allotted, strict=True):
            self.attach_staff(head, self.units[spec.code], spec.staff or GENERAL_STAFF, count)

    # People's details
    def nip(self, sex: str, kind: str) -> tuple[str, date]:
        while True:
            age_floor = 30 if kind in {PositionKind.JPT, PositionKind.ADMINISTRATOR} else 22
            birth = date(
                self.rng.randint(1966, 2026 - age_floor),
                self.rng.randint(1, 12),
                self.rng.randint(1, 28),
            )
            year = self.rng.randint(birth.year + 20, min(birth.year + 35, 2024))
            month = self.rng.randint(1, 12)
            nip = (
                f"{birth:%Y%m%d}{year:04d}{month:02d}{'1' if sex == 'L' else '2'}"
                f"{self.rng.randint(1, 999):03d}"
            )
            if nip not in self.used_nips:
                self.used_nips.add(nip)
                return nip, birth

    def employee_rows(self) -> Iterator[Employee]:
        now = timezone.now()
        for person in self.people:
            sex = self.rng.choice("LP")
            first = self.rng.choice(MALE if sex == "L" else FEMALE)
            name = f"{first} {self.rng.choice(FAMILY)}"
            position = person.position
            nip, _birth = self.nip(sex, position.kind)
            front, back = "", self.rng.choice(DEGREES)
            if position.name.startswith("Dokter"):
                front, back = "dr.", ""
            elif position.name.startswith(("Perawat", "Bidan")):
                back = self.rng.choice(["A.Md.Kep.", "S.Kep., Ners", "A.Md.Keb."])
            elif position.name.startswith("Guru"):
                back = "S.Pd."
            elif position.kind in {PositionKind.JPT, PositionKind.ADMINISTRATOR}:
                back = f"{self.rng.choice(DEGREES[:7])}, M.Si."
            status = EmploymentStatus.PNS
            if position.jenjang in PPPK_GOLONGAN and self.rng.random() < 0.2:
                status = EmploymentStatus.PPPK
                golongan = PPPK_GOLONGAN[position.jenjang]
            elif position.jenjang:
                golongan = self.rng.choice(GOLONGAN_BY_JENJANG[position.jenjang])
            else:
                golongan = self.rng.choice(GOLONGAN_BY_KIND[position.kind])
            yield Employee(
                pk=person.pk,
                nip=nip,
                name=name,
                front_title=front,
                back_title=back,
                status=status,
                golongan=golongan,
                position=position,
                unit=person.unit,
                supervisor_id=person.supervisor.pk if person.supervisor else None,
                email=f"{first.lower()}.{person.pk}@bukitintan.go.id",
                is_active=True,
                path=person.path,
                depth=person.depth,
                created_at=now,
                updated_at=now,
            )


def _reset_sequences() -> None:
    """After inserting explicit ids, move PostgreSQL's sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Employee])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    who: str


ADMIN_ACCOUNTS = [
    ("admin.dinkes", "Admin OPD Dinas Kesehatan", Role.ADMIN_OPD),
    ("admin.bkpsdm", "Admin BKPSDM", Role.ADMIN_BKPSDM),
    ("pimpinan", "Kantor Bupati Bukitintan", Role.PIMPINAN),
    ("inspektorat", "Inspektorat Daerah", Role.INSPEKTORAT),
]


@transaction.atomic
def build_demo(*, employees: int = 1500, seed: int = 2026) -> int:
    """Seed the demo regency into an empty database; returns the number of employees."""
    if Employee.objects.exists() or Unit.objects.exists():
        raise ValueError("Database already holds organisation data; the demo seeds an empty one.")
    Regency.get()
    specs = regency_structure()
    builder = DemoBuilder(employees=employees, seed=seed)
    builder.create_units(specs)
    builder.build_people(specs)
    Position.objects.bulk_create(builder.positions.values(), batch_size=500)
    saved = {p.name: p for p in Position.objects.all()}
    for person in builder.people:
        person.position = saved[person.position.name]
    rows = list(builder.employee_rows())
    Employee.objects.bulk_create(rows, batch_size=2000)
    _reset_sequences()
    now = timezone.now()
    EmployeeHistory.objects.bulk_create(
        [
            EmployeeHistory(
                employee_id=e.pk,
                position_id=e.position_id,
                unit_id=e.unit_id,
                supervisor_id=e.supervisor_id,
                golongan=e.golongan,
                valid_from=now,
                reason=ChangeReason.INITIAL,
            )
            for e in rows
        ],
        batch_size=2000,
    )
    password = make_password(DEMO_PASSWORD)
    User.objects.bulk_create(
        [
            User(
                username=e.nip,
                employee_id=e.pk,
                email=e.email,
                password=password,
                must_change_password=False,
            )
            for e in rows
        ],
        batch_size=2000,
    )
    dinkes = Unit.objects.get(code="DINKES")
    for username, display, role in ADMIN_ACCOUNTS:
        User.objects.create(
            username=username,
            display_name=display,
            role=role,
            password=password,
            must_change_password=False,
            managed_opd=dinkes if role == Role.ADMIN_OPD else None,
        )
    _give_regional_role()
    User.objects.create(
        username="superadmin",
        display_name="Superadmin",
        password=password,
        must_change_password=False,
        is_superuser=True,
        is_staff=True,
    )
    audit_record(
        actor=None,
        action=AuditAction.IMPORT,
        object_type="demo",
        object_repr="Data demo Kabupaten Bukitintan",
        changes={"employees": len(rows), "seed": seed},
    )
    return len(rows)


def regional_employee() -> Employee | None:
    """The demo's Dinas Kesehatan employee whose account holds a regency-wide role (Admin
    BKPSDM): the Admin OPD of Dinas Kesehatan sees them but may not edit or reset that account;
    the access checks use this persona. Deterministic: the first staff member (by NIP) of the
    Sekretariat of Dinas Kesehatan without reports."""
    return (
        Employee.objects.filter(
            unit__code="DINKES-SEK",
            direct_reports__isnull=True,
            is_active=True,
            position__kind__in=[PositionKind.FUNGSIONAL, PositionKind.PELAKSANA],
        )
        .select_related("position")
        .order_by("nip")
        .first()
    )


def _give_regional_role() -> None:
    employee = regional_employee()
    if employee is not None:
        User.objects.filter(employee=employee).update(role=Role.ADMIN_BKPSDM)


def demo_logins() -> list[DemoLogin]:
    """One login per role, found from the seeded data (the same for the same N and seed)."""
    logins: list[DemoLogin] = []
    staff = (
        Employee.objects.filter(
            unit__code="DINKES-PKM-01",
            position__kind=PositionKind.FUNGSIONAL,
            direct_reports__isnull=True,
            supervisor__unit__code="DINKES-PKM-01",
            is_active=True,
        )
        .select_related("supervisor", "position")
        .order_by("nip")
        .first()
    )
    if staff is not None:
        logins.append(DemoLogin("Pegawai", staff.nip, f"{staff.full_name} — {staff.position.name}"))
        sup = staff.supervisor
        logins.append(
            DemoLogin("Atasan langsung", sup.nip, f"{sup.full_name} — {sup.position.name}")
        )
    head = Employee.objects.filter(position__name="Kepala Dinas Kesehatan").first()
    if head is not None:
        logins.append(
            DemoLogin("Kepala unit (OPD)", head.nip, f"{head.full_name} — Kepala Dinas Kesehatan")
        )
    for username, display, role in ADMIN_ACCOUNTS:
        logins.append(DemoLogin(Role(role).label, username, display))
    regional = regional_employee()
    if regional is not None:
        logins.append(
            DemoLogin(
                "Pegawai Dinkes dengan peran Admin BKPSDM",
                regional.nip,
                f"{regional.full_name} — {regional.position.name}",
            )
        )
    logins.append(DemoLogin("Superuser", "superadmin", "Administrator sistem"))
    return [login for login in logins if User.objects.filter(username=login.username).exists()]
