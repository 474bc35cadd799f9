"""Organisation performance, periods and the objection window (kinerja.rules)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kinerja.rules.assessment import OrgBands, suggest_org_predikat, unit_rating
from kinerja.rules.enums import OrgPredikat, Rating
from kinerja.rules.objection import objection_deadline, objection_open
from kinerja.rules.periods import Period, Periodicity, parse_period, periods_of_year


@pytest.mark.parametrize(
    ("org", "rating"),
    [
        (OrgPredikat.ISTIMEWA, Rating.DI_ATAS),
        (OrgPredikat.BAIK, Rating.SESUAI),
        (OrgPredikat.BUTUH_PERBAIKAN, Rating.DI_BAWAH),
        (OrgPredikat.KURANG, Rating.DI_BAWAH),
        (OrgPredikat.SANGAT_KURANG, Rating.DI_BAWAH),
    ],
)
def test_it_maps_the_unit_predikat_to_the_heads_rating(org, rating) -> None:  # type: ignore[no-untyped-def]
    assert unit_rating(org) is rating


@pytest.mark.parametrize(
    ("capaian", "expected"),
    [
        ("110", "istimewa"),
        ("109.99", "baik"),
        ("90", "baik"),
        ("89.99", "butuh_perbaikan"),
        ("70", "butuh_perbaikan"),
        ("69.99", "kurang"),
        ("50", "kurang"),
        ("49.99", "sangat_kurang"),
        ("0", "sangat_kurang"),
        ("250", "istimewa"),
    ],
)
def test_it_suggests_the_org_predikat_at_its_band_edges(capaian: str, expected: str) -> None:
    assert suggest_org_predikat(Decimal(capaian)) == expected


def test_org_bands_must_rise() -> None:
    with pytest.raises(ValueError, match="naik"):
        OrgBands(baik_from=Decimal(120))


def test_periods_cover_the_year_and_round_trip() -> None:
    quarters = periods_of_year(2026, "quarterly")
    assert [p.code for p in quarters] == ["2026-T1", "2026-T2", "2026-T3", "2026-T4", "2026-TH"]
    assert quarters[0].months == (1, 2, 3) and quarters[3].label == "Triwulan IV-Akhir 2026"
    assert quarters[-1].months == tuple(range(1, 13)) and quarters[-1].is_annual
    assert len(periods_of_year(2026, Periodicity.MONTHLY)) == 13
    semester = periods_of_year(2026, "semester")[1]
    assert semester.label == "Semester II 2026" and semester.end.isoformat() == "2026-12-31"
    for p in periods_of_year(2026, "monthly") + quarters:
        assert parse_period(p.code) == p
    assert Period(2026, Periodicity.MONTHLY, 2).end.isoformat() == "2026-02-28"
    for bad in ("2026-T5", "2026-X1", "", "2026-B13", "26-T1"):
        with pytest.raises(ValueError):
            parse_period(bad)


def test_the_objection_window_is_14_calendar_days_to_the_second() -> None:
    shown = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    assert objection_deadline(shown) == shown + timedelta(days=14)
    assert objection_open(shown, shown)
    assert objection_open(shown, shown + timedelta(days=14))
    assert not objection_open(shown, shown + timedelta(days=14, microseconds=1))
    assert not objection_open(None, shown)
    with pytest.raises(ValueError):
        objection_deadline(datetime(2026, 1, 1))  # naive
