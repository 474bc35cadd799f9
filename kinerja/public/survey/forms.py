"""Forms of the survey: the citizen's questionnaire, paper questionnaires, services, devices,
follow-up plans and the questionnaire's wording. Every message is Indonesian.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import CheckboxField, name_empty_choices
from kinerja.organisation.models import Employee
from kinerja.rules.calendar import MONTHS

from ..choices import AGE_MAX, AGE_MIN, Education, Occupation, Sex, TimeSlot
from ..models import Service
from ..web import HoneypotMixin
from .responses import PaperRow, Profile
from .selectors import Question


class SurveyForm(HoneypotMixin):
    """The questionnaire on a phone: nine unsur with their four labelled answers, the profile,
    the optional counter or officer, a suggestion."""

    time_slot = forms.ChoiceField(
        label=_("Jam survei"),
        choices=TimeSlot.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih jam survei: 08.00–12.00 atau 13.00–17.00."),
            "invalid_choice": _("Pilih jam survei: 08.00–12.00 atau 13.00–17.00."),
        },
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"),
        choices=Sex.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Jenis kelamin: pilih Laki-laki atau Perempuan.")},
    )
    age = forms.IntegerField(
        label=_("Usia (tahun)"),
        required=False,
        min_value=AGE_MIN,
        max_value=AGE_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Usia paling rendah %(limit_value)s tahun."),
            "max_value": _("Usia paling tinggi %(limit_value)s tahun."),
            "invalid": _("Tulis usia dengan angka, misalnya 35."),
        },
    )
    education = forms.ChoiceField(
        label=_("Pendidikan terakhir"),
        choices=[("", "—"), *Education.choices],
        required=False,
        error_messages={"invalid_choice": _("Pilih pendidikan dari daftar.")},
    )
    occupation = forms.ChoiceField(
        label=_("Pekerjaan"),
        choices=[("", "—"), *Occupation.choices],
        required=False,
        error_messages={"invalid_choice": _("Pilih pekerjaan dari daftar.")},
    )
    suggestion = forms.CharField(
        label=_("Saran untuk perbaikan layanan (boleh dikosongkan)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        service: Service,
        officers: list[Employee] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, q in enumerate(questions, start=1):
            # The citizen reads the question, not the regulation's name of its unsur
            # ("Produk Spesifikasi Jenis Pelayanan"): errors name its number and wording.
            asked = {"n": number, "question": q.question}
            self.fields[q.field] = forms.TypedChoiceField(
                label=q.question,
                choices=[(str(i), label) for i, label in enumerate(q.labels, start=1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Pilih salah satu jawaban untuk pertanyaan %(n)d: “%(question)s”")
                    % asked,
                    "invalid_choice": _(
                        "Jawaban untuk pertanyaan %(n)d tidak dikenal: pilih salah satu dari "
                        "empat jawaban untuk “%(question)s”"
                    )
                    % asked,
                },
            )
        if service.ask_counter and service.counter_list:
            self.fields["counter"] = forms.ChoiceField(
                label=_("Loket yang melayani Anda"),
                required=False,
                choices=[("", "—"), *((c, c) for c in service.counter_list)],
                error_messages={"invalid_choice": _("Pilih loket dari daftar.")},
            )
        if service.ask_officer and officers:
            self.fields["officer"] = forms.TypedChoiceField(
                label=_("Petugas yang melayani Anda"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—"), *((e.pk, e.full_name) for e in officers)],
                error_messages={"invalid_choice": _("Pilih petugas dari daftar.")},
            )
        self.officers = {e.pk: e for e in officers or []}
        name_empty_choices(self)

    def unsur_fields(self) -> list[tuple[Question, forms.BoundField]]:
        return [(q, self[q.field]) for q in self.questions]

    def answers(self) -> list[int]:
        return [self.cleaned_data[q.field] for q in self.questions]

    def profile(self) -> Profile:
        data = self.cleaned_data
        return Profile(
            sex=data.get("sex") or "",
            age=data.get("age"),
            education=data.get("education") or "",
            occupation=data.get("occupation") or "",
        )

    def officer(self) -> Employee | None:
        pk = self.cleaned_data.get("officer")
        return self.officers.get(pk) if pk else None


SLOT_INPUT = {
    "pagi": TimeSlot.MORNING,
    "siang": TimeSlot.AFTERNOON,
    "08.00-12.00": TimeSlot.MORNING,
    "13.00-17.00": TimeSlot.AFTERNOON,
    "1": TimeSlot.MORNING,
    "2": TimeSlot.AFTERNOON,
}
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y"]


class PaperRowForm(forms.Form):
    """One paper questionnaire in the entry grid or one row of an imported XLSX (same rules).
    Unsur may be blank when the respondent skipped them."""

    survey_date = forms.DateField(
        label=_("Tanggal"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Tanggal tidak dikenal; tulis misalnya 2026-11-02.")},
    )
    time_slot = forms.CharField(label=_("Jam"), required=False, max_length=12)
    sex = forms.CharField(label=_("L/P"), required=False, max_length=10)
    age = forms.IntegerField(
        label=_("Usia"),
        required=False,
        min_value=AGE_MIN,
        max_value=AGE_MAX,
        error_messages={
            "min_value": _("Usia paling rendah %(limit_value)s."),
            "max_value": _("Usia paling tinggi %(limit_value)s."),
            "invalid": _("Usia harus angka."),
        },
    )
    education = forms.CharField(label=_("Pendidikan"), required=False, max_length=20)
    occupation = forms.CharField(label=_("Pekerjaan"), required=False, max_length=20)
    suggestion = forms.CharField(label=_("Saran"), required=False, max_length=1000)

    ANSWER_FIELDS = tuple(f"u{i}" for i in range(1, 10))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i, name in enumerate(self.ANSWER_FIELDS, start=1):
            self.fields[name] = forms.IntegerField(
                label=f"U{i}",
                required=False,
                min_value=1,
                max_value=4,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 4}),
                error_messages={
                    "min_value": _("U%(i)d harus 1–4.") % {"i": i},
                    "max_value": _("U%(i)d harus 1–4.") % {"i": i},
                    "invalid": _("U%(i)d harus angka 1–4.") % {"i": i},
                },
            )

    def has_changed(self) -> bool:
        """A grid row counts only when an answer or a suggestion is filled in (its date and jam are
        prefilled); blank rows are skipped without errors."""
        return any(
            (self.data.get(self.add_prefix(name)) or "").strip()
            for name in (*self.ANSWER_FIELDS, "suggestion")
        )

    def clean_survey_date(self) -> Any:
        day = self.cleaned_data["survey_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Tanggal survei tidak boleh setelah hari ini."))
        if day.year < 2000:
            raise forms.ValidationError(_("Tanggal survei terlalu lama."))
        return day

    def clean_time_slot(self) -> str:
        text = (self.cleaned_data.get("time_slot") or "").strip().lower().replace("–", "-")
        if not text:
            return ""
        if text not in SLOT_INPUT:
            raise forms.ValidationError(
                _("Jam: tulis pagi (08.00–12.00) atau siang (13.00–17.00).")
            )
        return SLOT_INPUT[text]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors and all(cleaned.get(f) is None for f in self.ANSWER_FIELDS):
            raise forms.ValidationError(_("Isi jawaban U1 sampai U9 (angka 1–4)."))
        from .responses import validate_profile

        try:
            cleaned["profile"] = validate_profile(
                {k: cleaned.get(k) for k in ("sex", "age", "education", "occupation")}
            )
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return cleaned

    def row(self) -> PaperRow:
        data = self.cleaned_data
        return PaperRow(
            survey_date=data["survey_date"],
            time_slot=data.get("time_slot") or "",
            answers=[data.get(f) for f in self.ANSWER_FIELDS],
            profile=data["profile"],
            suggestion=data.get("suggestion") or "",
        )


PaperRowFormSet = forms.formset_factory(PaperRowForm, extra=0, max_num=50, absolute_max=50)


class PaperImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas XLSX kuesioner"),
        help_text=_("Gunakan templat di halaman ini; satu baris satu kuesioner."),
    )


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "code",
            "name",
            "description",
            "is_active",
            "ask_counter",
            "counters",
            "ask_officer",
        ]
        field_classes = {
            "is_active": CheckboxField,
            "ask_counter": CheckboxField,
            "ask_officer": CheckboxField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "counters": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip().upper()


class PopulationForm(forms.Form):
    """The monthly number of users of a service in one year (blank: unknown)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for month, name in enumerate(MONTHS, start=1):
            self.fields[f"m{month}"] = forms.IntegerField(
                label=name,
                required=False,
                min_value=0,
                max_value=10_000_000,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "min_value": _("Tidak boleh negatif."),
                    "invalid": _("Tulis angka."),
                },
            )

    def values(self) -> dict[int, int | None]:
        return {m: self.cleaned_data.get(f"m{m}") for m in range(1, 13)}


class DeviceForm(forms.Form):
    name = forms.CharField(
        label=_("Nama perangkat"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "Tablet Loket 1"}),
    )


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label=_("Rencana tindak lanjut"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Apa yang akan diperbaiki, oleh siapa, dan kapan — mulai dari unsur terendah."),
    )


class QuestionForm(forms.Form):
    """The regency's wording of one unsur's question and its four answers (1 worst … 4 best)."""

    question = forms.CharField(
        label=_("Pertanyaan"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    label_1 = forms.CharField(label=_("Jawaban 1 (terburuk)"), max_length=60)
    label_2 = forms.CharField(label=_("Jawaban 2"), max_length=60)
    label_3 = forms.CharField(label=_("Jawaban 3"), max_length=60)
    label_4 = forms.CharField(label=_("Jawaban 4 (terbaik)"), max_length=60)

    def labels(self) -> list[str]:
        return [self.cleaned_data[f"label_{n}"] for n in range(1, 5)]
