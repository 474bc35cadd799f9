from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_repr", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_repr", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- Background tasks (django-tasks-db) in Indonesian ------------------------------------------
# The package's admin labels two columns with plain English strings and its app with an English
# name; the model's own field names are translated in locale/id/LC_MESSAGES/django.po.


class TaskResultAdmin(DBTaskResultAdmin):
    list_display = (
        "id",
        "nama_tugas",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    @admin.display(description=_("nama tugas"), ordering="task_path")
    def nama_tugas(self, obj: DBTaskResult) -> str:
        # From the stored path: the package's task_name loads the task through the backend.
        return str(obj.task_path).rsplit(".", 1)[-1]

    @admin.display(description=_("jejak galat (traceback)"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return str(super().formatted_traceback(obj))

    @admin.display(description=_("dijalankan setelah"))
    def display_run_after(self, obj: DBTaskResult) -> Any:
        return super().display_run_after(obj)


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
