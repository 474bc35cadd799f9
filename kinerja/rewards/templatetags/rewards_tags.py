"""Menu entries of the rewards app, decided by organisation.access on the role alone (no query)."""

from __future__ import annotations

from typing import Any

from django import template

from kinerja.organisation import access

register = template.Library()


@register.simple_tag
def rewards_nav(user: Any) -> dict[str, bool]:
    return {"tpp": access.can_view_rewards_admin(user)}
