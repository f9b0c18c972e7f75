"""In a real browser: forgot password → the email (through a real Celery worker and a real
SMTP server) → a new password → signed in, and the old password no longer works; then "Your
account" and two-factor set-up and sign-in. axe-core checks every page on the way."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.assessments.factories import PASSWORD, CityRegionFactory, editor_of
from tests.fixtures.browser import axe_violations, sign_in
from tests.fixtures.workers import celery_worker

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "tidal-lantern-orchard-58"


def _no_violations(page, what: str) -> None:
    assert axe_violations(page) == [], what


def test_forgot_password_email_new_password_signed_in_and_the_old_one_fails(
    page, live_server, settings, smtp_server, default_broker, use_queue, tmp_path
):
    settings.SITE_URL = live_server.url  # links in emails point at this server
    membership = editor_of(
        CityRegionFactory(name="West Midlands"),
        user__email="Priya.Shah@example.org",
        user__first_name="Priya",
        user__last_name="Shah",
    )
    user = membership.user
    mail = {"EMAIL_URL": smtp_server.email_url, "SITE_URL": live_server.url}
    with celery_worker(broker=default_broker, tmp_path=tmp_path, extra_env=mail) as worker:
        use_queue(worker.queue)
        page.goto("/sign-in/")
        page.get_by_role("link", name="Forgot your password?").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
        _no_violations(page, "reset request")
        page.get_by_label("Email address").fill("priya.shah@example.org")
        page.get_by_role("button", name="Send the reset link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
        _no_violations(page, "reset sent")

        (message,) = smtp_server.wait_for(1, timeout=60)
    assert message["To"] == "Priya.Shah@example.org"
    assert message["Subject"] == "Reset your City Digital Readiness password"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = re.search(rf"{re.escape(live_server.url)}/password-reset/\S+/\S+/", text).group(0)
    assert link in html

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    _no_violations(page, "new password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been reset")
    _no_violations(page, "reset complete")

    page.get_by_role("link", name="Sign in").click()
    sign_in(page, "priya.shah@example.org", NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your regions")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, user.username, PASSWORD)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a correct username and password"
    )
    # The link was spent.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")


def _code(secret: str, drift: int = 0) -> str:
    key = b32decode(secret.replace(" ", ""))
    return f"{totp(key, drift=drift):06d}"


def test_your_account_and_two_factor_set_up_and_sign_in(page):
    membership = editor_of(CityRegionFactory(), user__email="sam@example.org")
    user = membership.user
    sign_in(page, user.username, PASSWORD)
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    _no_violations(page, "account")

    page.get_by_role("link", name="Change name").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your name and email address")
    page.get_by_label("First name").fill("Samira")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("have been saved")

    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your current password")
    _no_violations(page, "password change, with errors")

    page.goto("/account/sessions/")
    _no_violations(page, "sign out of other sessions")

    page.goto("/account/")
    page.get_by_role("link", name="Set up two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    _no_violations(page, "two-factor set-up")
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill(_code(secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    assert page.locator("#recovery-codes li").count() == 10
    _no_violations(page, "recovery codes")
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, user.username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    _no_violations(page, "enter your code")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    _no_violations(page, "enter your code, with an error")
    page.wait_for_timeout(2100)  # django-otp's back-off after a wrong code
    page.get_by_label("Code").fill(_code(secret, drift=1))  # the set-up used this step's code
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your regions")

    page.goto("/account/two-factor/turn-off/")
    _no_violations(page, "turn off two-factor")
    page.get_by_role("button", name="Turn off two-factor authentication").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Two-factor authentication is off"
    )
