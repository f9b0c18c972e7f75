from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessments.factories import PASSWORD, CityRegionFactory, UserFactory, editor_of

pytestmark = pytest.mark.django_db


def test_start_page_explains_the_service_without_crown_or_gds_font(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "How digitally ready is your city region?" in html
    assert 'class="govuk-header__link govuk-header__service-name">City Digital Readiness<' in html
    assert "govuk-header__logo" not in html
    assert "crown" not in html.lower()
    assert 'class="govuk-skip-link"' in html
    assert "govuk-phase-banner" in html
    assert reverse("citydigital:sign-in") in html


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    # Every <script> loads a file; none carries code of its own.
    assert html.count("<script") == html.count("<script src=") + html.count(
        '<script type="module" src='
    )


def test_sign_in_then_see_your_regions(client):
    membership = editor_of(CityRegionFactory(name="Tees Valley", slug="tees-valley"))
    response = client.post(
        reverse("citydigital:sign-in"),
        {"username": membership.user.username, "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("assessments:region-list")
    html = response.content.decode()
    assert "Your regions" in html
    assert "Tees Valley" in html
    assert "Editor" in html


def test_wrong_password_shows_the_error_summary_and_keeps_the_username(client):
    user = UserFactory(username="mayoral-staff")
    response = client.post(
        reverse("citydigital:sign-in"), {"username": user.username, "password": "wrong"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert "There is a problem" in html
    assert "Enter a correct username and password" in html
    assert 'value="mayoral-staff"' in html
    assert "<title>Error: Sign in" in html
    assert "_auth_user_id" not in client.session


def test_empty_sign_in_names_each_missing_field(client):
    response = client.post(reverse("citydigital:sign-in"), {"username": "", "password": ""})
    html = response.content.decode()
    assert 'href="#id_username">Enter your username' in html
    assert 'href="#id_password">Enter your password' in html


def test_sign_out_is_a_post_and_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("citydigital:sign-out")).status_code == 405
    response = client.post(reverse("citydigital:sign-out"))
    assert response.status_code == 302
    assert response.url == reverse("citydigital:start")
    assert "_auth_user_id" not in client.session


def test_your_regions_needs_sign_in(client):
    response = client.get(reverse("assessments:region-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("citydigital:sign-in"))


def test_user_with_no_region_sees_an_explanation(client):
    client.force_login(UserFactory(is_staff=True))
    html = client.get(reverse("assessments:region-list")).content.decode()
    assert "You are not a member of any region yet." in html
    assert "<table" not in html


def test_unknown_url_shows_a_styled_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "govuk-header" in html


def test_region_page_is_404_for_a_user_of_another_region(client):
    region = CityRegionFactory()
    other = editor_of(CityRegionFactory())
    client.force_login(other.user)
    response = client.get(region.get_absolute_url())
    assert response.status_code == 404
    assert region.name not in response.content.decode()


def test_region_page_shows_the_day_of_the_mayors_first_100_days(client):
    today = timezone.localdate()
    membership = editor_of(CityRegionFactory(mayor_took_office=today - timedelta(days=36)))
    client.force_login(membership.user)
    html = client.get(membership.region.get_absolute_url()).content.decode()
    assert membership.region.name in html
    assert "Day 37 of 100" in html


@pytest.mark.parametrize(("offset", "day"), [(-1, 0), (0, 1), (1, 2), (99, 100), (100, 101)])
def test_day_in_office_counts_the_first_day_as_day_1(offset, day):
    region = CityRegionFactory.build(mayor_took_office=date(2026, 5, 11))
    assert region.day_in_office(date(2026, 5, 11) + timedelta(days=offset)) == day
    assert region.hundred_days_end == date(2026, 8, 18)
