"""The invitation round trip in Debian's Chromium, over a real Celery worker and a real SMTP
server: a region admin invites a colleague as editor; the email arrives; the colleague follows
its link, sets a name and password, lands on the region and answers a question; the team page
shows them and the recorded changes. axe-core checks the team page and the acceptance page."""

import re

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Answer, Membership
from tests.assessments.factories import PASSWORD, CityRegionFactory, admin_of
from tests.fixtures.browser import axe_violations, sign_in
from tests.fixtures.workers import celery_worker
from tests.questionbank.factories import bank_with_questions

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a long new passphrase"


def _no_violations(page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


def _h1(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def test_an_admin_invites_a_colleague_who_joins_and_answers(
    browser, page, live_server, settings, smtp_server, default_broker, use_queue, tmp_path
):
    settings.SITE_URL = live_server.url  # the email's link points at this server
    bank_with_questions(themes=1, questions_per_theme=1)
    region = CityRegionFactory(name="Tees Valley")
    admin = admin_of(region, user__first_name="Rae", user__last_name="Admin").user
    services.assessment_start(region=region, user=admin, label="Baseline, day 1")

    with celery_worker(
        broker=default_broker, tmp_path=tmp_path, extra_env={"EMAIL_URL": smtp_server.email_url}
    ) as worker:
        use_queue(worker.queue)
        sign_in(page, admin.username, PASSWORD)
        page.get_by_role("link", name="Tees Valley", exact=True).click()
        page.get_by_role("link", name="Manage the team").click()
        assert _h1(page) == "Team"
        _no_violations(page, "team page")

        page.get_by_role("button", name="Invite someone").click()
        page.get_by_label("Full name").fill("Bo Colleague")
        page.get_by_label("Email address").fill("bo@example.org")
        page.get_by_role("radio", name="Editor").check()
        page.get_by_role("button", name="Send the invitation").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "Invitation sent to Bo Colleague (bo@example.org)"
        )
        assert (
            "Bo Colleague" in page.locator("#invitations ~ .govuk-summary-card").first.inner_text()
        )

        [message] = smtp_server.wait_for(1, timeout=60)
    assert message["To"] == "bo@example.org"
    assert (
        message["Subject"] == "Rae Admin invited you to join Tees Valley on City Digital Readiness"
    )
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(rf"{re.escape(live_server.url)}/invitations/[\w-]+/", text)
    assert link, text

    colleague = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    colleague.goto(link.group(0))
    assert _h1(colleague) == "Create your account to join Tees Valley"
    _no_violations(colleague, "invitation acceptance page")
    expect(colleague.get_by_label("First name")).to_have_value("Bo")
    colleague.get_by_label("Last name").fill("Colleague")
    colleague.get_by_label("Create a password").fill(NEW_PASSWORD)
    colleague.get_by_label("Enter the password again").fill(NEW_PASSWORD)
    colleague.get_by_role("button", name="Create your account and join").click()

    assert _h1(colleague) == "Tees Valley"
    expect(colleague.locator(".govuk-notification-banner")).to_contain_text(
        "You joined Tees Valley as editor"
    )
    colleague.get_by_role("link", name="Baseline, day 1", exact=True).click()
    colleague.get_by_role("link", name="Theme 1", exact=True).click()
    colleague.get_by_role("group", name="Question 1.1?").get_by_label("Established").check()
    colleague.get_by_role("button", name="Save and continue").click()
    answer = Answer.objects.get()
    assert answer.updated_by.email == "bo@example.org"
    assert Membership.objects.get(user=answer.updated_by).role == "editor"

    page.reload()
    members = page.locator("#members ~ .govuk-summary-card").all_inner_texts()
    assert any("Bo Colleague" in card and "Editor" in card for card in members)
    changes = page.locator("#change-list").inner_text()
    assert "Bo Colleague (bo@example.org) joined as an editor" in changes
    assert "Rae Admin invited Bo Colleague (bo@example.org) as an editor" in changes
    assert "There are no open invitations" in page.locator("main").inner_text()
    _no_violations(page, "team page with the new member")
    colleague.context.close()
