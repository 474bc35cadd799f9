from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.skm import (
    UNSUR,
    IkmResult,
    Mutu,
    ikm,
    ikm_from_totals,
    is_representative,
    min_sample,
    mutu,
    weakest_unsur,
)
from tests.rules.support import property_test

# --- the questionnaire (PermenPANRB 14/2017; DOMAIN §3) ------------------------------------------


def test_it_lists_the_nine_unsur_with_their_answer_labels() -> None:
    assert [u.code for u in UNSUR] == [f"U{i}" for i in range(1, 10)]
    assert UNSUR[3].name == "Biaya/Tarif"
    assert UNSUR[3].labels == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")
    assert UNSUR[7].labels[1] == "Ada tetapi tidak berfungsi"
    assert all(len(u.labels) == 4 and all(u.labels) for u in UNSUR)


# --- mutu (DOMAIN §3: the intervals closed on the 2-decimal grid) --------------------------------


@pytest.mark.parametrize(
    ("converted", "expected"),
    [
        ("100", Mutu.A),
        ("100.004", Mutu.A),  # rounds to 100.00
        ("88.31", Mutu.A),
        ("88.305", Mutu.A),  # rounds half up to 88.31
        ("88.3049", Mutu.B),  # rounds to 88.30
        ("88.30", Mutu.B),
        ("76.61", Mutu.B),
        ("76.605", Mutu.B),
        ("76.60", Mutu.C),
        ("65.00", Mutu.C),
        ("64.995", Mutu.C),  # rounds half up to 65.00
        ("64.994", Mutu.D),
        ("64.99", Mutu.D),
        ("25.00", Mutu.D),
        ("24.995", Mutu.D),  # rounds to 25.00
    ],
)
def test_it_grades_the_converted_value_on_both_sides_of_each_boundary(
    converted: str, expected: Mutu
) -> None:
    assert mutu(Decimal(converted)) is expected


@pytest.mark.parametrize("converted", ["24.99", "24.994", "100.005", "100.01", "0", "-50"])
def test_it_rejects_a_converted_value_outside_25_to_100(converted: str) -> None:
    with pytest.raises(ValueError, match="antara 25,00 dan 100,00"):
        mutu(Decimal(converted))


def totals_for(converted: str) -> tuple[list[int], list[int]]:
    """Aggregated answers whose converted IKM is exactly ``converted`` (up to 4 decimals).

    With 250,000 answers to every unsur, converted = 25 × Σ(sums / 250,000) / 9 = Σ sums / 90,000,
    so Σ sums = converted × 90,000, an integer for 4 decimals, spread evenly over the 9 unsur.
    """
    count = 250_000
    total = Decimal(converted) * 90_000
    assert total == total.to_integral_value()
    share, remainder = divmod(int(total), 9)
    sums = [share + (1 if i < remainder else 0) for i in range(9)]
    return sums, [count] * 9


@pytest.mark.parametrize(
    ("converted", "expected_converted", "expected"),
    [
        ("64.99", "64.99", Mutu.D),
        ("65.00", "65.00", Mutu.C),
        ("64.9949", "64.99", Mutu.D),
        ("64.995", "65.00", Mutu.C),
        ("76.60", "76.60", Mutu.C),
        ("76.61", "76.61", Mutu.B),
        ("76.6049", "76.60", Mutu.C),
        ("76.605", "76.61", Mutu.B),
        ("88.30", "88.30", Mutu.B),
        ("88.31", "88.31", Mutu.A),
        ("88.3049", "88.30", Mutu.B),
        ("88.305", "88.31", Mutu.A),
    ],
)
def test_it_grades_aggregated_surveys_on_both_sides_of_each_boundary(
    converted: str, expected_converted: str, expected: Mutu
) -> None:
    result = ikm_from_totals(*totals_for(converted))
    assert result.converted == Decimal(expected_converted)
    assert result.mutu is expected
    assert result.label == expected.label


# --- the index ------------------------------------------------------------------------------------


def test_it_scores_an_all_4_survey_exactly_100_a() -> None:
    result = ikm([[4] * 9] * 5)
    assert result.converted == Decimal("100.00")
    assert str(result.converted) == "100.00"
    assert result.index == Decimal(4)
    assert result.mutu is Mutu.A
    assert result.label == "Sangat Baik"


def test_it_scores_an_all_1_survey_exactly_25_d() -> None:
    result = ikm([[1] * 9] * 3)
    assert result.converted == Decimal("25.00")
    assert (result.mutu, result.label) == (Mutu.D, "Tidak Baik")


def test_it_computes_a_hand_worked_survey_with_an_unanswered_item() -> None:
    responses: list[list[int | None]] = [
        # U1 U2 U3 U4 U5 U6 U7 U8    U9
        [4, 4, 3, 4, 3, 4, 4, 3, 4],
        [3, 4, 2, 4, 3, 3, 4, None, 3],
        [4, 3, 2, 4, 4, 3, 4, 2, 3],
        [3, 3, 3, 4, 4, 4, 4, 3, 4],
    ]
    # NRR: U1 14/4 = 3.5; U2 14/4 = 3.5; U3 10/4 = 2.5; U4 16/4 = 4; U5 14/4 = 3.5; U6 14/4 = 3.5;
    #      U7 16/4 = 4; U8 8/3 (3 answers, one left blank) ≈ 2.667; U9 14/4 = 3.5.
    # Σ NRR = 5 × 3.5 + 2.5 + 2 × 4 + 8/3 = 28 + 8/3 = 92/3.
    # IKM = 92/3 × 1/9 = 92/27 = 3.407407…
    # converted = 92/27 × 25 = 2300/27 = 85.185185… → 85.19, mutu B (76.61–88.30).
    result = ikm(responses)
    assert result.respondents == 4
    assert result.answers == (4, 4, 4, 4, 4, 4, 4, 3, 4)
    assert result.nrr[0] == Decimal("3.5")
    assert result.nrr[2] == Decimal("2.5")
    assert result.nrr[7] == Decimal("2.666666666666666666666666667")
    assert result.index == Decimal("3.407407407407407407407407407")
    assert result.converted == Decimal("85.19")
    assert result.mutu is Mutu.B
    assert result.label == "Baik"
    assert weakest_unsur(result) == "U3"


def test_it_does_not_round_intermediate_values() -> None:
    # Every NRR is 10/3 = 3.333…; rounded to 3.33 before summing it would give 83.25, exactly it is
    # 10/3 × 25 = 83.333… → 83.33.
    result = ikm([[4] * 9, [3] * 9, [3] * 9])
    assert result.converted == Decimal("83.33")


def test_it_agrees_with_ikm_from_totals_on_the_same_data() -> None:
    responses: list[list[int | None]] = [
        [4, 3, 2, 1, None, 4, 3, 2, 1],
        [3, 3, 3, 3, 3, 3, 3, 3, 3],
        [2, 4, None, 4, 4, 1, 2, 3, 4],
    ]
    sums = [9, 10, 5, 8, 7, 8, 8, 8, 8]
    counts = [3, 3, 2, 3, 2, 3, 3, 3, 3]
    assert ikm(responses) == ikm_from_totals(sums, counts, respondents=3)


def test_it_reports_an_empty_survey_without_an_index() -> None:
    for result in (ikm([]), ikm_from_totals([0] * 9, [0] * 9)):
        assert result.respondents == 0
        assert result.nrr == (None,) * 9
        assert (result.index, result.converted, result.mutu, result.label) == (None,) * 4
        assert not result.is_complete
        assert weakest_unsur(result) is None


def test_it_leaves_the_index_undefined_when_an_unsur_has_no_answer() -> None:
    result = ikm([[4, 4, 4, None, 4, 4, 4, 4, 4], [3, 3, 3, None, 3, 3, 3, 3, 3]])
    assert result.respondents == 2
    assert result.nrr[3] is None
    assert result.nrr[0] == Decimal("3.5")
    assert not result.is_complete
    assert (result.converted, result.mutu) == (None, None)


def test_it_counts_a_respondent_who_answered_nothing() -> None:
    result = ikm([[None] * 9, [4] * 9])
    assert result.respondents == 2
    assert result.answers == (1,) * 9
    assert result.converted == Decimal("100.00")


def test_it_defaults_respondents_to_the_largest_count() -> None:
    assert ikm_from_totals([8] * 9, [2] * 8 + [3]).respondents == 3


@pytest.mark.parametrize(
    "response",
    [[4] * 8, [4] * 10, [4] * 8 + [5], [0] + [4] * 8, [4] * 8 + [True], [4] * 8 + [3.5]],
)
def test_it_rejects_malformed_responses(response: list[int]) -> None:
    with pytest.raises(ValueError, match="Responden ke-2"):
        ikm([[4] * 9, response])


@pytest.mark.parametrize(
    ("sums", "counts", "respondents", "message"),
    [
        ([4] * 8, [1] * 9, None, "harus berisi 9 nilai"),
        ([4] * 9, [1] * 8, None, "harus berisi 9 nilai"),
        ([5] + [4] * 8, [1] * 9, None, "tidak mungkin"),  # one answer cannot sum to 5
        ([1] + [4] * 8, [2] + [1] * 8, None, "tidak mungkin"),  # two answers sum to at least 2
        ([4] * 9, [-1] + [1] * 8, None, "bilangan bulat"),
        ([4] * 9, [1] * 9, 0, "tidak boleh kurang"),
    ],
)
def test_it_rejects_inconsistent_totals(
    sums: list[int], counts: list[int], respondents: int | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        ikm_from_totals(sums, counts, respondents)


def test_it_names_the_first_weakest_unsur_on_a_tie() -> None:
    assert weakest_unsur(ikm([[4, 2, 3, 2, 4, 4, 4, 4, 4]])) == "U2"
    assert weakest_unsur(ikm([[4, 4, 4, 4, 4, 4, 4, 4, None]])) == "U1"


answers = st.integers(min_value=1, max_value=4)
responses_strategy = st.lists(
    st.lists(st.one_of(answers, st.none()), min_size=9, max_size=9), min_size=1, max_size=25
)


def complete(result: IkmResult) -> Decimal:
    assert result.converted is not None
    return result.converted


@property_test
@given(st.lists(st.lists(answers, min_size=9, max_size=9), min_size=1, max_size=25), st.data())
def test_it_keeps_the_converted_index_within_25_100_and_monotone_in_every_answer(
    responses: list[list[int]], data: st.DataObject
) -> None:
    before = complete(ikm(responses))
    assert Decimal(25) <= before <= Decimal(100)
    row = data.draw(st.integers(min_value=0, max_value=len(responses) - 1))
    column = data.draw(st.integers(min_value=0, max_value=8))
    improved = [list(r) for r in responses]
    improved[row][column] = min(4, improved[row][column] + data.draw(st.integers(1, 3)))
    assert complete(ikm(improved)) >= before


@property_test
@given(responses_strategy)
def test_it_matches_an_exact_recomputation_and_the_aggregated_path(
    responses: list[list[int | None]],
) -> None:
    result = ikm(responses)
    columns = [[a for r in responses if (a := r[i]) is not None] for i in range(9)]
    sums = [sum(c) for c in columns]
    counts = [len(c) for c in columns]
    assert ikm_from_totals(sums, counts, len(responses)) == result
    if all(counts):
        nrr_sum = sum((Fraction(s, c) for s, c in zip(sums, counts, strict=True)), Fraction(0))
        exact = nrr_sum / 9 * 25
        assert abs(Fraction(complete(result)) - exact) <= Fraction(1, 200)
    else:
        assert result.converted is None


# --- minimum sample (Krejcie & Morgan; DOMAIN §3) -------------------------------------------------


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        # DOMAIN examples
        (100, 80),  # s = 79.507…
        (1000, 278),  # 277.709…
        (10000, 370),  # 369.928…
        # Published Krejcie & Morgan (1970) table rows, each checked against the formula first
        # (value before rounding in the comment); the formula and the table agree on all of them.
        (10, 10),  # 9.771
        (15, 14),  # 14.472
        (20, 19),  # 19.057
        (30, 28),  # 27.894
        (50, 44),  # 44.343
        (75, 63),  # 62.885
        (150, 108),  # 108.075
        (200, 132),  # 131.744
        (300, 169),  # 168.687
        (500, 217),  # 217.473
        (2000, 322),  # 322.353
        (5000, 357),  # 356.765
        (20000, 377),  # 376.881
        (50000, 381),  # 381.179
        (100000, 383),  # 382.634
        (1000000, 384),  # 383.953
        # Edge cases
        (0, 0),
        (1, 1),  # 0.96025 / 0.96025
        (2, 2),  # 1.995
    ],
)
def test_it_computes_the_krejcie_morgan_minimum_sample(population: int, expected: int) -> None:
    assert min_sample(population) == expected


def test_it_rejects_a_negative_population() -> None:
    with pytest.raises(ValueError, match="Populasi"):
        min_sample(-1)


def test_it_marks_a_survey_below_the_minimum_sample_as_not_representative() -> None:
    assert is_representative(80, 100)
    assert not is_representative(79, 100)
    assert is_representative(0, 0)
    with pytest.raises(ValueError):
        is_representative(-1, 100)


@property_test
@given(st.integers(min_value=0, max_value=10**7))
def test_it_never_asks_for_more_than_the_population_and_grows_with_it(population: int) -> None:
    sample = min_sample(population)
    assert sample <= population
    assert sample <= min_sample(population + 1) <= 384
