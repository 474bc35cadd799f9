"""Performance data in the Django admin: read-only (changes go through the application's pages,
which enforce the workflow and write the audit trail)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import OrgGoal, Plan, PlanVersion, Realisation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OrgGoal)
class OrgGoalAdmin(ReadOnlyAdmin):
    list_display = ["opd", "year", "number", "sasaran", "indicator", "target"]
    list_filter = ["year", "opd"]


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["employee", "year", "status", "version", "assessor"]
    list_filter = ["year", "status"]
    search_fields = ["employee__name", "employee__nip"]
    list_select_related = ["employee", "assessor"]


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "number", "approved_at"]
    list_select_related = ["plan__employee"]


@admin.register(Realisation)
class RealisationAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "month", "value", "is_late", "reviewed_at"]
    list_filter = ["month", "is_late"]
    list_select_related = ["indicator"]
