"""Page helpers shared by the products' views and forms: the period parameter, pagination,
form errors, the honeypot field, the unit-or-service chooser, the search box.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.organisation.models import Unit
from kinerja.rules.periods import Period, every_period_of_year, parse_period_key

from .common import Target
from .models import Service

# --- Helpers ---------------------------------------------------------------------------------


def period_of_request(request: HttpRequest) -> Period:
    """The period asked for in ?periode= (default: the current year); a bad key falls back to
    the current year with a message."""
    key = request.GET.get("periode", "")
    if key:
        try:
            return parse_period_key(key)
        except ValueError as exc:
            messages.error(request, str(exc))
    return Period.annual(timezone.localdate().year)


def period_context(period: Period) -> dict[str, Any]:
    this_year = timezone.localdate().year
    years = sorted({this_year, this_year - 1, period.year}, reverse=True)
    return {
        "period": period,
        "period_choices": [p for y in years for p in every_period_of_year(y)],
    }


def add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def page_of(request: HttpRequest, qs: Any, size: int = 25) -> Any:
    return Paginator(qs, size).get_page(request.GET.get("page"))


def too_many(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context["too_many"] = True
    return render(request, template, context, status=429)


def admin_required(check: Callable[..., bool], user: Any, obj: Any) -> None:
    if not check(user, obj):
        raise Http404


def regency() -> Any:
    from kinerja.organisation.services import regency_get_cached

    return regency_get_cached()


# --- Form pieces -----------------------------------------------------------------------------


HONEYPOT = "website"


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, skipped by keyboard and screen readers); a bot
    that fills it is answered as if it succeeded and nothing is stored."""

    website = forms.CharField(
        label=_("Jangan isi kolom ini"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT))


class TargetField(forms.ChoiceField):
    """Which unit, or which of its services: one list grouped by unit, no JavaScript needed.
    Values are "u<unit id>" or "s<service id>"; cleaning gives (unit, service or None)."""

    def __init__(self, *, targets: list[Target] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error_messages["invalid_choice"] = _("Pilihan tidak dikenal.")
        self.set_targets(targets or [])

    def set_targets(self, targets: list[Target]) -> None:
        self.units = {t.unit.pk: t.unit for t in targets}
        self.services = {s.pk: s for t in targets for s in t.services}
        choices: list[Any] = [("", "—")]
        for t in targets:
            group = [(f"u{t.unit.pk}", _("%(unit)s (umum)") % {"unit": t.unit.name})]
            group += [(f"s{s.pk}", s.name) for s in t.services]
            choices.append((t.unit.name, group))
        self.choices = choices

    def clean(self, value: Any) -> tuple[Unit, Service | None] | None:  # type: ignore[override]
        value = super().clean(value)
        if not value:
            return None
        try:
            number = int(value[1:])
        except ValueError:
            raise forms.ValidationError(_("Pilihan tidak dikenal.")) from None
        if value[0] == "s" and number in self.services:
            service = self.services[number]
            return self.units[service.unit_id], service
        if value[0] == "u" and number in self.units:
            return self.units[number], None
        raise forms.ValidationError(_("Pilihan tidak dikenal."))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
