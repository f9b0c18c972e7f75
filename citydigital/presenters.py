"""What the cookies, privacy and accessibility pages say about the service's own settings,
read from those settings, so the pages stay true when a deployer changes one."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

from accounts.forms import SignInForm
from assessments.formatting import duration_text
from assessments.team.models import INVITATION_LIFETIME

# WCAG 2.2.1 (Timing adjustable) exempts a time limit longer than 20 hours.
WCAG_LONGEST_TIME_LIMIT = timedelta(hours=20)
# Django's message storages that keep messages in a cookie (the default is the fallback one).
COOKIE_MESSAGE_STORAGES = {
    "django.contrib.messages.storage.cookie.CookieStorage",
    "django.contrib.messages.storage.fallback.FallbackStorage",
}
AT_BROWSER_CLOSE = "when you close your browser"


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    expires: str


def session_length() -> timedelta:
    return timedelta(seconds=settings.SESSION_COOKIE_AGE)


def session_limit_text() -> str:
    """When the server ends a session: "8 hours after you last use the service"."""
    length = duration_text(session_length())
    if settings.SESSION_SAVE_EVERY_REQUEST:
        return f"{length} after you last use the service"
    return f"{length} after you sign in"


def session_expiry_text() -> str:
    """When a session ends on its own, browser closing included."""
    if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE:
        return f"{AT_BROWSER_CLOSE}, or {session_limit_text()}"
    return session_limit_text()


def keep_signed_in_text() -> str | None:
    """What "Keep me signed in" changes, when sign-in offers it (sessions otherwise end with
    the browser)."""
    if not (settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and "remember" in SignInForm.base_fields):
        return None
    return "If you tick “Keep me signed in” when you sign in, closing your browser does not end it."


def session_cookie_expiry_text() -> str:
    keep = keep_signed_in_text()
    return f"{session_expiry_text()}. {keep}" if keep else session_expiry_text()


def cookies() -> list[Cookie]:
    """Every cookie the service sets, in the order a visitor meets them."""
    found = []
    if not settings.CSRF_USE_SESSIONS:
        age = settings.CSRF_COOKIE_AGE
        found.append(
            Cookie(
                name=settings.CSRF_COOKIE_NAME,
                purpose="Stops other websites sending forms to this service in your name "
                "(this is called cross-site request forgery). Set when a page has a form, "
                "for example the sign-in page.",
                expires=duration_text(timedelta(seconds=age)) if age else AT_BROWSER_CLOSE,
            )
        )
    found.append(
        Cookie(
            name=settings.SESSION_COOKIE_NAME,
            purpose="Keeps you signed in as you move from page to page. Set when you sign in "
            "and deleted when you sign out.",
            expires=session_cookie_expiry_text(),
        )
    )
    if settings.MESSAGE_STORAGE in COOKIE_MESSAGE_STORAGES:
        found.append(
            Cookie(
                name="messages",
                purpose="Shows you a message once after you do something, for example "
                "“Baseline was submitted”. Deleted as soon as the message is shown.",
                expires=AT_BROWSER_CLOSE,
            )
        )
    return found


def failed_sign_ins_kept_text() -> str | None:
    """How long django-axes keeps a failed sign-in attempt, or None if it never deletes them.

    Axes deletes an attempt once its cool-off has passed since the last failure (the next time
    anyone signs in); without a cool-off it keeps attempts until staff reset them."""
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    if isinstance(cool_off, int | float):  # axes reads a number as hours
        cool_off = timedelta(hours=cool_off)
    return duration_text(cool_off) if isinstance(cool_off, timedelta) else None


def sign_ins_logged() -> bool:
    """Whether django-axes records every successful sign-in (its default)."""
    return not getattr(settings, "AXES_DISABLE_ACCESS_LOG", False)


def invitation_lifetime_text() -> str:
    return duration_text(INVITATION_LIFETIME)


def session_time_limit_text() -> str | None:
    """The session's length in words when it is short enough to be a WCAG time limit (the
    server ends a session after it even when the cookie lasts only until the browser closes)."""
    if session_length() > WCAG_LONGEST_TIME_LIMIT:
        return None
    length = duration_text(session_length())
    if settings.SESSION_SAVE_EVERY_REQUEST:
        return f"{length} without using it"
    return length
