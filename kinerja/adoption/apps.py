from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdoptionConfig(AppConfig):
    name = "kinerja.adoption"
    label = "adoption"
    verbose_name = _("Adopsi")

    def ready(self) -> None:
        from kinerja.core.notifications import register_channel

        from .channels import email_channel, webhook_channel

        register_channel("email", email_channel)
        register_channel("webhook", webhook_channel)
