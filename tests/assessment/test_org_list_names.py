"""/penilaian/organisasi/ tells units of the same name apart (issue 10, item 14): the head of
Dinas Kesehatan saw six identical "Subbagian Tata Usaha" rows, one per Puskesmas, with nothing
to say which was which."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kinerja.organisation.choices import UnitKind
from kinerja.organisation.selectors import unit_lineages
from tests.conftest import Org, client_for
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def add_puskesmas(org: Org, name: str) -> None:
    pkm = UnitFactory(name=name, kind=UnitKind.PUSKESMAS, parent=org.dinkes)
    UnitFactory(name="Subbagian Tata Usaha", kind=UnitKind.SUBBAGIAN, parent=pkm)


@time_machine.travel(datetime(2026, 10, 20, 10, 0, tzinfo=WIB), tick=False)
def test_each_unit_shows_the_units_above_it_inside_the_opd(org: Org) -> None:
    add_puskesmas(org, "UPT Puskesmas Sungai Emas")
    add_puskesmas(org, "UPT Puskesmas Lembah Hijau")
    html = client_for(org, "unit_head").get("/penilaian/organisasi/").content.decode()
    rows = re.findall(r"<tr>\s*<td data-label=\"Unit\">(.*?)</td>", html, re.S)
    cells = [re.sub(r"<[^>]+>", " ", row).split() for row in rows]
    named = [" ".join(words) for words in cells]
    assert "UPT Puskesmas Sungai Emas › Subbagian Tata Usaha" in named
    assert "UPT Puskesmas Lembah Hijau › Subbagian Tata Usaha" in named
    assert "UPT Puskesmas Sungai Emas" in named  # directly under the OPD: no prefix
    assert len(set(named)) == len(named)
    # The screen reader's label of each select names the unit and where it sits.
    assert "Predikat Subbagian Tata Usaha, UPT Puskesmas Lembah Hijau" in html


def test_the_lineage_leaves_out_the_opd_and_needs_at_most_one_query(
    org: Org, django_assert_max_num_queries
) -> None:
    add_puskesmas(org, "UPT Puskesmas Sungai Emas")
    sub = org.dinkes.children.get(name="UPT Puskesmas Sungai Emas").children.get()
    with django_assert_max_num_queries(1):
        lineages = unit_lineages([sub], below=org.dinkes.pk)
    assert lineages == {sub.pk: "UPT Puskesmas Sungai Emas"}
    with django_assert_max_num_queries(1):
        assert unit_lineages([sub]) == {sub.pk: "Dinas Kesehatan › UPT Puskesmas Sungai Emas"}
    assert unit_lineages([org.dinkes], below=org.dinkes.pk) == {org.dinkes.pk: ""}
