"""django-axes' hooks (named in settings): what name a failure counts against, the client's
address, and the page a lock-out gets."""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import selectors

LOCKED_FLAG = "accounts_lockout_shown"


def lockout_minutes() -> int:
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    return int(cool_off.total_seconds() // 60)


def lockout_message() -> str:
    return (
        f"Too many attempts to sign in. Try again in {lockout_minutes()} minutes, "
        "or reset your password."
    )


def username_for_attempts(request: HttpRequest, credentials: dict | None) -> str | None:
    """The name failures are counted against: the account's username when the name (a username
    or an email address) is someone's, else the name as typed, in lower case. So "alice",
    "Alice@Example.org" and "alice@example.org" share one count, known or not."""
    name = (credentials or {}).get("username")
    if not name:
        return None
    cache = request.__dict__.setdefault("_accounts_attempt_names", {})
    if name not in cache:
        user = selectors.user_for_sign_in(name=name)
        cache[name] = user.get_username() if user is not None else str(name).strip().lower()
    found: str = cache[name]
    return found


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind settings.PROXY_COUNT proxies the address the outermost one saw
    (each proxy appends to X-Forwarded-For, so entries further left may be forged)."""
    count: int = settings.PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            client: str = forwarded[-count]
            return client
    address: str | None = request.META.get("REMOTE_ADDR")
    return address


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """A sign-in form that already shows the lock-out (accounts.forms) keeps its page, with
    status 429; any other sign-in gets the lock-out page."""
    if original_response is not None and getattr(request, LOCKED_FLAG, False):
        original_response.status_code = settings.AXES_HTTP_RESPONSE_CODE
        return original_response
    return render(
        request,
        "accounts/locked_out.html",
        {"message": lockout_message()},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
