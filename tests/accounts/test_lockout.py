"""Acceptance 3: django-axes locks a username (or an address) out after 5 failures, on the
sign-in page and the admin's, for 15 minutes from the 5th failure, even with the right
password; a wait, an unlock in the admin or a password reset lets the user back in."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.accounts.factories import verified_client
from tests.assessments.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"
ADMIN_LOGIN = "/admin/login/"
LOCKED = "Too many attempts to sign in. Try again in 15 minutes, or reset your password."
WRONG = "Enter a correct username and password."


def _try(client, url, username, password, address="10.0.0.1"):
    # The admin's form carries next=/admin/ as a hidden field.
    data = {
        "username": username,
        "password": password,
        "next": "/admin/" if url == ADMIN_LOGIN else "",
    }
    return client.post(url, data, REMOTE_ADDR=address)


def _wait_out_the_cool_off(minutes=15, seconds=1):
    """Move every recorded failure back in time, as if the cool-off had passed."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=minutes, seconds=seconds)
        attempt.save(update_fields=["attempt_time"])


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("url", "signed_in_to"),
    [(SIGN_IN, "/regions/"), (ADMIN_LOGIN, "/admin/")],
    ids=["sign-in page", "admin login"],
)
def test_thirty_wrong_passwords_then_refused_even_with_the_right_one_until_the_cool_off(
    client, url, signed_in_to
):
    user = UserFactory(username="target", is_staff=True)
    for attempt in range(1, 31):
        # Every fifth try from the sixth on uses the right password: refused all the same.
        password = PASSWORD if attempt >= 6 and attempt % 5 == 1 else "wrong-password"
        response = _try(client, url, user.username, password)
        html = response.content.decode()
        if attempt < 5:
            assert response.status_code == 200, attempt
            assert WRONG in html or "Please enter the correct username" in html, attempt
            assert LOCKED not in html, attempt
        else:
            # The 5th failure locks, and says so; from the 6th on every try is refused.
            assert response.status_code == 429, attempt
            assert LOCKED in html, attempt
        assert not _signed_in(client), attempt
    # Refused tries did not extend the lock: 14 minutes after the 5th failure, still locked ...
    _wait_out_the_cool_off(minutes=14)
    assert _try(client, url, user.username, PASSWORD).status_code == 429
    # ... and at 15 minutes the right password signs in, and clears the count.
    _wait_out_the_cool_off(minutes=1)
    response = _try(client, url, user.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith(signed_in_to)
    assert _signed_in(client)
    assert not AccessAttempt.objects.filter(username=user.username).exists()


def test_the_sign_in_page_shows_the_lock_out_in_an_error_summary(client):
    user = UserFactory()
    for _ in range(6):
        response = _try(client, SIGN_IN, user.username, "wrong")
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert "There is a problem" in html
    assert LOCKED in html
    assert "<title>Error: Sign in" in html
    assert reverse("accounts:password-reset") in html


def test_a_username_and_its_email_address_in_any_case_share_one_count(client):
    user = UserFactory(username="ada", email="Ada.Lovelace@example.org")
    for name in ("ada", "ada.lovelace@example.org", "ADA.LOVELACE@EXAMPLE.ORG", "ada"):
        _try(client, SIGN_IN, name, "wrong")
    response = _try(client, SIGN_IN, "Ada.Lovelace@Example.org", "wrong")
    assert response.status_code == 429
    assert _try(client, SIGN_IN, user.username, PASSWORD, address="10.0.0.2").status_code == 429


def test_one_address_is_locked_out_after_5_failures_whatever_the_usernames(client):
    for n in range(5):
        _try(client, SIGN_IN, f"guess{n}", "wrong", address="10.9.9.9")
    someone = UserFactory()
    refused = _try(client, SIGN_IN, someone.username, PASSWORD, address="10.9.9.9")
    assert refused.status_code == 429
    allowed = _try(client, SIGN_IN, someone.username, PASSWORD, address="10.1.1.1")
    assert allowed.status_code == 302


def test_unknown_usernames_are_locked_out_like_known_ones(client):
    for _ in range(5):
        response = _try(client, SIGN_IN, "no-such-person", "wrong")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_a_successful_sign_in_clears_the_failures(client):
    user = UserFactory()
    for _ in range(4):
        _try(client, SIGN_IN, user.username, "wrong")
    assert _try(client, SIGN_IN, user.username, PASSWORD).status_code == 302
    client.post(reverse("citydigital:sign-out"))
    for _ in range(4):
        assert _try(client, SIGN_IN, user.username, "wrong").status_code == 200


def test_service_staff_unlock_a_user_in_the_admin(client):
    user = UserFactory()
    for _ in range(5):
        _try(client, SIGN_IN, user.username, "wrong")
    attempt = AccessAttempt.objects.get(username=user.username)
    staff = verified_client(UserFactory(is_staff=True, is_superuser=True))
    changelist = staff.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert user.username in changelist.content.decode()
    response = staff.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert _try(client, SIGN_IN, user.username, PASSWORD).status_code == 302
