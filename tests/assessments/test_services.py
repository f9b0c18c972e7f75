import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.limits import NOTE
from assessments.models import (
    Answer,
    AnswerHistory,
    Assessment,
    AssessmentEvent,
    ThemeAssignment,
)
from questionbank.models import Question, QuestionBank
from tests.assessments.factories import CityRegionFactory, editor_of
from tests.questionbank.factories import add_levels, bank_with_questions


def _question(assessment, theme="theme-1", index=0):
    return list(assessment.bank.themes.get(slug=theme).questions.order_by("order"))[index]


def _save(assessment, user, question, revision=0, **data):
    return services.answer_save(
        assessment=assessment,
        question=question,
        user=user,
        data=data,
        expected_revision=revision,
    )


def test_start_pins_the_published_bank_and_allows_one_in_progress(region, editor, bank):
    assessment = services.assessment_start(region=region, user=editor, label="Baseline, day 1")
    assert assessment.bank == bank
    assert assessment.status == Assessment.Status.IN_PROGRESS
    assert assessment.events.get().kind == AssessmentEvent.Kind.STARTED
    with pytest.raises(ValidationError, match="already in progress"):
        services.assessment_start(region=region, user=editor, label="Day 50 check")
    # A newer bank published later does not move the running assessment.
    bank_with_questions(themes=1, questions_per_theme=1)
    assessment.refresh_from_db()
    assert assessment.bank == bank


def test_start_needs_a_published_bank_a_label_and_an_editor(region, editor, viewer):
    QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED).update(
        status=QuestionBank.Status.RETIRED
    )
    with pytest.raises(ValidationError, match="no published question bank"):
        services.assessment_start(region=region, user=editor, label="Baseline")
    bank_with_questions()
    with pytest.raises(ValidationError, match="Enter a label"):
        services.assessment_start(region=region, user=editor, label="  ")
    with pytest.raises(PermissionDenied):
        services.assessment_start(region=region, user=viewer, label="Baseline")
    assert not Assessment.objects.exists()


def test_answer_save_keeps_history_and_raises_revision(assessment, editor, colleague):
    question = _question(assessment)
    answer = _save(assessment, editor, question, selected_values=["2"], note="First go")
    assert answer.revision == 1
    answer = _save(assessment, colleague, question, revision=1, selected_values=["3"])
    assert answer.revision == 2
    history = list(AnswerHistory.objects.filter(answer=answer).order_by("revision"))
    assert [h.changed_by for h in history] == [editor, colleague]
    assert history[0].old_value is None
    assert history[0].new_value["selected_values"] == ["2"]
    assert history[1].old_value["selected_values"] == ["2"]
    assert history[1].new_value["selected_values"] == ["3"]


def test_saving_the_same_value_again_writes_nothing(assessment, editor):
    question = _question(assessment)
    _save(assessment, editor, question, selected_values=["2"])
    answer = _save(assessment, editor, question, revision=1, selected_values=["2"])
    assert answer.revision == 1
    assert AnswerHistory.objects.count() == 1
    assert _save(assessment, editor, _question(assessment, index=1)) is None
    assert Answer.objects.count() == 1


def test_a_stale_change_raises_a_conflict_carrying_the_other_answer(assessment, editor, colleague):
    question = _question(assessment)
    _save(assessment, editor, question, selected_values=["1"])
    _save(assessment, editor, question, revision=1, selected_values=["3"], note="Mine")
    with pytest.raises(services.AnswerConflict) as caught:
        _save(assessment, colleague, question, revision=1, selected_values=["4"])
    assert caught.value.answer.selected_values == ["3"]
    assert caught.value.answer.note == "Mine"
    assert caught.value.attempted.selected_values == ("4",)
    assert Answer.objects.get().selected_values == ["3"]
    # Confirming with the current revision applies it.
    answer = _save(assessment, colleague, question, revision=2, selected_values=["4"])
    assert answer.selected_values == ["4"]
    assert answer.revision == 3


def test_a_stale_save_that_leaves_the_answer_as_it_was_keeps_the_newer_one(
    assessment, editor, colleague
):
    question = _question(assessment)
    _save(assessment, editor, question, selected_values=["1"])
    _save(assessment, editor, question, revision=1, selected_values=["3"])
    # The colleague loaded revision 1 ("1") and left it alone.
    answer = _save(assessment, colleague, question, revision=1, selected_values=["1"])
    assert answer.selected_values == ["3"]
    assert answer.revision == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"selected_values": ["9"]}, "Select one of the options given"),
        ({"selected_values": ["1", "2"]}, "Select only one option"),
        ({"number_value": "3"}, "does not take a number"),
        ({"text_value": "words"}, "does not take a written answer"),
        ({"note": "x" * (NOTE.max_length + 1)}, "2000 characters or fewer"),
        ({"note": "x" * 4 * 1024 * 1024}, "2000 characters or fewer"),
        ({"evidence_url": "javascript:alert(1)"}, "starts with http:// or https://"),
        ({"evidence_url": "ftp://example.org/file"}, "starts with http:// or https://"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(assessment, editor, data, message):
    with pytest.raises(ValidationError, match=message):
        _save(assessment, editor, _question(assessment), **data)
    assert not Answer.objects.exists()
    assert not AnswerHistory.objects.exists()


def test_a_question_of_another_bank_version_is_refused(assessment, editor):
    other_bank = bank_with_questions(themes=1, questions_per_theme=1)
    other = Question.objects.get(theme__bank=other_bank)
    with pytest.raises(ValidationError, match="not part of the question bank version"):
        _save(assessment, editor, other, selected_values=["1"])
    assert not Answer.objects.exists()


def test_every_kind_of_question_saves(make_assessment, editor):
    def extra(bank):
        theme = bank.themes.get(slug="theme-1")
        for kind in Question.Kind.values:
            question = Question.objects.create(theme=theme, code=kind[:8], text=kind, kind=kind)
            if kind != Question.Kind.TEXT:
                add_levels(question)

    assessment = make_assessment(extra=extra)
    by_kind = {q.kind: q for q in Question.objects.filter(theme__bank=assessment.bank)}

    def save(kind, **data):
        return _save(assessment, editor, by_kind[kind], **data)

    assert save("yes_no", selected_values=["yes"]).selected_values == ["yes"]
    assert save("multi_choice", selected_values=["c", "a"]).selected_values == ["a", "c"]
    assert save("single_choice", selected_values="b").selected_values == ["b"]
    assert str(save("number", number_value="12.5").number_value) == "12.50"
    assert save("text", text_value=" Words ").text_value == "Words"


def test_submit_needs_every_visible_required_answer_then_locks(assessment, editor):
    questions = Question.objects.filter(theme__bank=assessment.bank)
    first, *rest = questions
    _save(assessment, editor, first, selected_values=["1"])
    with pytest.raises(ValidationError) as caught:
        services.assessment_submit(assessment=assessment, user=editor)
    assert len(caught.value.messages) == len(rest)
    for question in rest:
        _save(assessment, editor, question, selected_values=["2"])
    services.assessment_submit(assessment=assessment, user=editor)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.submitted_by == editor
    assert assessment.submitted_at is not None
    with pytest.raises(ValidationError, match="submitted"):
        _save(assessment, editor, first, revision=1, selected_values=["4"])
    assert Answer.objects.get(question=first).selected_values == ["1"]


def test_reopen_records_the_reason(assessment, editor, viewer):
    for question in Question.objects.filter(theme__bank=assessment.bank):
        _save(assessment, editor, question, selected_values=["2"])
    services.assessment_submit(assessment=assessment, user=editor)
    with pytest.raises(ValidationError, match="Enter why"):
        services.assessment_reopen(assessment=assessment, user=editor, reason="")
    with pytest.raises(PermissionDenied):
        services.assessment_reopen(assessment=assessment, user=viewer, reason="Because")
    services.assessment_reopen(assessment=assessment, user=editor, reason="Budget figures changed")
    assessment.refresh_from_db()
    assert assessment.is_in_progress
    event = assessment.events.get(kind=AssessmentEvent.Kind.REOPENED)
    assert event.reason == "Budget figures changed"
    assert event.user == editor


def test_theme_owner_must_be_an_editor_of_the_region(assessment, editor, colleague, viewer):
    theme = assessment.bank.themes.get(slug="theme-1")
    outsider = editor_of(CityRegionFactory()).user
    for wrong in (outsider, viewer):
        with pytest.raises(ValidationError, match="Choose an editor of this region"):
            services.theme_assign(assessment=assessment, theme=theme, assignee=wrong, user=editor)
    services.theme_assign(assessment=assessment, theme=theme, assignee=colleague, user=editor)
    assert ThemeAssignment.objects.get().assignee == colleague
    services.theme_assign(assessment=assessment, theme=theme, assignee=None, user=editor)
    assert not ThemeAssignment.objects.exists()


def test_comments_are_added_and_resolved(assessment, editor, colleague, viewer):
    question = _question(assessment)
    comment = services.comment_add(
        assessment=assessment, question=question, user=editor, text="Is this right?"
    )
    with pytest.raises(PermissionDenied):
        services.comment_add(assessment=assessment, question=question, user=viewer, text="Hi")
    with pytest.raises(ValidationError, match="Enter a comment"):
        services.comment_add(assessment=assessment, question=question, user=editor, text=" ")
    services.comment_resolve(comment=comment, user=colleague)
    comment.refresh_from_db()
    assert comment.resolved_by == colleague
    assert comment.is_resolved


def test_a_stale_save_of_another_part_of_the_answer_merges(assessment, editor, colleague):
    question = _question(assessment)
    _save(assessment, editor, question, selected_values=["1"])
    # Both load revision 1; the editor adds a note, the colleague changes the choice.
    _save(assessment, editor, question, revision=1, selected_values=["1"], note="Source: audit")
    answer = _save(assessment, colleague, question, revision=1, selected_values=["2"])
    assert answer.selected_values == ["2"]
    assert answer.note == "Source: audit"
    assert answer.revision == 3
