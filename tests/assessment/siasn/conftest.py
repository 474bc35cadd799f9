"""Shared pieces of the SIASN export tests: a mapping file with every code set (test codes,
deliberately unlike real national ones), and a quarter with two finalised results."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinerja.assessment import services
from kinerja.assessment.siasn import mapping as siasn_mapping
from tests.conftest import Org

from ..conftest import Q1, Team, rate, set_org

SHIPPED = Path(__file__).resolve().parents[3] / "config" / "siasn_mapping.toml"

# Test codes, deliberately not looking like real national ones.
FULL = """
[hasil_kerja]
di_atas = "HK-A"
sesuai = "HK-S"
di_bawah = "HK-B"
[perilaku]
di_atas = "PK-A"
sesuai = "PK-S"
di_bawah = "PK-B"
[predikat]
sangat_baik = "KW-SB"
baik = "KW-B"
butuh_perbaikan = "KW-BP"
kurang = "KW-K"
sangat_kurang = "KW-SK"
[status_penilai]
pns = "ST-PNS"
pppk = "ST-PPPK"
pejabat = "ST-PJB"
[periode]
{periods}
[pimpinan_daerah]
nama = "{pimpinan}"
jabatan = "Bupati Bukitintan"
"""


def full_mapping(tmp_path: Path, *, pimpinan: str = "", drop: str = "") -> Path:
    periods = "\n".join(f'{k} = "PER-{k}"' for k in siasn_mapping.PERIOD_KEYS)
    text = FULL.format(periods=periods, pimpinan=pimpinan)
    if drop:  # leave one code empty
        text = text.replace(f'{drop} = "', f'{drop} = "" # "', 1)
    path = tmp_path / "siasn.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def mapped(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.SIASN_MAPPING_PATH = str(full_mapping(tmp_path))
    return Path(settings.SIASN_MAPPING_PATH)


@pytest.fixture
def finalised(org: Org, team: Team) -> Team:
    """The nurse Di Atas/Sesuai (Baik) and the midwife Di Bawah/Sesuai (Butuh Perbaikan),
    finalised by their supervisor; nobody else of the regency is assessed in Q1."""
    set_org(org, "baik")
    rate(org, team.plans.employee, "di_atas", "sesuai")
    rate(org, team.peer_plan, "di_bawah", "sesuai")
    services.team_finalise(by=org.users["supervisor"], period=Q1)
    return team
