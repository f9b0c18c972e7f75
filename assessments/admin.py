from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

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
from assessments.team import services as team_services
from assessments.team.forms import NAME_MAX
from assessments.team.models import TeamEvent


class CityRegionForm(forms.ModelForm):
    """The region, and (required when creating one) the region admin to invite."""

    admin_name = forms.CharField(
        label="Region admin's full name", max_length=NAME_MAX, required=False
    )
    admin_email = forms.EmailField(
        label="Region admin's email address",
        required=False,
        help_text="They get an email inviting them to lead the region's team (valid for 7 days).",
    )

    class Meta:
        model = CityRegion
        fields = ["name", "slug", "mayor_name", "mayor_took_office", "is_demo"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        creating = self.instance.pk is None
        if (creating or cleaned.get("admin_email")) and not cleaned.get("admin_email"):
            self.add_error("admin_email", "Enter the email address of the region's first admin")
        if cleaned.get("admin_email") and not cleaned.get("admin_name"):
            self.add_error("admin_name", "Enter the region admin's full name")
        return cleaned


@admin.register(CityRegion)
class CityRegionAdmin(admin.ModelAdmin):
    """Service staff create regions here; creating one invites its first region admin. The team
    itself changes on the region's team page (the memberships below are read-only here)."""

    form = CityRegionForm
    list_display = ["name", "mayor_name", "mayor_took_office", "is_demo", "team_link"]
    list_filter = ["is_demo"]
    search_fields = ["name", "mayor_name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "mayor_name", "mayor_took_office", "is_demo"]}),
        (
            "Invite a region admin",
            {
                "fields": ["admin_name", "admin_email"],
                "description": "Required for a new region. On an existing region, invites one "
                "more region admin (for example when the last one has left).",
            },
        ),
    ]

    def get_inlines(self, request: HttpRequest, obj: CityRegion | None) -> list[type[Any]]:
        return [MembershipInline] if obj is not None else []

    @admin.display(description="Team")
    def team_link(self, obj: CityRegion) -> str:
        url = reverse("assessments:team", kwargs={"region_slug": obj.slug})
        return format_html('<a href="{}">See the team</a>', url)

    def save_model(
        self, request: HttpRequest, obj: CityRegion, form: forms.ModelForm, change: bool
    ) -> None:
        user = request.user if isinstance(request.user, User) else None
        email = str(form.cleaned_data.get("admin_email") or "")
        name = str(form.cleaned_data.get("admin_name") or "")
        if not change:
            issued = team_services.region_create(
                region=obj, admin_name=name, admin_email=email, by=user
            )
        else:
            super().save_model(request, obj, form, change)
            if not email:
                return
            try:
                issued = team_services.invitation_create(
                    region=obj, name=name, email=email, role=Membership.Role.ADMIN, by=user
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return
        messages.success(
            request,
            f"Invited {email} to be a region admin of {obj.name}. "
            f"The invitation link (also emailed): {issued.url}",
        )


class MembershipInline(admin.TabularInline):
    """Read-only: roles change on the team page, where the last region admin is kept."""

    model = Membership
    fields = readonly_fields = ("user", "role", "created_at")
    extra = 0
    can_delete = False
    ordering = ["user__username"]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Read-only, for support: roles change on the team page (every change recorded)."""

    list_display = ["user", "region", "role"]
    list_filter = ["role", "region"]
    search_fields = ["user__username", "user__email", "region__name"]
    ordering = ["region__name", "user__username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(TeamEvent)
class TeamEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "region", "kind", "actor_name", "subject_name"]
    list_filter = ["kind", "region"]
    fields = readonly_fields = (
        "created_at",
        "region",
        "kind",
        "actor_name",
        "subject_name",
        "role",
        "previous_role",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


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
