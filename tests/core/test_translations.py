"""The project's corrections to Django's own Indonesian messages (locale/id/LC_MESSAGES): they
are in force, the compiled catalogue matches its source, every entry still overrides a message
Django has, and the project's own strings (written in Indonesian) are untouched in both
languages."""

from __future__ import annotations

import re
from pathlib import Path

import django
import polib
import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

PO = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"
DJANGO_PO = Path(django.__file__).parent / "conf" / "locale" / "id" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\{\w+\}")


def entries() -> list[polib.POEntry]:
    return list(polib.pofile(str(PO)))


def test_the_compiled_catalogue_is_exactly_the_compiled_source(tmp_path: Path) -> None:
    """`make messages` rebuilds django.mo from django.po; a stale .mo fails here."""
    rebuilt = tmp_path / "django.mo"
    polib.pofile(str(PO)).save_as_mofile(str(rebuilt))
    assert rebuilt.read_bytes() == PO.with_suffix(".mo").read_bytes()


def _source_strings() -> set[str]:
    """Every message Django (core and contrib apps) translates, and the English source strings
    of django-tasks and django-tasks-db, which ship no Indonesian catalogue."""
    root = Path(django.__file__).parent
    ids = {e.msgid for e in polib.pofile(str(DJANGO_PO))}
    for po in root.glob("contrib/*/locale/id/LC_MESSAGES/django.po"):
        ids |= {e.msgid for e in polib.pofile(str(po))}
    import django_tasks
    import django_tasks_db

    for package in (django_tasks, django_tasks_db):
        for source in Path(package.__file__).parent.rglob("*.py"):
            ids |= set(re.findall(r"_\(\s*\"([^\"]+)\"\s*\)", source.read_text()))
            ids |= set(re.findall(r"pgettext_lazy\(\"\w+\", \"([^\"]+)\"\)", source.read_text()))
    return ids


def test_every_entry_overrides_a_message_django_has_and_keeps_its_placeholders() -> None:
    django_ids = _source_strings()
    for entry in entries():
        assert entry.msgid in django_ids, f"Django no longer has: {entry.msgid}"
        text = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        assert text, entry.msgid
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid))


def test_only_djangos_messages_are_in_the_catalogue() -> None:
    """The project's strings are Indonesian in the source; an entry for one would be a
    translation of Indonesian into Indonesian, and would hide the English fallback."""
    from kinerja.assessment.forms import ObjectionForm

    ours = {str(f.label) for f in ObjectionForm().fields.values()}
    assert not ours & {e.msgid for e in entries()}


@pytest.mark.parametrize(
    ("message", "wrong"),
    [
        (
            "No file was submitted. Check the encoding type on the form.",
            "pengaksaraan",
        ),
        ("Enter a whole number.", "keseluruhan angka"),
        ("%(model_name)s with this %(field_labels)s already exists.", "tidak ada"),
        ("This field cannot be null.", "null"),
    ],
)
def test_the_corrections_are_in_force_in_indonesian(message: str, wrong: str) -> None:
    with translation.override("id"):
        text = gettext(message)
    assert text != message and wrong not in text


class UploadForm(forms.Form):
    berkas = forms.FileField()
    jumlah = forms.IntegerField(max_value=10)
    nama = forms.CharField(max_length=5)
    pilihan = forms.ChoiceField(choices=[("a", "A")])
    tanggal = forms.DateField()


def test_a_form_speaks_plain_indonesian() -> None:
    data = {"jumlah": "2,5", "nama": "panjang sekali", "pilihan": "z", "tanggal": "31/02/2026"}
    with translation.override("id"):
        form = UploadForm(data, {})
        errors = {k: " ".join(v) for k, v in form.errors.items()}
        too_big = UploadForm({**data, "jumlah": "12"}, {"berkas": SimpleUploadedFile("a.pdf", b"")})
        big_errors = {k: " ".join(v) for k, v in too_big.errors.items()}
    assert errors["berkas"] == "Bidang ini tidak boleh kosong."
    assert errors["jumlah"] == "Masukkan bilangan bulat (tanpa koma)."
    assert errors["nama"] == "Isian terlalu panjang: paling banyak 5 karakter (sekarang 14)."
    assert errors["pilihan"] == "Pilihan “z” tidak tersedia. Pilih salah satu dari daftar."
    assert errors["tanggal"] == "Masukkan tanggal yang benar."
    assert big_errors["jumlah"] == "Nilai paling besar 10."
    assert big_errors["berkas"] == "Berkas yang dikirim kosong."


def test_the_encoding_message_reads_as_advice() -> None:
    with translation.override("id"):
        form = UploadForm({"berkas": "x"}, {"berkas": "not-a-file"})
        form.is_valid()
    assert form.errors["berkas"] == [
        "Berkas tidak ikut terkirim. Pilih berkasnya lagi, lalu kirim ulang formulir."
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_projects_own_strings_are_untouched(language: str) -> None:
    with translation.override(language):
        assert gettext("Ajukan keberatan") == "Ajukan keberatan"
        assert gettext("Bidang ini tidak boleh kosong.") == "Bidang ini tidak boleh kosong."


def test_english_keeps_djangos_english() -> None:
    with translation.override("en"):
        assert gettext("Enter a whole number.") == "Enter a whole number."
        assert gettext("No file was submitted. Check the encoding type on the form.") == (
            "No file was submitted. Check the encoding type on the form."
        )
