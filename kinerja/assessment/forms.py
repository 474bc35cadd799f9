"""Forms of the assessment app: they parse input; the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import name_empty_choices
from kinerja.rules import berakhlak

from .choices import OrgPredikat, Rating

RATING_CHOICES = [("", "—"), *Rating.choices]


class RatingForm(forms.Form):
    """The assessing official's ratings: one per BerAKHLAK value, then the two ratings."""

    hasil = forms.ChoiceField(label=_("Rating hasil kerja"), choices=RATING_CHOICES)
    hasil_reason = forms.CharField(
        label=_("Alasan bila berbeda dari saran"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    perilaku = forms.ChoiceField(label=_("Rating perilaku kerja"), choices=RATING_CHOICES)
    perilaku_reason = forms.CharField(
        label=_("Alasan bila berbeda dari saran"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for value in berakhlak.VALUES:
            self.fields[f"v_{value.code}"] = forms.ChoiceField(
                label=f"{value.number}. {value.name}",
                choices=RATING_CHOICES,
                widget=forms.RadioSelect,
            )
        name_empty_choices(self)

    def value_fields(self):  # type: ignore[no-untyped-def]
        return [self[f"v_{v.code}"] for v in berakhlak.VALUES]

    def behaviour(self) -> dict[str, str]:
        return {v.code: self.cleaned_data.get(f"v_{v.code}", "") for v in berakhlak.VALUES}


class FinaliseForm(forms.Form):
    justification = forms.CharField(
        label=_("Justifikasi pelanggaran kurva distribusi"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila sebaran predikat melanggar kurva. Dicatat dan dilihat BKPSDM."),
    )


class OrgPredikatForm(forms.Form):
    predikat = forms.ChoiceField(label=_("Predikat organisasi"), choices=OrgPredikat.choices)
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ObjectionForm(forms.Form):
    reasons = forms.CharField(
        label=_("Alasan keberatan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Jelaskan bagian penilaian yang Anda keberatan dan alasannya."),
    )
    files = forms.FileField(
        label=_("Lampiran (PDF, JPG, atau PNG; maksimal 5 MB per berkas)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class ExplanationForm(forms.Form):
    body = forms.CharField(
        label=_("Penjelasan Anda"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("uphold", _("Kuatkan penilaian")), ("change", _("Ubah penilaian"))],
        widget=forms.RadioSelect,
    )
    hasil = forms.ChoiceField(
        label=_("Rating hasil kerja baru"), choices=RATING_CHOICES, required=False
    )
    perilaku = forms.ChoiceField(
        label=_("Rating perilaku kerja baru"), choices=RATING_CHOICES, required=False
    )
    reason = forms.CharField(
        label=_("Alasan keputusan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        name_empty_choices(self)
