from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic import TemplateView

from accounts.access import two_factor_step_url
from accounts.forms import SignInForm


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


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Also what a form too large to read gets (RequestDataTooBig), before any view runs.
    return render(request, "400.html", status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
