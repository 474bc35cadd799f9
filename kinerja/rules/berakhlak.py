"""The seven BerAKHLAK core values and their panduan perilaku (SE MenPANRB 20/2021; UU 20/2023).

They are the perilaku kerja section of every SKP (PermenPANRB 6/2022): each value, its three
behaviour guides, and optionally the leader's specific expectation (ekspektasi khusus pimpinan).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["VALUES", "CoreValue", "value_by_code"]


@dataclass(frozen=True)
class CoreValue:
    """One core value: a stable code, its official name, and its three panduan perilaku."""

    code: str
    number: int
    name: str
    guides: tuple[str, str, str]


VALUES: tuple[CoreValue, ...] = (
    CoreValue(
        "berorientasi_pelayanan",
        1,
        "Berorientasi Pelayanan",
        (
            "Memahami dan memenuhi kebutuhan masyarakat",
            "Ramah, cekatan, solutif, dan dapat diandalkan",
            "Melakukan perbaikan tiada henti",
        ),
    ),
    CoreValue(
        "akuntabel",
        2,
        "Akuntabel",
        (
            "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan "
            "berintegritas tinggi",
            "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan "
            "efisien",
            "Tidak menyalahgunakan kewenangan jabatan",
        ),
    ),
    CoreValue(
        "kompeten",
        3,
        "Kompeten",
        (
            "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
            "Membantu orang lain belajar",
            "Melaksanakan tugas dengan kualitas terbaik",
        ),
    ),
    CoreValue(
        "harmonis",
        4,
        "Harmonis",
        (
            "Menghargai setiap orang apapun latar belakangnya",
            "Suka menolong orang lain",
            "Membangun lingkungan kerja yang kondusif",
        ),
    ),
    CoreValue(
        "loyal",
        5,
        "Loyal",
        (
            "Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik Indonesia "
            "Tahun 1945, setia kepada NKRI serta pemerintahan yang sah",
            "Menjaga nama baik sesama ASN, Pimpinan, Instansi, dan Negara",
            "Menjaga rahasia jabatan dan negara",
        ),
    ),
    CoreValue(
        "adaptif",
        6,
        "Adaptif",
        (
            "Cepat menyesuaikan diri menghadapi perubahan",
            "Terus berinovasi dan mengembangkan kreativitas",
            "Bertindak proaktif",
        ),
    ),
    CoreValue(
        "kolaboratif",
        7,
        "Kolaboratif",
        (
            "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
            "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
            "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
        ),
    ),
)

_BY_CODE = {value.code: value for value in VALUES}


def value_by_code(code: str) -> CoreValue:
    """The core value with this code; ValueError for an unknown code."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise ValueError(f"Nilai BerAKHLAK tidak dikenal: {code!r}.") from None
