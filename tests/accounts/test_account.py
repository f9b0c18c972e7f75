"""Your account: name and email, password, signing out other sessions, and the links to
notification settings and two-factor set-up."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.assessments.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT = "/account/"


def _signed_in(user) -> Client:
    client = Client()
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _is_signed_in(client: Client) -> bool:
    return client.get(ACCOUNT).status_code == 200


def test_your_account_needs_sign_in(client):
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("citydigital:sign-in"))


def test_your_account_shows_the_details_and_links(client):
    user = UserFactory(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    client.force_login(user)
    html = client.get(ACCOUNT).content.decode()
    assert "Ada Lovelace" in html
    assert "ada@example.org" in html
    for name in (
        "accounts:details",
        "accounts:password-change",
        "accounts:sessions-end",
        "accounts:two-factor-setup",
        "notifications:settings",
    ):
        assert f'href="{reverse(name)}"' in html, name
    # The header links here for signed-in users, on every page.
    start = client.get("/").content.decode()
    assert f'<a class="govuk-header__link" href="{ACCOUNT}">Your account</a>' in start


def test_the_header_has_no_account_link_when_signed_out(client):
    assert "Your account" not in client.get("/").content.decode()


def test_change_name_and_email(client):
    user = UserFactory(email="old@example.org")
    client.force_login(user)
    response = client.post(
        reverse("accounts:details"),
        {"first_name": "Grace", "last_name": "Hopper", "email": " Grace@Example.org "},
    )
    assert response["Location"] == ACCOUNT
    user.refresh_from_db()
    # The domain in lower case (Django's normalize_email); the local part as typed.
    assert (user.first_name, user.last_name, user.email) == ("Grace", "Hopper", "Grace@example.org")
    assert "Your name and email address have been saved" in client.get(ACCOUNT).content.decode()


def test_an_email_address_someone_else_has_is_refused_in_any_case(client):
    UserFactory(email="taken@example.org")
    user = UserFactory(email="mine@example.org")
    client.force_login(user)
    response = client.post(
        reverse("accounts:details"),
        {"first_name": "A", "last_name": "B", "email": "TAKEN@example.org"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_email">Another account already uses this email address' in html
    user.refresh_from_db()
    assert user.email == "mine@example.org"


def test_keeping_your_own_address_in_another_case_is_fine(client):
    user = UserFactory(email="me@example.org")
    client.force_login(user)
    response = client.post(
        reverse("accounts:details"),
        {"first_name": "A", "last_name": "B", "email": "ME@example.org"},
    )
    assert response.status_code == 302


def test_missing_details_are_named(client):
    client.force_login(UserFactory())
    html = client.post(reverse("accounts:details"), {}).content.decode()
    for message in ("Enter your first name", "Enter your last name", "Enter your email address"):
        assert message in html


def test_change_password_keeps_this_session_and_ends_the_others():
    user = UserFactory()
    here, elsewhere = _signed_in(user), _signed_in(user)
    response = here.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase-7",
            "new_password2": "another-long-passphrase-7",
        },
    )
    assert response["Location"] == ACCOUNT
    assert _is_signed_in(here)
    assert not _is_signed_in(elsewhere)
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase-7")


def test_change_password_with_the_wrong_current_one_is_refused():
    user = UserFactory()
    client = _signed_in(user)
    html = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "nope",
            "new_password1": "x-y-z-1234567",
            "new_password2": "x-y-z-1234567",
        },
    ).content.decode()
    assert "Your current password is not right" in html
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_sign_out_of_other_sessions():
    user = UserFactory()
    here, elsewhere, also = _signed_in(user), _signed_in(user), _signed_in(user)
    other_user = _signed_in(UserFactory())
    response = here.post(reverse("accounts:sessions-end"), {"password": PASSWORD}, follow=True)
    assert response.redirect_chain == [(ACCOUNT, 302)]
    assert "signed out of every other session" in response.content.decode()
    assert _is_signed_in(here)
    assert not _is_signed_in(elsewhere)
    assert not _is_signed_in(also)
    assert _is_signed_in(other_user)
    # The password itself is unchanged.
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_sign_out_of_other_sessions_needs_the_password():
    user = UserFactory()
    here, elsewhere = _signed_in(user), _signed_in(user)
    html = here.post(reverse("accounts:sessions-end"), {"password": "wrong"}).content.decode()
    assert "Your password is not right" in html
    assert _is_signed_in(elsewhere)


def test_the_details_form_starts_from_the_current_name_and_email(client):
    user = UserFactory(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    client.force_login(user)
    html = client.get(reverse("accounts:details")).content.decode()
    for value in ("Ada", "Lovelace", "ada@example.org"):
        assert f'value="{value}"' in html
