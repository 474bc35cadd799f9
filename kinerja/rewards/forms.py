"""Forms of the rewards app: input validation only; services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import CheckboxField, StrictJSONField, name_empty_choices

from .choices import DisciplineKind

DATE = forms.DateInput(attrs={"type": "date"})


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("terima", _("Terima rekomendasi")), ("tolak", _("Tolak rekomendasi"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Alasan keputusan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    official = forms.CharField(
        label=_("Pejabat yang memutuskan"),
        max_length=200,
        help_text=_("Nama dan jabatan pejabat yang berwenang."),
    )
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=100, required=False)
    decree_date = forms.DateField(label=_("Tanggal SK"), required=False, widget=DATE)
    effective_from = forms.DateField(label=_("Berlaku mulai"), required=False, widget=DATE)
    effective_to = forms.DateField(label=_("Berlaku sampai"), required=False, widget=DATE)


class DisciplineForm(forms.Form):
    nip = forms.CharField(label=_("NIP pegawai"), max_length=25)
    kind = forms.ChoiceField(label=_("Jenis hukuman"), choices=[("", ""), *DisciplineKind.choices])
    reason = forms.CharField(
        label=_("Pelanggaran"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=100)
    decree_date = forms.DateField(label=_("Tanggal SK"), widget=DATE)
    effective_from = forms.DateField(label=_("Berlaku mulai"), widget=DATE)
    official = forms.CharField(label=_("Pejabat yang menjatuhkan"), max_length=200)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        name_empty_choices(self)


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas kehadiran (XLSX atau CSV)"),
        help_text=_("Kolom: NIP, Tanggal, Jam Masuk, Jam Pulang, Status. Maksimal 25 MB."),
    )


class BaseAmountForm(forms.Form):
    kelas = forms.IntegerField(label=_("Kelas jabatan"), min_value=1, max_value=17)
    amount = forms.DecimalField(
        label=_("Besaran dasar (Rp)"), min_value=0, max_digits=14, decimal_places=0
    )
    effective_from = forms.DateField(label=_("Berlaku mulai"), widget=DATE)
    note = forms.CharField(label=_("Dasar hukum / catatan"), max_length=300, required=False)


class MonthForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Bulan"), min_value=1, max_value=12)


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Tanggal"), widget=DATE)
    notes = forms.CharField(
        label=_("Catatan sesi"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_checkpoint = CheckboxField(label=_("Titik evaluasi"), required=False)


class OutcomeForm(forms.Form):
    improved = forms.ChoiceField(
        label=_("Hasil"),
        choices=[("ya", _("Kinerja membaik")), ("tidak", _("Tidak berhasil"))],
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label=_("Uraian hasil pembinaan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Nama aturan"), max_length=200)
    explanation = forms.CharField(
        label=_("Penjelasan untuk pegawai"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_active = CheckboxField(label=_("Aktif"), required=False)
    parameters = StrictJSONField(
        label=_("Parameter kondisi (JSON)"),
        required=False,
        help_text=_(
            'Contoh: {"predikat": ["sangat_baik"], "periods": 2, "no_punishment": true, '
            '"jp_compliant": true, "min_ikm": "88.31"}'
        ),
    )
    action_parameters = StrictJSONField(
        label=_("Parameter tindakan (JSON)"),
        required=False,
        help_text=_('Contoh untuk pelatihan wajib: {"tag": "pengembangan-kompetensi"}'),
    )

    def clean_parameters(self):  # type: ignore[no-untyped-def]
        value = self.cleaned_data.get("parameters") or {}
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Parameter harus berupa objek JSON {…}."))
        return value

    def clean_action_parameters(self):  # type: ignore[no-untyped-def]
        value = self.cleaned_data.get("action_parameters") or {}
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Parameter harus berupa objek JSON {…}."))
        return value


class CorrectionForm(forms.Form):
    nip = forms.CharField(label=_("NIP pegawai"), max_length=25)
    corrects = forms.RegexField(
        label=_("Bulan yang dikoreksi"),
        regex=r"^\d{4}-\d{2}$",
        help_text=_("Format TTTT-BB, misalnya 2026-10; bulan itu harus sudah dikunci."),
        error_messages={"invalid": _("Tulis bulan sebagai TTTT-BB, misalnya 2026-10.")},
    )
    amount = forms.DecimalField(
        label=_("Jumlah koreksi (Rp)"),
        max_digits=14,
        decimal_places=0,
        help_text=_("Positif: kekurangan bayar; negatif: kelebihan bayar yang ditarik."),
    )
    reason = forms.CharField(label=_("Alasan koreksi"), max_length=500)
