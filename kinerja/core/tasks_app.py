"""django-tasks-db's app under an Indonesian name in the admin (its own: "Tasks Database
Backend"). Its own module: a second AppConfig in apps.py would stop Django from picking
CoreConfig for kinerja.core."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Tugas latar belakang")
