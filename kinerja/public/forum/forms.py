"""Forms of the forum."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import name_empty_choices
from kinerja.core.text import trimmed, visible_length

from ..common import Target
from ..web import HoneypotMixin, TargetField


class ForumSignupForm(HoneypotMixin):
    email = forms.EmailField(
        label=_("Surel"), error_messages={"invalid": _("Alamat surel tidak valid.")}
    )
    nickname = forms.CharField(
        label=_("Nama panggilan yang tampil"),
        max_length=40,
        required=False,
        help_text=_("Untuk peserta baru. Jangan memakai nama lengkap bila tidak ingin dikenali."),
    )


class TopicForm(forms.Form):
    target = TargetField(label=_("Tentang unit atau layanan"))
    title = forms.CharField(label=_("Judul"), min_length=5, max_length=150)
    body = forms.CharField(
        label=_("Isi"), min_length=5, max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, targets: list[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].set_targets(targets)  # type: ignore[attr-defined]
        name_empty_choices(self)


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Tulisan Anda"),
        min_length=5,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("Alasan melaporkan"), min_length=3, max_length=200)

    def clean_reason(self) -> str:
        # What services.post_report requires: three visible characters, not zero-width spaces
        # or control characters that pass min_length.
        reason: str = self.cleaned_data["reason"]
        if visible_length(trimmed(reason)) < 3:
            raise forms.ValidationError(_("Tuliskan alasan singkat (3 sampai 200 karakter)."))
        return reason
