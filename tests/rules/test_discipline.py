from datetime import date
from decimal import Decimal

import pytest

from kinerja.rules.discipline import (
    ABSENCE_SCALE,
    CONSECUTIVE_DAYS_FOR_DISMISSAL,
    PDH_TAPS,
    Punishment,
    absence_punishment,
    longest_run,
)


@pytest.mark.parametrize(
    ("days", "kind", "level"),
    [
        (0, None, None),
        (2, None, None),
        (3, "teguran_lisan", "ringan"),
        (4, "teguran_tertulis", "ringan"),
        (6, "teguran_tertulis", "ringan"),
        (7, "pernyataan_tidak_puas", "ringan"),
        (10, "pernyataan_tidak_puas", "ringan"),
        (11, "potongan_tpp_6_bulan", "sedang"),
        (13, "potongan_tpp_6_bulan", "sedang"),
        (14, "potongan_tpp_9_bulan", "sedang"),
        (16, "potongan_tpp_9_bulan", "sedang"),
        (17, "potongan_tpp_12_bulan", "sedang"),
        (20, "potongan_tpp_12_bulan", "sedang"),
        (21, "penurunan_jabatan_12_bulan", "berat"),
        (24, "penurunan_jabatan_12_bulan", "berat"),
        (25, "pembebasan_jabatan_12_bulan", "berat"),
        (27, "pembebasan_jabatan_12_bulan", "berat"),
        (28, "pdh_taps", "berat"),
        (200, "pdh_taps", "berat"),
    ],
)
def test_it_recommends_the_punishment_at_every_boundary_of_cumulative_absence(
    days: int, kind: str | None, level: str | None
) -> None:
    # The days are spread out (at most 1 consecutive), so only the cumulative scale applies.
    punishment = absence_punishment(days, min(days, 1))
    assert (punishment and punishment.kind) == kind
    assert (punishment and punishment.level) == level


@pytest.mark.parametrize(
    ("days", "months"),
    [(11, 6), (14, 9), (17, 12)],
)
def test_it_cuts_the_allowance_by_25_percent_during_a_sedang_punishment(
    days: int, months: int
) -> None:
    punishment = absence_punishment(days, 0)
    assert punishment is not None
    assert punishment.tpp_cut_percent == Decimal(25)
    assert punishment.months == months
    assert punishment.label == f"Pemotongan tunjangan kinerja sebesar 25% selama {months} bulan"


def test_it_cuts_nothing_for_ringan_and_berat_punishments_and_sets_their_duration() -> None:
    others = [p for _, p in ABSENCE_SCALE if p.level != "sedang"]
    assert all(p.tpp_cut_percent == 0 for p in others)
    assert [p.months for p in others] == [None, None, None, 12, 12, None]


def test_it_dismisses_after_ten_consecutive_days_whatever_the_total() -> None:
    assert CONSECUTIVE_DAYS_FOR_DISMISSAL == 10
    nine = absence_punishment(9, 9)
    assert nine is not None and nine.kind == "pernyataan_tidak_puas"
    assert absence_punishment(10, 10) is PDH_TAPS
    assert absence_punishment(12, 10) is PDH_TAPS
    assert absence_punishment(12, 9) == absence_punishment(12, 0)


def test_it_labels_dismissal_in_indonesian() -> None:
    expected = Punishment(
        "berat", "pdh_taps", "Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS"
    )
    assert expected == PDH_TAPS


def test_it_has_one_stable_kind_per_row() -> None:
    kinds = [p.kind for _, p in ABSENCE_SCALE]
    assert len(set(kinds)) == len(kinds) == 9
    thresholds = [days for days, _ in ABSENCE_SCALE]
    assert thresholds == sorted(thresholds)


@pytest.mark.parametrize(
    ("cumulative", "consecutive", "message"),
    [
        (-1, 0, "Jumlah hari"),
        (3, -1, "Hari berturut-turut"),
    ],
)
def test_it_rejects_impossible_absence_counts(
    cumulative: int, consecutive: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        absence_punishment(cumulative, consecutive)


# --- The longest run of consecutive working days -------------------------------------------


def _days(*isos: str) -> list[date]:
    return [date.fromisoformat(iso) for iso in isos]


JUNE_4 = date(2026, 6, 4)  # a Thursday, a holiday in the cases below


@pytest.mark.parametrize(
    ("days", "holidays", "expected"),
    [
        ([], (), 0),
        (_days("2026-03-02"), (), 1),
        # Monday 26 January to Friday 6 February: one run of ten across the month's end.
        (
            _days(*(f"2026-01-{d}" for d in (26, 27, 28, 29, 30)))
            + _days(*(f"2026-02-0{d}" for d in (2, 3, 4, 5, 6))),
            (),
            10,
        ),
        # 1–15 June with Thursday 4 June a holiday: ten working days, one run.
        (_days(*(f"2026-06-{d:02d}" for d in (1, 2, 3, 5, 8, 9, 10, 11, 12, 15))), (JUNE_4,), 10),
        # The same days when 4 June is a working day: the run breaks there (3, then 7).
        (_days(*(f"2026-06-{d:02d}" for d in (1, 2, 3, 5, 8, 9, 10, 11, 12, 15))), (), 7),
        # Every other day: no run longer than one; order and repeats do not matter.
        (_days("2026-03-06", "2026-03-02", "2026-03-04", "2026-03-04"), (), 1),
        # Friday then Monday: consecutive working days.
        (_days("2026-03-06", "2026-03-09"), (), 2),
    ],
)
def test_the_longest_run_skips_weekends_holidays_and_month_ends(
    days: list[date], holidays: tuple[date, ...], expected: int
) -> None:
    assert longest_run(days, holidays) == expected


def test_a_run_across_the_year_end_counts_in_the_year_it_ends() -> None:
    """22 December 2026 – 8 January 2027, with 25 December and 1 January holidays: ten working
    days in a row, five in each year."""
    days = _days(
        "2026-12-22", "2026-12-23", "2026-12-24", "2026-12-28", "2026-12-29",
        "2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08",
    )  # fmt: skip
    holidays = (date(2026, 12, 25), date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1))
    assert longest_run(days, holidays) == 10
    assert longest_run(days, holidays, ending_from=date(2027, 1, 1)) == 10
    # The year before sees only its own part: the run is cut where its days end.
    assert longest_run(days[:5], holidays, ending_from=date(2026, 1, 1)) == 5
    # A run over before the year began is not the year's.
    assert longest_run(days[:5], holidays, ending_from=date(2027, 1, 1)) == 0
    assert absence_punishment(5, 10) == PDH_TAPS
