"""The task list and a theme page make the same number of queries for 10 or 200 questions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from questionbank.models import Question
from tests.assessments.conftest import client_for


def _filled(make_assessment, editor, colleague, *, per_theme: int):
    """Two themes; every question answered, each with a comment; one theme owned."""
    assessment = make_assessment(themes=2, questions_per_theme=per_theme)
    for question in Question.objects.filter(theme__bank=assessment.bank):
        services.answer_save(
            assessment=assessment,
            question=question,
            user=editor,
            data={"selected_values": ["2"], "note": "A note", "evidence_url": "https://x.org"},
            expected_revision=0,
        )
        services.comment_add(assessment=assessment, question=question, user=colleague, text="?")
    theme = assessment.bank.themes.get(slug="theme-1")
    services.theme_assign(assessment=assessment, theme=theme, assignee=colleague, user=editor)
    return assessment


def _count(client, url) -> int:
    client.get(url)  # warm: session, content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "page", ["assessment-tasks", "theme-detail", "assessment-check", "question-detail"]
)
def test_queries_do_not_grow_with_the_bank(make_assessment, editor, colleague, page):
    counts = []
    for per_theme in (5, 100):  # banks of 10 and of 200 questions
        assessment = _filled(make_assessment, editor, colleague, per_theme=per_theme)
        kwargs = {"region_slug": assessment.region.slug, "pk": assessment.pk}
        if page == "theme-detail":
            kwargs["theme_slug"] = "theme-1"
        if page == "question-detail":
            kwargs["question_pk"] = Question.objects.filter(theme__bank=assessment.bank).first().pk
        client = client_for(editor)
        counts.append(_count(client, reverse(f"assessments:{page}", kwargs=kwargs)))
        # Make way for the next one: a region has at most one assessment in progress.
        assessment.delete()
    assert counts[0] == counts[1], counts
