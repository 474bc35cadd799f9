"""Template helpers shared by all apps: numbers in Indonesian style (kinerja.core.numbers)."""

from __future__ import annotations

from typing import Any

from django import template

from kinerja.core.numbers import format_number, format_percent, input_number

register = template.Library()


@register.filter
def num(value: Any, places: int | None = None) -> str:
    """A number as Indonesians write it (1.234,5); trailing zeros dropped unless places given."""
    return format_number(value, places)


@register.filter
def plain(value: Any) -> str:
    """A number for an input field: no thousands separator, decimal comma (1234,5)."""
    return input_number(value)


@register.filter
def pct(value: Any, places: int = 1) -> str:
    """A percentage: 95,3% (one decimal unless places given)."""
    return format_percent(value, places)


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
