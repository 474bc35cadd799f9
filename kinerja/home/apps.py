from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top layer's pages: the work home page, the navigation every page shows, and the
    audit log. It may show a little of every app below it (docs/ARCHITECTURE.md)."""

    name = "kinerja.home"
    label = "home"
    verbose_name = "Beranda"
