import datetime as dt

from assessments import selectors, services
from questionbank.models import Question
from tests.questionbank.factories import add_levels


def add_conditional(bank):
    """theme-1: a yes/no gate, and a question asked only when the gate is "yes"."""
    theme = bank.themes.get(slug="theme-1")
    gate = Question.objects.create(
        theme=theme, order=10, code="GATE", text="Is there a strategy?", kind="yes_no"
    )
    add_levels(gate)
    follow = Question.objects.create(
        theme=theme,
        order=11,
        code="FOLLOW",
        text="How well is it followed?",
        condition_question=gate,
        condition_values=["yes"],
    )
    add_levels(follow)


def _save(assessment, user, question, values):
    services.answer_save(
        assessment=assessment,
        question=question,
        user=user,
        data={"selected_values": values},
        expected_revision=getattr(
            assessment.answers.filter(question=question).first(), "revision", 0
        ),
    )


def test_task_list_counts_and_statuses(assessment, editor, colleague):
    theme1 = assessment.bank.themes.get(slug="theme-1")
    for question in theme1.questions.all():
        _save(assessment, editor, question, ["2"])
    _save(assessment, editor, assessment.bank.themes.get(slug="theme-2").questions.first(), ["1"])
    services.theme_assign(assessment=assessment, theme=theme1, assignee=colleague, user=editor)

    task_list = selectors.assessment_task_list(
        assessment=assessment, user=colleague, mine_only=False, today=dt.date(2026, 6, 16)
    )
    assert (task_list.answered, task_list.total) == (4, 6)
    assert [t.status for t in task_list.themes] == ["Completed", "In progress"]
    assert task_list.themes[0].owner == colleague
    assert task_list.day_in_office == 37  # the factory's mayor took office on 11 May 2026
    mine = selectors.assessment_task_list(
        assessment=assessment, user=colleague, mine_only=True, today=dt.date(2026, 6, 16)
    )
    assert [t.theme.pk for t in mine.shown_themes] == [theme1.pk]
    assert [t.status for t in mine.themes] == ["Completed", "In progress"]


def test_a_hidden_conditional_question_is_neither_counted_nor_required(make_assessment, editor):
    assessment = make_assessment(extra=add_conditional)
    gate = Question.objects.get(theme__bank=assessment.bank, code="GATE")
    follow = Question.objects.get(theme__bank=assessment.bank, code="FOLLOW")
    for question in assessment.bank.themes.get(slug="theme-1").questions.exclude(
        pk__in=[gate.pk, follow.pk]
    ):
        _save(assessment, editor, question, ["2"])

    def theme1():
        return selectors.assessment_task_list(
            assessment=assessment, user=editor, mine_only=False, today=dt.date(2026, 6, 1)
        ).themes[0]

    assert (theme1().answered, theme1().total) == (3, 4)  # the gate is asked, FOLLOW is not
    _save(assessment, editor, gate, ["no"])
    assert (theme1().answered, theme1().total, theme1().status) == (4, 4, "Completed")
    missing = {
        r.question.code for r in selectors.assessment_check_answers(assessment=assessment).missing
    }
    assert "FOLLOW" not in missing

    _save(assessment, editor, gate, ["yes"])
    assert (theme1().answered, theme1().total, theme1().status) == (4, 5, "In progress")
    missing = {
        r.question.code for r in selectors.assessment_check_answers(assessment=assessment).missing
    }
    assert "FOLLOW" in missing
    page = selectors.theme_page_data(assessment=assessment, theme_slug="theme-1")
    assert follow.pk in page.visible_ids

    # An answer kept on a question that is hidden again does not count.
    _save(assessment, editor, follow, ["3"])
    _save(assessment, editor, gate, ["no"])
    assert (theme1().answered, theme1().total) == (4, 4)
