"""Form helpers shared by the apps."""

from __future__ import annotations

import json
import math
from typing import Any

from django import forms
from django.forms.fields import InvalidJSONInput
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.numbers import (
    decimal_text,
    input_number,
    unclear_number,
    unclear_number_message,
)
from kinerja.core.params import json_depth_exceeds
from kinerja.core.phone import InvalidPhone, check_phone

# What Django (and some of our forms) put as the empty choice of a select.
BLANK_LABELS = {"---------", "—", "-", ""}


def choice_prompt(field: forms.Field) -> str:
    """ "— Pilih unit kerja —" for a field labelled "Unit kerja" (acronyms keep their case)."""
    label = str(field.label or "").strip().rstrip(":")
    if len(label) > 1 and label[1].islower():
        label = label[0].lower() + label[1:]
    return _("— Pilih %(what)s —") % {"what": label} if label else _("— Pilih —")


def name_empty_choices(form: forms.BaseForm) -> None:
    """Give every select's empty choice a meaningful label instead of Django's "---------".

    Call at the end of a form's __init__, after its choices and querysets are set."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None and str(field.empty_label) in BLANK_LABELS:
                field.empty_label = choice_prompt(field)
        elif isinstance(field, forms.ChoiceField) and not isinstance(
            field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
        ):
            choices: list[Any] = list(field.choices)
            if choices and choices[0][0] in ("", None) and str(choices[0][1]) in BLANK_LABELS:
                field.choices = [("", choice_prompt(field)), *choices[1:]]


MAX_JSON_NUMBER_DIGITS = 30  # more than any parameter needs; far below Python's 4,300


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_JSON_NUMBER_DIGITS:
        raise ValueError("number too long")
    return int(text)


def _finite_float(text: str) -> float:
    if len(text) > 2 * MAX_JSON_NUMBER_DIGITS:
        raise ValueError("number too long")
    value = float(text)
    if not math.isfinite(value):  # 1e400
        raise ValueError("number out of range")
    return value


class StrictJSONField(forms.JSONField):
    """Django's JSONField, refusing as a form error (saying what to write instead) what Django's
    parser lets through to a server error: NaN and Infinity (not JSON; the database's JSON
    check refuses them at save), a number past 1e308 or longer than 30 digits (Python refuses
    to read an integer of more than 4,300 digits with a ValueError Django does not catch),
    and nesting deeper than the API allows (kinerja.core.params.MAX_JSON_DEPTH)."""

    default_error_messages = {
        "unstorable": gettext_lazy(
            "JSON ini memuat nilai yang tidak dapat disimpan. Tulis angka biasa (bukan NaN atau "
            "Infinity, paling banyak 30 digit) dan paling banyak 32 tingkat kurung."
        ),
    }

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip() and not self.disabled:
            try:
                if json_depth_exceeds(value):
                    raise ValueError("nested too deep")
                json.loads(
                    value,
                    parse_constant=_refuse_constant,
                    parse_int=_bounded_int,
                    parse_float=_finite_float,
                )
            except json.JSONDecodeError:
                pass  # not JSON at all: Django's own "invalid" message, below
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["unstorable"], code="unstorable"
                ) from None
        return super().to_python(value)

    def bound_data(self, data: Any, initial: Any) -> Any:
        """The text typed, shown again when the form is refused; Django's own parse of it
        lets Python's ValueError for a number too long escape."""
        try:
            return super().bound_data(data, initial)
        except ValueError:
            return InvalidJSONInput(data)


# What a ticked checkbox sends: a browser sends its value attribute, "on" when it has none (as
# Django renders a BooleanField); "1" and "true" are what our own hand-written boxes and clients
# send. Anything else, "off", "0", "false", "no", is not a tick.
CHECKED_VALUES = frozenset({"on", "1", "true"})


def checked(value: Any) -> bool:
    """Whether a submitted checkbox value is a tick (CHECKED_VALUES, any letter case)."""
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() in CHECKED_VALUES


class Checkbox(forms.CheckboxInput):
    """Django's checkbox, reading only a real tick as ticked. Django's own reads every value
    but "false" as ticked, so a hand-made request with confirm=off or confirm=0 passed a
    required confirmation ("Saya sudah memeriksa …")."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool:
        return name in data and checked(data.get(name))


class CheckboxField(forms.BooleanField):
    """A BooleanField on a Checkbox. Every checkbox of the project's forms is one
    (tests/core/test_checkbox.py looks at every form); a ModelForm names its boolean fields in
    `Meta.field_classes`."""

    widget = Checkbox


def strict_checkboxes() -> dict[Any, dict[str, Any]]:
    """A ModelAdmin's `formfield_overrides` that makes its model's booleans CheckboxFields."""
    from django.db import models

    return {models.BooleanField: {"form_class": CheckboxField}}


class IndonesianDecimalField(forms.DecimalField):
    """A DecimalField that reads a number written the Indonesian way (8,5; 1.234,5), as the
    realisation grid does (kinerja.core.numbers.decimal_text), shows it with a decimal comma,
    and is a text box with a decimal keypad: a browser's number box refuses a comma."""

    widget = forms.TextInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {"inputmode": "decimal", "autocomplete": "off"}

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            if unclear_number(value):
                raise forms.ValidationError(unclear_number_message(value), code="invalid")
            value = decimal_text(value)
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        # Text is what the person typed (a form shown again with errors): shown as typed, never
        # re-read ("1.200" would become "1,2").
        if value in (None, "") or isinstance(value, str):
            return value
        return input_number(value)


class PhoneField(forms.CharField):
    """An optional or required Indonesian telephone number (kinerja.core.phone): 8–15 digits,
    optionally led by +62 or 0, spaces and dashes allowed; kept as typed, trimmed."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "tel", "autocomplete": "tel"}

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        try:
            return check_phone(text or "")
        except InvalidPhone as exc:  # an Indonesian sentence, shown as it is (as a NIP's)
            raise forms.ValidationError(str(exc), code="invalid") from None
