"""The results page, the action plan pages and their exports: what members see and may do."""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import ActionPlanItem, AssessmentScore
from assessments.results import services as results
from questionbank.models import Question
from tests.assessments.conftest import client_for
from tests.assessments.factories import CityRegionFactory, editor_of, viewer_of
from tests.assessments.html import form_data
from tests.questionbank.factories import bank_with_questions
from tests.reports.factories import answered_assessment


def _url(name, assessment, **kwargs):
    return reverse(
        f"assessments:{name}",
        kwargs={"region_slug": assessment.region.slug, "pk": assessment.pk, **kwargs},
    )


def _submitted(region, editor, *, level="1", themes=2, questions_per_theme=3):
    """A submitted assessment (scored at submit by the real service)."""
    bank = bank_with_questions(themes=themes, questions_per_theme=questions_per_theme)
    assessment = answered_assessment(region=region, bank=bank, level=level, submitted=False)
    services.assessment_submit(assessment=assessment, user=editor)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def submitted(region, editor):
    return _submitted(region, editor)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- the results page ----------------------------------------------------------------------------


def test_results_page_shows_the_stored_figures(submitted, viewer):
    response = client_for(viewer).get(_url("results-detail", submitted))
    assert response.status_code == 200
    page = _text(response)
    assert '<span class="cdr-score-panel__figure" id="readiness-index">25.0</span>' in page
    assert "Emerging" in page
    assert 'class="app-chart app-chart--radar"' in page
    assert 'class="app-chart app-chart--bars"' in page
    assert 'id="theme-scores"' in page
    assert "(1 \u00d7 25 + 1 \u00d7 25 + 1 \u00d7 25) \u00f7 3 = 75 \u00f7 3 = 25.0" in page
    assert "The 5 biggest gaps" in page
    assert "Provisional" not in page
    assert "Calculate scores" not in page  # a viewer changes nothing
    assert "6 actions triggered by the answers, 0 done" in page


def test_results_page_reads_stored_figures_not_the_answers(submitted, viewer):
    # Change the stored index by hand: the page shows it, so it never recomputes.
    AssessmentScore.objects.filter(assessment=submitted).update(result={})
    stored = AssessmentScore.objects.get(assessment=submitted)
    stored.result = {**_stored_result(submitted), "index": "12.3"}
    stored.save()
    page = _text(client_for(viewer).get(_url("results-detail", submitted)))
    assert 'id="readiness-index">12.3<' in page


def _stored_result(assessment):
    results.assessment_score(assessment=assessment, today=date(2026, 6, 1))
    return AssessmentScore.objects.get(assessment=assessment).result


def test_an_editor_calculates_provisional_scores_for_a_draft(assessment, editor, viewer):
    client = client_for(editor)
    page = _text(client.get(_url("results-detail", assessment)))
    assert 'id="no-scores"' in page
    assert "Calculate scores" in page
    assert "Calculate scores" not in _text(
        client_for(viewer).get(_url("results-detail", assessment))
    )

    response = client.post(_url("results-calculate", assessment))
    assert response.status_code == 302
    page = _text(client.get(response["Location"]))
    assert "Provisional scores" in page
    assert 'id="readiness-index">Not scored<' in page  # nothing answered yet
    assert AssessmentScore.objects.get(assessment=assessment).is_provisional

    # A viewer's POST changes nothing.
    assert client_for(viewer).post(_url("results-calculate", assessment)).status_code == 403


def test_a_changed_answer_after_calculating_is_pointed_out(assessment, editor):
    client = client_for(editor)
    client.post(_url("results-calculate", assessment))
    question = Question.objects.filter(theme__bank=assessment.bank).first()
    services.answer_save(
        assessment=assessment,
        question=question,
        user=editor,
        data={"selected_values": ["3"]},
        expected_revision=0,
    )
    page = _text(client.get(_url("results-detail", assessment)))
    assert 'id="answers-changed"' in page


# --- authorisation -------------------------------------------------------------------------------

READ_PAGES = [
    "results-detail",
    "results-scores-csv",
    "results-answers-csv",
    "results-json",
    "action-plan",
    "action-plan-csv",
    "action-plan-ics",
]


def test_anonymous_users_are_sent_to_sign_in(submitted, client):
    item = ActionPlanItem.objects.filter(assessment=submitted).first()
    urls = [_url(name, submitted) for name in READ_PAGES]
    urls.append(_url("action-plan-item", submitted, item_pk=item.pk))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/sign-in/"), url
    assert client.post(_url("results-calculate", submitted)).status_code == 302


def test_members_of_other_regions_get_404(submitted, outsider):
    client = client_for(outsider)
    item = ActionPlanItem.objects.filter(assessment=submitted).first()
    for name in READ_PAGES:
        assert client.get(_url(name, submitted)).status_code == 404, name
    assert client.get(_url("action-plan-item", submitted, item_pk=item.pk)).status_code == 404
    assert client.post(_url("action-plan-item-done", submitted, item_pk=item.pk)).status_code == 404
    assert client.post(_url("results-calculate", submitted)).status_code == 404
    item.refresh_from_db()
    assert item.done is False


def test_an_item_of_another_assessment_is_404(submitted, editor):
    other_region = CityRegionFactory()
    other = _submitted(other_region, editor_of(other_region).user)
    foreign = ActionPlanItem.objects.filter(assessment=other).first()
    client = client_for(editor)
    assert client.get(_url("action-plan-item", submitted, item_pk=foreign.pk)).status_code == 404


def test_viewers_read_but_do_not_change(submitted, viewer):
    client = client_for(viewer)
    for name in READ_PAGES:
        assert client.get(_url(name, submitted)).status_code == 200, name
    page = _text(client.get(_url("action-plan", submitted)))
    assert "Mark as done" not in page
    assert ">Change<" not in page
    item = ActionPlanItem.objects.filter(assessment=submitted).first()
    assert client.get(_url("action-plan-item", submitted, item_pk=item.pk)).status_code == 403
    response = client.post(
        _url("action-plan-item", submitted, item_pk=item.pk),
        {"owner_name": "Mallory", "due_day": "5"},
    )
    assert response.status_code == 403
    assert client.post(_url("action-plan-item-done", submitted, item_pk=item.pk)).status_code == 403
    item.refresh_from_db()
    assert (item.owner_name, item.due_day, item.done) == ("", 30, False)


# --- the action plan -----------------------------------------------------------------------------


def test_plan_groups_by_window_and_by_owner(submitted, editor):
    items = list(ActionPlanItem.objects.filter(assessment=submitted).order_by("pk"))
    items[0].assessment = submitted
    results.action_plan_item_update(
        item=items[0], user=editor, owner_name="Ama Owusu", due_day=45, done=False
    )
    client = client_for(editor)
    page = _text(client.get(_url("action-plan", submitted)))
    assert 'id="group-1-30"' in page
    assert 'id="group-31-60"' in page
    assert 'Days 31 to 60 <span class="govuk-body-s">(1 action, 0 done)' in page
    assert 'class="app-chart app-chart--timeline"' in page
    assert "Ama Owusu" in page
    by_owner = _text(client.get(_url("action-plan", submitted) + "?by=owner"))
    assert 'id="group-ca_officers"' in by_owner
    assert "Combined authority officers" in by_owner


def test_editor_marks_an_action_done_and_back(submitted, editor):
    client = client_for(editor)
    item = ActionPlanItem.objects.filter(assessment=submitted).first()
    page = client.get(_url("action-plan", submitted)).content.decode()
    assert "Mark as done" in page
    response = client.post(_url("action-plan-item-done", submitted, item_pk=item.pk), {"done": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.pk}")
    item.refresh_from_db()
    assert item.done
    assert item.done_by == editor
    client.post(_url("action-plan-item-done", submitted, item_pk=item.pk), {"done": "0"})
    item.refresh_from_db()
    assert not item.done


def test_editor_changes_owner_and_due_day_with_validation(submitted, editor):
    client = client_for(editor)
    item = ActionPlanItem.objects.filter(assessment=submitted).first()
    url = _url("action-plan-item", submitted, item_pk=item.pk)
    page = client.get(url).content.decode()
    data = form_data(page)
    assert data["due_day"] == ["30"]

    response = client.post(url, {"owner_name": "Ama Owusu", "due_day": "400"})
    assert response.status_code == 200
    page = _text(response)
    assert "govuk-error-summary" in page
    assert "Enter a due day between 1 and 365" in page
    assert 'value="Ama Owusu"' in page  # nothing typed is lost
    response = client.post(url, {"owner_name": "Ama Owusu", "due_day": "soon"})
    assert "Enter the due day as a whole number, like 45" in _text(response)
    item.refresh_from_db()
    assert (item.owner_name, item.due_day) == ("", 30)

    response = client.post(url, {"owner_name": "Ama Owusu", "due_day": "75", "done": "on"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.owner_name, item.due_day, item.window, item.done) == (
        "Ama Owusu",
        75,
        "61-100",
        True,
    )


# --- exports -------------------------------------------------------------------------------------


def _csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_scores_csv_has_the_index_and_each_theme(submitted, viewer):
    response = client_for(viewer).get(_url("results-scores-csv", submitted))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert [(r["scope"], r["theme_slug"], r["score"], r["band"]) for r in rows] == [
        ("readiness index", "", "25.0", "Emerging"),
        ("theme", "theme-1", "25.0", "Emerging"),
        ("theme", "theme-2", "25.0", "Emerging"),
    ]
    assert rows[0]["coverage"] == "1.0000"
    assert rows[1]["confidence"] == ""  # no answer at the upper levels


def test_answers_csv_and_json_hold_answers_and_scores(region, editor, viewer):
    assessment = _submitted(region, editor, level="3", themes=1, questions_per_theme=2)
    # A note that a spreadsheet would run as a formula is written as text.
    assessment.answers.filter(question__code="T1-01").update(note='=HYPERLINK("x")')
    client = client_for(viewer)
    rows = _csv_rows(client.get(_url("results-answers-csv", assessment)))
    assert [(r["code"], r["answer"], r["values"], r["score"], r["status"]) for r in rows] == [
        ("T1-01", "Established", "3", "75", "counted"),
        ("T1-02", "Established", "3", "75", "counted"),
    ]
    assert rows[0]["note"] == '\'=HYPERLINK("x")'

    response = client.get(_url("results-json", assessment))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["schema"] == "citydigital/assessment-results"
    assert data["bank"]["version"] == assessment.bank.version
    assert data["scores"]["readiness_index"] == 75
    assert data["scores"]["band"] == "established"
    assert data["scores"]["confidence"] == 1  # every upper-level answer has evidence
    assert [t["score"] for t in data["scores"]["themes"]] == [75]
    assert [a["code"] for a in data["answers"]] == ["T1-01", "T1-02"]
    assert data["answers"][0]["evidence_url"] == "https://example.org/evidence"


def test_action_plan_csv(submitted, editor, region):
    item = ActionPlanItem.objects.filter(assessment=submitted).order_by("pk").first()
    item.assessment = submitted
    results.action_plan_item_update(
        item=item, user=editor, owner_name="Ama Owusu", due_day=45, done=True
    )
    rows = _csv_rows(client_for(editor).get(_url("action-plan-csv", submitted)))
    assert len(rows) == 6
    moved = next(r for r in rows if r["owner_name"] == "Ama Owusu")
    assert moved["due_day"] == "45"
    assert moved["due_date"] == "2026-06-24"  # 11 May 2026 is day 1
    assert moved["window"] == "Days 31 to 60"
    assert moved["status"] == "Done"
    assert moved["reason"] == f"{item.question_code} scored 25 out of 100"


def _unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def test_action_plan_ics_is_rfc5545(submitted, editor):
    item = ActionPlanItem.objects.filter(assessment=submitted).order_by("pk").first()
    ActionPlanItem.objects.filter(pk=item.pk).update(
        title="Agree the plan; then, publish it\\now",
        text="Line one\nLine two, with a comma; and a semicolon. " + "Long words " * 12,
        due_day=100,
    )
    response = client_for(editor).get(_url("action-plan-ics", submitted))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content.decode("utf-8")
    assert raw.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert raw.endswith("END:VCALENDAR\r\n")
    assert "\n" not in raw.replace("\r\n", "")  # every line ends in CRLF
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    lines = _unfold(raw)
    assert lines.count("BEGIN:VEVENT") == 6
    assert lines.count("END:VEVENT") == 6
    assert "SUMMARY:Agree the plan\\; then\\, publish it\\\\now" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:Line one"))
    assert description.startswith("DESCRIPTION:Line one\\nLine two\\, with a comma\\; and")
    # Day 100 of a term that began on 11 May 2026 is 18 August 2026: an all-day event.
    assert "DTSTART;VALUE=DATE:20260818" in lines
    assert "DTEND;VALUE=DATE:20260819" in lines
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == 6
    assert all(
        re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines if line.startswith("DTSTAMP")
    )


# --- query counts --------------------------------------------------------------------------------


def _results_page_queries(*, questions_per_theme, assessments):
    region = CityRegionFactory()
    member = viewer_of(region).user
    bank = bank_with_questions(themes=2, questions_per_theme=questions_per_theme)
    scored = None
    for _ in range(assessments):
        scored = answered_assessment(region=region, bank=bank, level="1")
        results.assessment_score(assessment=scored, today=timezone.localdate())
    client = client_for(member)
    urls = [_url("results-detail", scored), _url("action-plan", scored)]
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    return counts


def test_results_and_plan_pages_query_counts_do_not_grow(db):
    small = _results_page_queries(questions_per_theme=5, assessments=1)
    assert _results_page_queries(questions_per_theme=100, assessments=1) == small
    assert _results_page_queries(questions_per_theme=5, assessments=5) == small


def test_stored_decimal_fields_match_the_json(submitted):
    stored = AssessmentScore.objects.get(assessment=submitted)
    assert stored.readiness_index == Decimal(stored.result["index"])


def test_exports_of_a_draft_without_scores(make_assessment, editor):
    from tests.assessments.test_results_services import add_conditional

    assessment = make_assessment(extra=add_conditional)
    gate = Question.objects.get(theme__bank=assessment.bank, code="GATE")
    services.answer_save(
        assessment=assessment,
        question=gate,
        user=editor,
        data={"selected_values": ["no"], "note": "Not yet"},
        expected_revision=0,
    )
    client = client_for(editor)
    data = json.loads(client.get(_url("results-json", assessment)).content)
    assert data["scores"] is None
    answers = {a["code"]: a for a in data["answers"]}
    assert answers["GATE"]["answer"] == "No"
    assert answers["GATE"]["note"] == "Not yet"
    assert answers["GATE"]["status"] is None  # no scores stored yet
    assert _csv_rows(client.get(_url("results-scores-csv", assessment))) == []

    client.post(_url("results-calculate", assessment))
    rows = {r["code"]: r for r in _csv_rows(client.get(_url("results-answers-csv", assessment)))}
    assert (rows["GATE"]["score"], rows["GATE"]["status"]) == ("0", "counted")
    assert (rows["FOLLOW"]["score"], rows["FOLLOW"]["status"]) == ("", "hidden")
    assert rows["T1-01"]["status"] == "unanswered"
