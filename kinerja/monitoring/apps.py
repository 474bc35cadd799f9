from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "kinerja.monitoring"
    label = "monitoring"
    verbose_name = _("Pemantauan")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from kinerja.core import events

        from .live import (
            on_account_changed,
            on_bulk_change,
            on_change,
            on_reporting_lines_changed,
            on_unread_changed,
        )

        # A password change or a deactivation ends the account's open streams (views.stream).
        post_save.connect(on_account_changed, sender=get_user_model(), dispatch_uid="live-account")

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

        from kinerja.adoption import schedule

        from .tasks import team_figures_nightly

        # Each head's row is built on the rows of the heads below (after a save only the saver's
        # chain is refreshed): once a day every team is counted again, so that "late" follows the
        # day's due months everywhere (services.team_figures_refresh_chain).
        schedule.register(
            schedule.Job(
                "angka_tim",
                "Angka tim para atasan (papan pantau)",
                "10 0 * * *",
                team_figures_nightly,
            )
        )

        from kinerja.core import taskbatch

        from .tasks import refresh_unit_and_team_figures, refresh_unit_and_team_figures_many

        # A burst of saves queues one refresh each; the database worker runs those it finds
        # queued together: each unit and each head above the savers once (kinerja.core.taskbatch).
        taskbatch.register(
            refresh_unit_and_team_figures,
            refresh_unit_and_team_figures_many,
            size=settings.MONITORING_REFRESH_BATCH,
        )
