from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "kinerja.performance"
    label = "performance"
    verbose_name = _("Kinerja Pegawai (SKP)")

    def ready(self) -> None:
        from kinerja.core import events

        from .services import on_supervisor_changed

        events.subscribe("supervisor", on_supervisor_changed)
