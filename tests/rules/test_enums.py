import pytest

import kinerja.rules
from kinerja.rules import Mutu, OrgPredikat, Polarity, Predikat, Rating
from kinerja.rules.enums import LabelledEnum

EXPECTED = {
    Rating: [
        ("di_atas", "Di Atas Ekspektasi"),
        ("sesuai", "Sesuai Ekspektasi"),
        ("di_bawah", "Di Bawah Ekspektasi"),
    ],
    Predikat: [
        ("sangat_baik", "Sangat Baik"),
        ("baik", "Baik"),
        ("butuh_perbaikan", "Butuh Perbaikan"),
        ("kurang", "Kurang/Misconduct"),
        ("sangat_kurang", "Sangat Kurang"),
    ],
    OrgPredikat: [
        ("istimewa", "Istimewa"),
        ("baik", "Baik"),
        ("butuh_perbaikan", "Butuh Perbaikan (Cukup)"),
        ("kurang", "Kurang"),
        ("sangat_kurang", "Sangat Kurang"),
    ],
    Polarity: [
        ("higher_is_better", "Semakin tinggi semakin baik"),
        ("lower_is_better", "Semakin rendah semakin baik"),
    ],
    Mutu: [("A", "Sangat Baik"), ("B", "Baik"), ("C", "Kurang Baik"), ("D", "Tidak Baik")],
}


@pytest.mark.parametrize("enum", list(EXPECTED), ids=lambda e: e.__name__)
def test_it_lists_choices_as_value_and_official_label(enum: type[LabelledEnum]) -> None:
    assert enum.choices() == EXPECTED[enum]


@pytest.mark.parametrize("enum", list(EXPECTED), ids=lambda e: e.__name__)
def test_it_gives_every_member_its_label_and_round_trips_the_value(
    enum: type[LabelledEnum],
) -> None:
    for member, (value, label) in zip(enum, EXPECTED[enum], strict=True):
        assert member.value == value
        assert member.label == label
        assert enum(value) is member
        assert str(member) == value


def test_it_uses_the_contract_values() -> None:
    assert Rating.DI_ATAS.value == "di_atas"
    assert Predikat.KURANG.value == "kurang"
    assert Mutu.A.value == "A"


def test_it_reexports_the_enums_from_the_package() -> None:
    assert set(kinerja.rules.__all__) == {"Mutu", "OrgPredikat", "Polarity", "Predikat", "Rating"}
    assert kinerja.rules.Rating is Rating


def test_it_refuses_an_enum_whose_labels_do_not_match_its_members() -> None:
    from kinerja.rules.enums import _labelled

    class Incomplete(LabelledEnum):
        ONE = "one"
        TWO = "two"

    with pytest.raises(TypeError, match="Incomplete"):
        _labelled(ONE="Satu")(Incomplete)
