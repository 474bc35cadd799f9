from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "kinerja.assessment"
    label = "assessment"
    verbose_name = _("Penilaian Kinerja")

    def ready(self) -> None:
        from kinerja.core.verification import register_resolver

        from .verification import resolve

        register_resolver(resolve)

        from kinerja.core import exports

        def recap(**kwargs):  # type: ignore[no-untyped-def]
            from .views import recap_export

            return recap_export(**kwargs)

        exports.register("assessment.recap", "Rekap penilaian (XLSX)", recap)

        from .siasn import checks  # noqa: F401  (registers the mapping file's system check)
        from .siasn.services import EXPORT_KIND, EXPORT_TITLE, siasn_export_build

        exports.register(EXPORT_KIND, EXPORT_TITLE, siasn_export_build)
