"""What accounts keeps in a session: whether the code step applies to it, and the set-up's
secret and recovery codes between the pages that show them."""

from django.http import HttpRequest

TWO_FACTOR_APPLIES = "accounts.two_factor_applies"
SETUP_KEY = "accounts.totp_setup_key"
NEW_RECOVERY_CODES = "accounts.new_recovery_codes"


def two_factor_note(request: HttpRequest, *, applies: bool) -> None:
    request.session[TWO_FACTOR_APPLIES] = applies


def two_factor_applies(request: HttpRequest) -> bool:
    return bool(request.session.get(TWO_FACTOR_APPLIES, False))
