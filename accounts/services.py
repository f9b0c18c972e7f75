"""Writes for accounts: name and email, signing out other sessions, two-factor set-up and
removal, and clearing a sign-in lock-out."""

from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts import selectors
from citydigital.jobs import job_send
from notifications.models import SentEmail
from notifications.services import absolute_url, email_send

RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6  # django-otp's TOTPDevice default, which every authenticator app shows
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


@transaction.atomic
def account_details_update(*, user: User, first_name: str, last_name: str, email: str) -> User:
    """Change the user's name and email address; the address must be no one else's (any
    case), which the database also enforces."""
    email = email.strip()
    if selectors.email_in_use(email=email, exclude_pk=user.pk):
        raise ValidationError({"email": "Another account already uses this email address."})
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.email = email
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["first_name", "last_name", "email"])
    return user


def sessions_end_others(*, user: User, password: str) -> User:
    """Sign the user out of every session: their password is hashed again with a new salt, so
    the session auth hash Django checks on each request (derived from the stored hash) changes.
    The caller keeps its own session with django.contrib.auth.update_session_auth_hash."""
    if not user.check_password(password):
        raise ValidationError({"password": "Your password is not right."})
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def password_reset_request(*, email: str) -> None:
    """Ask for the reset emails of `email`. The request does the same work whatever the
    address (it sends one job, on commit), so neither its page nor its time tells whether an
    account has it; the worker finds the accounts (password_reset_email_send). With the broker
    down the emails are made here instead, and the mail sweep sends them."""
    from accounts.tasks import password_reset_email_task

    def send() -> None:
        if not job_send(password_reset_email_task, email, what="A password reset request"):
            password_reset_email_send(email=email)

    transaction.on_commit(send)


def password_reset_email_send(*, email: str) -> list[SentEmail]:
    """One reset email (notifications.services.email_send) to each account that may reset its
    password at `email`, with a link that works once, for settings.PASSWORD_RESET_TIMEOUT."""
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    sent = []
    for user in selectors.users_for_password_reset(email=email):
        token = default_token_generator.make_token(user)
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        path = reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
        sent.append(
            email_send(
                to=user.email,
                template="password_reset",
                context={
                    "name": user.get_full_name() or user.get_username(),
                    "username": user.get_username(),
                    "reset_url": absolute_url(path),
                    "valid_hours": hours,
                },
                key=f"password_reset:{user.pk}:{token}",
            )
        )
    return sent


def sign_in_lock_clear(*, user: User) -> int:
    """Clear django-axes' failures recorded against the user's username (a successful password
    reset proves who they are). Failures counted against an address stay."""
    count: int = axes_reset(username=user.get_username())
    return count


def totp_setup_key() -> str:
    """A new TOTP secret (hex), kept in the session until the user confirms a code from it."""
    key: str = random_hex(20)
    return key


def totp_for_key(key: str) -> TOTP:
    device = TOTPDevice(key=key)
    return TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)


@dataclass(frozen=True)
class TwoFactorSetUp:
    device: TOTPDevice
    recovery_codes: list[str]


@transaction.atomic
def two_factor_enable(*, user: User, key: str, code: str) -> TwoFactorSetUp | None:
    """Confirm a new authenticator app: if `code` is right for `key` (now, or one step either
    side), the app replaces any earlier one and 10 new recovery codes replace any earlier ones.
    None if the code is wrong."""
    totp = totp_for_key(key)
    if not code.isdigit() or not totp.verify(int(code), tolerance=1):
        return None
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True, last_t=totp.t()
    )
    return TwoFactorSetUp(device=device, recovery_codes=recovery_codes_replace(user=user))


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """New one-time recovery codes for the user; the earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    """Remove the user's authenticator app and recovery codes. Refused for the users who must
    have one (superusers, question-bank admins)."""
    if selectors.two_factor_required(user=user):
        raise ValidationError("Two-factor authentication is required for your account.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_verify(*, user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `code`: the authenticator app (a code once only: django-otp
    keeps the last time step used) or a recovery code (deleted as it is used). Each device
    throttles wrong codes (django-otp's back-off)."""
    devices: list[TOTPDevice | StaticDevice] = []
    if code.isdigit() and len(code) == TOTP_DIGITS:
        devices += TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
    else:
        devices += StaticDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
    for device in devices:
        if device.verify_token(code):
            return device
    return None
