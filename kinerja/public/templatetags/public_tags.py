from typing import Any

from django import template

from kinerja.core import access

register = template.Library()


@register.simple_tag
def can_use_public_admin(user: Any) -> bool:
    """The menu link to the public-services pages (role only, no query)."""
    return access.can_use_public_admin(user)


@register.filter
def comma(value: Any) -> str:
    """A decimal with the Indonesian decimal comma (91.48 → 91,48); "—" for None."""
    if value is None or value == "":
        return "—"
    return str(value).replace(".", ",")
