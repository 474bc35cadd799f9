from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Bukitintan demo regency: `seed_demo` and `demo_logins`. Top layer: it calls every
    stage of its demo package in order (kinerja.demo.organisation first)."""

    name = "kinerja.demo"
    label = "demo"
    verbose_name = "Demo"
