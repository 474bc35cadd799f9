"""Demo step after the citizens' data: fill, for every month so far, the SKP indicators that take
their realisation from the survey and the complaints (the performance demo gives them to the
heads of Dinkes and Disdukcapil), as the hourly `sync_automatic_realisations` job would."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from kinerja.performance.services import automatic_realisations_sync


def seed(*, seed: int, options: dict[str, Any]) -> str:
    del seed
    if options.get("no_survey_data"):
        return "Realisasi otomatis: tidak ada data survei demo."
    today = timezone.localdate()
    written = sum(
        automatic_realisations_sync(year=today.year, month=month).written
        for month in range(1, today.month + 1)
    )
    return f"{written} realisasi otomatis dari survei dan pengaduan."
