"""Response headers for every page: what browser features pages may use, and that signed-in
pages and downloads are never stored by a browser's or a proxy's cache."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

Handler = Callable[[HttpRequest], HttpResponseBase]

# No page uses any of these; a page embedded elsewhere cannot either (it cannot be framed).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
PRIVATE = "private, no-store"


def permissions_policy(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponseBase:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware


def private_when_signed_in(get_response: Handler) -> Handler:
    """A signed-in visitor's responses (pages, CSV and PDF downloads) get `Cache-Control:
    private, no-store`, unless they already say no-store (Django's never_cache says more).
    Requests without a session cookie are never signed in, and their session is not read."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        response = get_response(request)
        if "no-store" in response.get("Cache-Control", ""):
            return response
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            response["Cache-Control"] = PRIVATE
        return response

    return middleware
