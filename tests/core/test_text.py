"""kinerja.core.text: what shows nothing does not count as written."""

from __future__ import annotations

import pytest

from kinerja.core.text import trimmed, visible_length


@pytest.mark.parametrize(
    "text, kept, length",
    [
        (None, "", 0),
        ("", "", 0),
        ("  Alasan  ", "Alasan", 6),
        ("\u200b\ufeff\u200e\u2060", "", 0),
        ("\u0301\u0301", "", 0),
        ("\u200bcafe\u0301\u200b", "cafe\u0301", 4),
        ("Satu\u200b dua\n", "Satu\u200b dua", 8),
        ("Nilai saya tidak adil", "Nilai saya tidak adil", 21),
        ("a\u200b \u200b b", "a\u200b \u200b b", 4),
        ("\u00a0\u3000Nama\u2028", "Nama", 4),
    ],
    ids=repr,
)
def test_trimmed_and_visible_length(text: str | None, kept: str, length: int) -> None:
    assert trimmed(text) == kept
    assert visible_length(text) == length


def test_the_rewards_required_text_refuses_what_shows_nothing() -> None:
    from django.core.exceptions import ValidationError

    from kinerja.rewards.services.checks import _text

    with pytest.raises(ValidationError, match="Alasan wajib diisi"):
        _text("\u200b\u2060\ufeff ", "Alasan")
    assert _text("\u200b Terlambat tiga kali \u200b", "Alasan") == "Terlambat tiga kali"
