"""Form helpers shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

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
