"""Forms of complaints: filing, tracking, rating, reopening, and the staff inbox and actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import CheckboxField, PhoneField, name_empty_choices
from kinerja.organisation.models import Unit

from ..choices import COMPLAINT_TRANSITIONS, ComplaintCategory, ComplaintKind, ComplaintStatus
from ..common import Target
from ..web import HoneypotMixin, TargetField


class ComplaintForm(HoneypotMixin):
    kind = forms.ChoiceField(
        label=_("Jenis"),
        choices=ComplaintKind.choices,
        initial=ComplaintKind.COMPLAINT,
        widget=forms.RadioSelect,
    )
    target = TargetField(label=_("Unit atau layanan yang dituju"))
    category = forms.ChoiceField(
        label=_("Kategori"), choices=[("", "—"), *ComplaintCategory.choices]
    )
    description = forms.CharField(
        label=_("Uraian"),
        min_length=20,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Apa yang terjadi, kapan, dan di mana. Jangan menulis data pribadi orang lain."
        ),
        error_messages={
            "min_length": _("Uraian minimal %(limit_value)d karakter agar dapat ditindaklanjuti."),
            "max_length": _("Uraian paling banyak %(limit_value)d karakter."),
            "required": _("Tuliskan uraian pengaduan atau saran Anda."),
        },
    )
    attachment = forms.FileField(
        label=_("Foto atau PDF pendukung (tidak wajib, paling besar 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )
    anonymous = CheckboxField(
        label=_("Kirim tanpa identitas (anonim)"),
        required=False,
        help_text=_("Anda tetap dapat mengikuti perkembangannya dengan kode pelacakan."),
    )
    contact_name = forms.CharField(label=_("Nama (tidak wajib)"), required=False, max_length=100)
    contact_email = forms.EmailField(
        label=_("Surel untuk pemberitahuan (tidak wajib)"),
        required=False,
        error_messages={"invalid": _("Alamat surel tidak valid.")},
    )
    contact_phone = PhoneField(label=_("Telepon/WA (tidak wajib)"), required=False, max_length=30)

    def __init__(self, *args: Any, targets: list[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].set_targets(targets)  # type: ignore[attr-defined]
        name_empty_choices(self)
        self.fields["category"].error_messages["required"] = _("Pilih kategori.")
        self.fields["target"].error_messages["required"] = _("Pilih unit atau layanan yang dituju.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("anonymous"):  # an anonymous complaint keeps no contact: nothing to check
            self.errors.pop("contact_phone", None)
            data["contact_phone"] = ""
        return data

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload and upload.size > settings.PUBLIC_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("Lampiran terlalu besar: paling besar %(mb)d MB.")
                % {"mb": settings.PUBLIC_UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Kode pelacakan"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("Tulis kode pelacakan Anda.")},
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Seberapa puas Anda dengan penyelesaiannya?"),
        coerce=int,
        choices=[
            (5, _("5 — Sangat puas")),
            (4, _("4 — Puas")),
            (3, _("3 — Cukup")),
            (2, _("2 — Kurang puas")),
            (1, _("1 — Tidak puas")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih penilaian 1 sampai 5."),
            "invalid_choice": _("Pilih penilaian 1 sampai 5."),
        },
    )
    comment = forms.CharField(
        label=_("Komentar (tidak wajib)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Mengapa belum selesai?"),
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"min_length": _("Jelaskan minimal %(limit_value)d karakter.")},
    )


class ComplaintActionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Ubah status"), required=False)
    message = forms.CharField(
        label=_("Tanggapan resmi untuk pelapor"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Terlihat oleh pelapor. Wajib untuk Selesai (penyelesaian) dan Ditolak (alasan)."
        ),
    )

    def __init__(self, *args: Any, status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ComplaintStatus.choices)
        self.fields["to_status"].choices = [("", _("— tetap —"))] + [
            (s, labels[s]) for s in COMPLAINT_TRANSITIONS.get(status, ())
        ]


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("Alasan menghapus sebagai spam"), max_length=500, min_length=5)


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari kode atau isi"), required=False, max_length=100)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("Semua unit")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Semua status")),
            ("menunggu", _("Menunggu tanggapan")),
            ("open", _("Belum selesai")),
            *ComplaintStatus.choices,
        ],
    )
    overdue = CheckboxField(label=_("Hanya yang terlambat"), required=False)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
