"""The form of the SIASN export page: year, period (one periodic period or the annual one) and
an optional unit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.organisation.models import Unit
from kinerja.rules.periods import Period

from .. import selectors as assessment_selectors
from .selectors import BadRequest, resolve_period


def period_choices() -> list[tuple[str, str]]:
    """("T1", "Triwulan I") … ("tahunan", "Tahunan"), by the regency's periodicity."""
    sample = assessment_selectors.periods(2000)
    return [
        ("tahunan" if p.is_annual else p.code.split("-", 1)[1], p.label.removesuffix(" 2000"))
        for p in sample
    ]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class SiasnForm(forms.Form):
    tahun = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    periode = forms.ChoiceField(label=_("Periode"), choices=())
    unit = UnitChoiceField(
        label=_("Unit kerja (opsional)"),
        queryset=Unit.objects.filter(is_active=True).order_by("path"),
        required=False,
        empty_label=_("Seluruh kabupaten"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = period_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("tahun") and data.get("periode"):
            try:
                data["period"] = resolve_period(data["tahun"], data["periode"])
            except BadRequest as exc:
                raise forms.ValidationError(str(exc)) from None
        return data

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]  # type: ignore[no-any-return]
