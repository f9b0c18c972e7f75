"""Password reset with Django's views: the email goes through notifications (a Celery job on
commit), the same page follows for any address, and a successful reset lifts a lock-out."""

import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts import services
from notifications.models import SentEmail
from tests.assessments.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-42"


def _request_reset(client, email):
    """Ask for a reset, then do what the worker does with the job (the browser test runs a
    real worker)."""
    response = client.post(reverse("accounts:password-reset"), {"email": email})
    services.password_reset_email_send(email=email)
    return response


def _reset_link(email: SentEmail) -> str:
    match = re.search(r"https?://[^/\s]+(/password-reset/[^/\s]+/[^/\s]+/)", email.body_text)
    assert match, email.body_text
    return match.group(1)


@pytest.mark.parametrize("address", ["ADA@example.org", "nobody@example.org"])
def test_the_request_sends_one_job_on_commit_and_nothing_else_whatever_the_address(
    client, django_capture_on_commit_callbacks, address
):
    UserFactory(email="ada@example.org")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("accounts:password-reset"), {"email": address})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert len(callbacks) == 1  # the job that looks the address up, in the worker
    assert not SentEmail.objects.exists()


def test_with_the_broker_down_the_email_is_made_in_the_request(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    UserFactory(email="ada@example.org")
    monkeypatch.setattr(services, "job_send", lambda *args, what: False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-reset"), {"email": "ada@example.org"})
    # Stored and queued: the mail sweep sends it once the broker is back.
    assert SentEmail.objects.get().status == SentEmail.Status.QUEUED


def test_the_worker_makes_one_email_for_a_known_address_sent_by_a_job_on_commit(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    UserFactory(email="", first_name="No address")
    with django_capture_on_commit_callbacks() as callbacks:
        services.password_reset_email_send(email="ADA@example.org")
    email = SentEmail.objects.get()
    assert email.template == "password_reset"
    assert email.to == "ada@example.org"
    assert email.key.startswith(f"password_reset:{user.pk}:")
    assert email.subject == "Reset your City Digital Readiness password"
    assert "Dear Ada Lovelace" in email.body_text
    assert _reset_link(email) in email.body_html
    assert len(callbacks) == 1  # the delivery job, sent on commit


def test_no_email_for_an_inactive_account_or_one_without_a_usable_password():
    UserFactory(email="gone@example.org", is_active=False)
    unusable = UserFactory(email="sso@example.org")
    unusable.set_unusable_password()
    unusable.save()
    for address in ("gone@example.org", "sso@example.org", "nobody@example.org"):
        assert services.password_reset_email_send(email=address) == []
    assert not SentEmail.objects.exists()


def test_an_unknown_address_gets_the_same_page_and_no_email(client):
    response = _request_reset(client, "nobody@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert not SentEmail.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "If the address you entered belongs to an account" in page


def test_the_link_sets_a_new_password_once_and_the_old_one_stops_working(client):
    user = UserFactory(email="bo@example.org")
    _request_reset(client, user.email)
    link = _reset_link(SentEmail.objects.get())
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:password-reset-complete")
    assert "Your password has been reset" in client.get(response["Location"]).content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    # The link is spent.
    again = client.get(link, follow=True).content.decode()
    assert "This link does not work" in again


def test_a_tampered_link_says_so_and_changes_nothing(client):
    user = UserFactory(email="cy@example.org")
    _request_reset(client, user.email)
    link = _reset_link(SentEmail.objects.get())
    tampered = link[:-3] + ("aa/" if not link.endswith("aa/") else "bb/")
    page = client.get(tampered, follow=True)
    assert "This link does not work" in page.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_successful_reset_lifts_the_sign_in_lock(client):
    user = UserFactory(email="di@example.org")
    for _ in range(6):
        client.post("/sign-in/", {"username": user.username, "password": "wrong"})
    assert (
        client.post("/sign-in/", {"username": user.username, "password": PASSWORD}).status_code
        == 429
    )
    _request_reset(client, user.email)
    page = client.get(_reset_link(SentEmail.objects.get()), follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    response = client.post("/sign-in/", {"username": user.username, "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_mismatched_new_passwords_are_named_in_the_error_summary(client):
    user = UserFactory(email="ed@example.org")
    _request_reset(client, user.email)
    page = client.get(_reset_link(SentEmail.objects.get()), follow=True)
    html = client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": "other"}
    ).content.decode()
    assert "There is a problem" in html
    assert "The two new passwords do not match" in html


def test_an_empty_address_is_named(client):
    html = _request_reset(client, "").content.decode()
    assert 'href="#id_email">Enter your email address' in html
