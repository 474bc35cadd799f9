"""The demo's monitoring figures: built after every other demo stage has written its data (the
last of DEMO_EXTENSIONS in seed_demo)."""

from __future__ import annotations

from typing import Any

from kinerja.monitoring.services import figures_rebuild


def seed(*, seed: int, options: dict[str, Any]) -> str:
    result = figures_rebuild()
    return f"Pemantauan: angka {result.people} pegawai dan {result.units} unit dibangun."
