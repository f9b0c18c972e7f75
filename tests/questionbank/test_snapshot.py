"""The bank snapshot: one version as frozen data, cached when the version can no longer change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questionbank.models import Question, QuestionBank
from questionbank.selectors import bank_snapshot, bank_tree
from tests.questionbank.factories import add_levels, bank_with_questions


def _queries(function):
    with CaptureQueriesContext(connection) as queries:
        result = function()
    return result, len(queries)


@pytest.mark.django_db
def test_the_snapshot_holds_the_bank_in_bank_order():
    bank = bank_with_questions(themes=2, questions_per_theme=3, published=False)
    theme = bank.themes.get(slug="theme-2")
    gate = theme.questions.get(code="T2-01")
    follow = Question.objects.create(
        theme=theme,
        order=0,  # the same order as T2-01: the id breaks the tie, as in every bank reader
        code="T2-FOLLOW",
        text="Asked when T2-01 is embedded",
        condition_question=gate,
        condition_values=["4"],
        milestone_day=30,
    )
    add_levels(follow)

    snapshot = bank_snapshot(bank=bank)

    tree = bank_tree(bank=bank)
    assert [t.slug for t in snapshot.themes] == [t.slug for t in tree]
    assert [q.code for q in snapshot.questions] == [q.code for t in tree for q in t.questions.all()]
    question = snapshot.question_by_id[follow.pk]
    assert question.theme_slug == "theme-2"
    assert question.condition.question_id == gate.pk
    assert question.condition.values == ("4",)
    assert [level.score for level in question.levels] == [0, 25, 50, 75, 100]
    assert snapshot.milestones == (question,)
    assert [a.text for a in snapshot.actions] == [
        a.text for t in tree for q in t.questions.all() for a in q.actions.all()
    ]
    assert snapshot.theme_of(question).slug == "theme-2"


@pytest.mark.django_db
def test_a_published_version_is_read_once_then_served_from_the_cache_with_no_query():
    bank = bank_with_questions(themes=3, questions_per_theme=5)
    first, reads = _queries(lambda: bank_snapshot(bank=bank))
    assert reads == 4  # themes, questions (with their conditions), levels, actions
    again, reads_again = _queries(lambda: bank_snapshot(bank=bank))
    assert reads_again == 0
    assert again == first
    assert len(again.questions) == 15


@pytest.mark.django_db
def test_a_draft_is_read_afresh_so_edits_show_at_once():
    bank = bank_with_questions(themes=1, questions_per_theme=2, published=False)
    assert len(bank_snapshot(bank=bank).questions) == 2
    add_levels(Question.objects.create(theme=bank.themes.get(), order=5, code="NEW", text="New?"))
    snapshot, reads = _queries(lambda: bank_snapshot(bank=bank))
    assert reads == 4
    assert [q.code for q in snapshot.questions][-1] == "NEW"


@pytest.mark.django_db
def test_an_unreachable_cache_falls_back_to_the_database(settings, caplog):
    bank = bank_with_questions(themes=1, questions_per_theme=2)
    # Nothing listens on port 1: every cache call fails at once.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    snapshot = bank_snapshot(bank=bank)
    assert [q.code for q in snapshot.questions] == ["T1-01", "T1-02"]
    assert bank.status == QuestionBank.Status.PUBLISHED
    assert "the bank snapshot comes from the database" in caplog.text
