"""Reads for accounts: who a sign-in name is, whether an email address is taken, and what
two-factor authentication asks of a user."""

from unicodedata import normalize

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

AnyUser = User | AnonymousUser


def user_for_sign_in(*, name: str) -> User | None:
    """The account a sign-in name means: the user with that username (exactly), else the one
    user with that email address (any case). None if neither, or if several share the address
    (the database forbids that now; see accounts/migrations/0001)."""
    users = User.objects
    name = name.strip()
    user = users.filter(username=name).first()
    if user is not None or "@" not in name:
        return user
    matches = list(users.filter(email__iexact=name)[:2])
    return matches[0] if len(matches) == 1 else None


def users_for_password_reset(*, email: str) -> list[User]:
    """Who may reset a password by `email`: Django's rule (PasswordResetForm.get_users), active
    accounts with a usable password whose address matches in any case, Unicode-aware."""
    wanted = normalize("NFKC", email).casefold()
    return [
        user
        for user in User.objects.filter(email__iexact=email, is_active=True)
        if user.has_usable_password() and normalize("NFKC", user.email).casefold() == wanted
    ]


def email_in_use(*, email: str, exclude_pk: int | None = None) -> bool:
    """Whether another account already has this email address (any case)."""
    others = User.objects.filter(email__iexact=email.strip())
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def two_factor_required(*, user: AnyUser) -> bool:
    """Superusers and members of settings.TWO_FACTOR_REQUIRED_GROUPS must use a code."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    groups: list[str] = settings.TWO_FACTOR_REQUIRED_GROUPS
    return user.groups.filter(name__in=groups).exists()


def two_factor_enabled(*, user: AnyUser) -> bool:
    """Whether the user has a confirmed authenticator app (a TOTP device)."""
    if not user.is_authenticated:
        return False
    return bool(TOTPDevice.objects.devices_for_user(user, confirmed=True).exists())


def two_factor_applies(*, user: AnyUser) -> bool:
    """Whether signing in asks this user for a code: required of them, or they set it up."""
    return two_factor_required(user=user) or two_factor_enabled(user=user)


def is_verified(*, user: AnyUser) -> bool:
    """Whether this session passed the code step (django_otp.middleware.OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def recovery_codes_left(*, user: User) -> int:
    device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    return int(device.token_set.count()) if device is not None else 0
