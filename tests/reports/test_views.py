import pytest
from django.urls import reverse

from reports import services
from reports.models import Briefing
from tests.assessments.factories import CityRegionFactory, editor_of, viewer_of
from tests.reports.factories import answered_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_briefing():
    assessment = answered_assessment()
    briefing = Briefing.objects.create(assessment=assessment, content_hash="x" * 64)
    services.briefing_render(briefing_id=briefing.pk)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.READY
    return briefing


def urls_of(briefing: Briefing) -> dict[str, str]:
    slug = briefing.assessment.region.slug
    return {
        "status": reverse("reports:briefing-status", args=[slug, briefing.pk]),
        "json": reverse("reports:briefing-status-json", args=[slug, briefing.pk]),
        "download": reverse("reports:briefing-download", args=[slug, briefing.pk]),
        "preview": reverse("reports:briefing-preview", args=[slug, briefing.assessment_id]),
    }


def test_a_viewer_creates_a_briefing_and_is_sent_to_its_status_page(
    client, django_capture_on_commit_callbacks
):
    assessment = answered_assessment()
    client.force_login(viewer_of(assessment.region).user)
    url = reverse("reports:briefing-create", args=[assessment.region.slug, assessment.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url)
    briefing = Briefing.objects.get()
    assert response.status_code == 302
    assert response.url == briefing.get_absolute_url()
    assert len(callbacks) == 1
    page = client.get(response.url).content.decode()
    assert "Your briefing is waiting to be produced." in page
    assert "Refresh this page" in page
    assert 'data-poll-url="' in page


def test_ready_briefing_downloads_with_a_readable_file_name(client, ready_briefing):
    client.force_login(viewer_of(ready_briefing.assessment.region).user)
    urls = urls_of(ready_briefing)
    assert "Download the PDF briefing" in client.get(urls["status"]).content.decode()
    status = client.get(urls["json"]).json()
    assert status["status"] == "ready"
    assert status["finished"] is True
    response = client.get(urls["download"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    region = ready_briefing.assessment.region.name
    assert response["Content-Disposition"].startswith(f'attachment; filename="{region} - Baseline')
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_every_briefing_page_is_404_for_another_regions_member(client, ready_briefing):
    client.force_login(editor_of(CityRegionFactory()).user)
    for name, url in urls_of(ready_briefing).items():
        assert client.get(url).status_code == 404, name
    assessment = ready_briefing.assessment
    create = reverse("reports:briefing-create", args=[assessment.region.slug, assessment.pk])
    assert client.post(create).status_code == 404
    retry = reverse("reports:briefing-retry", args=[assessment.region.slug, ready_briefing.pk])
    assert client.post(retry).status_code == 404


def test_briefing_pages_redirect_anonymous_users_to_sign_in(client, ready_briefing):
    for url in urls_of(ready_briefing).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("citydigital:sign-in"))


def test_media_files_are_not_served_publicly(client, ready_briefing):
    assert client.get(f"/media/{ready_briefing.file.name}").status_code == 404


def test_a_briefing_that_is_not_ready_cannot_be_downloaded(client):
    assessment = answered_assessment()
    briefing = Briefing.objects.create(assessment=assessment, content_hash="x" * 64)
    client.force_login(viewer_of(assessment.region).user)
    assert client.get(urls_of(briefing)["download"]).status_code == 404


def test_failed_briefing_shows_the_reason_and_try_again(client, django_capture_on_commit_callbacks):
    assessment = answered_assessment()
    briefing = Briefing.objects.create(
        assessment=assessment,
        content_hash="x" * 64,
        status=Briefing.Status.FAILED,
        failure_reason="The briefing could not be produced (TemplateSyntaxError: x).",
        attempts=1,
    )
    client.force_login(viewer_of(assessment.region).user)
    page = client.get(urls_of(briefing)["status"]).content.decode()
    assert "TemplateSyntaxError" in page
    assert "Try again" in page
    retry = reverse("reports:briefing-retry", args=[assessment.region.slug, briefing.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(retry).status_code == 302
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.QUEUED
    assert len(callbacks) == 1


def test_preview_renders_the_briefing_template_in_the_browser(client):
    assessment = answered_assessment(submitted=False)
    client.force_login(viewer_of(assessment.region).user)
    response = client.get(
        reverse("reports:briefing-preview", args=[assessment.region.slug, assessment.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert assessment.region.name in html
    assert "DRAFT" in html
    assert "&lt;b&gt;T1-01&lt;/b&gt; noted" in html
    assert "<b>T1-01</b>" not in html
