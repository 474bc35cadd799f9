"""Rules of issue 13: the TPP discipline factor (DOMAIN §5), Satyalancana Karya Satya (§9),
punishment months (§6) and the follow-up rule conditions (§1, §5, §9), at every boundary."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.discipline import (
    DEFAULT_ATTENDANCE,
    AttendanceConfig,
    CutBand,
    day_minutes,
    discipline_factor,
    punishment_by_kind,
    punishment_months,
)
from kinerja.rules.enums import Predikat
from kinerja.rules.followup import Condition, Facts, evaluate
from kinerja.rules.incentives import satyalancana, satyalancana_due_in, service_months
from tests.rules.support import property_test


@pytest.mark.parametrize(
    ("minutes", "cut"),
    [
        (0, "0"),
        (1, "0.5"),
        (30, "0.5"),
        (31, "1"),
        (60, "1"),
        (61, "1.25"),
        (90, "1.25"),
        (91, "1.5"),
        (600, "1.5"),
    ],
)
def test_it_cuts_each_late_arrival_by_its_band_at_every_boundary(minutes: int, cut: str) -> None:
    expected = (Decimal(100) - Decimal(cut)).quantize(Decimal("0.01"))
    assert (
        discipline_factor(
            late_minutes=[minutes], early_minutes=[], missing_records=0, unexcused_days=0
        )
        == expected
    )
    assert (
        discipline_factor(
            late_minutes=[], early_minutes=[minutes], missing_records=0, unexcused_days=0
        )
        == expected
    )


@pytest.mark.parametrize(
    ("late", "early", "missing", "unexcused", "factor"),
    [
        ([], [], 0, 0, "100.00"),
        ([5, 10], [], 0, 0, "99.00"),
        ([5], [45], 1, 0, "97.00"),
        ([], [], 0, 1, "97.00"),
        ([], [], 2, 0, "97.00"),
        ([], [], 0, 33, "1.00"),
        ([], [], 0, 34, "0.00"),
        ([100] * 10, [], 0, 30, "0.00"),
    ],
)
def test_it_sums_the_month_cuts_and_never_goes_below_zero(
    late: list[int], early: list[int], missing: int, unexcused: int, factor: str
) -> None:
    assert discipline_factor(
        late_minutes=late, early_minutes=early, missing_records=missing, unexcused_days=unexcused
    ) == Decimal(factor)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"late_minutes": [-1]},
        {"early_minutes": [True]},
        {"missing_records": -1},
        {"unexcused_days": 1.5},
    ],
)
def test_it_refuses_negative_or_non_integer_input(kwargs: dict[str, object]) -> None:
    base: dict[str, object] = {
        "late_minutes": [],
        "early_minutes": [],
        "missing_records": 0,
        "unexcused_days": 0,
    }
    base.update(kwargs)
    with pytest.raises(ValueError):
        discipline_factor(**base)  # type: ignore[arg-type]


def test_it_uses_a_configured_table() -> None:
    config = AttendanceConfig(
        bands=(CutBand(15, Decimal(1)), CutBand(None, Decimal(2))), unexcused_percent=Decimal(5)
    )
    assert discipline_factor(
        late_minutes=[15, 16], early_minutes=[], missing_records=0, unexcused_days=1, config=config
    ) == Decimal("92.00")


@pytest.mark.parametrize(
    "bands",
    [
        (),
        (CutBand(30, Decimal(1)),),
        (CutBand(30, Decimal(1)), CutBand(30, Decimal(1)), CutBand(None, Decimal(1))),
    ],
)
def test_it_refuses_a_table_without_an_open_last_band_or_not_rising(
    bands: tuple[CutBand, ...],
) -> None:
    with pytest.raises(ValueError):
        AttendanceConfig(bands=bands)


@property_test
@given(
    st.lists(st.integers(0, 500), max_size=30),
    st.lists(st.integers(0, 500), max_size=30),
    st.integers(0, 25),
    st.integers(0, 25),
)
def test_it_stays_between_0_and_100_and_falls_with_more_cuts(
    late: list[int], early: list[int], missing: int, unexcused: int
) -> None:
    factor = discipline_factor(
        late_minutes=late, early_minutes=early, missing_records=missing, unexcused_days=unexcused
    )
    assert Decimal(0) <= factor <= Decimal(100)
    more = discipline_factor(
        late_minutes=late,
        early_minutes=early,
        missing_records=missing,
        unexcused_days=unexcused + 1,
    )
    assert more <= factor


@pytest.mark.parametrize(
    ("check_in", "check_out", "expected"),
    [
        (time(7, 30), time(16, 0), (0, 0, False)),
        (time(7, 31), time(15, 59), (1, 1, False)),
        (time(9, 1), time(17, 0), (91, 0, False)),
        (None, time(16, 0), (0, 0, True)),
        (time(7, 0), None, (0, 0, True)),
    ],
)
def test_it_measures_a_day_against_office_hours(
    check_in: time | None, check_out: time | None, expected: tuple[int, int, bool]
) -> None:
    assert day_minutes(check_in, check_out, DEFAULT_ATTENDANCE) == expected


@pytest.mark.parametrize(
    ("start", "months", "first", "last"),
    [
        (date(2026, 3, 1), 6, date(2026, 3, 1), date(2026, 8, 31)),
        (date(2026, 3, 15), 6, date(2026, 3, 1), date(2026, 8, 31)),
        (date(2026, 10, 20), 6, date(2026, 10, 1), date(2027, 3, 31)),
        (date(2026, 1, 31), 12, date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_it_runs_a_punishment_for_whole_calendar_months(
    start: date, months: int, first: date, last: date
) -> None:
    assert punishment_months(start, months) == (first, last)


def test_it_refuses_a_punishment_of_no_months_and_an_unknown_kind() -> None:
    with pytest.raises(ValueError):
        punishment_months(date(2026, 1, 1), 0)
    with pytest.raises(ValueError):
        punishment_by_kind("dipecat")
    assert punishment_by_kind("potongan_tpp_9_bulan").months == 9


# --- Satyalancana Karya Satya (DOMAIN §9) ---------------------------------------------------


@pytest.mark.parametrize(
    ("tmt", "on", "punished", "expected"),
    [
        (date(2016, 5, 1), date(2026, 4, 30), False, None),  # a day before the anniversary month
        (date(2016, 5, 1), date(2026, 5, 1), False, 10),  # exactly 10 years
        (date(2016, 5, 20), date(2026, 5, 1), False, 10),  # counted from the TMT month's 1st
        (date(2006, 5, 1), date(2026, 4, 30), False, 10),  # 19 years 11 months
        (date(2006, 5, 1), date(2026, 5, 31), False, 20),
        (date(1996, 5, 1), date(2026, 5, 1), False, 30),
        (date(1986, 1, 1), date(2026, 5, 1), False, 30),  # 40 years: still the highest class
        (date(2016, 5, 1), date(2026, 5, 1), True, None),  # a Sedang punishment 9 years ago
        (date(2026, 5, 1), date(2026, 1, 1), False, None),  # not yet appointed
    ],
)
def test_it_finds_the_satyalancana_class_at_its_boundaries(
    tmt: date, on: date, punished: bool, expected: int | None
) -> None:
    assert satyalancana(tmt_cpns=tmt, on=on, sedang_or_berat_punishment=punished) == expected


@pytest.mark.parametrize(
    ("tmt", "year", "punished", "expected"),
    [
        (date(2016, 1, 1), 2026, False, 10),
        (date(2016, 12, 1), 2026, False, 10),
        (date(2015, 12, 1), 2026, False, None),  # reached in 2025
        (date(2017, 1, 1), 2026, False, None),  # reaches in 2027
        (date(2006, 7, 1), 2026, False, 20),
        (date(1996, 3, 1), 2026, False, 30),
        (date(2016, 6, 1), 2026, True, None),
    ],
)
def test_it_lists_the_class_whose_anniversary_falls_in_the_year(
    tmt: date, year: int, punished: bool, expected: int | None
) -> None:
    assert (
        satyalancana_due_in(tmt_cpns=tmt, year=year, sedang_or_berat_punishment=punished)
        == expected
    )


def test_it_counts_service_months_from_the_tmt_month() -> None:
    assert service_months(tmt_cpns=date(2016, 5, 31), on=date(2016, 5, 1)) == 0
    assert service_months(tmt_cpns=date(2016, 5, 1), on=date(2016, 4, 30)) == -1


# --- Follow-up conditions ---------------------------------------------------------------------

SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)
LOW = frozenset({BP, K, SK})


def periodic(*values: Predikat) -> tuple[tuple[str, str, Predikat], ...]:
    return tuple((f"2026-T{i}", f"Triwulan {i} 2026", p) for i, p in enumerate(values, 1))


@pytest.mark.parametrize(
    ("condition", "facts", "triggered"),
    [
        (Condition("predikat_terakhir", LOW), Facts(2026, periodic(B, BP)), True),
        (Condition("predikat_terakhir", LOW), Facts(2026, periodic(BP, B)), False),
        (Condition("predikat_terakhir", LOW), Facts(2026), False),
        (
            Condition("predikat_berturut", frozenset({K, SK}), periods=2),
            Facts(2026, periodic(K, SK)),
            True,
        ),
        (
            Condition("predikat_berturut", frozenset({K, SK}), periods=2),
            Facts(2026, periodic(K, B, K)),
            False,
        ),
        (
            Condition("predikat_berturut", frozenset({K, SK}), periods=2),
            Facts(2026, periodic(K)),
            False,
        ),
        (
            Condition("predikat_tahunan", frozenset({SB}), no_punishment=True, jp_compliant=True),
            Facts(2026, annual=("2026", "Tahunan 2026", SB), jp_shortfall=Decimal(0)),
            True,
        ),
        (
            Condition("predikat_tahunan", frozenset({SB}), no_punishment=True),
            Facts(2026, annual=("2026", "Tahunan 2026", SB), punished=True),
            False,
        ),
        (
            Condition("predikat_tahunan", frozenset({SB}), jp_compliant=True),
            Facts(2026, annual=("2026", "Tahunan 2026", SB), jp_shortfall=None),
            None,  # JP unknown: not evaluated, never guessed
        ),
        (
            Condition("predikat_tahunan", frozenset({SB}), jp_compliant=True),
            Facts(2026, annual=("2026", "Tahunan 2026", SB), jp_shortfall=Decimal("0.01")),
            False,
        ),
        (
            Condition("predikat_tahunan", frozenset({SB}), min_ikm=Decimal("88.31")),
            Facts(2026, annual=("2026", "Tahunan 2026", SB), ikm=Decimal("88.31")),
            True,
        ),
        (
            Condition("predikat_tahunan", frozenset({SB}), min_ikm=Decimal("88.31")),
            Facts(2026, annual=("2026", "Tahunan 2026", SB), ikm=Decimal("88.30")),
            False,
        ),
        (
            Condition("ketidakhadiran"),
            Facts(2026, unexcused_days=2, longest_unexcused_run=2),
            False,
        ),
        (Condition("ketidakhadiran"), Facts(2026, unexcused_days=3, longest_unexcused_run=1), True),
        (Condition("kekurangan_jp"), Facts(2026, jp_shortfall=None), None),
        (Condition("kekurangan_jp"), Facts(2026, jp_shortfall=Decimal(0)), False),
        (Condition("kekurangan_jp"), Facts(2026, jp_shortfall=Decimal(5)), True),
        (Condition("pembinaan_gagal", count=1), Facts(2026, failed_coaching=0), False),
        (Condition("pembinaan_gagal", count=1), Facts(2026, failed_coaching=1), True),
    ],
)
def test_it_evaluates_each_condition_kind(
    condition: Condition, facts: Facts, triggered: bool | None
) -> None:
    outcome = evaluate(condition, facts)
    assert outcome.triggered is triggered
    if triggered is not False:
        assert outcome.facts  # every outcome that matters says why


def test_it_scopes_the_absence_recommendation_by_year_and_punishment() -> None:
    outcome = evaluate(
        Condition("ketidakhadiran"), Facts(2026, unexcused_days=11, longest_unexcused_run=2)
    )
    assert outcome.scope == "2026:potongan_tpp_6_bulan"
    assert outcome.punishment_kind == "potongan_tpp_6_bulan"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "tidak_ada"},
        {"kind": "predikat_terakhir"},
        {"kind": "predikat_berturut", "predikat": LOW, "periods": 0},
    ],
)
def test_it_refuses_a_malformed_condition(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Condition(**kwargs)  # type: ignore[arg-type]
