from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "kinerja.public"
    label = "public"
    verbose_name = _("Partisipasi Masyarakat")

    def ready(self) -> None:
        """Offer the citizens' figures to the apps below (kinerja.core.figures): the SKP's
        automatic indicators read a service's monthly IKM and a unit's complaints answered on
        time without importing this app."""
        from kinerja.core import figures

        from .complaints import selectors as complaint_selectors
        from .models import Service
        from .survey import selectors as survey_selectors

        def service_ikm(*, service_code: str, year: int, month: int):  # type: ignore[no-untyped-def]
            return survey_selectors.ikm_for_service_month(service_code, year, month).converted

        def service_exists(*, code: str) -> bool:
            return Service.objects.filter(code=code).exists()

        figures.register("public.service_ikm", service_ikm)
        figures.register(
            "public.complaints_on_time", complaint_selectors.complaints_on_time_percent
        )
        figures.register("public.service_exists", service_exists)
