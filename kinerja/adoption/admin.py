"""Read-only views of adoption's logs for superusers (writes go through the pages)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ActivationBatch, Delivery, JobRun, ReminderSent


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ["created_at", "channel", "kind", "target", "status", "attempts", "last_error"]
    list_filter = ["channel", "status", "kind"]
    search_fields = ["target"]


@admin.register(JobRun)
class JobRunAdmin(ReadOnly):
    list_display = ["started_at", "job", "ok", "finished_at", "detail"]
    list_filter = ["job", "ok"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnly):
    list_display = ["sent_at", "kind", "key"]
    list_filter = ["kind"]
    search_fields = ["key"]


@admin.register(ActivationBatch)
class ActivationBatchAdmin(ReadOnly):
    list_display = ["created_at", "label", "count", "emailed", "expires_at", "created_by"]
