from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "kinerja.monitoring"
    label = "monitoring"
    verbose_name = _("Pemantauan")

    def ready(self) -> None:
        from kinerja.core import events

        from .live import on_bulk_change, on_change, on_reporting_lines_changed, on_unread_changed

        for topic in ("realisation", "feedback", "plan"):
            events.subscribe(topic, on_change)
        events.subscribe("realisations", on_bulk_change)
        events.subscribe("supervisor", on_reporting_lines_changed)
        events.subscribe("people", on_reporting_lines_changed)
        events.subscribe("notifications", on_unread_changed)

        from kinerja.core.asgi import on_shutdown

        from .hub import shutdown

        on_shutdown(shutdown)

        from kinerja.core import exports

        def regency_pdf(**kwargs):  # type: ignore[no-untyped-def]
            from .views import regency_pdf_export

            return regency_pdf_export(**kwargs)

        exports.register("monitoring.regency_pdf", "Dasbor kinerja daerah (PDF)", regency_pdf)
