"""The admin site (Django's, with the code step): superusers and question-bank admins reach it
only from a session that passed two-factor authentication."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.access import two_factor_step_url
from accounts.forms import AdminSignInForm


class AdminSite(admin.AdminSite):
    site_header = "City Digital Readiness administration"
    site_title = "City Digital Readiness admin"
    login_form = AdminSignInForm

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and (
            two_factor_step_url(request, next_url=None) is None
        )

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Signed in but owing a code: the code step (or set-up), then back to the admin.
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        step = two_factor_step_url(request, next_url=next_url)
        if step is not None:
            return HttpResponseRedirect(step)
        return super().login(request, extra_context)
