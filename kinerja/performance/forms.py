from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT, ManagementForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.core import figures
from kinerja.core.params import whole_number
from kinerja.rules.assessment import target_allowed
from kinerja.rules.calendar import MONTHS

from .choices import ActionStatus, Aggregation, Aspek, IndicatorSource, Polarity, RhkKind
from .models import Indicator, OrgGoal, Rhk
from .services import RealisationInput, decimal_text, parse_value


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
        return parse_value(self.cleaned_data["target"])

    def clean_monthly_targets(self) -> list[str] | None:
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


class RealisationRowForm(forms.Form):
    """One indicator's month in the realisation grid. Its fields keep the page's names,
    `value-<indicator id>`, `narrative-<id>` and `revision-<id>` (the offline draft and the
    browser journeys use them), so the grid posts no formset prefix."""

    value = forms.CharField(required=False)
    narrative = forms.CharField(required=False, strip=False)
    revision = forms.CharField(required=False, strip=False)

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        self.indicator = indicator
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # The grid's messages are the services' (parse_value, realisation_save_month).
            field.validators = []

    def add_prefix(self, field_name: str) -> str:
        return f"{field_name}-{self.indicator.pk}"

    def clean_value(self) -> Decimal | None:
        """The typed number; None for an empty cell or an automatic indicator (the system
        fills those: whatever was posted for them is ignored)."""
        raw = self.cleaned_data["value"]
        if not raw or self.indicator.source != IndicatorSource.MANUAL:
            return None
        return parse_value(raw)

    def clean_revision(self) -> int | None:
        """The revision the page showed (None: it showed no entry)."""
        raw = self.cleaned_data["revision"]
        return whole_number(raw)

    @property
    def submitted(self) -> tuple[str, str]:
        """The value and narrative as typed, to show again when the month is not saved."""
        return (
            str(self["value"].value() or "").strip(),
            str(self["narrative"].value() or ""),
        )

    def realisation_input(self) -> RealisationInput | None:
        value = self.cleaned_data["value"]
        if value is None:
            return None
        return RealisationInput(
            indicator=self.indicator,
            value=value,
            narrative=self.cleaned_data["narrative"],
            revision=self.cleaned_data["revision"],
        )


class BaseRealisationGrid(forms.BaseFormSet):
    """A month of one plan: one RealisationRowForm per indicator of the plan. The rows are the
    plan's indicators, not a count the page posts, so there is no management form to send."""

    def __init__(self, data: Any = None, *, indicators: Iterable[Indicator]) -> None:
        self.indicators = list(indicators)
        super().__init__(data, prefix="grid")

    @property
    def management_form(self) -> ManagementForm:  # the page posts none
        count = len(self.indicators)
        form = ManagementForm(
            {
                f"{self.prefix}-{TOTAL_FORM_COUNT}": count,
                f"{self.prefix}-{INITIAL_FORM_COUNT}": count,
            },
            prefix=self.prefix,
        )
        form.full_clean()
        return form

    def total_form_count(self) -> int:
        return len(self.indicators)

    def initial_form_count(self) -> int:
        return len(self.indicators)  # every row is checked, none is an optional extra

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        assert index is not None  # the grid has no empty form
        return {"indicator": self.indicators[index]}

    def submitted(self) -> tuple[dict[int, str], dict[int, str]]:
        """Per indicator id: the value and the narrative as typed."""
        typed = {form.indicator.pk: form.submitted for form in self.forms}
        return (
            {pk: value for pk, (value, _n) in typed.items()},
            {pk: narrative for pk, (_v, narrative) in typed.items()},
        )

    def row_errors(self) -> dict[int, str]:
        """Per indicator id: the first problem of its row."""
        return {
            form.indicator.pk: next(iter(form.errors.values()))[0]
            for form in self.forms
            if form.errors
        }

    def inputs(self) -> list[RealisationInput]:
        """The rows to save: the manual indicators with a value."""
        return [row for form in self.forms if (row := form.realisation_input()) is not None]


RealisationGridFormSet = forms.formset_factory(
    RealisationRowForm, formset=BaseRealisationGrid, extra=0
)


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
