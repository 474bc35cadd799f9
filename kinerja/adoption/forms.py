"""Input of the adoption pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import CheckboxField
from kinerja.organisation.choices import PositionKind, Role
from kinerja.organisation.models import Unit

from .choices import ActivationScope, ArticleKind, EmailMode, NotificationKind
from .models import Announcement, HelpArticle, HelpdeskContact


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class ActivationIssueForm(forms.Form):
    scope = forms.ChoiceField(label=_("Cakupan"), choices=ActivationScope.choices[:3])
    unit = UnitChoiceField(
        label=_("Unit kerja / OPD"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Pilih unit kerja atau OPD"),
    )
    import_date = forms.DateField(
        label=_("Tanggal impor"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Untuk cakupan impor: akun yang dibuat pada tanggal ini."),
    )
    days = forms.IntegerField(
        label=_("Berlaku (hari)"), min_value=1, max_value=90, initial=30, required=False
    )
    send_email = CheckboxField(
        label=_("Kirim juga lewat surel kepada yang memiliki alamat surel"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = data.get("scope")
        if scope in (ActivationScope.UNIT, ActivationScope.OPD) and not data.get("unit"):
            self.add_error("unit", _("Pilih unit kerja atau OPD."))
        day = data.get("import_date") if scope == ActivationScope.IMPORT else None
        if day is not None and day > timezone.localdate():
            self.add_error("import_date", _("Tanggal impor tidak boleh setelah hari ini."))
        elif day is not None and day.year < 2000:
            # Nothing was imported before the system existed; at the calendar's ends the
            # day's bounds cannot even be computed (9999-12-31 + 1 day).
            self.add_error("import_date", _("Tanggal impor tidak boleh sebelum tahun 2000."))
        elif scope == ActivationScope.IMPORT and day is None and "import_date" not in self.errors:
            self.add_error("import_date", _("Pilih tanggal impor."))
        return data


class NewPasswordForm(forms.Form):
    """The new password twice; Django's password validators run in the service, which knows
    the account."""

    new_password1 = forms.CharField(
        label=_("Kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Paling sedikit 8 karakter, tidak hanya angka, tidak mirip NIP atau nama."),
    )
    new_password2 = forms.CharField(
        label=_("Ulangi kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("new_password1"), data.get("new_password2")
        if p1 and p2 and p1 != p2:
            self.add_error("new_password2", _("Kedua kata sandi tidak sama."))
        return data


class ActivateForm(NewPasswordForm):
    """NIP + code + the new password twice."""

    nip = forms.CharField(
        label=_("NIP"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    code = forms.CharField(
        label=_("Kode aktivasi"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
    field_order = ["nip", "code", "new_password1", "new_password2"]


class PasswordResetRequestForm(forms.Form):
    nip = forms.CharField(label=_("NIP atau nama pengguna"), max_length=150)


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Pemberitahuan lewat surel"), choices=EmailMode.choices, widget=forms.RadioSelect
    )
    webhook_enabled = CheckboxField(
        label=_("Kirim juga ke WhatsApp/SMS (nomor telepon di profil)"), required=False
    )
    kinds = forms.MultipleChoiceField(
        label=_("Jenis pemberitahuan yang dikirim ke luar aplikasi"),
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class SupervisorReportForm(forms.Form):
    correct_supervisor = forms.CharField(
        label=_("Siapa atasan langsung Anda yang benar?"),
        max_length=200,
        help_text=_("Nama, NIP, atau jabatannya."),
    )
    note = forms.CharField(
        label=_("Keterangan (tidak wajib)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ArticleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HelpArticle
        fields = ["title", "slug", "kind", "order", "pages", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}

    kind = forms.ChoiceField(label=_("Jenis"), choices=ArticleKind.choices)


class HelpdeskForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HelpdeskContact
        fields = ["name", "phone", "email", "hours"]


class AnnouncementForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Announcement
        fields = [
            "title",
            "kind",
            "body",
            "link",
            "opd",
            "unit",
            "role",
            "position_kind",
            "starts_at",
            "ends_at",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6}),
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    role = forms.ChoiceField(
        label=_("Peran"), choices=[("", _("Semua peran")), *Role.choices], required=False
    )
    position_kind = forms.ChoiceField(
        label=_("Jenis jabatan"),
        choices=[("", _("Semua jenis jabatan")), *PositionKind.choices],
        required=False,
    )

    def __init__(self, *args: Any, opd_only: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        opds = Unit.objects.filter(parent__isnull=True, is_active=True).order_by("name")
        units = Unit.objects.filter(is_active=True).order_by("path")
        if opd_only is not None:
            opds = opds.filter(pk=opd_only)
            units = units.filter(pk=opd_only) | units.filter(opd_id=opd_only)
            self.fields["opd"].disabled = True
            self.fields["opd"].required = False
        self.fields["opd"].queryset = opds  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["opd"].empty_label = _("Semua OPD")  # type: ignore[attr-defined]
        self.fields["unit"].empty_label = _("Semua unit")  # type: ignore[attr-defined]
        self.fields["starts_at"].required = False
