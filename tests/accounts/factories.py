"""Two-factor helpers for tests: an authenticator app for a user, its current code, and a test
client signed in with the code step passed."""

from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services


def totp_device_for(user: User) -> TOTPDevice:
    """A confirmed authenticator app for `user` (no code used yet), and 10 recovery codes."""
    device = TOTPDevice.objects.create(
        user=user, name="Authenticator app", key=services.totp_setup_key(), confirmed=True
    )
    services.recovery_codes_replace(user=user)
    return device


def totp_code_for_key(key: str, *, drift: int = 0) -> str:
    """The code an app set up with `key` shows now (or `drift` steps of 30 s away)."""
    device = TOTPDevice(key=key)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def totp_code(device: TOTPDevice, *, drift: int = 0) -> str:
    device.refresh_from_db()
    return totp_code_for_key(device.key, drift=device.drift + drift)


def recovery_codes(user: User) -> list[str]:
    """New recovery codes for `user` (the earlier ones stop working)."""
    return services.recovery_codes_replace(user=user)


def verified_client(user: User, client: Client | None = None) -> Client:
    """A client signed in as `user` whose session has passed the code step (the user gets an
    authenticator app if they have none)."""
    client = client or Client()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device_for(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
