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

        from kinerja.core import importjobs

        from .imports import TITLES

        def importer(kind: str):  # type: ignore[no-untyped-def]
            def run(*, data, filename, by, params, on_apply, progress):  # type: ignore[no-untyped-def]
                from . import access
                from .imports import import_file

                if by is not None and not access.can_manage_organisation(by):
                    raise PermissionError(kind)
                return import_file(
                    kind=kind,
                    data=data,
                    filename=filename,
                    by=by,
                    on_apply=on_apply,
                    progress=progress,
                    allow_opd_change=bool((params or {}).get("allow_opd_change")),
                )

            return run

        def undo(journal):  # type: ignore[no-untyped-def]
            from .import_apply import undo_employees

            return undo_employees(journal)

        for kind, title in TITLES.items():
            importjobs.register(
                f"organisation.{kind}",
                f"Impor {title.lower()}",
                importer(kind),
                undo if kind == "employees" else None,
            )
