from collections.abc import Iterator, Mapping
from itertools import product

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kinerja.rules.distribution import (
    Constraint,
    OrgPredikat,
    Predikat,
    Violation,
    bounds,
    check,
    constraints,
)
from tests.rules.support import property_test

SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)
ISTIMEWA, BAIK, CUKUP, KURANG, SANGAT_KURANG = (
    OrgPredikat.ISTIMEWA,
    OrgPredikat.BAIK,
    OrgPredikat.BUTUH_PERBAIKAN,
    OrgPredikat.KURANG,
    OrgPredikat.SANGAT_KURANG,
)

# The table of SE MenPANRB 3/2023 (DOMAIN §1), written independently of the implementation:
# (code, predikat counted together, kind, percent of n — or None for "at least one employee").
TABLE: dict[OrgPredikat, list[tuple[str, frozenset[Predikat], str, int | None]]] = {
    ISTIMEWA: [("sangat_baik_max", frozenset({SB}), "max", 70)],
    BAIK: [
        ("baik_max", frozenset({B}), "max", 70),
        ("butuh_perbaikan_kurang_min", frozenset({BP, K}), "min", None),
    ],
    CUKUP: [
        ("butuh_perbaikan_min", frozenset({BP}), "min", 60),
        ("sangat_baik_max", frozenset({SB}), "max", 10),
    ],
    KURANG: [
        ("kurang_min", frozenset({K}), "min", 60),
        ("butuh_perbaikan_min", frozenset({BP}), "min", 10),
        ("sangat_baik_max", frozenset({SB}), "max", 10),
    ],
    SANGAT_KURANG: [
        ("sangat_kurang_min", frozenset({SK}), "min", 60),
        ("kurang_butuh_perbaikan_min", frozenset({K, BP}), "min", 10),
        ("sangat_baik_max", frozenset({SB}), "max", 0),
    ],
}


def codes(violations: list[Violation]) -> list[str]:
    return [violation.code for violation in violations]


def test_it_describes_the_curve_of_every_organisation_predikat_as_in_the_table() -> None:
    for org, rows in TABLE.items():
        described = [(c.code, frozenset(c.predikat), c.kind) for c in constraints(org)]
        assert described == [(code, group, kind) for code, group, kind, _ in rows]


def test_it_describes_each_line_in_indonesian() -> None:
    assert [c.description for c in constraints(SANGAT_KURANG)] == [
        "Sangat Kurang paling sedikit 60%",
        "Kurang/Misconduct dan/atau Butuh Perbaikan paling sedikit 10%",
        "Sangat Baik tidak boleh ada",
    ]
    assert [c.description for c in constraints(BAIK)] == [
        "Baik paling banyak 70%",
        "Butuh Perbaikan dan/atau Kurang/Misconduct paling sedikit 1 pegawai",
    ]


@pytest.mark.parametrize(
    ("org", "n", "expected"),
    [
        # floor for "at most", ceil for "at least", 1 for "at least one"
        (ISTIMEWA, 1, [0]),
        (ISTIMEWA, 2, [1]),
        (ISTIMEWA, 3, [2]),
        (ISTIMEWA, 7, [4]),
        (ISTIMEWA, 10, [7]),
        (BAIK, 1, [0, 1]),
        (BAIK, 10, [7, 1]),
        (BAIK, 0, [0, 1]),
        (CUKUP, 1, [1, 0]),
        (CUKUP, 7, [5, 0]),  # ⌈4.2⌉, ⌊0.7⌋
        (CUKUP, 10, [6, 1]),
        (KURANG, 3, [2, 1, 0]),  # ⌈1.8⌉, ⌈0.3⌉, ⌊0.3⌋
        (KURANG, 10, [6, 1, 1]),
        (KURANG, 11, [7, 2, 1]),  # ⌈6.6⌉, ⌈1.1⌉, ⌊1.1⌋
        (SANGAT_KURANG, 7, [5, 1, 0]),
        (SANGAT_KURANG, 100, [60, 10, 0]),
    ],
)
def test_it_counts_bounds_with_floor_and_ceil_of_exact_shares(
    org: OrgPredikat, n: int, expected: list[int]
) -> None:
    assert [required for _, required in bounds(org, n)] == expected


def test_it_computes_shares_exactly_where_floats_would_drift() -> None:
    # 0.7 × 10 is 7.000000000000001 in binary floating point: ceil would give 8 if it were float.
    assert Constraint((SB,), "min", 70).required(10) == 7
    assert Constraint((SB,), "max", 70).required(10) == 7
    # 0.1 × 30 is 3.0000000000000004 in floating point.
    assert Constraint((SB,), "min", 10).required(30) == 3


# --- every row of the table, passing and failing, including small units ---------------------------

PASSING = [
    (ISTIMEWA, {B: 1}),
    (ISTIMEWA, {SB: 1, B: 1}),
    (ISTIMEWA, {SB: 2, SK: 1}),
    (ISTIMEWA, {SB: 4, B: 3}),
    (ISTIMEWA, {SB: 7, B: 2, BP: 1}),
    (BAIK, {BP: 1}),
    (BAIK, {K: 1}),
    (BAIK, {B: 1, BP: 1}),
    (BAIK, {B: 2, K: 1}),
    (BAIK, {SB: 2, B: 4, K: 1}),
    (BAIK, {SB: 2, B: 7, BP: 1}),
    (CUKUP, {BP: 1}),
    (CUKUP, {BP: 2}),
    (CUKUP, {BP: 2, B: 1}),
    (CUKUP, {BP: 5, B: 2}),
    (CUKUP, {BP: 6, SB: 1, B: 3}),
    (KURANG, {K: 2, BP: 1}),
    (KURANG, {K: 5, BP: 1, B: 1}),
    (KURANG, {K: 6, BP: 1, SB: 1, B: 2}),
    (SANGAT_KURANG, {SK: 2, K: 1}),
    (SANGAT_KURANG, {SK: 2, BP: 1}),
    (SANGAT_KURANG, {SK: 5, BP: 1, B: 1}),
    (SANGAT_KURANG, {SK: 6, K: 1, B: 3}),
]


@pytest.mark.parametrize(("org", "counts"), PASSING)
def test_it_accepts_a_spread_that_meets_the_curve(
    org: OrgPredikat, counts: dict[Predikat, int]
) -> None:
    assert check(org, counts) == []


FAILING = [
    # (org, counts, [(code, required, actual, by), ...])
    (ISTIMEWA, {SB: 1}, [("sangat_baik_max", 0, 1, 1)]),
    (ISTIMEWA, {SB: 2}, [("sangat_baik_max", 1, 2, 1)]),
    (ISTIMEWA, {SB: 3}, [("sangat_baik_max", 2, 3, 1)]),
    (ISTIMEWA, {SB: 5, B: 2}, [("sangat_baik_max", 4, 5, 1)]),
    (ISTIMEWA, {SB: 10}, [("sangat_baik_max", 7, 10, 3)]),
    # Baik, n = 1: a single employee cannot be Baik, nor Sangat Baik, nor Sangat Kurang.
    (BAIK, {B: 1}, [("baik_max", 0, 1, 1), ("butuh_perbaikan_kurang_min", 1, 0, 1)]),
    (BAIK, {SB: 1}, [("butuh_perbaikan_kurang_min", 1, 0, 1)]),
    (BAIK, {SK: 1}, [("butuh_perbaikan_kurang_min", 1, 0, 1)]),
    (BAIK, {B: 2}, [("baik_max", 1, 2, 1), ("butuh_perbaikan_kurang_min", 1, 0, 1)]),
    (BAIK, {B: 2, SB: 1}, [("butuh_perbaikan_kurang_min", 1, 0, 1)]),
    (BAIK, {B: 8, K: 2}, [("baik_max", 7, 8, 1)]),
    (CUKUP, {B: 1}, [("butuh_perbaikan_min", 1, 0, 1)]),
    (CUKUP, {BP: 1, B: 1}, [("butuh_perbaikan_min", 2, 1, 1)]),
    (CUKUP, {BP: 4, B: 3}, [("butuh_perbaikan_min", 5, 4, 1)]),
    (CUKUP, {BP: 5, SB: 1, B: 1}, [("sangat_baik_max", 0, 1, 1)]),
    (CUKUP, {BP: 6, SB: 2, B: 2}, [("sangat_baik_max", 1, 2, 1)]),
    (CUKUP, {SB: 10}, [("butuh_perbaikan_min", 6, 0, 6), ("sangat_baik_max", 1, 10, 9)]),
    (KURANG, {K: 3}, [("butuh_perbaikan_min", 1, 0, 1)]),
    (KURANG, {K: 1, BP: 2}, [("kurang_min", 2, 1, 1)]),
    (KURANG, {K: 5, BP: 1, SB: 1}, [("sangat_baik_max", 0, 1, 1)]),
    (KURANG, {K: 5, BP: 2, SB: 1, B: 2}, [("kurang_min", 6, 5, 1)]),
    (
        KURANG,
        {B: 10},
        [("kurang_min", 6, 0, 6), ("butuh_perbaikan_min", 1, 0, 1)],
    ),
    (SANGAT_KURANG, {SK: 3}, [("kurang_butuh_perbaikan_min", 1, 0, 1)]),
    (SANGAT_KURANG, {SK: 1, K: 2}, [("sangat_kurang_min", 2, 1, 1)]),
    (SANGAT_KURANG, {SK: 6, K: 1, SB: 1, B: 2}, [("sangat_baik_max", 0, 1, 1)]),
    (
        SANGAT_KURANG,
        {SK: 5, SB: 1, B: 4},
        [
            ("sangat_kurang_min", 6, 5, 1),
            ("kurang_butuh_perbaikan_min", 1, 0, 1),
            ("sangat_baik_max", 0, 1, 1),
        ],
    ),
]


@pytest.mark.parametrize(("org", "counts", "expected"), FAILING)
def test_it_reports_each_broken_line_with_required_actual_and_by(
    org: OrgPredikat,
    counts: dict[Predikat, int],
    expected: list[tuple[str, int, int, int]],
) -> None:
    violations = check(org, counts)
    assert [(v.code, v.required, v.actual, v.by) for v in violations] == expected
    for violation in violations:
        assert violation.total == sum(counts.values())
        assert violation.message.startswith("Predikat ")
        assert f"saat ini {violation.actual} pegawai" in violation.message


def test_it_explains_an_excess_in_indonesian() -> None:
    [violation] = check(ISTIMEWA, {SB: 8, B: 2})
    assert violation == Violation(
        code="sangat_baik_max",
        predikat=(SB,),
        kind="max",
        required=7,
        actual=8,
        by=1,
        total=10,
        message=(
            "Predikat Sangat Baik paling banyak 70% (7 dari 10 pegawai), saat ini 8 pegawai: "
            "kurangi 1 pegawai."
        ),
    )
    assert (violation.excess, violation.shortfall) == (1, 0)


def test_it_explains_a_shortfall_in_indonesian() -> None:
    [violation] = check(CUKUP, {BP: 4, B: 6})
    assert violation.message == (
        "Predikat Butuh Perbaikan paling sedikit 60% (6 dari 10 pegawai), saat ini 4 pegawai: "
        "tambah 2 pegawai."
    )
    assert (violation.kind, violation.excess, violation.shortfall) == ("min", 0, 2)


def test_it_explains_the_combined_lines_in_indonesian() -> None:
    [at_least_one] = check(BAIK, {SB: 1, B: 2})
    assert at_least_one.predikat == (BP, K)
    assert at_least_one.message == (
        "Predikat Butuh Perbaikan dan/atau Kurang/Misconduct paling sedikit 1 pegawai, "
        "saat ini 0 pegawai: tambah 1 pegawai."
    )
    combined, no_sangat_baik = check(SANGAT_KURANG, {SK: 9, SB: 1})
    assert combined.message == (
        "Predikat Kurang/Misconduct dan/atau Butuh Perbaikan paling sedikit 10% "
        "(1 dari 10 pegawai), saat ini 0 pegawai: tambah 1 pegawai."
    )
    assert no_sangat_baik.message == (
        "Predikat Sangat Baik tidak boleh ada (0 dari 10 pegawai), saat ini 1 pegawai: "
        "kurangi 1 pegawai."
    )


@pytest.mark.parametrize("org", list(OrgPredikat))
def test_it_checks_nothing_for_an_empty_unit(org: OrgPredikat) -> None:
    assert check(org, {}) == []
    assert check(org, {SB: 0, B: 0}) == []


def test_it_rejects_negative_counts_and_unknown_predikat() -> None:
    with pytest.raises(ValueError, match="Sangat Baik harus bilangan bulat"):
        check(ISTIMEWA, {SB: -1, B: 3})
    with pytest.raises(ValueError, match="Predikat tidak dikenal"):
        check(ISTIMEWA, {"luar_biasa": 1})  # type: ignore[dict-item]


def spreads(n: int) -> Iterator[dict[Predikat, int]]:
    """Every way to spread n employees over the five predikat."""
    for combo in product(range(n + 1), repeat=len(Predikat)):
        if sum(combo) == n:
            yield dict(zip(Predikat, combo, strict=True))


@pytest.mark.parametrize("org", [KURANG, SANGAT_KURANG])
@pytest.mark.parametrize("n", [1, 2])
def test_it_finds_no_compliant_spread_for_one_or_two_employees_of_a_weak_organisation(
    org: OrgPredikat, n: int
) -> None:
    # ⌈0.6n⌉ + ⌈0.1n⌉ = 2 or 3 > n: the two quotas cannot both be met (documented consequence).
    assert all(check(org, spread) for spread in spreads(n))


@pytest.mark.parametrize("org", list(OrgPredikat))
def test_it_finds_a_compliant_spread_from_three_employees_on(org: OrgPredikat) -> None:
    for n in range(3, 12):
        assert any(not check(org, spread) for spread in spreads(n)), n


def test_it_lets_a_single_employee_of_a_baik_organisation_only_be_bp_or_kurang() -> None:
    allowed = {p for p in Predikat if not check(BAIK, {p: 1})}
    assert allowed == {BP, K}


# --- properties ----------------------------------------------------------------------------------


@st.composite
def compliant_spreads(draw: st.DrawFn) -> tuple[OrgPredikat, dict[Predikat, int]]:
    """A spread built from the bounds: every "at least" quota filled, every "at most" respected."""
    org = draw(st.sampled_from(list(OrgPredikat)))
    n = draw(st.integers(min_value=1, max_value=80))
    counts = dict.fromkeys(Predikat, 0)
    capacity: dict[Predikat, int | None] = dict.fromkeys(Predikat, None)
    for constraint, required in bounds(org, n):
        if constraint.kind == "min":
            counts[draw(st.sampled_from(constraint.predikat))] += required
        else:
            (capped,) = constraint.predikat
            capacity[capped] = required
    remaining = n - sum(counts.values())
    assume(remaining >= 0)
    for _ in range(remaining):
        open_ = [p for p, cap in capacity.items() if cap is None or counts[p] < cap]
        counts[draw(st.sampled_from(open_))] += 1
    return org, counts


@property_test
@given(compliant_spreads())
def test_it_never_reports_a_spread_built_within_the_bounds(
    case: tuple[OrgPredikat, dict[Predikat, int]],
) -> None:
    org, counts = case
    assert check(org, counts) == []


def move(
    counts: Mapping[Predikat, int], into: Predikat, out_of: set[Predikat], people: int
) -> dict[Predikat, int]:
    """Move ``people`` employees from the predikat in ``out_of`` (largest first) into ``into``."""
    result = dict(counts)
    for source in sorted(out_of, key=lambda p: -result[p]):
        taken = min(people, result[source])
        result[source] -= taken
        result[into] += taken
        people -= taken
    assert people == 0
    return result


@property_test
@given(compliant_spreads(), st.data())
def test_it_reports_every_bound_that_is_broken(
    case: tuple[OrgPredikat, dict[Predikat, int]], data: st.DataObject
) -> None:
    org, counts = case
    n = sum(counts.values())
    constraint, required = data.draw(st.sampled_from(bounds(org, n)))
    group = set(constraint.predikat)
    actual = constraint.actual(counts)
    if constraint.kind == "max":
        (capped,) = group
        broken = move(counts, capped, set(Predikat) - group, required - actual + 1)
    else:
        outside = next(p for p in Predikat if p not in group)
        broken = move(counts, outside, group, actual - required + 1)
    assert sum(broken.values()) == n
    [violation] = [v for v in check(org, broken) if v.code == constraint.code]
    assert violation.by == 1
    assert violation.required == required


@property_test
@given(
    org=st.sampled_from(list(OrgPredikat)),
    counts=st.fixed_dictionaries({p: st.integers(min_value=0, max_value=25) for p in Predikat}),
)
def test_it_agrees_with_the_table_on_any_spread(
    org: OrgPredikat, counts: dict[Predikat, int]
) -> None:
    n = sum(counts.values())
    expected = []
    for code, group, kind, percent in TABLE[org]:
        actual = sum(counts[p] for p in group)
        # Integer arithmetic, independent of the implementation:
        # actual ≤ ⌊pn/100⌋ ⇔ 100·actual ≤ pn, and actual ≥ ⌈pn/100⌉ ⇔ 100·actual ≥ pn.
        if percent is None:
            met = actual >= 1
        elif kind == "max":
            met = 100 * actual <= percent * n
        else:
            met = 100 * actual >= percent * n
        if n and not met:
            expected.append(code)
    assert codes(check(org, counts)) == expected
