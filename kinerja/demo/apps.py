from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Bukitintan demo regency: `seed_demo` and `demo_logins`. Top layer: it calls every
    app's own demo module in order, so no app needs to import another's demo."""

    name = "kinerja.demo"
    label = "demo"
    verbose_name = "Demo"
