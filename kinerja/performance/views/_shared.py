"""What the performance pages share: messages from a service's ValidationError, running one
workflow step, the way back to the plan, the plan as its owner or its assessor sees it, the
`?tahun` of a page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from kinerja.core.params import year_param
from kinerja.organisation import access

from .. import selectors
from ..models import Plan


def error_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def act(request: HttpRequest, call: Any, done: str | Callable[[Any], str]) -> None:
    """Run one workflow service: its success message (`done`, or `done(result)`), or its
    validation errors as messages."""
    try:
        result = call()
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, done(result) if callable(done) else done)


def back_to_plan(plan: Plan, anchor: str = "") -> HttpResponse:
    return redirect(reverse("performance:plan_detail", args=[plan.pk]) + anchor)


def owned_plan(request: HttpRequest, pk: int) -> Plan:
    plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
    if not access.is_plan_owner(request.user, plan):
        raise Http404
    return plan


def assessed_plan(request: HttpRequest, pk: int) -> Plan:
    plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
    if not access.is_plan_assessor(request.user, plan):
        raise Http404
    return plan


def page_year(request: HttpRequest) -> int:
    return year_param(request.GET.get("tahun"))
