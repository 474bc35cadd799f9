"""Bukitintan's default follow-up rules (DOMAIN §1, §5, §9; regency practice), shipped in a data
migration and kept afterwards by BKPSDM as data. Each has a plain-Indonesian explanation."""

from __future__ import annotations

from typing import Any

LOW = ["butuh_perbaikan", "kurang", "sangat_kurang"]

DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "code": "piagam-sangat-baik",
        "name": "Piagam Penghargaan bagi predikat tahunan Sangat Baik",
        "condition": "predikat_tahunan",
        "parameters": {"predikat": ["sangat_baik"], "no_punishment": True, "jp_compliant": True},
        "action": "piagam",
        "explanation": (
            "Pegawai dengan predikat kinerja tahunan Sangat Baik, tanpa hukuman disiplin, dan "
            "memenuhi kewajiban 20 JP pengembangan kompetensi direkomendasikan menerima Piagam "
            "Penghargaan Bupati."
        ),
        "order": 10,
    },
    {
        "code": "asn-berprestasi",
        "name": "Nominasi ASN Berprestasi",
        "condition": "predikat_tahunan",
        "parameters": {"predikat": ["sangat_baik"], "no_punishment": True, "jp_compliant": True},
        "action": "asn_berprestasi",
        "explanation": (
            "Pegawai dengan predikat tahunan Sangat Baik, tanpa hukuman disiplin, dan memenuhi "
            "kewajiban JP dinominasikan sebagai ASN Berprestasi; peringkat per OPD memperlihatkan "
            "setiap faktornya."
        ),
        "order": 20,
    },
    {
        "code": "pembinaan-di-bawah-standar",
        "name": "Pembinaan bagi kinerja di bawah standar",
        "condition": "predikat_terakhir",
        "parameters": {"predikat": LOW},
        "action": "pembinaan",
        "explanation": (
            "Pegawai dengan predikat periode terakhir Butuh Perbaikan, Kurang/Misconduct, atau "
            "Sangat Kurang mendapat rencana pembinaan selama 6 bulan bersama atasan langsung "
            "(PP 30/2019 Pasal 56–58)."
        ),
        "order": 30,
    },
    {
        "code": "rujukan-dua-periode",
        "name": "Rujukan ke BKPSDM: dua periode berturut-turut Kurang",
        "condition": "predikat_berturut",
        "parameters": {"predikat": ["kurang", "sangat_kurang"], "periods": 2},
        "action": "rujukan_bkpsdm",
        "explanation": (
            "Pegawai dengan predikat Kurang/Misconduct atau Sangat Kurang dua periode "
            "berturut-turut dirujuk ke BKPSDM untuk pemeriksaan."
        ),
        "order": 40,
    },
    {
        "code": "mutasi-pembinaan-gagal",
        "name": "Pemindahan jabatan setelah pembinaan tidak berhasil",
        "condition": "pembinaan_gagal",
        "parameters": {"count": 1},
        "action": "mutasi",
        "explanation": (
            "Pegawai yang kinerjanya tidak membaik setelah masa pembinaan 6 bulan "
            "direkomendasikan dipindahkan ke jabatan yang sesuai kompetensinya atau jabatan lebih "
            "rendah (PP 30/2019 Pasal 56–58)."
        ),
        "order": 50,
    },
    {
        "code": "hukuman-ketidakhadiran",
        "name": "Hukuman disiplin karena tidak masuk kerja tanpa keterangan",
        "condition": "ketidakhadiran",
        "parameters": {},
        "action": "hukuman_disiplin",
        "explanation": (
            "Jumlah hari tidak masuk kerja tanpa alasan yang sah dalam setahun dipetakan ke "
            "hukuman "
            "disiplin menurut PP 94/2021 (3 hari teguran lisan, ..., 28 hari atau lebih "
            "pemberhentian). Sistem hanya merekomendasikan; pejabat yang berwenang memutuskan."
        ),
        "order": 60,
    },
    {
        "code": "pelatihan-wajib-jp",
        "name": "Pelatihan wajib bagi yang belum memenuhi 20 JP",
        "condition": "kekurangan_jp",
        "parameters": {},
        "action": "pelatihan_wajib",
        "action_parameters": {"tag": "pengembangan-kompetensi"},
        "explanation": (
            "Pegawai yang belum memenuhi 20 JP pengembangan kompetensi dalam setahun "
            "(PP 11/2017) mendapat pelatihan wajib dalam rencana pengembangannya."
        ),
        "order": 70,
    },
]
