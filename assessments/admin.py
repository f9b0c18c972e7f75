from django.contrib import admin

from assessments.models import CityRegion, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


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
