"""The code step of two-factor authentication: where a signed-in user who still owes a code
must go, and the guards that send them there (the admin site, the question-bank preview)."""

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse

from accounts import selectors


def two_factor_step_url(request: HttpRequest, *, next_url: str | None) -> str | None:
    """The page a signed-in user must pass before this one, or None: the "Enter your code" step
    for a user with an authenticator app whose session has not given a code yet, or set-up for a
    user who must have one and does not."""
    user = request.user
    if not user.is_authenticated or selectors.is_verified(user=user):
        return None
    if selectors.two_factor_enabled(user=user):
        name = "accounts:two-factor-verify"
    elif selectors.two_factor_required(user=user):
        name = "accounts:two-factor-setup"
    else:
        return None
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return reverse(name) + query


def next_url_for(request: HttpRequest) -> str | None:
    """Where to come back to after the code step: this page, for a GET."""
    return request.get_full_path() if request.method in ("GET", "HEAD") else None


class TwoFactorRequiredMixin:
    """A view only for sessions that passed the code step when the user needs one."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        step = two_factor_step_url(request, next_url=next_url_for(request))
        if step is not None:
            return HttpResponseRedirect(step)
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response
