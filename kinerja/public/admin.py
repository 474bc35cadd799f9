"""Django admin: the regency's wording of the questionnaire (saved through the service, audited);
other records are managed on the app's own pages and shown here read-only."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .forum import services as forum_services
from .models import Complaint, ForumParticipant, KioskDevice, Service, SurveyQuestion
from .survey import services as survey_services


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "question"]
    fields = ["code", "question", "label_1", "label_2", "label_3", "label_4"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The code names the row: typed over, it made a second question and left this one.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: SurveyQuestion, form: Any, change: bool
    ) -> None:
        saved = survey_services.question_update(
            code=obj.code,
            question=obj.question,
            labels=[obj.label_1, obj.label_2, obj.label_3, obj.label_4],
            by=request.user,  # type: ignore[arg-type]
        )
        obj.pk = saved.pk


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "unit", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["unit"]


@admin.register(KioskDevice)
class KioskDeviceAdmin(ReadOnlyAdmin):
    list_display = ["name", "service", "token_hint", "created_at", "revoked_at"]
    exclude = ["token_hash"]
    list_select_related = ["service"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "unit", "kind", "status", "received_at"]
    list_filter = ["status", "kind"]
    search_fields = ["tracking_code"]
    exclude = ["ip_hash"]
    list_select_related = ["unit"]


@admin.register(ForumParticipant)
class ForumParticipantAdmin(ReadOnlyAdmin):
    """Read-only, with one action: erase a participant's personal data on request (UU 27/2022),
    also for a blocked participant, who cannot sign in to do it on /forum/hapus-akun/."""

    list_display = ["nickname", "email", "confirmed_at", "trusted", "blocked", "erased_at"]
    list_filter = ["blocked", "trusted"]
    search_fields = ["nickname", "email"]
    exclude = ["token_hash"]
    actions = ["erase"]

    @admin.action(description="Hapus data pribadi peserta (atas permintaan)")
    def erase(self, request: HttpRequest, queryset: QuerySet[ForumParticipant]) -> None:
        erased = 0
        for participant in queryset.filter(erased_at__isnull=True):
            forum_services.participant_erase(participant=participant)
            erased += 1
        self.message_user(request, f"{erased} akun peserta forum dihapus.", messages.SUCCESS)
