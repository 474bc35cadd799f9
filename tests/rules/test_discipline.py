from decimal import Decimal

import pytest

from kinerja.rules.discipline import (
    ABSENCE_SCALE,
    CONSECUTIVE_DAYS_FOR_DISMISSAL,
    PDH_TAPS,
    Punishment,
    absence_punishment,
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
        (5, 6, "tidak boleh melebihi"),
    ],
)
def test_it_rejects_impossible_absence_counts(
    cumulative: int, consecutive: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        absence_punishment(cumulative, consecutive)
