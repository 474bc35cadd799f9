"""An Indonesian telephone number as a citizen types it: a check of its shape, not a regulation
(so it lives in core, not in kinerja.rules).

Valid: 8 to 15 digits (the longest number E.164 allows is 15), optionally led by "+62" (the
country code) or "0" (the trunk prefix), with spaces or dashes between groups:
"0812-3456-7890", "+62 812 3456 7890", "(0274) 512345" is not (no brackets), nor "abc" or "-1".
The number is kept as typed (trimmed); only its shape is checked. The message is an
Indonesian sentence (through gettext) meant to be shown as it is.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy

__all__ = ["MAX_PHONE_DIGITS", "MIN_PHONE_DIGITS", "PHONE_MESSAGE", "InvalidPhone", "check_phone"]

MIN_PHONE_DIGITS = 8
MAX_PHONE_DIGITS = 15
PHONE_MESSAGE = gettext_lazy(
    "Nomor telepon tidak valid: tulis 8–15 angka, boleh diawali +62 atau 0 dan dipisah spasi "
    "atau tanda hubung, misalnya 0812-3456-7890."
)

# Digits in groups separated by one space or dash, optionally after "+62"; starts and ends
# with a digit (so "-1" and "0812-" are refused).
_SHAPE = re.compile(r"(?:\+62[ -]?)?\d+(?:[ -]\d+)*")


class InvalidPhone(ValueError):
    """A telephone number of the wrong shape; str() is PHONE_MESSAGE."""


def check_phone(text: str) -> str:
    """The number, trimmed, when it is a valid Indonesian telephone number; "" stays "" (the
    field is optional). Otherwise raises InvalidPhone."""
    value = text.strip()
    if not value:
        return ""
    digits = sum(ch.isdigit() for ch in value)
    if (
        not value.isascii()
        or not _SHAPE.fullmatch(value)
        or not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS
    ):
        raise InvalidPhone(str(PHONE_MESSAGE))
    return value
