from django.contrib import admin
from django.http import HttpRequest

from notifications.models import NotificationSettings, SentEmail


@admin.register(SentEmail)
class SentEmailAdmin(admin.ModelAdmin):
    """What was sent, to whom and when: a record, not a place to write emails."""

    list_display = ["subject", "to", "status", "created_at", "sent_at", "attempts"]
    list_filter = ["status", "template"]
    search_fields = ["to", "subject", "key"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in SentEmail._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SentEmail | None = None) -> bool:
        return False


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "invited",
        "theme_assigned",
        "comment_on_owned_theme",
        "briefing_finished",
        "updated_at",
    ]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
