"""Your account, password reset and two-factor authentication. Each view parses, calls one
service and renders."""

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import forms, selectors, services, session
from accounts.access import two_factor_step_url
from accounts.qr import qr_data_uri
from citydigital.http import AuthenticatedHttpRequest

ACCOUNT = reverse_lazy("accounts:account")


def _safe_next(request: HttpRequest) -> str:
    """The `next` the request carries, if it points into this site; else "Your regions"."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class AccountView(LoginRequiredMixin, TemplateView):
    request: AuthenticatedHttpRequest
    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "two_factor_enabled": selectors.two_factor_enabled(user=user),
            "two_factor_required": selectors.two_factor_required(user=user),
            "recovery_codes_left": selectors.recovery_codes_left(user=user),
        }


class AccountDetailsView(LoginRequiredMixin, FormView):
    request: AuthenticatedHttpRequest
    template_name = "accounts/details.html"
    form_class = forms.AccountDetailsForm
    success_url = ACCOUNT

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: forms.AccountDetailsForm) -> HttpResponse:
        try:
            services.account_details_update(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, "Your name and email address have been saved.")
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's: it keeps this session signed in (update_session_auth_hash) and, as the
    password's hash changes, signs out every other session."""

    template_name = "accounts/password_change.html"
    form_class = forms.PasswordChangeForm
    success_url = ACCOUNT

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(
            self.request,
            "Your password has been changed. Any other sessions have been signed out.",
        )
        return response


class SessionsEndView(LoginRequiredMixin, FormView):
    request: AuthenticatedHttpRequest
    template_name = "accounts/sessions_end.html"
    form_class = forms.PasswordConfirmForm
    success_url = ACCOUNT

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: forms.PasswordConfirmForm) -> HttpResponse:
        user = services.sessions_end_others(
            user=self.request.user, password=form.cleaned_data["password"]
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, "You have been signed out of every other session.")
        return super().form_valid(form)


# ---------------------------------------------------------------------------------------------
# Password reset (Django's views; the form sends through notifications)


class PasswordResetView(auth_views.PasswordResetView):
    """The same page follows whether or not the address has an account."""

    template_name = "accounts/password_reset.html"
    form_class = forms.PasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form: Form) -> HttpResponse:
        services.password_reset_request(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        return {**super().get_context_data(**kwargs), "valid_hours": hours}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: forms.SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        services.sign_in_lock_clear(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# ---------------------------------------------------------------------------------------------
# Two-factor authentication


class CodeStepMixin(LoginRequiredMixin):
    """Pages that change two-factor authentication: a user with an authenticator app must
    have given a code in this session first."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and self.owes_code(request):
            return HttpResponseRedirect(
                reverse("accounts:two-factor-verify") + "?" + urlencode({"next": request.path})
            )
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def owes_code(request: HttpRequest) -> bool:
        return not selectors.is_verified(user=request.user) and selectors.two_factor_enabled(
            user=request.user
        )


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class TwoFactorSetupView(CodeStepMixin, FormView):
    """Set up an authenticator app: its secret (as text and a QR code) stays in the session
    until a code from it is confirmed; then 10 recovery codes are shown once."""

    request: AuthenticatedHttpRequest

    template_name = "accounts/two_factor_setup.html"

    def get_form(self, form_class: Any = None) -> forms.CodeForm:
        return forms.CodeForm(recovery=False, submit="Turn on", **self.get_form_kwargs())

    def setup_key(self) -> str:
        key = self.request.session.get(session.SETUP_KEY)
        if not key:
            key = self.request.session[session.SETUP_KEY] = services.totp_setup_key()
        return key

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        device = TOTPDevice(user=self.request.user, key=self.setup_key())
        return {
            **super().get_context_data(**kwargs),
            "required": selectors.two_factor_required(user=self.request.user),
            "replacing": selectors.two_factor_enabled(user=self.request.user),
            "secret": _grouped(b32encode(device.bin_key).decode("ascii")),
            "qr_code": qr_data_uri(device.config_url),
            "next": self.request.GET.get("next", ""),
        }

    def form_valid(self, form: forms.CodeForm) -> HttpResponse:
        set_up = services.two_factor_enable(
            user=self.request.user, key=self.setup_key(), code=form.cleaned_data["code"]
        )
        if set_up is None:
            form.add_error(
                "code",
                "The code is not right. Enter the code your authenticator app shows now",
            )
            return self.form_invalid(form)
        django_otp.login(self.request, set_up.device)
        session.two_factor_note(self.request, applies=True)
        del self.request.session[session.SETUP_KEY]
        self.request.session[session.NEW_RECOVERY_CODES] = set_up.recovery_codes
        messages.success(self.request, "Two-factor authentication is on.")
        return redirect(_with_next(reverse("accounts:recovery-codes"), self.request))


def _with_next(url: str, request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class RecoveryCodesView(CodeStepMixin, TemplateView):
    """New recovery codes, shown once (the next visit shows how many are left); a POST makes
    new ones in place of the old."""

    request: AuthenticatedHttpRequest

    template_name = "accounts/recovery_codes.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        next_url = self.request.GET.get("next")
        return {
            **super().get_context_data(**kwargs),
            "codes": self.request.session.pop(session.NEW_RECOVERY_CODES, None),
            "codes_left": selectors.recovery_codes_left(user=user),
            "enabled": selectors.two_factor_enabled(user=user),
            "continue_url": _safe_next(self.request) if next_url else ACCOUNT,
        }

    def post(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.two_factor_enabled(user=request.user):
            return redirect("accounts:account")
        codes = services.recovery_codes_replace(user=request.user)
        request.session[session.NEW_RECOVERY_CODES] = codes
        return redirect("accounts:recovery-codes")


class TwoFactorDisableView(CodeStepMixin, TemplateView):
    request: AuthenticatedHttpRequest

    template_name = "accounts/two_factor_disable.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "required": selectors.two_factor_required(user=self.request.user),
            "enabled": selectors.two_factor_enabled(user=self.request.user),
        }

    def post(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.two_factor_disable(user=request.user)
        except ValidationError:
            return self.render_to_response(self.get_context_data(), status=403)
        session.two_factor_note(request, applies=False)
        messages.success(request, "Two-factor authentication is off.")
        return redirect("accounts:account")


class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    """The "Enter your code" step of signing in, for users with an authenticator app."""

    request: AuthenticatedHttpRequest

    template_name = "accounts/two_factor_verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            step = two_factor_step_url(request, next_url=request.GET.get("next"))
            if step is None:
                return redirect(_safe_next(request))
            if not step.startswith(request.path):  # set-up, not this step
                return redirect(step)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class: Any = None) -> forms.CodeForm:
        return forms.CodeForm(recovery=True, submit="Continue", **self.get_form_kwargs())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "next": self.request.GET.get("next", "")}

    def form_valid(self, form: forms.CodeForm) -> HttpResponse:
        device = services.two_factor_verify(user=self.request.user, code=form.cleaned_data["code"])
        if device is None:
            form.add_error(
                "code",
                "The code is not right. Enter the code your app shows now, or a recovery code "
                "(after several wrong codes, wait a minute first)",
            )
            return self.form_invalid(form)
        django_otp.login(self.request, device)
        session.two_factor_note(self.request, applies=True)
        if isinstance(device, StaticDevice):
            left = selectors.recovery_codes_left(user=self.request.user)
            messages.warning(
                self.request,
                f"You used a recovery code; it will not work again. You have {left} left: "
                "make new ones on “Your account” if you are running out.",
            )
        return redirect(_safe_next(self.request))
