from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import CheckboxField, name_empty_choices
from kinerja.rules.nip import InvalidNip, parse_nip

from .auth import LoginRefused, login_authenticate
from .choices import ChangeReason, EmploymentStatus, Golongan, PositionKind
from .lockout import normalise_username
from .models import Employee, Position, Unit, User


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("NIP atau nama pengguna"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autofocus": True, "inputmode": "text"}
        ),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid": _(
            "NIP/nama pengguna atau kata sandi salah. Periksa kembali, perhatikan huruf "
            "besar dan kecil."
        ),
        "locked": _(
            "Akun ini dikunci sementara karena terlalu banyak percobaan masuk yang gagal. "
            "Coba lagi setelah pukul %(time)s, atau minta admin kepegawaian mengatur "
            "ulang kata sandi Anda."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi admin kepegawaian."),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        username = normalise_username(cleaned.get("username", ""))
        password = cleaned.get("password")
        if not username or not password:
            return cleaned
        try:
            self.user = login_authenticate(
                request=self.request, username=username, password=password
            )
        except LoginRefused as refused:
            message = self.error_messages[refused.code]
            if refused.until is not None:
                until = formats.time_format(timezone.localtime(refused.until), "H:i")
                message = message % {"time": until}
            raise forms.ValidationError(message, code=refused.code) from None
        return cleaned


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Kata sandi saat ini"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("Kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minimal 8 karakter, tidak hanya angka, dan tidak mirip NIP atau nama Anda."),
    )
    new_password2 = forms.CharField(
        label=_("Ulangi kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self) -> str:
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise forms.ValidationError(_("Kata sandi saat ini salah."))
        return old

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        p1, p2 = cleaned.get("new_password1"), cleaned.get("new_password2")
        if p1 and p2:
            if p1 != p2:
                self.add_error("new_password2", _("Kedua kata sandi baru tidak sama."))
            elif cleaned.get("old_password") == p1:
                self.add_error("new_password1", _("Kata sandi baru harus berbeda dari yang lama."))
            else:
                try:
                    password_validation.validate_password(p1, self.user)
                except forms.ValidationError as exc:
                    self.add_error("new_password1", exc)
        return cleaned


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau NIP"), required=False, max_length=100)
    opd = forms.ModelChoiceField(
        label=_("OPD"), queryset=Unit.objects.none(), required=False, empty_label=_("Semua OPD")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status")), *EmploymentStatus.choices],
    )
    kind = forms.ChoiceField(
        label=_("Jenis jabatan"),
        required=False,
        choices=[("", _("Semua jenis")), *PositionKind.choices],
    )
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    active = forms.ChoiceField(
        label=_("Keaktifan"),
        required=False,
        initial="1",
        choices=[("1", _("Aktif")), ("0", _("Nonaktif")), ("all", _("Semua"))],
    )

    def __init__(self, *args: Any, opd_queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if opd_queryset is not None:
            self.fields["opd"].queryset = opd_queryset


class NipField(forms.CharField):
    """A NIP input: spaces allowed; the error says exactly what is wrong (DOMAIN §7)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "placeholder": "19860926 201505 1 001"}
        )

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        try:
            return parse_nip(value).value
        except InvalidNip as exc:
            raise forms.ValidationError(str(exc), code="invalid_nip") from exc


class EmployeeForm(forms.ModelForm):
    nip = NipField(label=_("NIP"))
    supervisor_nip = NipField(
        label=_("NIP atasan langsung"),
        required=False,
        help_text=_(
            "Kosongkan bila pegawai ini tidak memiliki atasan di "
            "pemerintah daerah (misalnya Sekretaris Daerah)."
        ),
    )
    reason = forms.ChoiceField(
        label=_("Alasan perubahan"),
        required=False,
        choices=ChangeReason.choices,
        initial=ChangeReason.KOREKSI,
    )
    note = forms.CharField(label=_("Catatan (nomor SK, dsb.)"), required=False, max_length=300)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Employee
        fields = [
            "nip",
            "front_title",
            "name",
            "back_title",
            "status",
            "golongan",
            "position",
            "unit",
            "email",
            "phone",
            "is_active",
        ]
        field_classes = {"is_active": CheckboxField}

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = Position.objects.order_by("name")
        self.fields["unit"].queryset = (
            units if units is not None else Unit.objects.filter(is_active=True)
        )
        self.fields["golongan"].choices = [("", ""), *Golongan.choices]
        if self.instance.pk:
            if self.instance.supervisor_id:
                self.initial["supervisor_nip"] = self.instance.supervisor.nip
            self.initial["version"] = self.instance.updated_at.isoformat()
        else:
            del self.fields["reason"]
        name_empty_choices(self)

    def clean_supervisor_nip(self) -> Employee | None:
        nip = self.cleaned_data.get("supervisor_nip")
        if not nip:
            return None
        supervisor = Employee.objects.filter(nip=nip).first()
        if supervisor is None:
            raise forms.ValidationError(_("Tidak ada pegawai dengan NIP %(nip)s.") % {"nip": nip})
        return supervisor

    def clean_nip(self) -> str:
        nip = self.cleaned_data["nip"]
        if Employee.objects.filter(nip=nip).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("NIP ini sudah terdaftar untuk pegawai lain."))
        return nip

    def clean(self) -> dict[str, Any]:
        """`version`, the hidden time the page read the employee at, as a datetime (None when
        absent): a value that is not one (a tampered or damaged page) is refused with a
        message instead of reaching the service."""
        data = super().clean() or {}
        raw = str(data.get("version") or "").strip()
        data["version"] = None
        if raw:
            try:
                data["version"] = datetime.fromisoformat(raw)
            except ValueError:
                self.add_error(
                    None,
                    _(
                        "Halaman ini tidak lagi cocok dengan data pegawai. Muat ulang, lalu "
                        "ubah lagi."
                    ),
                )
        return data

    def service_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["supervisor"] = self.cleaned_data.get("supervisor_nip")
        return data


class UserRoleForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["role", "managed_opd", "is_active"]
        field_classes = {"is_active": CheckboxField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["managed_opd"].queryset = Unit.objects.filter(parent__isnull=True)
        name_empty_choices(self)


class ImportForm(forms.Form):
    KIND_CHOICES = [
        ("units", _("Unit kerja")),
        ("positions", _("Jabatan")),
        ("employees", _("Pegawai")),
    ]
    kind = forms.ChoiceField(label=_("Jenis data"), choices=KIND_CHOICES)
    file = forms.FileField(
        label=_("Berkas XLSX atau CSV"),
        help_text=_("Gunakan templat yang dapat diunduh di halaman ini."),
    )
    allow_opd_change = CheckboxField(
        label=_("Izinkan pindah OPD"),
        required=False,
        help_text=_(
            "Hanya untuk berkas unit kerja. Tanpa centang ini, berkas yang memindahkan unit "
            "terdaftar ke OPD lain (OPD digabung ke OPD lain, unit dijadikan OPD, atau unit "
            "dipindah ke bawah unit OPD lain) ditolak dan setiap perpindahan disebutkan, karena "
            "subunit dan pegawainya ikut pindah OPD."
        ),
    )


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari objek atau pelaku"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Aksi"), required=False)
    object_type = forms.ChoiceField(label=_("Jenis objek"), required=False)
    date_from = forms.DateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from kinerja.core.models import AuditAction

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Semua aksi")), *AuditAction.choices]
        self.fields["object_type"].choices = [
            ("", _("Semua jenis")),
            ("organisation.employee", _("Pegawai")),
            ("organisation.unit", _("Unit kerja")),
            ("organisation.position", _("Jabatan")),
            ("organisation.user", _("Akun")),
            ("organisation.regency", _("Pemerintah daerah")),
            ("import", _("Impor")),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return cleaned
