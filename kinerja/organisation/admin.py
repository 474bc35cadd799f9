"""Django admin for back-office data. Saves go through the services (audit, paths, history)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.http import HttpRequest

from kinerja.core.forms import CheckboxField, strict_checkboxes
from kinerja.core.params import whole_number

from . import services
from .models import Employee, EmployeeHistory, Position, Regency, Unit, User


def _changed(form: Any) -> dict[str, Any]:
    return {
        name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data
    }


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    formfield_overrides = strict_checkboxes()
    fields = ["name", "short_name", "address", "logo"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not Regency.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Regency, form: Any, change: bool) -> None:
        services.regency_update(by=request.user, **{k: getattr(obj, k) for k in self.fields})


class IdAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete box, redrawn safely after a value that is no id ("abc", 30
    digits): the form refuses such a value, and Django's widget then looked it up to redraw
    the box and failed (ValueError, OverflowError)."""

    def optgroups(self, name: str, value: Any, attr: Any = None) -> Any:
        ids = [v for v in value if v in ("", None) or whole_number(str(v)) is not None]
        return super().optgroups(name, ids, attr)


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "kind",
            "sector",
            "parent",
            "serves_public",
            "address",
            "is_active",
        ]
        field_classes = {"serves_public": CheckboxField, "is_active": CheckboxField}

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if code != self.instance.code and (
            problem := services.unit_code_problem(code)
            or services.unit_code_twin(code, self.instance.pk)
        ):
            raise forms.ValidationError(problem)
        return code

    def clean_parent(self) -> Unit | None:
        """The service's rule, checked here so that the form shows it (a ValidationError
        raised in save_model is a server error)."""
        parent: Unit | None = self.cleaned_data.get("parent")
        if problem := services.unit_parent_problem(self.instance, parent):
            raise forms.ValidationError(problem)
        return parent


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    formfield_overrides = strict_checkboxes()
    form = UnitAdminForm
    list_display = ["code", "name", "kind", "parent", "serves_public", "is_active"]
    list_filter = ["kind", "sector", "serves_public", "is_active"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "kind", "sector", "parent", "serves_public", "address", "is_active"]
    autocomplete_fields = ["parent"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in self.autocomplete_fields:
            kwargs.setdefault(
                "widget", IdAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        if change:
            saved = services.unit_update(
                unit=Unit.objects.get(pk=obj.pk), by=request.user, **_changed(form)
            )
        else:
            saved = services.unit_create(by=request.user, **form.cleaned_data)
        obj.pk = saved.pk


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    formfield_overrides = strict_checkboxes()
    list_display = ["name", "kind", "kelas", "jenjang"]
    list_filter = ["kind", "jenjang"]
    search_fields = ["name"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Position, form: Any, change: bool) -> None:
        if change:
            saved = services.position_update(
                position=Position.objects.get(pk=obj.pk), by=request.user, **_changed(form)
            )
        else:
            saved = services.position_create(by=request.user, **form.cleaned_data)
        obj.pk = saved.pk


class HistoryInline(admin.TabularInline):
    model = EmployeeHistory
    fk_name = "employee"
    extra = 0
    can_delete = False
    readonly_fields = [
        "position",
        "unit",
        "supervisor",
        "golongan",
        "valid_from",
        "valid_to",
        "reason",
        "note",
        "recorded_by",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    formfield_overrides = strict_checkboxes()
    """Employees are edited on the application's own pages (with history and audit); the
    admin shows them read-only."""

    list_display = ["nip", "name", "position", "unit", "is_active"]
    list_filter = ["status", "is_active", "position__kind"]
    search_fields = ["nip", "name"]
    list_select_related = ["position", "unit"]
    inlines = [HistoryInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    formfield_overrides = strict_checkboxes()
    list_display = ["username", "display_name", "role", "managed_opd", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "display_name"]
    fields = [
        "username",
        "display_name",
        "email",
        "employee",
        "role",
        "managed_opd",
        "is_active",
        "is_staff",
        "must_change_password",
        "locked_until",
        "last_login",
    ]
    readonly_fields = ["username", "employee", "locked_until", "last_login"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "managed_opd":
            # An OPD admin manages an OPD, as on the app's own account form: a sub-unit here
            # would send them to pages that do not exist for it.
            kwargs["queryset"] = Unit.objects.filter(parent__isnull=True).order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        services.account_update(user=User.objects.get(pk=obj.pk), by=request.user, **_changed(form))


# django-otp's own device admins would show every administrator's secret key and its QR code:
# devices are managed by their owner on /akun/dua-langkah/ and, for a lost phone, reset with
# `manage.py two_factor_reset USERNAME` (kinerja/organisation/twofactor.py).
def _unregister_otp_devices() -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_otp_devices()
