"""Acceptance 4: a question-bank admin edits a draft in the admin, publishes it and sees the
change in the preview, in a real browser."""

import pytest
from playwright.sync_api import expect

from questionbank import selectors
from questionbank.models import Question, QuestionBank
from tests.accounts.factories import totp_code, totp_device_for
from tests.assessments.factories import PASSWORD
from tests.fixtures.browser import axe_violations
from tests.questionbank.factories import bank_with_questions, question_bank_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_GUIDANCE = "Evidence: the signed terms of reference and the first board minutes."


def test_admin_edits_guidance_in_a_draft_publishes_it_and_sees_it_in_the_preview(page):
    current = bank_with_questions(themes=1, questions_per_theme=2, published=True)
    draft = bank_with_questions(themes=1, questions_per_theme=2, published=False)
    question = Question.objects.get(theme__bank=draft, code="T1-02")
    admin = question_bank_admin(username="qb-admin")
    device = totp_device_for(admin)

    page.goto("/admin/")
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Question-bank admins must use two-factor authentication: the code step, then the admin.
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Question bank versions")).to_be_visible()

    # Edit the draft question's guidance.
    page.goto(f"/admin/questionbank/question/{question.pk}/change/")
    page.locator("#id_guidance").fill(NEW_GUIDANCE)
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    # Publish the draft with the admin action.
    page.goto("/admin/questionbank/questionbank/")
    row = page.locator("#result_list tbody tr", has_text=f"{draft.version}")
    row.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(label="Publish")
    page.get_by_role("button", name="Go").click()
    assert f"Version {draft.version} is published" in page.locator(".messagelist").inner_text()

    # The preview of the now current version shows the new guidance.
    page.goto(f"/question-bank/versions/{draft.version}/preview/")
    expect(page.get_by_role("heading", level=1)).to_have_text(draft.title)
    question_block = page.locator("#question-T1-02")
    question_block.get_by_text("Guidance").click()
    assert question_block.locator("#question-T1-02-guidance").inner_text() == NEW_GUIDANCE
    assert axe_violations(page) == []

    assert selectors.bank_current().pk == draft.pk
    current.refresh_from_db()
    assert current.status == QuestionBank.Status.RETIRED
