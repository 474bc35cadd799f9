"""Every checkbox of the project's forms reads only a real tick as ticked
(kinerja.core.forms.Checkbox): Django's own CheckboxInput reads "off", "0" and "no" as ticked."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.http import QueryDict

import kinerja
from kinerja.core.forms import Checkbox, CheckboxField, checked


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for module_info in pkgutil.walk_packages(kinerja.__path__, "kinerja."):
        name = module_info.name
        # Where the project's forms live: forms and admin modules, and a few more.
        if not (name.endswith((".forms", ".admin", ".web", ".imports")) or ".forms." in name):
            continue
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_the_forms_are_found() -> None:
    names = {cls.__name__ for cls in _form_classes()}
    assert {"FinaliseForm", "EmployeeForm", "ServiceForm", "UnitAdminForm"} <= names


def test_every_boolean_field_of_every_form_is_a_strict_checkbox() -> None:
    loose = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.BooleanField) and not isinstance(field.widget, Checkbox)
    ]
    assert loose == []


@pytest.mark.parametrize(
    ("sent", "ticked"),
    [
        ("on", True),
        ("ON", True),
        ("1", True),
        ("true", True),
        ("True", True),
        ("off", False),
        ("0", False),
        ("false", False),
        ("no", False),
        ("", False),
        ("yes please", False),
    ],
)
def test_only_what_a_ticked_box_sends_is_a_tick(sent: str, ticked: bool) -> None:
    class Form(forms.Form):
        box = CheckboxField(required=False)

    form = Form(QueryDict(f"box={sent}"))
    assert form.is_valid()
    assert form.cleaned_data["box"] is ticked
    assert checked(sent) is ticked


def test_a_box_left_out_is_not_ticked_and_a_required_one_is_refused() -> None:
    class Form(forms.Form):
        box = CheckboxField(error_messages={"required": "Centang dulu."})

    form = Form(QueryDict("box=off"))
    assert not form.is_valid()
    assert form.errors["box"] == ["Centang dulu."]
    assert not Form(QueryDict("")).is_valid()
    assert Form(QueryDict("box=on")).is_valid()


def test_every_admin_form_checkbox_is_strict(rf, django_user_model) -> None:  # type: ignore[no-untyped-def]
    """Django's admin builds its own forms from the models: their booleans are strict too."""
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = django_user_model(is_superuser=True, is_staff=True)
    loose = []
    for model, model_admin in admin.site._registry.items():
        if not (
            model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        ):
            continue  # shown, never saved
        form = model_admin.get_form(request)
        for name, field in form.base_fields.items():
            if isinstance(field, forms.BooleanField) and not isinstance(field.widget, Checkbox):
                loose.append(f"{model.__name__}.{name}")
    assert loose == []
