"""Forms of the assessment app: they parse input; the services validate and write."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import CheckboxField, name_empty_choices
from kinerja.rules import berakhlak
from kinerja.rules.periods import Period

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
    """Finalising locks results and sends them to the employees in one step: the official
    confirms it explicitly (a checkbox checked on the server, not a script's dialog), and
    confirms again when the period has not ended yet."""

    justification = forms.CharField(
        label=_("Justifikasi pelanggaran kurva distribusi"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila sebaran predikat melanggar kurva. Dicatat dan dilihat BKPSDM."),
    )
    confirm = CheckboxField(
        label=_(
            "Saya sudah memeriksa penilaian di atas. Setelah final, hasil terkunci dan dikirim "
            "ke pegawai; perubahan hanya melalui keberatan."
        ),
        error_messages={"required": _("Centang konfirmasi bahwa penilaian sudah Anda periksa.")},
    )

    def __init__(self, *args, period: Period | None = None, today: date | None = None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if period is not None and today is not None and not period.has_ended(today):
            self.fields["early"] = CheckboxField(
                label=_(
                    "%(p)s belum berakhir (berakhir %(d)s): realisasi bulan terakhirnya mungkin "
                    "belum lengkap. Saya tetap memfinalkan sekarang."
                )
                % {"p": period.label, "d": date_format(period.end, "j F Y")},
                error_messages={
                    "required": _(
                        "Periode belum berakhir: centang pernyataan ini bila tetap memfinalkan."
                    )
                },
            )
            self.order_fields(["justification", "early", "confirm"])


class CalibrationReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan untuk pejabat penilai"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Apa yang perlu ditinjau, misalnya: sebaran melanggar kurva (Baik paling banyak 70%); "
            "tinjau kembali rating pegawai yang capaiannya di bawah target."
        ),
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


class MultipleFileField(forms.FileField):
    """Several files in one field. A plain FileField given the list that MultipleFileInput
    returns rejects it as "no file was submitted"; each file is cleaned on its own here."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        single = super().clean
        items = [item for item in data if item] if isinstance(data, list | tuple) else [data]
        if len(items) > 1 or (items and items[0]):
            return [single(item, initial) for item in items]
        cleaned = single(None, initial)  # "required" is checked here
        return [cleaned] if cleaned else []


class ObjectionForm(forms.Form):
    reasons = forms.CharField(
        label=_("Alasan keberatan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Jelaskan bagian penilaian yang Anda keberatan dan alasannya."),
    )
    files = MultipleFileField(
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
