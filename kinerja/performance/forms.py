from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.core import figures
from kinerja.rules.assessment import target_allowed
from kinerja.rules.calendar import MONTHS

from .choices import ActionStatus, Aggregation, Aspek, IndicatorSource, Polarity, RhkKind
from .models import OrgGoal, Rhk


class PlanCreateForm(forms.Form):
    START_CHOICES = [("blank", _("Mulai dari kosong")), ("copy", _("Salin SKP tahun lalu"))]
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    start = forms.ChoiceField(
        label=_("Cara memulai"), choices=START_CHOICES, initial="blank", widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class RhkForm(forms.ModelForm):
    class Meta:
        model = Rhk
        fields = ["kind", "text", "parent", "goal"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, parents: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = RhkKind.choices
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda r: f"[{r.get_kind_display()}] {r.text}"
        self.fields["parent"].empty_label = _("— pilih RHK atasan —")
        self.fields["goal"].queryset = goals
        self.fields["goal"].empty_label = _("— pilih sasaran OPD —")
        if not goals.exists():
            del self.fields["goal"]
        self.fields["text"].help_text = _(
            "Hasil kerja yang akan Anda capai, misalnya "
            "“Terlaksananya pelayanan kesehatan perorangan”."
        )


class IndicatorForm(forms.Form):
    aspek = forms.ChoiceField(label=_("Aspek"), choices=Aspek.choices)
    name = forms.CharField(label=_("Indikator kinerja individu"), max_length=400)
    unit_of_measure = forms.CharField(
        label=_("Satuan"), max_length=50, help_text=_("Misalnya pasien, dokumen, persen, menit.")
    )
    target = forms.CharField(
        label=_("Target tahunan"),
        max_length=30,
        help_text=_("Angka; pakai koma untuk desimal, misalnya 7,5."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    polarity = forms.ChoiceField(label=_("Arah capaian"), choices=Polarity.choices)
    aggregation = forms.ChoiceField(
        label=_("Cara menghitung setahun dari nilai bulanan"), choices=Aggregation.choices
    )
    source = forms.ChoiceField(
        label=_("Sumber realisasi"),
        choices=IndicatorSource.choices,
        initial=IndicatorSource.MANUAL,
        required=False,
        help_text=_(
            "Indikator otomatis diisi sistem dari survei kepuasan (IKM) atau pengaduan, "
            "dan tidak dapat diubah manual."
        ),
    )
    source_ref = forms.CharField(
        label=_("Kode layanan (untuk IKM)"),
        required=False,
        max_length=60,
    )
    monthly_targets = forms.CharField(
        label=_("Target bulanan (opsional)"),
        required=False,
        help_text=_(
            "12 angka dipisah titik koma, Januari sampai Desember. Kosongkan bila target "
            "dibagi rata."
        ),
    )

    def clean_target(self) -> Decimal:
        from .services import parse_value

        return parse_value(self.cleaned_data["target"])

    def clean_monthly_targets(self) -> list[str] | None:
        from .services import decimal_text, parse_value

        raw = self.cleaned_data["monthly_targets"].strip()
        if not raw:
            return None
        parts = raw.split(";")
        if len(parts) != 12:
            raise forms.ValidationError(
                _("Isi tepat 12 angka (Januari–Desember), dipisah titik koma.")
            )
        return [decimal_text(parse_value(p)) for p in parts]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["source"] = cleaned.get("source") or IndicatorSource.MANUAL
        if cleaned.get("source") == IndicatorSource.IKM:
            code = (cleaned.get("source_ref") or "").strip().upper()
            if not figures.value("public.service_exists", default=False, code=code):
                self.add_error("source_ref", _("Kode layanan tidak dikenal."))
            cleaned["source_ref"] = code
        else:
            cleaned["source_ref"] = ""
        target, polarity = cleaned.get("target"), cleaned.get("polarity")
        if target is not None and polarity and not target_allowed(target, polarity):
            self.add_error(
                "target",
                _(
                    "Target 0 hanya untuk indikator yang semakin rendah semakin "
                    "baik (misalnya “nol kematian ibu”)."
                ),
            )
        return cleaned


class LampiranForm(forms.Form):
    dukungan_sumber_daya = forms.CharField(
        label=_("Dukungan sumber daya"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    skema_pertanggungjawaban = forms.CharField(
        label=_("Skema pertanggungjawaban"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    konsekuensi = forms.CharField(
        label=_("Konsekuensi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class ExpectationForm(forms.Form):
    expectation = forms.CharField(
        label=_("Ekspektasi khusus pimpinan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan untuk pegawai"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class CommentForm(forms.Form):
    target = forms.ChoiceField(
        choices=[("realisation", "realisation"), ("rhk", "rhk"), ("behaviour", "behaviour")],
        widget=forms.HiddenInput,
    )
    target_id = forms.IntegerField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Umpan balik"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas bukti"),
        required=False,
        help_text=_("PDF, JPG, PNG, XLSX, atau DOCX; maksimal 10 MB."),
    )
    url = forms.URLField(label=_("atau tautan"), required=False, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("url"):
            raise forms.ValidationError(_("Pilih berkas atau isi tautan."))
        return cleaned


class DialogForm(forms.Form):
    held_on = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.CharField(label=_("Peserta"), max_length=300)
    notes = forms.CharField(
        label=_("Catatan pembicaraan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    action_1 = forms.CharField(label=_("Tindak lanjut 1"), required=False, max_length=500)
    due_1 = forms.DateField(
        label=_("Tenggat 1"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action_2 = forms.CharField(label=_("Tindak lanjut 2"), required=False, max_length=500)
    due_2 = forms.DateField(
        label=_("Tenggat 2"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for i in (1, 2):
            if cleaned.get(f"action_{i}") and not cleaned.get(f"due_{i}"):
                self.add_error(f"due_{i}", _("Isi tenggat untuk tindak lanjut ini."))
        return cleaned

    def actions(self) -> list[tuple[str, Any]]:
        return [
            (self.cleaned_data[f"action_{i}"], self.cleaned_data[f"due_{i}"])
            for i in (1, 2)
            if self.cleaned_data.get(f"action_{i}")
        ]


class ActionForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    follow_up = forms.CharField(label=_("Catatan tindak lanjut"), required=False, max_length=2000)


class GoalForm(forms.ModelForm):
    class Meta:
        model = OrgGoal
        fields = ["number", "sasaran", "indicator", "unit_of_measure", "target", "polarity"]
        widgets = {
            "sasaran": forms.Textarea(attrs={"rows": 2}),
            "indicator": forms.Textarea(attrs={"rows": 2}),
        }


def month_choices() -> list[tuple[int, str]]:
    return list(enumerate(MONTHS, start=1))
