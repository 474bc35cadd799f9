"""Input validation for the competency pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import CheckboxField, IndonesianDecimalField, name_empty_choices
from kinerja.core.numbers import format_number
from kinerja.core.text import trimmed
from kinerja.organisation.choices import PositionKind
from kinerja.rules.training import SESSION_QUOTA_MAX, external_max_hours, learning_window

from .choices import TAGS, LearningKind, form_of
from .models import Programme, Session

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _outside(day: date, first: date, last: date) -> str | None:
    """The error for a date outside [first, last] (kinerja.rules.training.learning_window)."""
    if first <= day <= last:
        return None
    return _("Tanggal harus antara %(a)s dan %(b)s.") % {
        "a": first.strftime("%d-%m-%Y"),
        "b": last.strftime("%d-%m-%Y"),
    }


class ExternalLearningForm(forms.Form):
    title = forms.CharField(label=_("Nama kegiatan"), max_length=200)
    kind = forms.ChoiceField(label=_("Jalur"), choices=LearningKind.choices)
    provider = forms.CharField(label=_("Penyelenggara"), max_length=200)
    started_on = forms.DateField(label=_("Tanggal mulai"), widget=DATE)
    ended_on = forms.DateField(label=_("Tanggal selesai"), widget=DATE)
    hours = IndonesianDecimalField(
        label=_("Jumlah jam"),
        min_value=Decimal("0.25"),
        max_value=Decimal("1000"),
        decimal_places=2,
        help_text=_(
            "Misalnya 8,5. Paling banyak 12 jam per hari kegiatan. Jam pelajaran dihitung "
            "60/45 per jam setelah disetujui BKPSDM."
        ),
    )
    evidence = forms.FileField(
        label=_("Bukti"),
        help_text=_("Sertifikat atau surat keterangan: PDF, JPG, PNG, XLSX, DOCX."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("started_on"), data.get("ended_on")
        today = timezone.localdate()
        first, _last = learning_window(today)
        for name in ("started_on", "ended_on"):
            day = data.get(name)
            error = day and _outside(day, first, today)
            if error:
                self.add_error(name, error)
                data.pop(name, None)
        if start and end and end < start:
            self.add_error("ended_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        elif data.get("started_on") and data.get("ended_on") and data.get("hours"):
            most = external_max_hours(data["started_on"], data["ended_on"])
            if data["hours"] > most:
                self.add_error(
                    "hours",
                    _("Paling banyak %(h)s jam untuk kegiatan %(d)d hari (12 jam per hari).")
                    % {"h": format_number(most), "d": (end - start).days + 1},
                )
        return data


class ExternalReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("setujui", _("Setujui")), ("kembalikan", _("Kembalikan"))],
        widget=forms.RadioSelect,
    )
    jp = IndonesianDecimalField(
        label=_("JP yang diakui"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("1000"),
        decimal_places=2,
        help_text=_("Kosongkan untuk jam × 60 / 45."),
    )
    reason = forms.CharField(label=_("Alasan pengembalian"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "kembalikan" and not trimmed(data.get("reason")):
            self.add_error("reason", _("Tuliskan alasan pengembalian."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=[("setujui", _("Setujui")), ("tolak", _("Tolak"))]
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "tolak" and not trimmed(data.get("note")):
            self.add_error("note", _("Tuliskan alasan tidak menyetujui."))
        return data


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Nilai"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Komentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlanItemForm(forms.Form):
    tag = forms.ChoiceField(label=_("Kompetensi"), choices=[(t, t) for t in TAGS])
    gap = forms.CharField(label=_("Kesenjangan / catatan"), max_length=500)
    programme = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Programme.objects.filter(is_active=True).order_by("title"),
        required=False,
        empty_label=_("(pilih otomatis sesuai kompetensi)"),
    )


class ProgrammeForm(forms.ModelForm):  # type: ignore[type-arg]
    audience_kinds = forms.MultipleChoiceField(
        label=_("Sasaran jenis jabatan"),
        choices=PositionKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kosongkan bila terbuka untuk semua jabatan."),
    )
    tags = forms.MultipleChoiceField(
        label=_("Kompetensi"),
        choices=[(t, t) for t in TAGS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Programme
        fields = [
            "title",
            "description",
            "tags",
            "jp",
            "kind",
            "provider",
            "audience_kinds",
            "issues_certificate",
            "post_test_pass_mark",
            "completion_threshold",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"issues_certificate": CheckboxField, "is_active": CheckboxField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_empty_choices(self)

    def save(self, commit: bool = True) -> Programme:
        programme: Programme = super().save(commit=False)
        programme.form = form_of(programme.kind)
        return programme


class SessionForm(forms.ModelForm):  # type: ignore[type-arg]
    online_link = forms.URLField(label=_("Tautan daring"), required=False, assume_scheme="https")
    quota = forms.IntegerField(
        label=_("Kuota"),
        min_value=1,
        max_value=SESSION_QUOTA_MAX,
        error_messages={
            "min_value": _("Kuota minimal 1 peserta."),
            "max_value": _("Kuota paling banyak 10.000 peserta."),  # SESSION_QUOTA_MAX
        },
    )

    class Meta:
        model = Session
        fields = [
            "name",
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
            "place",
            "online_link",
            "quota",
            "registration_deadline",
            "needs_approval",
        ]
        field_classes = {"needs_approval": CheckboxField}
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "registration_deadline": DATETIME,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        t1, t2 = data.get("start_time"), data.get("end_time")
        if t1 and t2 and t2 <= t1:
            self.add_error("end_time", _("Jam selesai harus setelah jam mulai."))
        if not data.get("place") and not data.get("online_link"):
            self.add_error("place", _("Isi tempat atau tautan daring."))
        self._check_dates(data)
        return data

    def _check_dates(self, data: dict[str, Any]) -> None:
        """New or changed dates fall in the learning window (kinerja.rules.training); a session
        already on the books keeps its dates when only its quota or place changes. Registration
        closes no later than the session starts."""
        first, last = learning_window(timezone.localdate())
        for name in ("starts_on", "ends_on"):
            day = data.get(name)
            error = day and (name in self.changed_data) and _outside(day, first, last)
            if error:
                self.add_error(name, error)
        deadline, start, t1 = (
            data.get("registration_deadline"),
            data.get("starts_on"),
            data.get("start_time"),
        )
        changed = {"registration_deadline", "starts_on", "start_time"} & set(self.changed_data)
        if deadline and start and t1 and changed:
            begins = timezone.make_aware(datetime.combine(start, t1))
            if deadline > begins:
                self.add_error(
                    "registration_deadline",
                    _("Batas pendaftaran tidak boleh setelah sesi dimulai (%(t)s).")
                    % {"t": begins.strftime("%d-%m-%Y %H:%M")},
                )
            elif (
                "registration_deadline" in self.changed_data
                and timezone.localdate(deadline) < first
            ):
                self.add_error(
                    "registration_deadline",
                    _("Batas pendaftaran paling awal %(a)s.") % {"a": first.strftime("%d-%m-%Y")},
                )
