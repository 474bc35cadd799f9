from typing import Any

from django import template

from kinerja.core.numbers import EMPTY, format_number, to_decimal
from kinerja.organisation import access

register = template.Library()


@register.simple_tag
def can_use_public_admin(user: Any) -> bool:
    """The menu link to the public-services pages (role only, no query)."""
    return access.can_use_public_admin(user)


@register.filter
def comma(value: Any) -> str:
    """A figure with the decimals it carries, written the Indonesian way (91.48 → 91,48;
    12345.50 → 12.345,50) by kinerja.core.numbers; "—" for None."""
    number = to_decimal(value)
    if number is None:
        return EMPTY if value is None or value == "" else str(value)
    exponent = number.as_tuple().exponent
    return format_number(number, max(0, -exponent) if isinstance(exponent, int) else 0)
