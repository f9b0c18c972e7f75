"""Signing in by username or email address, and how long a session lasts."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.assessments.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"


def _sign_in(client, username, password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"username": username, "password": password, **extra})


@pytest.mark.parametrize(
    "name", ["ada", "ada@example.org", "ADA@Example.ORG", "  ada@example.org "]
)
def test_sign_in_by_username_or_by_email_address_in_any_case(client, name):
    user = UserFactory(username="ada", email="Ada@example.org")
    response = _sign_in(client, name)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_username_is_still_case_sensitive(client):
    UserFactory(username="ada")
    response = _sign_in(client, "ADA")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_email_address_with_the_wrong_password_gets_the_usual_message(client):
    UserFactory(email="bo@example.org")
    html = _sign_in(client, "bo@example.org", "wrong").content.decode()
    assert "Enter a correct username and password." in html


def test_an_inactive_account_cannot_sign_in_by_email(client):
    UserFactory(email="gone@example.org", is_active=False)
    assert _sign_in(client, "gone@example.org").status_code == 200
    assert "_auth_user_id" not in client.session


def test_two_accounts_cannot_share_an_email_address_in_any_case():
    UserFactory(email="Same@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="same@EXAMPLE.org")
    # Accounts without an address are not affected.
    UserFactory(email="")
    UserFactory(email="")


class CountingHasher(MD5PasswordHasher):
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("known", "known username, wrong password"),
        ("known@example.org", "known email, wrong password"),
        ("nobody", "unknown username"),
        ("nobody@example.org", "unknown email address"),
    ],
)
def test_the_password_hasher_runs_once_whether_or_not_the_name_exists(
    client, settings, name, label
):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    UserFactory(username="known", email="known@example.org")
    CountingHasher.calls = 0
    _sign_in(client, name, "wrong")
    assert CountingHasher.calls == 1, label


def test_the_session_ends_when_the_browser_closes_unless_keep_me_signed_in(client, settings):
    user = UserFactory()
    _sign_in(client, user.username)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""  # a browser-session cookie
    assert cookie["expires"] == ""
    assert client.session.get_expire_at_browser_close()

    client.post(reverse("citydigital:sign-out"))
    _sign_in(client, user.username, remember="on")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 8 * 60 * 60
    assert not client.session.get_expire_at_browser_close()


@pytest.mark.parametrize("remember", [False, True], ids=["browser session", "kept signed in"])
def test_the_session_ends_after_8_hours_without_a_request(client, remember):
    user = UserFactory()
    _sign_in(client, user.username, **({"remember": "on"} if remember else {}))
    key = client.session.session_key
    session = Session.objects.get(session_key=key)
    # Each request renews the stored session for another 8 hours ...
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timezone.timedelta(minutes=5)
    )
    assert client.get(reverse("assessments:region-list")).status_code == 200
    session = Session.objects.get(session_key=key)
    left = session.expire_date - timezone.now()
    assert timezone.timedelta(hours=7, minutes=59) < left <= timezone.timedelta(hours=8)
    # ... and one left 8 hours untouched has ended.
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    response = client.get(reverse("assessments:region-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_the_sign_in_page_links_to_password_reset_and_offers_keep_me_signed_in(client):
    html = client.get(SIGN_IN).content.decode()
    assert f'href="{reverse("accounts:password-reset")}"' in html
    assert "Forgot your password?" in html
    assert "Keep me signed in" in html
    assert "Username or email address" in html


def test_users_have_unusable_passwords_refused(client):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    assert _sign_in(client, user.username).status_code == 200
    assert User.objects.get(pk=user.pk).has_usable_password() is False
