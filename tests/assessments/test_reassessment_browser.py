"""In a real browser, on the seeded demo data: compare and the trend, peer benchmarks, starting a
new assessment from a submitted one, and publishing open data (the demo region admin's to
choose); axe-core finds nothing."""

import pytest
from playwright.sync_api import expect

from citydigital.demo import DEMO_PASSWORD, demo_seed
from tests.fixtures.browser import axe_violations, sign_in
from tests.questionbank.factories import bank_with_questions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_editor_compares_and_reassesses_and_the_admin_publishes_open_data(page):
    # Transactional tests flush the migrations' bank: publish one to seed on.
    bank_with_questions(themes=3, questions_per_theme=3)
    demo_seed()
    sign_in(page, "demo-editor", DEMO_PASSWORD)

    page.get_by_role("link", name="Greater Manchester").click()
    page.get_by_role(
        "link", name="Compare assessments and see the readiness index over time"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare assessments")
    assert page.locator("#index-change").inner_text().startswith("+")
    trend = page.get_by_role(
        "img", name="Readiness index of Greater Manchester over time (line chart)"
    )
    expect(trend).to_be_visible()
    assert page.locator("#trend-table tbody tr").count() == 2
    assert axe_violations(page) == []
    # Choose the other way round with the selects.
    # The selects list the newest first: choose them the other way round.
    page.get_by_label("Earlier assessment").select_option(index=0)
    page.get_by_label("Later assessment").select_option(index=1)
    page.get_by_role("button", name="Compare").click()
    assert page.locator("#index-change").inner_text().startswith("-")

    page.goto("/regions/")
    page.get_by_role("link", name="Demo City Region").click()
    page.get_by_role("link", name="Results of Demo: baseline").click()
    expect(page.locator("#benchmark-table")).to_be_visible()
    expect(page.locator("#demo-notice")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Start a new assessment from this one").click()
    assert axe_violations(page) == []
    page.get_by_label("Label for the new assessment").fill("Demo: day 250 check")
    page.get_by_role("button", name="Start the new assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What was carried over to “Demo: day 250 check”"
    )
    assert "answers carried over" in page.locator("#carry-over-summary").inner_text()
    assert axe_violations(page) == []

    # Only a region admin chooses what the region publishes: the editor is told who.
    page.get_by_role("link", name="Demo City Region").first.click()
    page.get_by_role("link", name="More about open data publishing").click()
    assert "Only the region admins of" in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "demo-admin", DEMO_PASSWORD)
    page.get_by_role("link", name="Demo City Region").click()
    page.get_by_role("link", name="Change open data publishing").click()
    assert axe_violations(page) == []
    page.get_by_label("Yes, publish our latest submitted scores").check()
    page.get_by_role("button", name="Save").click()
    assert "Published" in page.locator("#open-data-status").inner_text()
    page.get_by_role("link", name="Open data: published readiness scores").click()
    expect(page.locator('[data-region="demo-city-region"]')).to_be_visible()
    assert axe_violations(page) == []
