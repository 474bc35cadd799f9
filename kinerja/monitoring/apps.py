from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "kinerja.monitoring"
    label = "monitoring"
    verbose_name = _("Pemantauan")

    def ready(self) -> None:
        from kinerja.core import events

        from .live import on_change

        for topic in ("realisation", "feedback", "plan"):
            events.subscribe(topic, on_change)
