"""Selects start with a meaningful Indonesian prompt, never Django's "---------" (issue 10,
item 14)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from django import forms

import kinerja
from kinerja.core.forms import choice_prompt
from kinerja.organisation.models import Employee, User
from kinerja.performance.models import Indicator, OrgGoal, Rhk
from kinerja.public.models import Service
from kinerja.public.selectors import questionnaire
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def arguments_for(name: str) -> dict[str, Any]:
    """The keyword arguments of the forms that need some to be built."""
    return {
        "PasswordChangeForm": {"user": User(username="x")},
        "RhkForm": {"parents": Rhk.objects.none(), "goals": OrgGoal.objects.none()},
        "RealisationRowForm": {"indicator": Indicator(pk=1)},
        "ComplaintActionForm": {"status": "diterima"},
        "ComplaintForm": {"targets": []},
        "TopicForm": {"targets": []},
        "SurveyForm": {
            "questions": questionnaire(),
            "service": Service(ask_counter=True, counters="Loket 1", ask_officer=True),
            "officers": [Employee(pk=1, name="Rina")],
        },
    }.get(name, {})


def every_form() -> list[type[forms.BaseForm]]:
    found = []
    for module in pkgutil.walk_packages(kinerja.__path__, "kinerja."):
        if module.name.rsplit(".", 1)[-1] not in {"forms", "imports"}:
            continue
        loaded = importlib.import_module(module.name)
        for _name, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == loaded.__name__:
                found.append(cls)
    return found


def test_no_select_of_any_form_starts_with_dashes() -> None:
    blank = []
    for cls in every_form():
        form = cls(**arguments_for(cls.__name__))
        for name, field in form.fields.items():
            if isinstance(field.widget, forms.RadioSelect | forms.HiddenInput):
                continue
            choices = list(getattr(field, "choices", []) or [])
            # "Semua unit" (a filter) is meaningful; dashes or nothing is not.
            if choices and choices[0][0] in ("", None) and str(choices[0][1]).strip("—- ") == "":
                blank.append(f"{cls.__name__}.{name}: {choices[0][1]!r}")
    assert blank == [], "\n".join(blank)


def test_the_prompt_names_the_field() -> None:
    assert choice_prompt(forms.CharField(label="Unit kerja")) == "— Pilih unit kerja —"
    assert (
        choice_prompt(forms.CharField(label="OPD yang dikelola")) == "— Pilih OPD yang dikelola —"
    )
    assert choice_prompt(forms.CharField(label="")) == "— Pilih —"


def test_the_employee_form_shows_the_prompts(org) -> None:  # type: ignore[no-untyped-def]
    html = client_for(org, "bkpsdm").get("/pegawai/tambah/").content.decode()
    assert "---------" not in html
    for prompt in ("— Pilih jabatan —", "— Pilih unit kerja —", "— Pilih pangkat/golongan —"):
        assert prompt in html, prompt


def test_an_indonesian_decimal_is_read_and_shown_again_as_typed() -> None:
    """ "1.200" is twelve hundred; shown again with another field's error it stays "1.200" (a
    review found it shown as "1,2", which a second submit would store as 1.2); a value from the
    database is shown with a decimal comma; an unclear mix of separators is refused."""
    from decimal import Decimal

    from django import forms

    from kinerja.core.forms import IndonesianDecimalField

    class Sample(forms.Form):
        amount = IndonesianDecimalField(decimal_places=2)
        other = forms.IntegerField()

    typed = Sample({"amount": "1.200", "other": "a"})
    assert not typed.is_valid() and typed.cleaned_data["amount"] == Decimal(1200)
    assert 'value="1.200"' in str(typed["amount"])
    assert 'value="8,5"' in str(Sample(initial={"amount": Decimal("8.5")})["amount"])
    unclear = Sample({"amount": "1,234.5", "other": "1"})
    assert not unclear.is_valid() and "tidak jelas" in unclear.errors["amount"][0]
