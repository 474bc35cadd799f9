"""The adoption blocks other pages show: the first-steps checklist and the unread
announcements on the home page (templates/core/home.html loads these tags; kinerja.core does
not import kinerja.adoption)."""

from __future__ import annotations

from typing import Any

from django import template

from kinerja.adoption import selectors

register = template.Library()


@register.inclusion_tag("adoption/_checklist.html", takes_context=True)
def onboarding_checklist(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or request is None or request.session.get("adoption_checklist_hidden"):
        return {"steps": []}
    steps = selectors.onboarding_steps(user)
    if all(step.done for step in steps):
        return {"steps": []}
    return {
        "steps": steps,
        "done": sum(step.done for step in steps),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("adoption/_home_announcements.html", takes_context=True)
def home_announcements(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"items": []}
    return {"items": list(selectors.announcements_for(user, unread_only=True)[:3])}


@register.filter
def share(value: int | None) -> str:
    """A percentage for the dashboard: "73%", or "–" when there is nothing to divide by."""
    return "–" if value is None else f"{value}%"
