"""Acceptance 2 and 6: published versions never change, drafts copy everything, publishing
validates and retires, old versions still read; conditions are checked at publish."""

import pytest

from questionbank import selectors, services
from questionbank.models import (
    Action,
    BankLockedError,
    Question,
    QuestionBank,
    RubricLevel,
)
from tests.questionbank.factories import (
    ActionFactory,
    QuestionFactory,
    ThemeFactory,
    add_levels,
    bank_with_questions,
)

pytestmark = pytest.mark.django_db


def test_published_content_refuses_every_write_in_the_model():
    bank = bank_with_questions(themes=1, questions_per_theme=2, published=True)
    theme = bank.themes.get()
    question = theme.questions.first()
    level = question.levels.first()
    action = question.actions.first()
    before = selectors.bank_data(bank=bank)

    question.guidance = "Rewritten"
    level.score = 10
    action.text = "Something else"
    theme.title = "Renamed"
    attempts = [
        question.save,
        level.save,
        action.save,
        theme.save,
        question.delete,
        level.delete,
        action.delete,
        theme.delete,
        lambda: QuestionFactory(theme=theme, code="NEW-01"),
        lambda: RubricLevel.objects.create(question=question, value="9", label="x", score=5),
        lambda: Action.objects.filter(question=question).update(text="bulk"),
        lambda: Question.objects.filter(theme=theme).delete(),
        lambda: ThemeFactory(bank=bank),
        bank.delete,
        lambda: QuestionBank.objects.filter(pk=bank.pk).delete(),
    ]
    for attempt in attempts:
        with pytest.raises(BankLockedError) as refused:
            attempt()
        assert "published version never changes" in refused.value.messages[0]
        assert "Create a new draft" in refused.value.messages[0]
    bank.refresh_from_db()
    bank.title = "A new title"
    with pytest.raises(BankLockedError):
        bank.save()
    bank.refresh_from_db()
    bank.save()  # unchanged content is harmless
    assert selectors.bank_data(bank=bank) == before


def test_status_changes_only_by_publishing():
    draft = bank_with_questions(themes=1, questions_per_theme=1, published=False)
    draft.status = QuestionBank.Status.PUBLISHED
    with pytest.raises(BankLockedError, match="changes only by publishing"):
        draft.save()
    published = bank_with_questions(themes=1, questions_per_theme=1, published=True)
    published.status = QuestionBank.Status.DRAFT
    with pytest.raises(BankLockedError, match="changes only by publishing"):
        published.save()


def test_draft_content_is_freely_editable():
    bank = bank_with_questions(themes=1, questions_per_theme=1, published=False)
    question = Question.objects.get(theme__bank=bank)
    question.guidance = "New guidance"
    question.save()
    question.levels.first().delete()
    bank.title = "Renamed draft"
    bank.save()
    assert Question.objects.get(pk=question.pk).guidance == "New guidance"


def test_new_draft_copies_the_whole_tree_with_conditions():
    source = services.bank_import(path=services.DEFAULT_BANK_PATH)
    services.bank_publish(bank=source)
    draft = services.bank_create_draft(source=source)

    assert draft.status == QuestionBank.Status.DRAFT
    assert draft.version == source.version + 1
    assert draft.based_on == source
    source_data, draft_data = selectors.bank_data(bank=source), selectors.bank_data(bank=draft)
    assert draft_data["themes"] == source_data["themes"]
    copied = Question.objects.get(theme__bank=draft, code="CDIC-03")
    assert copied.condition_question.theme.bank == draft
    assert copied.condition_question.code == "CDIC-02"
    assert RubricLevel.objects.filter(question__theme__bank=draft).count() == (
        RubricLevel.objects.filter(question__theme__bank=source).count()
    )


def test_publishing_a_draft_retires_the_current_version_and_the_old_one_still_reads():
    old = bank_with_questions(themes=2, questions_per_theme=2, published=True)
    old_data = selectors.bank_data(bank=old)
    old_question_ids = list(Question.objects.filter(theme__bank=old).values_list("pk", flat=True))

    draft = services.bank_create_draft(source=old)
    edited = Question.objects.get(theme__bank=draft, code="T1-01")
    edited.guidance = "Clearer guidance"
    edited.save()
    services.bank_publish(bank=draft)

    old.refresh_from_db()
    draft.refresh_from_db()
    assert draft.status == QuestionBank.Status.PUBLISHED
    assert draft.published_at
    assert old.status == QuestionBank.Status.RETIRED
    assert selectors.bank_current() == draft
    # An assessment pinned to the old version reads exactly what it read before.
    assert selectors.bank_data(bank=old) == old_data
    tree = selectors.bank_tree(bank=old)
    assert [q.pk for t in tree for q in t.questions.all()] == old_question_ids
    assert tree[0].questions.all()[0].guidance == "What good looks like."
    assert all(q.levels.all() and q.actions.all() for t in tree for q in t.questions.all())


def test_only_a_draft_can_be_published():
    bank = bank_with_questions(themes=1, questions_per_theme=1, published=True)
    with pytest.raises(BankLockedError, match="only a draft can be published"):
        services.bank_publish(bank=bank)


def _draft_with(*, themes: int = 1, per_theme: int = 2) -> QuestionBank:
    return bank_with_questions(themes=themes, questions_per_theme=per_theme, published=False)


def test_publish_refuses_an_unsound_draft_listing_every_problem():
    current = bank_with_questions(themes=1, questions_per_theme=1, published=True)
    draft = _draft_with(themes=2)
    ThemeFactory(bank=draft, order=5, slug="empty-theme")
    unscored = Question.objects.get(theme__bank=draft, code="T1-02")
    unscored.levels.all().delete()
    zero = Question.objects.get(theme__bank=draft, code="T2-01")
    zero.weight = 0
    zero.save()
    duplicate = Question.objects.get(theme__bank=draft, code="T2-02")
    duplicate.code = "T1-01"
    duplicate.save()

    with pytest.raises(services.BankPublishError) as refused:
        services.bank_publish(bank=draft)
    problems = refused.value.problems
    assert "themes[2].questions: every theme needs at least one question" in problems
    assert any(p.startswith("themes[0].questions[1].levels: a scored question") for p in problems)
    assert "themes[1].questions[0].weight: 0 is below 1" in problems
    assert any(
        p.startswith("themes[1].questions[1].code: T1-01 is already used by themes[0]")
        for p in problems
    )
    draft.refresh_from_db()
    current.refresh_from_db()
    assert draft.status == QuestionBank.Status.DRAFT
    assert current.status == QuestionBank.Status.PUBLISHED


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("later", "T1-02 comes after this question (questions[1])"),
        ("other-theme", "T2-01 is in another theme (themes[1])"),
        ("itself", "T1-01 cannot depend on its own answer"),
    ],
)
def test_publish_refuses_a_condition_on_a_later_question_another_theme_or_itself(case, expected):
    draft = _draft_with(themes=2)
    first = Question.objects.get(theme__bank=draft, code="T1-01")
    target = {
        "later": Question.objects.get(theme__bank=draft, code="T1-02"),
        "other-theme": Question.objects.get(theme__bank=draft, code="T2-01"),
        "itself": first,
    }[case]
    first.condition_question = target
    first.condition_values = ["1"]
    first.save()
    with pytest.raises(services.BankPublishError) as refused:
        services.bank_publish(bank=draft)
    [problem] = refused.value.problems
    assert problem.startswith(f"themes[0].questions[0].condition.question: {expected}")


def test_a_condition_on_an_earlier_question_of_the_same_theme_publishes():
    draft = _draft_with()
    gate = Question.objects.get(theme__bank=draft, code="T1-01")
    gate.kind = Question.Kind.YES_NO
    gate.save()
    gate.levels.all().delete()
    add_levels(gate)
    follow = Question.objects.get(theme__bank=draft, code="T1-02")
    follow.condition_question = gate
    follow.condition_values = ["yes"]
    follow.full_clean()
    follow.save()
    services.bank_publish(bank=draft)
    assert selectors.bank_current() == draft


def test_model_validation_names_the_condition_problem():
    draft = _draft_with(themes=2)
    first = Question.objects.get(theme__bank=draft, code="T1-01")
    first.condition_question = Question.objects.get(theme__bank=draft, code="T2-01")
    first.condition_values = ["1"]
    with pytest.raises(Exception, match="same theme"):
        first.full_clean()


def test_bank_diff_lists_added_removed_and_edited_questions_by_code():
    old = bank_with_questions(themes=1, questions_per_theme=3, published=True)
    new = services.bank_create_draft(source=old)
    Question.objects.get(theme__bank=new, code="T1-03").delete()
    edited = Question.objects.get(theme__bank=new, code="T1-01")
    edited.text = "Reworded question?"
    edited.save()
    added = QuestionFactory(theme=new.themes.get(), code="T1-04", order=9)
    add_levels(added)
    ActionFactory(question=added)

    diff = selectors.bank_diff(old=old, new=new)
    assert [q.code for q in diff.added] == ["T1-04"]
    assert [q.code for q in diff.removed] == ["T1-03"]
    assert [q.code for q in diff.edited] == ["T1-01"]
    assert diff.edited[0].changes[0].name == "question"
    assert diff.edited[0].changes[0].new == "Reworded question?"
    assert not selectors.bank_diff(old=old, new=old).has_changes


def test_admins_group_is_idempotent():
    first = services.admins_group_ensure()
    second = services.admins_group_ensure()
    assert first == second
    assert second.permissions.count() == 20
