from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from assessments.models import (
    Answer,
    AnswerComment,
    AnswerHistory,
    Assessment,
    AssessmentEvent,
    CityRegion,
    Membership,
    ThemeAssignment,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]
    ordering = ["user__username"]


@admin.register(CityRegion)
class CityRegionAdmin(admin.ModelAdmin):
    list_display = ["name", "mayor_name", "mayor_took_office", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["name", "mayor_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "role"]
    list_filter = ["role", "region"]
    search_fields = ["user__username", "user__email", "region__name"]
    autocomplete_fields = ["user", "region"]
    ordering = ["region__name", "user__username"]


if TYPE_CHECKING:
    # What the mixin extends, as far as the type checker is concerned; at run time it is a plain
    # mixin in front of ModelAdmin or an inline.
    _AdminBase = admin.options.BaseModelAdmin[Any]
else:
    _AdminBase = object


class ReadOnlyAdminMixin(_AdminBase):
    """Assessments change only through their services (who may answer, revisions, history),
    so the admin shows them for support and never edits them."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class AssessmentEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AssessmentEvent
    # A tuple fits both attributes' types (a list of str is not a list of field groups).
    fields = readonly_fields = ("created_at", "kind", "user", "reason")
    extra = 0


class ThemeAssignmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ThemeAssignment
    fields = readonly_fields = ("theme", "assignee", "assigned_by", "assigned_at")
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["label", "region", "status", "bank", "created_at", "submitted_at"]
    list_filter = ["status", "region"]
    search_fields = ["label", "region__name"]
    list_select_related = ["region", "bank"]
    # "region" sorts by the region's own ordering (its name), and marks the column as sorted.
    ordering = ["region", "-created_at", "-pk"]
    inlines = [ThemeAssignmentInline, AssessmentEventInline]


class AnswerHistoryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AnswerHistory
    fields = readonly_fields = ("revision", "changed_at", "changed_by", "old_value", "new_value")
    extra = 0


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["assessment", "question", "revision", "updated_by", "updated_at"]
    list_filter = ["assessment__region"]
    search_fields = ["question__code", "assessment__label"]
    list_select_related = ["assessment__region", "question", "updated_by"]
    ordering = ["assessment__region__name", "-assessment__created_at", "-assessment_id", "pk"]
    inlines = [AnswerHistoryInline]


@admin.register(AnswerComment)
class AnswerCommentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["assessment", "question", "author", "created_at", "resolved_at"]
    list_filter = ["assessment__region"]
    list_select_related = ["assessment__region", "question", "author"]
    ordering = [
        "assessment__region__name",
        "-assessment__created_at",
        "-assessment_id",
        "question__theme__order",
        "question__theme_id",
        "question__order",
        "question_id",
        "created_at",
        "pk",
    ]
