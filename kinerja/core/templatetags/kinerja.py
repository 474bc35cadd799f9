"""Template helpers shared by all apps: numbers in Indonesian style, percentages."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


def _id_number(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places) if places else Decimal(1)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{places}f}"
    # Indonesian style: thousands with a dot, decimals with a comma.
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@register.filter
def num(value: Any, places: int | None = None) -> str:
    """A number as Indonesians write it (1.234,5); trailing zeros dropped unless places given."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if places is None:
        normalised = number.normalize()
        exponent = normalised.as_tuple().exponent
        places = max(0, min(-exponent, 4)) if isinstance(exponent, int) else 0
    return _id_number(number, int(places))


@register.filter
def plain(value: Any) -> str:
    """A number for an input field: no thousands separator, decimal comma (1234,5)."""
    if value is None or value == "":
        return ""
    text = format(Decimal(str(value)).normalize(), "f")
    return text.replace(".", ",")


@register.filter
def pct(value: Any, places: int = 1) -> str:
    """A percentage with one decimal: 95,3%."""
    if value is None or value == "":
        return "—"
    return f"{_id_number(Decimal(str(value)), places)}%"


@register.simple_tag
def comments_for(view: Any, kind: str, pk: int) -> list[Any]:
    """The feedback thread on one part of a plan (from the PlanView's preloaded comments)."""
    return view.comments.get((kind, pk), []) if view is not None else []


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
