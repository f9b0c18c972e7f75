"""A viewer reads the results of a submitted assessment in a real browser, opens the action plan
and downloads the scores: the CSV's figures are the page's."""

import csv
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Answer
from questionbank.models import Question
from tests.assessments.conftest import publish
from tests.assessments.factories import PASSWORD, CityRegionFactory, editor_of, viewer_of
from tests.fixtures.browser import axe_violations, sign_in
from tests.questionbank.factories import bank_with_questions
from tests.reports.factories import answered_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = os.environ.get("RESULTS_SCREENSHOTS")  # a folder, to look at the pages


def _submitted_assessment():
    region = CityRegionFactory(name="West Midlands Combined Authority", slug="west-midlands")
    editor = editor_of(region).user
    viewer = viewer_of(region).user
    bank = bank_with_questions(themes=4, questions_per_theme=3, published=False)
    Question.objects.filter(theme__bank=bank, code__in=["T1-01", "T2-02"]).update(milestone_day=30)
    Question.objects.filter(theme__bank=bank, code="T3-03").update(milestone_day=90)
    publish(bank)
    assessment = answered_assessment(region=region, bank=bank, level="2", submitted=False)
    levels = {"T1-01": "4", "T1-02": "3", "T2-01": "1", "T3-02": "0", "T4-03": "4"}
    for code, level in levels.items():
        Answer.objects.filter(assessment=assessment, question__code=code).update(
            selected_values=[level]
        )
    services.assessment_submit(assessment=assessment, user=editor)
    return region, assessment, viewer


def _shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def test_viewer_reads_results_and_plan_and_downloads_the_scores(page):
    region, assessment, viewer = _submitted_assessment()
    sign_in(page, viewer.username, PASSWORD)
    page.get_by_role("link", name=region.name).click()
    page.get_by_role("link", name=f"Results of {assessment.label}").click()

    assert page.get_by_role("heading", level=1).inner_text() == f"Results: {assessment.label}"
    index = page.locator("#readiness-index").inner_text()
    assert index == "54.2"
    assert page.locator("#readiness-band").inner_text() == "Developing"
    radar = page.get_by_role("img", name="Readiness by theme (radar chart)")
    expect(radar).to_be_visible()
    assert radar.bounding_box()["width"] > 300
    shown = {
        row.locator("th").inner_text(): row.locator("td[data-score]").inner_text()
        for row in page.locator("#theme-scores tbody tr").all()
    }
    assert shown == {"Theme 1": "75.0", "Theme 2": "41.7", "Theme 3": "33.3", "Theme 4": "66.7"}
    expect(page.locator("#plan-summary")).to_be_visible()
    _shot(page, "results")
    assert axe_violations(page) == []

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Scores (CSV)", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == f"west-midlands-assessment-{assessment.pk}-scores.csv"
    with open(download.path(), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["scope"] == "readiness index"
    assert rows[0]["score"] == index
    assert rows[0]["band"] == "Developing"
    assert {row["theme"]: row["score"] for row in rows[1:]} == shown

    page.get_by_role("link", name="Open the 100-day action plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("100-day action plan")
    expect(page.get_by_role("img", name="100-day action plan timeline")).to_be_visible()
    # Every question below 75 triggers its action: 12 questions, 3 at 75 or more.
    assert page.locator("#plan-counts").inner_text().startswith("9 actions: 0 done")
    assert page.get_by_role("button", name="Mark as done").count() == 0  # a viewer reads only
    _shot(page, "action-plan")
    assert axe_violations(page) == []


def test_editor_marks_an_action_done_in_the_browser(page):
    region, assessment, _ = _submitted_assessment()
    editor = editor_of(region).user
    sign_in(page, editor.username, PASSWORD)
    page.goto(f"/regions/{region.slug}/assessments/{assessment.pk}/action-plan/")
    page.get_by_role("link", name="Change").first.click()
    page.get_by_label("Due day").fill("400")
    page.get_by_role("button", name="Save changes").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter a due day between 1 and 365" in summary.inner_text()
    _shot(page, "action-item-error")
    assert axe_violations(page) == []
    page.get_by_label("Owner's name").fill("Ama Owusu")
    page.get_by_label("Due day").fill("45")
    page.get_by_label("This action is done").check()
    page.get_by_role("button", name="Save changes").click()
    assert "was saved" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("#plan-counts").inner_text().startswith("9 actions: 1 done")
    expect(page.get_by_text("Ama Owusu")).to_be_visible()
