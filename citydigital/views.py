from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic import TemplateView

from accounts.access import two_factor_step_url
from accounts.forms import SignInForm
from citydigital import presenters


class StartView(TemplateView):
    template_name = "citydigital/start.html"


class SignInView(auth_views.LoginView):
    """Username or email address and password; then the code step for those who need it. The
    session ends when the browser closes (settings) unless "Keep me signed in" is ticked."""

    template_name = "citydigital/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        if form.cleaned_data.get("remember"):
            self.request.session.set_expiry(settings.SESSION_COOKIE_AGE)
        return response

    def get_success_url(self) -> str:
        url = super().get_success_url()
        return two_factor_step_url(self.request, next_url=url) or url


class SignOutView(auth_views.LogoutView):
    pass


# The service pages, linked from every page's footer: public, GET only (TemplateView answers
# any other method with 405). The contact address comes from the `service` context processor.


class AccessibilityView(TemplateView):
    template_name = "citydigital/accessibility.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            session_time_limit=presenters.session_time_limit_text(), **kwargs
        )


class PrivacyView(TemplateView):
    template_name = "citydigital/privacy.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            session_expiry=presenters.session_expiry_text(),
            keep_signed_in=presenters.keep_signed_in_text(),
            failed_sign_ins_kept=presenters.failed_sign_ins_kept_text(),
            sign_ins_logged=presenters.sign_ins_logged(),
            invitation_lifetime=presenters.invitation_lifetime_text(),
            **kwargs,
        )


class CookiesView(TemplateView):
    template_name = "citydigital/cookies.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cookies=presenters.cookies(), **kwargs)


class ContactView(TemplateView):
    template_name = "citydigital/contact.html"


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Also what a form too large to read gets (RequestDataTooBig), before any view runs.
    return render(request, "400.html", status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
