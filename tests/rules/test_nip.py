from datetime import date

import pytest

from kinerja.rules.nip import InvalidNip, Nip, format_nip, parse_nip


def test_it_parses_a_valid_nip_into_its_parts() -> None:
    nip = parse_nip("19860926 201505 1 001")
    assert nip == Nip(
        value="198609262015051001",
        birth_date=date(1986, 9, 26),
        appointment_year=2015,
        appointment_month=5,
        sex="L",
        sequence=1,
    )
    assert nip.formatted == "19860926 201505 1 001"
    assert str(nip) == "19860926 201505 1 001"


def test_it_reads_a_female_nip_and_a_large_sequence() -> None:
    nip = parse_nip("199001152014032999")
    assert (nip.sex, nip.sequence, nip.appointment_month) == ("P", 999, 3)


@pytest.mark.parametrize(
    "text",
    [
        "198609262015051001",
        "  1986 0926 2015 0510 01 ",
        "19860926\t201505\n1 001",
        "19860926 201505 1 001",
    ],
)
def test_it_ignores_whitespace_on_input(text: str) -> None:
    assert parse_nip(text).value == "198609262015051001"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("19860926 201505 1 01", "NIP harus 18 digit angka (tertulis 17 digit)."),
        ("19860926 201505 1 0011", "NIP harus 18 digit angka (tertulis 19 digit)."),
        ("", "NIP harus 18 digit angka (tertulis 0 digit)."),
        ("19860926 2015O5 1 001", "NIP hanya boleh berisi angka."),
        ("1986-09-26 201505 1 001", "NIP hanya boleh berisi angka."),
        ("19860926 201505 1 ٠٠١", "NIP hanya boleh berisi angka."),  # Arabic-Indic digits
        (
            "19860231 201505 1 001",
            "Tanggal lahir pada NIP (digit 1–8) bukan tanggal yang valid: 19860231.",
        ),
        (
            "19861301 201505 1 001",
            "Tanggal lahir pada NIP (digit 1–8) bukan tanggal yang valid: 19861301.",
        ),
        (
            "00000926 201505 1 001",
            "Tanggal lahir pada NIP (digit 1–8) bukan tanggal yang valid: 00000926.",
        ),
        ("19860926 201513 1 001", "Bulan pengangkatan pada NIP (digit 13–14) harus 01–12."),
        ("19860926 201500 1 001", "Bulan pengangkatan pada NIP (digit 13–14) harus 01–12."),
        (
            "19860926 200301 1 001",
            "Tanggal pengangkatan CPNS pada NIP lebih awal dari usia 18 tahun.",
        ),
        (
            "19860926 201505 3 001",
            "Digit jenis kelamin pada NIP (digit 15) harus 1 (laki-laki) atau 2 (perempuan).",
        ),
        (
            "19860926 201505 0 001",
            "Digit jenis kelamin pada NIP (digit 15) harus 1 (laki-laki) atau 2 (perempuan).",
        ),
        ("19860926 201505 1 000", "Nomor urut pada NIP (digit 16–18) tidak boleh 000."),
    ],
)
def test_it_explains_in_indonesian_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidNip) as raised:
        parse_nip(text)
    assert str(raised.value) == message


def test_it_raises_a_value_error_subclass() -> None:
    assert issubclass(InvalidNip, ValueError)
    with pytest.raises(ValueError):
        parse_nip("123")


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        # Born 26 September 1986: the 18th birthday falls in September 2004. The NIP records the
        # appointment month only; the project accepts the month of the 18th birthday itself.
        ("19860926 200408 1 001", False),
        ("19860926 200409 1 001", True),
        ("19860926 200410 1 001", True),
        ("19860926 200312 1 001", False),
        # Born 29 February 2000: the 18th birthday month is February 2018.
        ("20000229 201801 2 001", False),
        ("20000229 201802 2 001", True),
    ],
)
def test_it_accepts_an_appointment_from_the_month_of_the_18th_birthday(
    text: str, valid: bool
) -> None:
    if valid:
        assert parse_nip(text).value == "".join(text.split())
    else:
        with pytest.raises(InvalidNip, match="lebih awal dari usia 18 tahun"):
            parse_nip(text)


def test_it_formats_a_nip_for_display() -> None:
    assert format_nip("198609262015051001") == "19860926 201505 1 001"
    assert format_nip(" 19860926 201505 1 001 ") == "19860926 201505 1 001"


def test_it_formats_by_shape_only_so_legacy_records_stay_displayable() -> None:
    assert format_nip("198602312015051000") == "19860231 201505 1 000"
    with pytest.raises(InvalidNip, match="tertulis 3 digit"):
        format_nip("123")
