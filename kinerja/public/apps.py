from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "kinerja.public"
    label = "public"
    verbose_name = _("Partisipasi Masyarakat")

    def ready(self) -> None:
        """Offer the citizens' figures to the apps below (kinerja.core.figures): the SKP's
        automatic indicators read a service's monthly IKM and a unit's complaints answered on
        time, and the follow-up rules and the recognition ranking an OPD's IKM, without
        importing this app."""
        from kinerja.core import figures

        from .complaints import selectors as complaint_selectors
        from .models import Service
        from .survey import selectors as survey_selectors

        def service_ikm(*, service_code: str, year: int, month: int):  # type: ignore[no-untyped-def]
            return survey_selectors.ikm_for_service_month(service_code, year, month).converted

        def unit_ikm(*, opd_id: int, year: int, month: int | None = None):  # type: ignore[no-untyped-def]
            """The IKM (25–100, PermenPANRB 14/2017) of the services of an OPD and its units
            for `year`, or one month of it; None when no questionnaire counts."""
            from kinerja.organisation.models import Unit
            from kinerja.rules.periods import Period, Periodicity

            unit = Unit.objects.filter(pk=opd_id).only("path").first()
            if unit is None:
                return None
            period = (
                Period(year, Periodicity.MONTHLY, month)
                if month is not None
                else Period(year, Periodicity.ANNUAL, 1)
            )
            return survey_selectors.survey_result(
                scope=survey_selectors.unit_scope(unit), start=period.start, end=period.end
            ).ikm.converted

        def service_exists(*, code: str) -> bool:
            return Service.objects.filter(code=code).exists()

        figures.register("public.service_ikm", service_ikm)
        figures.register(
            "public.complaints_on_time", complaint_selectors.complaints_on_time_percent
        )
        figures.register("public.service_exists", service_exists)
        figures.register("public.ikm", unit_ikm)
