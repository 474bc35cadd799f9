"""Input checks shared by the modules of kinerja.rewards.services (package-private: the
services import them from here; nothing outside the package does)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from kinerja.core.text import trimmed


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _text(value: str | None, label: str, *, required: bool = True, limit: int = 2000) -> str:
    text = trimmed(value)  # what shows nothing is not written
    if required and not text:
        raise ValidationError(f"{label} wajib diisi.")
    if len(text) > limit:
        raise ValidationError(f"{label} terlalu panjang (maksimal {limit} karakter).")
    return text
