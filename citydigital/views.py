from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic import TemplateView

from citydigital.forms import SignInForm


class StartView(TemplateView):
    template_name = "citydigital/start.html"


class SignInView(auth_views.LoginView):
    template_name = "citydigital/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Also what a form too large to read gets (RequestDataTooBig), before any view runs.
    return render(request, "400.html", status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
