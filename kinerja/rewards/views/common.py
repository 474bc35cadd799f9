"""Request helpers shared by the page modules of kinerja.rewards.views (package-private):
validation messages, bounded integer and year parameters, paging."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest

from kinerja.core.params import int_param, year_param


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _int(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    value = int_param(request.GET.get(name), name, default=default, minimum=low, maximum=high)
    return default if value is None else value


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("tahun"), strict=True)


def _page(request: HttpRequest, items, per_page: int = 25):  # type: ignore[no-untyped-def]
    return Paginator(items, per_page).get_page(request.GET.get("page"))
