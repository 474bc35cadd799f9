import pytest

from kinerja.core.phone import PHONE_MESSAGE, InvalidPhone, check_phone


@pytest.mark.parametrize(
    "text",
    [
        "0812-3456-7890",
        "+62 812 3456 7890",
        "+6281234567890",
        "081234567890",
        "0274 512345",
        "12345678",
        "  0812 3456 789  ",
    ],
)
def test_it_accepts_indonesian_numbers(text: str) -> None:
    assert check_phone(text) == text.strip()


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "-1",
        "1234567",
        "0812-",
        "+1 555 123 4567",
        "+62",
        "0812--3456-7890",
        "1234567890123456",
        "(0274) 512345",
        "0812 3456 789 (WA)",
        "٠٨١٢٣٤٥٦٧٨٩",
    ],
)
def test_it_refuses_anything_else_with_one_message(text: str) -> None:
    with pytest.raises(InvalidPhone) as caught:
        check_phone(text)
    assert str(caught.value) == str(PHONE_MESSAGE)


def test_an_empty_number_stays_empty() -> None:
    assert check_phone("") == check_phone("   ") == ""
