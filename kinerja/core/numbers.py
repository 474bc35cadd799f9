"""How the whole interface and every document writes a number: the Indonesian way, whatever
language the page is in — thousands with a dot, decimals with a comma (1.787,5; 103,61%).

This is the one implementation: the template filters ``num``, ``pct`` and ``plain``
(kinerja.core.templatetags.kinerja), the public ``comma`` filter, the SVG charts, and Python
code that puts a number into a sentence all call these functions. Never print a Decimal or a
float straight into a page or a PDF: Django would localise it by the active language (and not at
all when it is already a string, as in the frozen assessment documents)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

__all__ = [
    "EMPTY",
    "decimal_text",
    "format_number",
    "format_percent",
    "input_number",
    "to_decimal",
    "unclear_number",
    "unclear_number_message",
]

EMPTY = "—"
MAX_AUTO_PLACES = 4
MAX_WRITTEN_DIGITS = 60  # a number with more digits before the point is written as Decimal does


def to_decimal(value: Any) -> Decimal | None:
    """The value as a Decimal; None for None, "" and anything that is not a finite number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if type(value) is Decimal:  # what str() and back would give: the same digits and exponent
        return value if value.is_finite() else None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _places_of(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, min(-exponent, MAX_AUTO_PLACES)) if isinstance(exponent, int) else 0


_QUANTA = {places: Decimal(1).scaleb(-places) if places else Decimal(1) for places in range(9)}
_SWAP_SEPARATORS = str.maketrans({",": ".", ".": ","})


def _indonesian(number: Decimal, places: int) -> str:
    if number.adjusted() >= MAX_WRITTEN_DIGITS:  # 1E+1000000000 is not written out in full
        return str(number)
    quantum = _QUANTA.get(places) or Decimal(1).scaleb(-places)
    # The default context keeps 28 digits: a longer result (10**27 with two places) needs more.
    digits = number.adjusted() + 1 + places
    wide = Context(prec=digits + 1) if digits >= 28 else None
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP, context=wide)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0"
    return f"{rounded:,.{places}f}".translate(_SWAP_SEPARATORS)


def format_number(value: Any, places: int | None = None, *, empty: str = EMPTY) -> str:
    """1787.5 → "1.787,5". Rounded half up to ``places`` decimals; without ``places``, trailing
    zeros are dropped (at most four decimals). A string that is not a number is returned as it
    is; None or "" gives ``empty``."""
    if value is None or value == "":
        return empty
    number = to_decimal(value)
    if number is None:
        return str(value)
    return _indonesian(number, _places_of(number) if places is None else int(places))


def format_percent(value: Any, places: int = 1, *, empty: str = EMPTY) -> str:
    """103.614 → "103,6%" (``places`` decimals, half up); None gives ``empty``."""
    if value is None or value == "":
        return empty
    number = to_decimal(value)
    if number is None:
        return str(value)
    return f"{_indonesian(number, int(places))}%"


def input_number(value: Any) -> str:
    """A number for an input field: no thousands separator, decimal comma (1234,5)."""
    number = to_decimal(value)
    if number is None:
        return "" if value is None else str(value)
    return format(number.normalize(), "f").replace(".", ",")


_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+")


_GROUPED_DECIMAL = re.compile(r"\d{1,3}(\.\d{3})+,\d+")  # 1.234,5


def unclear_number(text: Any) -> bool:
    """Whether typed text mixes a comma and dots in another way than the Indonesian 1.234,5:
    "1,234.5" (English grouping), "12.34,5". Read the Indonesian way, "1,234.5" would be a
    thousand times too small, so it is refused (unclear_number_message) rather than guessed."""
    text = str(text).strip().replace(" ", "")
    return "," in text and "." in text and not _GROUPED_DECIMAL.fullmatch(text)


def unclear_number_message(text: Any) -> str:
    return _(
        "Format angka “%(v)s” tidak jelas: gunakan koma untuk desimal dan titik untuk ribuan, "
        "misalnya 1.234,5 atau 1234,5."
    ) % {"v": text}


def decimal_text(text: str) -> str:
    """A number as a person types it the Indonesian way, rewritten in the notation Decimal reads:
    "7,5" → "7.5"; "1.234,5" → "1234.5"; "1.200" → "1200" (twelve hundred in Indonesian
    writing); "7.5" stays. Spaces are dropped. Not a check: what is not a number stays one, and
    an unclear mix of separators (unclear_number) is the caller's to refuse first."""
    text = str(text).strip().replace(" ", "")
    if "," in text and "." in text:
        return text.replace(".", "").replace(",", ".")  # 1.234,5 (Indonesian grouping)
    if "," in text:
        return text.replace(",", ".")  # Indonesian decimal comma: 7,5
    if _GROUPED.fullmatch(text):
        return text.replace(".", "")  # 1.200
    return text
