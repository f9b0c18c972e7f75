"""Outside the question bank app, the bank is read only through its snapshot: with the snapshot
cached, no page, export or briefing of an assessment queries the bank's content tables."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.opendata import services as open_data
from questionbank.models import Question
from reports import services as reports_services
from tests.assessments.conftest import client_for
from tests.assessments.factories import CityRegionFactory, admin_of
from tests.questionbank.factories import bank_with_questions
from tests.reports.factories import answered_assessment

# The tables of a version's content (a version's own row, questionbank_questionbank, is read with
# the assessment it pins).
BANK_CONTENT_TABLES = re.compile(r'"questionbank_(theme|question|rubriclevel|action)"')

ASSESSMENT_PAGES = [
    "assessments:assessment-tasks",
    "assessments:theme-detail",
    "assessments:question-detail",
    "assessments:assessment-check",
    "assessments:results-detail",
    "assessments:results-scores-csv",
    "assessments:results-answers-csv",
    "assessments:results-json",
    "assessments:action-plan",
    "assessments:action-plan-csv",
    "assessments:action-plan-ics",
    "assessments:carry-over",
    "assessments:reassessment-start",
    "reports:briefing-preview",
]
REGION_PAGES = ["assessments:region-detail", "assessments:assessment-compare"]
REGION_OPEN_DATA_PAGES = ["assessments:region-open-data"]
PUBLIC_PAGES = ["opendata:index", "opendata:csv", "opendata:json"]


@pytest.fixture
def scored(db):
    region = CityRegionFactory(slug="bank-reads")
    # A region admin: an editor everywhere, and the one role that may publish open data.
    editor = admin_of(region).user
    bank = bank_with_questions(themes=2, questions_per_theme=3)
    assessment = answered_assessment(region=region, bank=bank, level="1", submitted=False)
    services.assessment_submit(assessment=assessment, user=editor)  # scores it, plans it
    open_data.open_data_publish(region=region, user=editor)
    return region, editor, assessment


def _url(name, region, assessment, question):
    kwargs = {"region_slug": region.slug}
    if name.startswith("reports:"):
        kwargs["assessment_id"] = assessment.pk
    elif name in ASSESSMENT_PAGES:
        kwargs["pk"] = assessment.pk
    if name == "assessments:theme-detail":
        kwargs["theme_slug"] = "theme-1"
    if name == "assessments:question-detail":
        kwargs["question_pk"] = question.pk
    if name in PUBLIC_PAGES:
        kwargs = {}
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(
    "name", ASSESSMENT_PAGES + REGION_PAGES + REGION_OPEN_DATA_PAGES + PUBLIC_PAGES
)
def test_no_page_queries_the_bank_content_once_its_snapshot_is_cached(scored, name):
    region, editor, assessment = scored
    question = Question.objects.filter(theme__bank=assessment.bank).first()
    client = client_for(editor)
    url = _url(name, region, assessment, question)
    assert client.get(url).status_code == 200  # warms the snapshot (and the session)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    touching = [q["sql"] for q in queries if BANK_CONTENT_TABLES.search(q["sql"])]
    assert touching == []


def test_a_briefing_request_reads_no_bank_content_once_cached(scored):
    _, editor, assessment = scored
    reports_services.briefing_request(assessment=assessment, requested_by=editor)  # warms
    with CaptureQueriesContext(connection) as queries:
        reports_services.briefing_request(assessment=assessment, requested_by=editor)
    assert [q["sql"] for q in queries if BANK_CONTENT_TABLES.search(q["sql"])] == []
