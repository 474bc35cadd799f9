from decimal import Decimal

import pytest

from kinerja.rules.discipline import absence_punishment
from kinerja.rules.incentives import (
    DEFAULT_TPP,
    JENJANG_COEFFICIENTS,
    JENJANG_LABELS,
    Predikat,
    TppBreakdown,
    TppConfig,
    angka_kredit,
    tpp,
)

SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)

# --- angka kredit (PerBKN 3/2023) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("predikat", "jenjang", "months", "expected"),
    [
        (B, "ahli_pertama", 2, "2.08"),  # DOMAIN example: 2/12 × 100% × 12.5 = 2.0833…
        # Ahli Pertama (12.5), a whole year, every predikat
        (SB, "ahli_pertama", 12, "18.75"),  # 150% × 12.5
        (B, "ahli_pertama", 12, "12.50"),
        (
            BP,
            "ahli_pertama",
            12,
            "9.38",
        ),  # 75% × 12.5 = 9.375, half up (half even would be 9.38 too)
        (K, "ahli_pertama", 12, "6.25"),
        (SK, "ahli_pertama", 12, "3.13"),  # 25% × 12.5 = 3.125 → 3.13 (half even would give 3.12)
        # Pemula (3.75), a whole year, every predikat
        (SB, "pemula", 12, "5.63"),  # 5.625
        (B, "pemula", 12, "3.75"),
        (BP, "pemula", 12, "2.81"),  # 2.8125
        (K, "pemula", 12, "1.88"),  # 1.875
        (SK, "pemula", 12, "0.94"),  # 0.9375
        # Other jenjang and periods
        (BP, "terampil", 1, "0.31"),  # 75% × 5 / 12 = 0.3125
        (SB, "mahir", 2, "3.13"),  # 150% × 12.5 × 2/12 = 3.125
        (B, "penyelia", 7, "14.58"),  # 25 × 7/12 = 14.583…
        (K, "ahli_muda", 3, "3.13"),  # 50% × 25 × 3/12 = 3.125
        (SK, "ahli_madya", 12, "9.38"),  # 25% × 37.5 = 9.375
        (SB, "ahli_utama", 6, "37.50"),  # 150% × 50 × 6/12
        (BP, "ahli_utama", 1, "3.13"),  # 75% × 50 / 12 = 3.125
    ],
)
def test_it_computes_angka_kredit(
    predikat: Predikat, jenjang: str, months: int, expected: str
) -> None:
    result = angka_kredit(predikat, jenjang, months)
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -2


def test_it_knows_the_eight_jenjang_with_their_coefficients_and_labels() -> None:
    assert dict(JENJANG_COEFFICIENTS) == {
        "pemula": Decimal("3.75"),
        "terampil": Decimal(5),
        "mahir": Decimal("12.5"),
        "penyelia": Decimal(25),
        "ahli_pertama": Decimal("12.5"),
        "ahli_muda": Decimal(25),
        "ahli_madya": Decimal("37.5"),
        "ahli_utama": Decimal(50),
    }
    assert JENJANG_LABELS.keys() == JENJANG_COEFFICIENTS.keys()
    assert JENJANG_LABELS["ahli_pertama"] == "Ahli Pertama"


def test_it_rejects_an_unknown_jenjang_in_indonesian() -> None:
    with pytest.raises(ValueError, match="Jenjang jabatan fungsional tidak dikenal: 'ahli'"):
        angka_kredit(B, "ahli", 12)


@pytest.mark.parametrize("months", [0, 13, -1])
def test_it_rejects_months_outside_1_to_12(months: int) -> None:
    with pytest.raises(ValueError, match="harus 1–12"):
        angka_kredit(B, "ahli_muda", months)


# --- TPP (PP 12/2019 Pasal 58; DOMAIN §6) -------------------------------------------------------


def test_it_computes_a_hand_worked_tpp_with_a_sedang_cut() -> None:
    # 5,000,000 × 0.60 × 0.75 = 2,250,000 (performance, Butuh Perbaikan)
    # 5,000,000 × 0.40 × 0.90 = 1,800,000 (discipline)
    # gross 4,050,000; cut 25% = 1,012,500; total 3,037,500.
    result = tpp(
        base=Decimal(5_000_000),
        predikat=BP,
        discipline_factor=Decimal("0.90"),
        cut_percent=Decimal(25),
    )
    assert result == TppBreakdown(
        base=Decimal(5_000_000),
        performance_weight=Decimal("0.60"),
        performance_factor=Decimal("0.75"),
        performance_part=Decimal(2_250_000),
        discipline_weight=Decimal("0.40"),
        discipline_factor=Decimal("0.90"),
        discipline_part=Decimal(1_800_000),
        gross=Decimal(4_050_000),
        cut_percent=Decimal(25),
        cut_amount=Decimal(1_012_500),
        total=Decimal(3_037_500),
    )


def test_it_rounds_the_amount_down_to_whole_rupiah() -> None:
    # 1,234,567 × 0.60 × 1.00 = 740,740.2; 1,234,567 × 0.40 × 0.87 = 429,629.316;
    # gross 1,170,369.516 → 1,170,369 (down, although .516 would round up).
    result = tpp(
        base=Decimal(1_234_567),
        predikat=B,
        discipline_factor=Decimal("0.87"),
        cut_percent=Decimal(0),
    )
    assert result.performance_part == Decimal("740740.2")
    assert result.discipline_part == Decimal("429629.316")
    assert result.gross == Decimal("1170369.516")
    assert result.total == Decimal(1_170_369)
    # With a 25% cut: 1,170,369.516 × 0.25 = 292,592.379; 877,777.137 → 877,777.
    cut = tpp(
        base=Decimal(1_234_567),
        predikat=B,
        discipline_factor=Decimal("0.87"),
        cut_percent=Decimal(25),
    )
    assert cut.cut_amount == Decimal("292592.379")
    assert cut.total == Decimal(877_777)


@pytest.mark.parametrize(
    ("predikat", "total"),
    [(SB, 4_000_000), (B, 4_000_000), (BP, 3_400_000), (K, 2_800_000), (SK, 2_200_000)],
)
def test_it_applies_the_default_performance_factor_of_each_predikat(
    predikat: Predikat, total: int
) -> None:
    # 4,000,000 × (0.60 × factor + 0.40 × 1.00): factors 1.00, 1.00, 0.75, 0.50, 0.25.
    result = tpp(
        base=Decimal(4_000_000),
        predikat=predikat,
        discipline_factor=Decimal(1),
        cut_percent=Decimal(0),
    )
    assert result.total == Decimal(total)


def test_it_takes_the_cut_from_a_sedang_punishment() -> None:
    punishment = absence_punishment(12, 2)
    assert punishment is not None
    result = tpp(
        base=Decimal(2_000_000),
        predikat=B,
        discipline_factor=Decimal(1),
        cut_percent=punishment.tpp_cut_percent,
    )
    assert result.total == Decimal(1_500_000)


def test_it_takes_a_regency_configuration() -> None:
    config = TppConfig(
        performance_weight=Decimal("0.70"),
        discipline_weight=Decimal("0.30"),
        performance_factors={
            SB: Decimal("1.10"),
            B: Decimal(1),
            BP: Decimal("0.8"),
            K: Decimal("0.5"),
            SK: Decimal(0),
        },
    )
    # 1,000,000 × (0.70 × 1.10 + 0.30 × 0.50) = 770,000 + 150,000
    result = tpp(
        base=Decimal(1_000_000),
        predikat=SB,
        discipline_factor=Decimal("0.5"),
        cut_percent=Decimal(0),
        config=config,
    )
    assert (result.performance_part, result.discipline_part, result.total) == (
        Decimal(770_000),
        Decimal(150_000),
        Decimal(920_000),
    )


def test_it_defaults_to_the_domain_weights_and_factors() -> None:
    assert DEFAULT_TPP.performance_weight == Decimal("0.60")
    assert DEFAULT_TPP.discipline_weight == Decimal("0.40")
    assert dict(DEFAULT_TPP.performance_factors) == {
        SB: Decimal(1),
        B: Decimal(1),
        BP: Decimal("0.75"),
        K: Decimal("0.50"),
        SK: Decimal("0.25"),
    }
    assert hash(DEFAULT_TPP) == hash(TppConfig())


def test_it_freezes_the_factors_of_a_configuration() -> None:
    factors = dict(DEFAULT_TPP.performance_factors)
    config = TppConfig(performance_factors=factors)
    factors[B] = Decimal(0)
    assert config.performance_factors[B] == Decimal(1)
    with pytest.raises(TypeError):
        config.performance_factors[B] = Decimal(0)  # type: ignore[index]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"performance_weight": Decimal("0.6"), "discipline_weight": Decimal("0.5")},
            "berjumlah 1",
        ),
        (
            {"performance_weight": Decimal("1.2"), "discipline_weight": Decimal("-0.2")},
            "Bobot kinerja",
        ),
        ({"performance_factors": {SB: Decimal(1)}}, "belum diisi untuk: Baik"),
        (
            {"performance_factors": {**DEFAULT_TPP.performance_factors, K: Decimal("-0.5")}},
            "Faktor kinerja Kurang/Misconduct",
        ),
    ],
)
def test_it_rejects_an_inconsistent_configuration(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TppConfig(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("base", "discipline", "cut", "message"),
    [
        ("-1", "1", "0", "Besaran dasar TPP"),
        ("1000", "1.01", "0", "Faktor disiplin"),
        ("1000", "-0.01", "0", "Faktor disiplin"),
        ("1000", "1", "100.5", "Persentase potongan"),
        ("1000", "1", "-1", "Persentase potongan"),
        ("NaN", "1", "0", "terhingga"),
    ],
)
def test_it_rejects_out_of_range_tpp_inputs(
    base: str, discipline: str, cut: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        tpp(
            base=Decimal(base),
            predikat=B,
            discipline_factor=Decimal(discipline),
            cut_percent=Decimal(cut),
        )


def test_it_pays_nothing_under_a_full_cut() -> None:
    result = tpp(
        base=Decimal(3_000_000), predikat=SB, discipline_factor=Decimal(1), cut_percent=Decimal(100)
    )
    assert result.total == 0
