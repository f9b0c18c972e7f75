import pytest
from django.urls import reverse

from reports.models import Briefing
from tests.assessments.factories import PASSWORD, CityRegionFactory, editor_of, viewer_of
from tests.fixtures.browser import axe_violations, sign_in
from tests.fixtures.workers import celery_worker
from tests.reports.factories import answered_assessment

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_viewer_requests_a_briefing_watches_it_become_ready_and_downloads_it(
    page, default_broker, use_queue, tmp_path
):
    assessment = answered_assessment(themes=3, questions_per_theme=4)
    region = assessment.region
    viewer = viewer_of(region)
    with celery_worker(broker=default_broker, tmp_path=tmp_path) as worker:
        use_queue(worker.queue)
        sign_in(page, viewer.user.username, PASSWORD)
        page.goto(reverse("assessments:results-detail", args=[region.slug, assessment.pk]))
        page.get_by_role("button", name="Create PDF briefing").click()

        # The status page updates itself: no reload, the download button appears.
        page.wait_for_url("**/briefings/*/")
        status_url = page.url
        download_button = page.get_by_role("link", name="Download the PDF briefing")
        download_button.wait_for(timeout=60_000)
        assert page.url == status_url
        assert axe_violations(page) == []
        with page.expect_download() as download_info:
            download_button.click()
        download = download_info.value
        assert download.suggested_filename.startswith(f"{region.name} - Baseline, day 1 - briefing")
        assert download.suggested_filename.endswith(".pdf")
        with open(download.path(), "rb") as handle:
            assert handle.read(4) == b"%PDF"

    briefing = Briefing.objects.get()
    assert briefing.status == Briefing.Status.READY

    # The region page lists it.
    page.goto(region.get_absolute_url())
    assert page.get_by_role("link", name="Download").count() == 1

    # Someone of another region sees neither the status page nor the file.
    page.get_by_role("button", name="Sign out").click()
    stranger = editor_of(CityRegionFactory())
    sign_in(page, stranger.user.username, PASSWORD)
    for url in (
        status_url,
        reverse("reports:briefing-download", args=[region.slug, briefing.pk]),
    ):
        response = page.goto(url)
        assert response.status == 404
        assert region.name not in page.content()
