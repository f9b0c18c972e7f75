"""Acceptance 1: a fresh install has the default bank published, complete and sound."""

import pytest
from django.contrib.auth.models import Group, Permission

from questionbank import bankfile, selectors
from questionbank.models import Question, QuestionBank
from questionbank.services import ADMINS_GROUP_NAME, DEFAULT_BANK_PATH

THEME_SLUGS = [
    "leadership-cdic",
    "culture-skills",
    "skills-taskforce",
    "innovation",
    "citizen-services",
    "digital-inclusion",
    "procurement",
    "data",
    "connectivity",
    "cyber-resilience",
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def default_bank() -> QuestionBank:
    bank = selectors.bank_current()
    assert bank is not None, "the migrations should leave the default bank published"
    return bank


def test_migrations_publish_the_default_bank_as_version_1(default_bank):
    assert default_bank.version == 1
    assert default_bank.status == QuestionBank.Status.PUBLISHED
    assert default_bank.published_at is not None
    assert QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED).count() == 1


def test_default_bank_has_the_agreed_themes_and_weights(default_bank):
    themes = selectors.bank_tree(bank=default_bank)
    assert [t.slug for t in themes] == THEME_SLUGS
    assert sum(t.weight for t in themes) == 100
    assert all(t.description and t.why_it_matters for t in themes)


def test_every_scored_question_has_levels_an_action_and_guidance(default_bank):
    questions = [q for t in selectors.bank_tree(bank=default_bank) for q in t.questions.all()]
    assert 45 <= len(questions) <= 60
    codes = [q.code for q in questions]
    assert len(codes) == len(set(codes))
    for question in questions:
        assert question.is_scored, question.code
        levels, actions = list(question.levels.all()), list(question.actions.all())
        assert len(levels) >= 2, question.code
        assert all(0 <= level.score <= 100 and level.description for level in levels)
        assert actions, f"{question.code} has no action"
        assert question.guidance, question.code
        assert question.sources, question.code
        for action in actions:
            assert 1 <= action.day_from <= action.day_to <= 365, question.code
    maturity = [q for q in questions if q.kind == Question.Kind.MATURITY]
    for question in maturity:
        levels = list(question.levels.all())
        assert [lv.value for lv in levels] == ["0", "1", "2", "3", "4"]
        assert [lv.score for lv in levels] == [0, 25, 50, 75, 100]
    kinds = {q.kind for q in questions}
    assert {"maturity", "yes_no", "single_choice", "number"} <= kinds


def test_milestone_days_lie_within_the_first_100_days(default_bank):
    milestones = Question.objects.filter(theme__bank=default_bank, milestone_day__isnull=False)
    assert milestones.count() >= 15
    assert all(1 <= q.milestone_day <= 100 for q in milestones)
    # The guide's one explicit deadline: the skills taskforce within the first 100 days.
    assert milestones.get(code="SKL-01").milestone_day <= 100


def test_cdic_reporting_line_is_asked_only_after_an_appointment(default_bank):
    reporting = Question.objects.get(theme__bank=default_bank, code="CDIC-03")
    assert reporting.condition_question.code == "CDIC-02"
    assert reporting.condition_question.theme_id == reporting.theme_id
    assert reporting.condition_values == ["yes"]
    assert reporting.condition_question.kind == Question.Kind.YES_NO


def test_default_file_is_valid_and_already_in_export_form():
    text = DEFAULT_BANK_PATH.read_text(encoding="utf-8")
    data = bankfile.bank_data_parse(text)
    assert bankfile.bank_data_validate(data) == []
    assert bankfile.bank_data_dump(data) == text


def test_the_admins_group_has_exactly_the_question_bank_permissions():
    group = Group.objects.get(name=ADMINS_GROUP_NAME)
    expected = Permission.objects.filter(content_type__app_label="questionbank")
    assert expected.count() == 20  # add, change, delete, view of five models
    assert set(group.permissions.all()) == set(expected)
