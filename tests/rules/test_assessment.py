from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.assessment import (
    DEFAULT_BANDS,
    PREDIKAT_MATRIX,
    Polarity,
    Predikat,
    Rating,
    StatusBands,
    capaian,
    indicator_status,
    predikat,
    round2,
    suggest_annual_perilaku,
    suggest_hasil_kerja,
    suggest_perilaku,
)
from kinerja.rules.numbers import to_decimal
from tests.rules.support import property_test

A, S, B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH
HIGHER, LOWER = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER

# --- predikat matrix (PermenPANRB 6/2022; DOMAIN §1), copied cell by cell from DOMAIN ------------

DOMAIN_MATRIX = [
    # (hasil, perilaku, predikat)
    (A, B, Predikat.KURANG),
    (A, S, Predikat.BAIK),
    (A, A, Predikat.SANGAT_BAIK),
    (S, B, Predikat.KURANG),
    (S, S, Predikat.BAIK),
    (S, A, Predikat.BAIK),
    (B, B, Predikat.SANGAT_KURANG),
    (B, S, Predikat.BUTUH_PERBAIKAN),
    (B, A, Predikat.BUTUH_PERBAIKAN),
]


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), DOMAIN_MATRIX)
def test_it_maps_every_cell_of_the_predikat_matrix(
    hasil: Rating, perilaku: Rating, expected: Predikat
) -> None:
    assert predikat(hasil, perilaku) is expected


def test_it_defines_exactly_the_nine_cells_of_the_matrix() -> None:
    assert dict(PREDIKAT_MATRIX) == {(h, p): expected for h, p, expected in DOMAIN_MATRIX}


def test_it_gives_the_predikat_labels_of_the_regulation() -> None:
    assert predikat(A, B).label == "Kurang/Misconduct"
    assert predikat(B, A).label == "Butuh Perbaikan"


# --- capaian (DOMAIN §1, project rule) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "realisasi", "polarity", "expected"),
    [
        ("100", "80", HIGHER, "80"),
        ("100", "100", HIGHER, "100"),
        ("40", "60", HIGHER, "150"),  # over-achievement is not capped
        ("100", "0", HIGHER, "0"),
        ("10", "8", LOWER, "120"),  # (2×10 − 8) / 10 × 100
        ("10", "10", LOWER, "100"),
        ("10", "12", LOWER, "80"),
        ("10", "20", LOWER, "0"),  # exactly twice the target
        ("10", "25", LOWER, "0"),  # (20 − 25) / 10 × 100 = −50, floored at 0
        ("10", "0", LOWER, "200"),
        ("0", "0", LOWER, "100"),  # "zero maternal deaths" met
        ("0", "1", LOWER, "0"),  # ... and missed
        ("0", "0.5", LOWER, "0"),
    ],
)
def test_it_computes_capaian_per_polarity(
    target: str, realisasi: str, polarity: Polarity, expected: str
) -> None:
    assert capaian(Decimal(target), Decimal(realisasi), polarity) == Decimal(expected)


def test_it_keeps_the_full_precision_of_capaian_and_rounds_only_for_display() -> None:
    value = capaian(Decimal(3), Decimal(2), HIGHER)
    assert value == Decimal("66.66666666666666666666666667")
    assert round2(value) == Decimal("66.67")
    assert round2(Decimal("104.285")) == Decimal("104.29")  # half up, not half even


def test_it_rejects_a_zero_target_for_higher_is_better_in_indonesian() -> None:
    with pytest.raises(ValueError, match="Target 0 tidak dapat dipakai"):
        capaian(Decimal(0), Decimal(5), HIGHER)


@pytest.mark.parametrize(
    ("target", "realisasi", "message"),
    [("-1", "5", "Target tidak boleh negatif"), ("10", "-0.01", "Realisasi tidak boleh negatif")],
)
@pytest.mark.parametrize("polarity", list(Polarity))
def test_it_rejects_negative_inputs_to_capaian(
    target: str, realisasi: str, message: str, polarity: Polarity
) -> None:
    with pytest.raises(ValueError, match=message):
        capaian(Decimal(target), Decimal(realisasi), polarity)


def test_it_rejects_non_finite_inputs_to_capaian() -> None:
    with pytest.raises(ValueError, match="terhingga"):
        capaian(Decimal("NaN"), Decimal(1), HIGHER)
    with pytest.raises(ValueError, match="terhingga"):
        capaian(Decimal(1), Decimal("Infinity"), LOWER)


amounts = st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False)
targets = st.decimals(min_value=Decimal("0.001"), max_value=10**9, places=3, allow_nan=False)


@property_test
@given(target=targets, first=amounts, second=amounts)
def test_it_raises_capaian_with_realisasi_when_higher_is_better(
    target: Decimal, first: Decimal, second: Decimal
) -> None:
    low, high = sorted((first, second))
    assert 0 <= capaian(target, low, HIGHER) <= capaian(target, high, HIGHER)


@property_test
@given(target=st.one_of(st.just(Decimal(0)), targets), first=amounts, second=amounts)
def test_it_lowers_capaian_with_realisasi_when_lower_is_better(
    target: Decimal, first: Decimal, second: Decimal
) -> None:
    low, high = sorted((first, second))
    assert capaian(target, low, LOWER) >= capaian(target, high, LOWER) >= 0


# --- indicator status (DOMAIN §1; PP 30/2019 Pasal 41) -------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("250", A),
        ("110", A),
        ("109.999", S),
        ("100", S),
        ("90", S),
        ("89.999", B),
        ("0", B),
    ],
)
def test_it_classifies_capaian_at_the_default_band_boundaries(value: str, expected: Rating) -> None:
    assert indicator_status(Decimal(value)) is expected


def test_it_defaults_the_bands_to_110_and_90() -> None:
    assert (DEFAULT_BANDS.di_atas_from, DEFAULT_BANDS.sesuai_from) == (Decimal(110), Decimal(90))


def test_it_takes_configured_bands() -> None:
    bands = StatusBands(di_atas_from=Decimal(105), sesuai_from=Decimal(95))
    assert indicator_status(Decimal(105), bands) is A
    assert indicator_status(Decimal("104.99"), bands) is S
    assert indicator_status(Decimal(95), bands) is S
    assert indicator_status(Decimal("94.99"), bands) is B


def test_it_refuses_bands_whose_sesuai_threshold_exceeds_di_atas() -> None:
    with pytest.raises(ValueError, match="tidak boleh lebih besar"):
        StatusBands(di_atas_from=Decimal(90), sesuai_from=Decimal(110))


# --- suggested ratings (DOMAIN §1) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([(B, True), (B, False), (S, False)], B),  # 2 of 3 di bawah
        ([(B, False), (B, False), (A, False), (A, False)], S),  # 2 of 4 is not more than half
        ([(A, True), (A, False), (S, False)], A),  # 2 of 3 di atas, no utama di bawah
        ([(A, True), (A, False), (B, False)], A),  # a tambahan di bawah does not block di atas
        ([(A, False), (A, False), (B, True)], S),  # an utama di bawah blocks di atas
        ([(A, True), (A, True), (S, True), (S, False)], S),  # 2 of 4 di atas is not a majority
        ([(S, True)], S),
        ([(A, True)], A),
        ([(B, False)], B),
        ([(B, True), (B, True), (A, True), (A, True), (A, True)], S),
    ],
)
def test_it_suggests_the_rating_hasil_kerja_by_majority(
    items: list[tuple[Rating, bool]], expected: Rating
) -> None:
    assert suggest_hasil_kerja(items) is expected


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([B, B, B, B, S, S, S], B),  # 4 of the 7 BerAKHLAK values di bawah
        ([B, B, B, A, A, A, S], S),
        ([A, A, A, A, B, B, B], A),  # no utama rule for perilaku
        ([A, A, A, S, S, S, S], S),
        ([S] * 7, S),
        ([A] * 7, A),
    ],
)
def test_it_suggests_the_rating_perilaku_by_majority(
    ratings: list[Rating], expected: Rating
) -> None:
    assert suggest_perilaku(ratings) is expected


def test_it_refuses_to_suggest_from_no_indicators() -> None:
    with pytest.raises(ValueError, match="Tidak ada indikator kinerja"):
        suggest_hasil_kerja([])
    with pytest.raises(ValueError, match="Tidak ada nilai perilaku kerja"):
        suggest_perilaku([])


@property_test
@given(st.lists(st.tuples(st.sampled_from(list(Rating)), st.booleans()), min_size=1, max_size=30))
def test_it_suggests_di_atas_only_for_a_strict_majority_without_utama_di_bawah(
    items: list[tuple[Rating, bool]],
) -> None:
    suggestion = suggest_hasil_kerja(items)
    above = sum(status is A for status, _ in items)
    below = sum(status is B for status, _ in items)
    if 2 * below > len(items):
        assert suggestion is B
    elif 2 * above > len(items) and not any(s is B and utama for s, utama in items):
        assert suggestion is A
    else:
        assert suggestion is S


def test_it_accepts_stored_string_values_for_its_enums() -> None:
    # Values read back from a CharField are plain strings; they must not change the result.
    assert capaian(Decimal(10), Decimal(8), "lower_is_better") == Decimal(120)  # type: ignore[arg-type]
    assert suggest_hasil_kerja([("di_atas", False), ("di_atas", False), ("di_bawah", True)]) is S  # type: ignore[list-item]
    assert suggest_perilaku(["di_bawah", "di_bawah", "sesuai"]) is B  # type: ignore[list-item]
    assert predikat("di_atas", "di_atas") is Predikat.SANGAT_BAIK  # type: ignore[arg-type]


# --- annual rating perilaku from the periodic ones (DOMAIN §1, "annual from periodic") ----------


@pytest.mark.parametrize(
    ("periodic", "expected"),
    [
        ([S], S),  # one finalised period: its rating
        ([A, A, A, A], A),
        ([A, A, S, B], A),  # the most frequent, wherever it stands
        ([B, A, A, S], A),
        ([A, S], S),  # a tie goes to the latest period
        ([S, A], A),
        ([S, A, A, S], S),  # 2–2: the latest of the tied
        ([A, S, S, A], A),
        ([S, B, A], A),  # all different: the latest
        ([A, A, B, B, S], B),  # the latest period (Sesuai) is not among the tied
        ([B, S, S, B, A, A], A),  # three-way tie of two each (monthly or semester periods)
    ],
)
def test_it_suggests_the_annual_rating_perilaku_from_the_periods(
    periodic: list[Rating], expected: Rating
) -> None:
    assert suggest_annual_perilaku(periodic) is expected


def test_it_refuses_to_suggest_an_annual_rating_from_no_period() -> None:
    with pytest.raises(ValueError, match="Belum ada penilaian periodik final"):
        suggest_annual_perilaku([])


def test_it_accepts_stored_strings_for_the_annual_suggestion() -> None:
    assert suggest_annual_perilaku(["sesuai", "di_atas"]) is A  # type: ignore[list-item]


@property_test
@given(st.lists(st.sampled_from(list(Rating)), min_size=1, max_size=12))
def test_the_annual_suggestion_is_the_latest_of_the_most_frequent(periodic: list[Rating]) -> None:
    suggestion = suggest_annual_perilaku(periodic)
    counts = {r: periodic.count(r) for r in Rating}
    top = max(counts.values())
    assert counts[suggestion] == top
    tied = {r for r in Rating if counts[r] == top}
    last_index = {r: max(i for i, x in enumerate(periodic) if x is r) for r in tied}
    assert last_index[suggestion] == max(last_index.values())


@property_test
@given(st.lists(st.sampled_from(list(Rating)), min_size=1, max_size=12), st.randoms())
def test_a_strict_majority_wins_in_any_order(periodic: list[Rating], rng) -> None:  # type: ignore[no-untyped-def]
    counts = sorted((periodic.count(r) for r in Rating), reverse=True)
    shuffled = list(periodic)
    rng.shuffle(shuffled)
    if counts[0] > counts[1]:
        assert suggest_annual_perilaku(shuffled) is suggest_annual_perilaku(periodic)


# --- Memoised capaian (a rebuild meets the same pairs many times) --------------------------------


@property_test
@given(
    target=st.decimals(min_value=0, max_value=10**6, places=2),
    value=st.decimals(min_value=0, max_value=10**6, places=2),
    polarity=st.sampled_from(list(Polarity)),
)
def test_the_memoised_capaian_equals_the_exact_formula(target, value, polarity) -> None:
    if target == 0 and polarity is Polarity.HIGHER_IS_BETTER:
        with pytest.raises(ValueError):
            capaian(target, value, polarity)
        return
    if target == 0:
        expected = Decimal(100) if value == 0 else Decimal(0)
    elif polarity is Polarity.HIGHER_IS_BETTER:
        expected = to_decimal(Fraction(value) / Fraction(target) * 100)
    else:
        exact = (2 * Fraction(target) - Fraction(value)) / Fraction(target) * 100
        expected = to_decimal(max(Fraction(0), exact))
    first, second = capaian(target, value, polarity), capaian(target, value, polarity)
    assert first == second == expected
    assert str(first) == str(expected)


def test_one_value_written_two_ways_is_one_capaian() -> None:
    assert str(capaian(Decimal("80"), Decimal("60.0"), Polarity.HIGHER_IS_BETTER)) == "75"
    assert str(capaian(Decimal("80.00"), Decimal("60"), Polarity.HIGHER_IS_BETTER)) == "75"


def test_errors_are_raised_every_time_with_the_value_as_written() -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match=r"tertulis -1\.50"):
            capaian(Decimal("-1.50"), Decimal(1), Polarity.HIGHER_IS_BETTER)
    with pytest.raises(ValueError, match="terhingga"):
        capaian(Decimal("NaN"), Decimal(1), Polarity.HIGHER_IS_BETTER)
    with pytest.raises(ValueError, match="terhingga"):
        capaian(Decimal("sNaN"), Decimal(1), Polarity.HIGHER_IS_BETTER)
