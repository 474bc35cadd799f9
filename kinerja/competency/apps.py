from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetencyConfig(AppConfig):
    name = "kinerja.competency"
    label = "competency"
    verbose_name = _("Pengembangan Kompetensi")

    def ready(self) -> None:
        from kinerja.core import events, figures

        from .selectors import jp_provider
        from .services import on_training_required
        from .tasks import on_jp_changed, on_people_changed

        figures.register("competency.jp", jp_provider)
        events.subscribe("training.required", on_training_required)
        events.subscribe("jp", on_jp_changed)
        for topic in ("employee", "supervisor", "people"):
            events.subscribe(topic, on_people_changed)
