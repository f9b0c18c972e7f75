"""Sends a signed-in session that still owes its code (see accounts.signals) to the code step,
whatever page it asks for: without this, a user who set up an authenticator app could skip
the step and use the service on their password alone."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase

from accounts import selectors, session
from accounts.access import next_url_for, two_factor_step_url

# What a session may reach before its code: the step itself, set-up, and signing out.
OPEN_BEFORE_THE_CODE = {
    "accounts:two-factor-verify",
    "accounts:two-factor-setup",
    "citydigital:sign-out",
}


class TwoFactorStepMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None  # no session: not signed in (and its session is not read)
        if not session.two_factor_applies(request) or selectors.is_verified(user=request.user):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_THE_CODE:
            return None
        step = two_factor_step_url(request, next_url=next_url_for(request))
        if step is None:  # no longer applies (the app was removed elsewhere)
            session.two_factor_note(request, applies=False)
            return None
        return HttpResponseRedirect(step)
