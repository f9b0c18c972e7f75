import pytest
from playwright.sync_api import expect

from tests.assessments.factories import PASSWORD, CityRegionFactory, editor_of
from tests.fixtures.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_signs_in_sees_the_region_and_signs_out(page):
    region = CityRegionFactory(name="Liverpool City Region", mayor_name="Steve Rotheram")
    membership = editor_of(region)

    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    sign_in(page, membership.user.username, PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your regions")
    page.get_by_role("link", name="Liverpool City Region").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Liverpool City Region")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How digitally ready is your city region?"
    )


def test_wrong_password_shows_an_accessible_error_summary(page):
    membership = editor_of(CityRegionFactory())
    sign_in(page, membership.user.username, "not-the-password")
    summary = page.locator(".govuk-error-summary")
    assert "Enter a correct username and password" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert axe_violations(page) == []
