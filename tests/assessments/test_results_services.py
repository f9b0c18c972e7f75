"""Stored scores and the 100-day action plan: computed at submit and on demand, regenerated
without losing editors' changes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import scoring, services
from assessments.models import ActionPlanItem, Answer, AssessmentScore, ThemeScore
from assessments.results import services as results
from questionbank.models import Question
from tests.assessments.factories import CityRegionFactory
from tests.questionbank.factories import ActionFactory, add_levels, bank_with_questions
from tests.reports.factories import answered_assessment

TODAY = dt.date(2026, 6, 1)  # day 22 of a term that began on 11 May 2026


def _questions(assessment):
    return list(
        Question.objects.filter(theme__bank=assessment.bank).order_by("theme__order", "order")
    )


def _answer_all(assessment, user, level="2", *, skip=()):
    for question in _questions(assessment):
        if question.code in skip or question.condition_question_id:
            continue
        services.answer_save(
            assessment=assessment,
            question=question,
            user=user,
            data={"selected_values": [level]},
            expected_revision=0,
        )


def _set(assessment, code, level, **extra):
    Answer.objects.update_or_create(
        assessment=assessment,
        question=Question.objects.get(theme__bank=assessment.bank, code=code),
        defaults={"selected_values": [level], **extra},
    )


def test_scores_are_stored_at_submit(assessment, editor):
    _answer_all(assessment, editor, level="2")
    services.assessment_submit(assessment=assessment, user=editor)

    stored = AssessmentScore.objects.get(assessment=assessment)
    assert stored.is_provisional is False
    assert stored.readiness_index == Decimal("50.0")
    assert stored.band == "developing"
    assert stored.coverage == Decimal("1.0000")
    assert stored.bank_version == assessment.bank.version
    assert stored.computed_by == editor
    assert stored.answer_labels["T1-01"] == "Developing"
    # The JSON is the whole result, and reads back to the same figures.
    result = scoring.AssessmentResult.from_dict(stored.result)
    assert result.index == Decimal("50.0")
    assert [t.slug for t in result.themes] == ["theme-1", "theme-2"]

    themes = list(ThemeScore.objects.filter(assessment=assessment).select_related("theme"))
    assert [(t.theme.slug, t.score, t.band, t.weight) for t in themes] == [
        ("theme-1", Decimal("50.0"), "developing", 10),
        ("theme-2", Decimal("50.0"), "developing", 10),
    ]
    # Every question scores 50, below each action's 75: one item per action.
    items = list(ActionPlanItem.objects.filter(assessment=assessment))
    assert len(items) == 6
    assert {item.trigger_score for item in items} == {50}
    assert not any(item.unanswered for item in items)
    assert {item.window for item in items} == {"1-30"}


def test_calculate_on_a_draft_is_provisional_and_for_editors_only(assessment, editor, viewer):
    _answer_all(assessment, editor, level="3", skip={"T2-03"})
    with pytest.raises(PermissionDenied):
        results.assessment_score_calculate(assessment=assessment, user=viewer, today=TODAY)
    assert not AssessmentScore.objects.exists()

    stored = results.assessment_score_calculate(assessment=assessment, user=editor, today=TODAY)
    assert stored.is_provisional is True
    assert stored.as_of == TODAY
    assert stored.readiness_index == Decimal("75.0")
    assert stored.coverage == Decimal("0.8333")  # 5 of 6 weights answered
    # Calculating again replaces the figures rather than adding rows.
    results.assessment_score_calculate(assessment=assessment, user=editor, today=TODAY)
    assert AssessmentScore.objects.count() == 1
    assert ThemeScore.objects.filter(assessment=assessment).count() == 2


def test_a_submitted_assessment_keeps_the_scores_of_its_submit(assessment, editor):
    _answer_all(assessment, editor)
    services.assessment_submit(assessment=assessment, user=editor)
    with pytest.raises(ValidationError, match="calculated when it was submitted"):
        results.assessment_score_calculate(assessment=assessment, user=editor, today=TODAY)


def test_a_submitted_assessment_without_scores_can_be_calculated(editor, region):
    assessment = answered_assessment(
        region=region, level="4", themes=1, questions_per_theme=2, scored=False
    )
    stored = results.assessment_score_calculate(assessment=assessment, user=editor, today=TODAY)
    assert stored.is_provisional is False
    assert stored.readiness_index == Decimal("100.0")
    assert not ActionPlanItem.objects.filter(assessment=assessment).exists()


def test_unanswered_questions_are_flagged_and_trigger_flagged_actions(assessment, editor):
    _answer_all(assessment, editor, level="4", skip={"T1-02"})
    results.assessment_score(assessment=assessment, today=TODAY)
    stored = AssessmentScore.objects.get(assessment=assessment)
    result = scoring.AssessmentResult.from_dict(stored.result)
    assert [flag.code for flag in result.flagged] == ["T1-02"]
    assert result.index == Decimal("100.0")  # left out, never counted as zero
    assert stored.coverage == Decimal("0.8333")
    item = ActionPlanItem.objects.get(assessment=assessment)
    assert item.question_code == "T1-02"
    assert item.unanswered is True
    assert item.trigger_score is None


def add_conditional(bank):
    """theme-1: a yes/no gate and a follow-up asked only when the gate is "yes", each with an
    action (the follow-up's applies below 101: always, once it is asked)."""
    theme = bank.themes.get(slug="theme-1")
    gate = Question.objects.create(
        theme=theme, order=10, code="GATE", text="Is there a strategy?", kind="yes_no"
    )
    add_levels(gate)
    ActionFactory(question=gate, text="Write a strategy.")
    follow = Question.objects.create(
        theme=theme,
        order=11,
        code="FOLLOW",
        text="How well is it followed?",
        condition_question=gate,
        condition_values=["yes"],
    )
    add_levels(follow)
    ActionFactory(question=follow, text="Follow the strategy.", applies_below_score=101)


def test_hidden_questions_are_neither_scored_nor_flagged_nor_planned(make_assessment, editor):
    assessment = make_assessment(extra=add_conditional)
    _answer_all(assessment, editor, level="4", skip={"GATE"})
    _set(assessment, "GATE", "no")
    results.assessment_score(assessment=assessment, today=TODAY)
    result = scoring.AssessmentResult.from_dict(
        AssessmentScore.objects.get(assessment=assessment).result
    )
    rows = {row.code: row for row in result.theme("theme-1").explanation.rows}
    assert rows["FOLLOW"].status == scoring.HIDDEN
    assert result.flagged == ()
    # The gate scores 0 ("no"), so theme 1 is (3 x 100 + 0) / 4.
    assert result.theme("theme-1").score == Decimal("75.0")
    codes = set(
        ActionPlanItem.objects.filter(assessment=assessment).values_list("question_code", flat=True)
    )
    assert codes == {"GATE"}

    # Once the gate says "yes" the follow-up is asked: unanswered, so flagged and planned.
    _set(assessment, "GATE", "yes")
    results.assessment_score(assessment=assessment, today=TODAY)
    result = scoring.AssessmentResult.from_dict(
        AssessmentScore.objects.get(assessment=assessment).result
    )
    assert [flag.code for flag in result.flagged] == ["FOLLOW"]
    item = ActionPlanItem.objects.get(assessment=assessment, question_code="FOLLOW")
    assert item.unanswered is True


def test_a_note_or_a_link_is_evidence(assessment, editor):
    _answer_all(assessment, editor, level="4")
    _set(assessment, "T1-01", "4", note="Board minutes, March")
    _set(assessment, "T1-02", "4", evidence_url="https://example.org/strategy")
    results.assessment_score(assessment=assessment, today=TODAY)
    result = scoring.AssessmentResult.from_dict(
        AssessmentScore.objects.get(assessment=assessment).result
    )
    confidence = result.theme("theme-1").confidence
    assert (confidence.evidenced, confidence.upper) == (2, 3)
    assert result.theme("theme-2").confidence.evidenced == 0
    assert AssessmentScore.objects.get().confidence == Decimal("0.3333")


def test_regenerating_the_plan_keeps_editors_changes(assessment, editor, colleague):
    _answer_all(assessment, editor, level="1")
    results.assessment_score(assessment=assessment, today=TODAY)
    items = {i.question_code: i for i in ActionPlanItem.objects.filter(assessment=assessment)}
    edited = results.action_plan_item_update(
        item=items["T1-01"], user=editor, owner_name="Ama Owusu", due_day=75, done=True
    )
    assert edited.window == "61-100"
    assert edited.done_by == editor
    assert edited.done_at is not None
    results.action_plan_item_mark_done(item=items["T2-01"], user=colleague)

    # T1-02 improves past the threshold; T1-01 improves but stays below it.
    _set(assessment, "T1-02", "4")
    _set(assessment, "T1-01", "2")
    results.assessment_score(assessment=assessment, today=TODAY)

    after = {i.question_code: i for i in ActionPlanItem.objects.filter(assessment=assessment)}
    assert "T1-02" not in after
    assert len(after) == 5
    kept = after["T1-01"]
    assert kept.pk == edited.pk
    assert (kept.owner_name, kept.due_day, kept.window, kept.done) == (
        "Ama Owusu",
        75,
        "61-100",
        True,
    )
    assert kept.trigger_score == 50
    assert after["T2-01"].done is True
    assert after["T2-01"].done_by == colleague
    assert after["T2-02"].done is False


def test_plan_item_update_validates_and_is_for_editors(assessment, editor, viewer):
    _answer_all(assessment, editor, level="1")
    results.assessment_score(assessment=assessment, today=TODAY)
    item = ActionPlanItem.objects.filter(assessment=assessment).first()
    item.assessment = assessment
    with pytest.raises(PermissionDenied):
        results.action_plan_item_update(
            item=item, user=viewer, owner_name="X", due_day=10, done=False
        )
    for bad, message in [(0, "between 1 and 365"), (366, "between 1 and 365"), ("ten", "whole")]:
        with pytest.raises(ValidationError, match=message):
            results.action_plan_item_update(
                item=item, user=editor, owner_name="", due_day=bad, done=False
            )
    with pytest.raises(ValidationError, match="200 characters"):
        results.action_plan_item_update(
            item=item, user=editor, owner_name="x" * 201, due_day=10, done=False
        )
    item.refresh_from_db()
    assert (item.owner_name, item.due_day) == ("", 30)
    results.action_plan_item_update(
        item=item, user=editor, owner_name="  Jo   Bloggs ", due_day=120, done=False
    )
    item.refresh_from_db()
    assert (item.owner_name, item.due_day, item.window) == ("Jo Bloggs", 120, "after-100")
    results.action_plan_item_mark_done(item=item, user=editor, done=True)
    results.action_plan_item_mark_done(item=item, user=editor, done=False)
    item.refresh_from_db()
    assert (item.done, item.done_at, item.done_by) == (False, None, None)


def _score_queries(questions_per_theme):
    bank = bank_with_questions(themes=2, questions_per_theme=questions_per_theme)
    assessment = answered_assessment(region=CityRegionFactory(), bank=bank, level="1")
    with CaptureQueriesContext(connection) as queries:
        results.assessment_score(assessment=assessment, today=TODAY)
    assert ActionPlanItem.objects.filter(assessment=assessment).count() == 2 * questions_per_theme
    return len(queries)


def test_scoring_runs_a_fixed_number_of_queries(db):
    # 4 vs 30 plan items: below SQLite's 999 parameters per INSERT, where Django would split a
    # bulk insert of many more items into batches (PostgreSQL takes 65,535 parameters).
    assert _score_queries(2) == _score_queries(15)
