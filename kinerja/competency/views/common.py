"""Request helpers shared by the page modules of kinerja.competency.views (package-private):
validation messages, the year parameter, the signed-in employee."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from kinerja.core.params import year_param
from kinerja.organisation.models import Employee


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("tahun"), strict=True)


def _employee_or_404(request: HttpRequest) -> Employee:
    if request.user.employee_id is None:  # type: ignore[union-attr]
        raise Http404
    return request.user.employee  # type: ignore[union-attr]
