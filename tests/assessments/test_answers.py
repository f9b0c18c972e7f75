"""The pure rules over answers: which questions a set of answers shows, and answers in words."""

from decimal import Decimal

from assessments.answers import AnswerValue, answer_display, answer_label, visible_question_ids
from questionbank.snapshot import ConditionSnapshot, LevelSnapshot, QuestionSnapshot


def question(pk, *, parent=None, values=(), kind="maturity", levels=()):
    return QuestionSnapshot(
        id=pk,
        theme_id=1,
        theme_slug="theme",
        order=pk,
        code=f"Q-{pk}",
        key=f"Q-{pk}",
        text=f"Question {pk}?",
        guidance="",
        kind=kind,
        weight=1,
        required=True,
        milestone_day=None,
        replaces_codes=(),
        sources="",
        condition=None
        if parent is None
        else ConditionSnapshot(question_id=parent, question_code=f"Q-{parent}", values=values),
        levels=levels,
    )


def test_visibility_follows_chains():
    questions = [
        question(1),
        question(2, parent=1, values=("yes",)),
        question(3, parent=2, values=("4",)),
    ]
    assert visible_question_ids(questions=questions, values_by_question={1: {"yes"}, 2: {"4"}}) == {
        1,
        2,
        3,
    }
    assert visible_question_ids(questions=questions, values_by_question={1: {"no"}, 2: {"4"}}) == {
        1
    }


def test_a_condition_on_a_question_outside_the_list_reads_its_answer_alone():
    questions = [question(2, parent=1, values=("yes",))]
    assert visible_question_ids(questions=questions, values_by_question={1: {"yes"}}) == {2}
    assert visible_question_ids(questions=questions, values_by_question={}) == set()


def test_an_answer_value_round_trips_through_the_history_shape():
    value = AnswerValue(
        selected_values=("2", "3"),
        number_value=Decimal("40.00"),
        note="A note",
        evidence_url="https://example.org",
    )
    assert value.to_json()["number_value"] == "40.00"
    assert AnswerValue.from_json(value.to_json()) == value
    assert AnswerValue.from_json(None).is_empty
    assert value.has_value
    assert value.has_evidence
    assert AnswerValue(number_value=Decimal("40.00")).condition_values() == {"40"}


def test_answers_in_words():
    levels = (LevelSnapshot("1", "Starting", "", 25), LevelSnapshot("2", "Developing", "", 50))
    choice = question(1, kind="multi_choice", levels=levels)
    number = question(2, kind="number")
    text = question(3, kind="text")
    assert answer_display(choice, AnswerValue(selected_values=("1", "2"))) == "Starting, Developing"
    assert answer_label(choice, AnswerValue(selected_values=("1", "2"))) == "Starting; Developing"
    assert answer_display(number, AnswerValue(number_value=Decimal("40.00"))) == "40.00"
    assert answer_label(number, AnswerValue(number_value=Decimal("40.00"))) == "40"
    assert answer_label(text, AnswerValue(text_value="x " * 150)).endswith("…")
    assert len(answer_label(text, AnswerValue(text_value="x " * 150))) == 200
    assert answer_display(text, None) == "Not answered"
    assert answer_label(text, None) == ""
