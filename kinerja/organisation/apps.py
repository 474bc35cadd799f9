from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "kinerja.organisation"
    label = "organisation"
    verbose_name = _("Organisasi dan Pegawai")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from .auth import on_login_failed

        user_login_failed.connect(on_login_failed, dispatch_uid="kinerja.organisation.login_failed")

        from kinerja.core import exports

        def directory(**kwargs):  # type: ignore[no-untyped-def]
            from .views import directory_export

            return directory_export(**kwargs)

        exports.register("organisation.directory", "Direktori pegawai (XLSX)", directory)
