"""Cache-Control for signed-in responses and the Permissions-Policy header on every one."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.results import services as results_services
from tests.assessments.factories import CityRegionFactory, UserFactory, editor_of
from tests.questionbank.factories import bank_with_questions

pytestmark = pytest.mark.django_db


def test_signed_in_pages_are_private_and_not_stored(client):
    membership = editor_of(CityRegionFactory())
    client.force_login(membership.user)
    for url in ("/regions/", membership.region.get_absolute_url(), "/account/", "/"):
        assert client.get(url)["Cache-Control"] == "private, no-store", url


def test_signed_in_downloads_are_private_and_not_stored(client):
    region = CityRegionFactory()
    editor = editor_of(region).user
    bank_with_questions(themes=1, questions_per_theme=1)
    assessment = services.assessment_start(region=region, user=editor, label="Baseline")
    results_services.assessment_score(
        assessment=assessment, today=timezone.localdate(), user=editor
    )
    client.force_login(editor)
    for name in ("assessments:results-scores-csv", "assessments:action-plan-ics"):
        url = reverse(name, kwargs={"region_slug": region.slug, "pk": assessment.pk})
        response = client.get(url)
        assert response.status_code == 200, name
        assert response["Cache-Control"] == "private, no-store", name


def test_a_stricter_header_of_the_page_is_kept(client):
    client.force_login(UserFactory())
    # The sign-in page is never_cache (Django's), which says more than no-store.
    header = client.get("/admin/login/")["Cache-Control"]
    assert "no-store" in header
    assert "no-cache" in header


def test_anonymous_public_pages_are_left_alone(client):
    assert "no-store" not in client.get("/open-data/").get("Cache-Control", "")


@pytest.mark.parametrize("url", ["/", "/open-data/", "/sign-in/", "/no-such-page/"])
def test_every_response_denies_browser_features(client, url):
    policy = client.get(url)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
