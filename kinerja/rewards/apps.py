from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "kinerja.rewards"
    label = "rewards"
    verbose_name = _("Tindak Lanjut dan TPP")

    def ready(self) -> None:
        from kinerja.core import importjobs

        # The monthly attendance file runs as a background import job (kinerja.core.importjobs):
        # checked whole with no write, applied in short batches, undone whole on failure.
        def importer(*, data, filename, by, params, on_apply, progress):  # type: ignore[no-untyped-def]
            from .imports import import_attendance

            return import_attendance(
                data=data, filename=filename, by=by, on_apply=on_apply, progress=progress
            )

        def undo(journal):  # type: ignore[no-untyped-def]
            from .attendance_apply import undo_attendance

            return undo_attendance(journal)

        importjobs.register("rewards.attendance", "Impor kehadiran", importer, undo)
