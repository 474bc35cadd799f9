"""Starter indicators per unit sector (the indicator library), so nobody starts from a blank
page. Real examples from Indonesian local government; every entry can be edited after use."""

from __future__ import annotations

from dataclasses import dataclass

from kinerja.organisation.choices import Sector


@dataclass(frozen=True)
class LibraryItem:
    key: str
    rhk: str
    name: str
    unit: str
    aspek: str = "kuantitas"
    polarity: str = "higher_is_better"
    aggregation: str = "sum"
    target: str = ""


def _items(sector: str, rows: list[tuple[str, str, str, str, str, str, str]]) -> list[LibraryItem]:
    return [LibraryItem(f"{sector}-{i}", *row) for i, row in enumerate(rows, start=1)]


LIBRARY: dict[str, list[LibraryItem]] = {
    Sector.HEALTH: _items(
        Sector.HEALTH,
        [
            (
                "Terlaksananya pelayanan kesehatan perorangan",
                "Jumlah pasien terlayani",
                "pasien",
                "kuantitas",
                "higher_is_better",
                "sum",
                "2400",
            ),
            (
                "Terlaksananya pelayanan gawat darurat yang cepat",
                "Waktu respons penanganan gawat darurat",
                "menit",
                "waktu",
                "lower_is_better",
                "average",
                "5",
            ),
            (
                "Meningkatnya cakupan imunisasi",
                "Persentase bayi mendapat imunisasi dasar lengkap",
                "persen",
                "kualitas",
                "higher_is_better",
                "last",
                "95",
            ),
            (
                "Menurunnya kematian ibu",
                "Jumlah kematian ibu melahirkan",
                "kasus",
                "kualitas",
                "lower_is_better",
                "sum",
                "0",
            ),
            (
                "Terlaksananya kunjungan rumah keluarga berisiko",
                "Jumlah kunjungan rumah",
                "kunjungan",
                "kuantitas",
                "higher_is_better",
                "sum",
                "120",
            ),
        ],
    ),
    Sector.EDUCATION: _items(
        Sector.EDUCATION,
        [
            (
                "Terlaksananya pembelajaran yang berkualitas",
                "Jumlah jam mengajar terlaksana",
                "jam",
                "kuantitas",
                "higher_is_better",
                "sum",
                "864",
            ),
            (
                "Meningkatnya hasil belajar peserta didik",
                "Persentase peserta didik tuntas KKM",
                "persen",
                "kualitas",
                "higher_is_better",
                "last",
                "85",
            ),
            (
                "Tersusunnya perangkat pembelajaran",
                "Jumlah modul ajar disusun",
                "dokumen",
                "kuantitas",
                "higher_is_better",
                "sum",
                "12",
            ),
        ],
    ),
    Sector.CIVIL_REGISTRY: _items(
        Sector.CIVIL_REGISTRY,
        [
            (
                "Terbitnya dokumen kependudukan tepat waktu",
                "Persentase dokumen kependudukan terbit tepat waktu",
                "persen",
                "waktu",
                "higher_is_better",
                "average",
                "95",
            ),
            (
                "Terlayaninya perekaman KTP-el",
                "Jumlah perekaman KTP-el",
                "perekaman",
                "kuantitas",
                "higher_is_better",
                "sum",
                "3000",
            ),
            (
                "Cepatnya penerbitan akta kelahiran",
                "Rata-rata waktu penerbitan akta kelahiran",
                "hari",
                "waktu",
                "lower_is_better",
                "average",
                "1",
            ),
        ],
    ),
    Sector.LICENSING: _items(
        Sector.LICENSING,
        [
            (
                "Terbitnya izin sesuai standar waktu",
                "Persentase izin terbit sesuai SOP",
                "persen",
                "waktu",
                "higher_is_better",
                "average",
                "95",
            ),
            (
                "Terlayaninya permohonan perizinan",
                "Jumlah permohonan izin diproses",
                "permohonan",
                "kuantitas",
                "higher_is_better",
                "sum",
                "1200",
            ),
        ],
    ),
    Sector.SOCIAL: _items(
        Sector.SOCIAL,
        [
            (
                "Tersalurkannya bantuan sosial tepat sasaran",
                "Jumlah keluarga penerima manfaat diverifikasi",
                "KPM",
                "kuantitas",
                "higher_is_better",
                "sum",
                "1500",
            ),
            (
                "Tertanganinya PPKS",
                "Persentase PPKS yang ditangani",
                "persen",
                "kualitas",
                "higher_is_better",
                "last",
                "90",
            ),
        ],
    ),
    Sector.PUBLIC_WORKS: _items(
        Sector.PUBLIC_WORKS,
        [
            (
                "Meningkatnya kondisi jalan kabupaten",
                "Panjang jalan kabupaten dalam kondisi mantap",
                "km",
                "kuantitas",
                "higher_is_better",
                "last",
                "420",
            ),
            (
                "Terlaksananya pengawasan pekerjaan konstruksi",
                "Jumlah laporan pengawasan lapangan",
                "laporan",
                "kuantitas",
                "higher_is_better",
                "sum",
                "48",
            ),
        ],
    ),
    Sector.GENERAL: _items(
        Sector.GENERAL,
        [
            (
                "Tersusunnya dokumen perencanaan dan laporan",
                "Jumlah dokumen tersusun tepat waktu",
                "dokumen",
                "kuantitas",
                "higher_is_better",
                "sum",
                "12",
            ),
            (
                "Terkelolanya administrasi persuratan",
                "Persentase surat diproses paling lama 1 hari",
                "persen",
                "waktu",
                "higher_is_better",
                "average",
                "95",
            ),
            (
                "Terselesaikannya layanan kepegawaian",
                "Jumlah usulan layanan kepegawaian diproses",
                "usulan",
                "kuantitas",
                "higher_is_better",
                "sum",
                "200",
            ),
        ],
    ),
}


def items_for(sector: str) -> list[LibraryItem]:
    return LIBRARY.get(sector, []) + (LIBRARY[Sector.GENERAL] if sector != Sector.GENERAL else [])


def item_by_key(key: str) -> LibraryItem | None:
    return next((i for items in LIBRARY.values() for i in items if i.key == key), None)
