"""The service pages in every page's footer: accessibility statement, privacy notice, cookies,
contact. Public, true to the settings they describe, and free of GOV.UK branding."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from tests.assessments.factories import PASSWORD, CityRegionFactory, UserFactory, editor_of

pytestmark = pytest.mark.django_db

SERVICE_PAGES = {
    "citydigital:accessibility": "Accessibility statement for City Digital Readiness",
    "citydigital:privacy": "Privacy notice",
    "citydigital:cookies": "Cookies",
    "citydigital:contact": "Contact and feedback",
}


def _h1(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed in"])
@pytest.mark.parametrize("name", SERVICE_PAGES)
def test_each_page_is_public_and_renders(client, name, signed_in):
    if signed_in:
        client.force_login(editor_of(CityRegionFactory()).user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert _h1(html) == SERVICE_PAGES[name]
    title = SERVICE_PAGES[name].removesuffix(" for City Digital Readiness")
    assert f"<title>{title} \N{EN DASH} City Digital Readiness</title>" in html
    assert ("Sign out" in html) is signed_in
    assert client.post(reverse(name)).status_code == 405


def _footer(html: str) -> str:
    return html[html.index('<footer class="govuk-footer">') :]


@pytest.mark.parametrize(
    ("url", "signed_in"),
    [
        ("/", False),
        ("/sign-in/", False),
        ("/open-data/", False),
        ("/no-such-page/", False),
        ("/regions/", True),
        *[(reverse(name), False) for name in SERVICE_PAGES],
    ],
)
def test_every_page_links_to_the_service_pages_from_its_footer(client, url, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    footer = _footer(client.get(url).content.decode())
    for name, title in [
        ("citydigital:accessibility", "Accessibility statement"),
        ("citydigital:privacy", "Privacy"),
        ("citydigital:cookies", "Cookies"),
        ("citydigital:contact", "Contact and feedback"),
    ]:
        assert f'class="govuk-footer__link" href="{reverse(name)}">{title}</a>' in footer


def test_the_beta_banners_feedback_link_goes_to_the_contact_page(client):
    html = client.get("/").content.decode()
    banner = html[html.index("govuk-phase-banner") : html.index("</section>")]
    assert f'href="{reverse("citydigital:contact")}">Give your feedback</a>' in banner
    assert "administrator" not in banner


def test_the_contact_address_comes_from_settings(client, settings):
    settings.CONTACT_EMAIL = "readiness-help@combined-authority.example"
    for name in SERVICE_PAGES:
        html = client.get(reverse(name)).content.decode()
        assert (
            'href="mailto:readiness-help@combined-authority.example">'
            "readiness-help@combined-authority.example</a>"
        ) in html, name
        assert "digital-readiness@example.org" not in html, name


def test_no_page_carries_gov_uk_branding(client):
    for url in ["/", *[reverse(name) for name in SERVICE_PAGES]]:
        html = client.get(url).content.decode()
        for mark in ("govuk-header__logo", "govuk-logo", "crown", "copyright-logo", "Crown"):
            assert mark not in html, (url, mark)
        # The accessibility statement says the service is not GOV.UK and names the Design
        # System; GOV.UK appears nowhere else.
        words = html.replace("is not a GOV.UK service", "").replace("GOV.UK Design System", "")
        assert "GOV.UK" not in words, url


def test_public_pages_set_no_cookies(client):
    for url in ["/", "/open-data/", *[reverse(name) for name in SERVICE_PAGES]]:
        assert not client.get(url).cookies, url


def test_the_cookies_page_lists_every_cookie_signing_in_sets(client):
    seen = set(client.get(reverse("citydigital:sign-in")).cookies)
    user = UserFactory()
    seen |= set(
        client.post(
            reverse("citydigital:sign-in"), {"username": user.username, "password": PASSWORD}
        ).cookies
    )
    assert seen == {"csrftoken", "sessionid"}
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header"><code>(\w+)</code></th>',
        client.get(reverse("citydigital:cookies")).content.decode(),
    )
    assert rows == ["csrftoken", "sessionid", "messages"]


def test_the_cookies_page_gives_each_expiry_from_settings(client, settings):
    # Django's defaults first; the service's own settings are the last case.
    settings.SESSION_COOKIE_AGE = 2 * 7 * 24 * 60 * 60
    settings.SESSION_SAVE_EVERY_REQUEST = False
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = False
    html = client.get(reverse("citydigital:cookies")).content.decode()
    assert '<td class="govuk-table__cell">1 year</td>' in html  # CSRF_COOKIE_AGE
    assert "2 weeks after you sign in" in html  # SESSION_COOKIE_AGE
    assert "When you close your browser" in html  # messages

    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    settings.SESSION_SAVE_EVERY_REQUEST = True
    html = client.get(reverse("citydigital:cookies")).content.decode()
    assert "8 hours after you last use the service" in html

    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_USE_SESSIONS = True
    html = client.get(reverse("citydigital:cookies")).content.decode()
    assert "csrftoken" not in html
    assert html.count("When you close your browser") == 2


def test_the_cookies_and_privacy_pages_describe_the_services_own_sessions(client):
    # 8 hours after the last request, and when the browser closes unless "Keep me signed in".
    ends = (
        "When you close your browser, or 8 hours after you last use the service. If you tick "
        "“Keep me signed in” when you sign in, closing your browser does not end it."
    )
    assert f'<td class="govuk-table__cell">{ends}</td>' in (
        client.get(reverse("citydigital:cookies")).content.decode()
    )
    privacy = client.get(reverse("citydigital:privacy")).content.decode()
    assert "Your session ends when you close your browser, or 8 hours after you last use" in privacy
    assert "is kept until 15 minutes after the last failed attempt" in privacy


def test_the_privacy_notice_follows_the_sign_in_protection_settings(client, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    html = client.get(reverse("citydigital:privacy")).content.decode()
    assert "is kept until 15 minutes after the last failed attempt" in html
    assert "each time someone signs in and out" in html

    settings.AXES_COOLOFF_TIME = 1  # axes reads a number as hours
    settings.AXES_DISABLE_ACCESS_LOG = True
    html = client.get(reverse("citydigital:privacy")).content.decode()
    assert "is kept until 1 hour after the last failed attempt" in html
    assert "each time someone signs in and out" not in html

    del settings.AXES_COOLOFF_TIME
    html = client.get(reverse("citydigital:privacy")).content.decode()
    assert "Failed attempts to sign in are kept until service staff clear them." in html


def test_the_privacy_notice_marks_what_the_deployer_fills_in(client):
    html = client.get(reverse("citydigital:privacy")).content.decode()
    assert "An invitation link stops working after 1 week, or once it has been used." in html
    for placeholder in ("controller", "lawful-basis", "processors"):
        block = re.search(rf'id="{placeholder}-placeholder">(.*?)</div>', html, re.S).group(1)
        assert "To be completed by the organisation that runs this service" in block


def test_the_accessibility_statement_lists_a_short_session_as_a_time_limit(client, settings):
    settings.SESSION_COOKIE_AGE = 2 * 7 * 24 * 60 * 60
    html = client.get(reverse("citydigital:accessibility")).content.decode()
    assert "partially compliant with the" in html
    assert "Preparation of this accessibility statement" in html
    assert 'id="time-limit-issue"' not in html  # 2 weeks is past WCAG's 20 hours

    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    html = client.get(reverse("citydigital:accessibility")).content.decode()
    assert "signed out of the service after 8 hours without using it. The service does not" in html
    assert "2.2.1 (timing adjustable)" in html

    settings.SESSION_SAVE_EVERY_REQUEST = False  # 8 hours from signing in, however busy
    html = client.get(reverse("citydigital:accessibility")).content.decode()
    assert "signed out of the service after 8 hours. The service does not warn you first" in html
