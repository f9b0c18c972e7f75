"""The four service pages in Chromium at a desktop and a phone width: reached from the footer,
readable without scrolling sideways, and clean under axe-core."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("SERVICE_PAGES_SCREENSHOTS")  # a folder, to look at the pages

FOOTER_LINKS = {
    "Accessibility statement": "Accessibility statement for City Digital Readiness",
    "Privacy": "Privacy notice",
    "Cookies": "Cookies",
    "Contact and feedback": "Contact and feedback",
}


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (375, 812)], ids=["desktop", "phone"])
def test_service_pages_from_the_footer_have_no_axe_violations(page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/")
    page.get_by_role("link", name="Give your feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact and feedback")
    for link, heading in FOOTER_LINKS.items():
        page.get_by_role("contentinfo").get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        # Nothing runs off the side of a phone's screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, link
        if SCREENSHOTS:
            name = link.split()[0].lower()
            page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-{width}.png"), full_page=True)
        assert axe_violations(page) == [], f"{link} at {width} px"
