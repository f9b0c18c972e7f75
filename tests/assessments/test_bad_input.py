"""Bad input through the theme page: refused with a clear message, and nothing changes."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, AnswerComment, AnswerHistory, Assessment
from questionbank.models import Question
from tests.assessments.conftest import client_for
from tests.assessments.html import form_data
from tests.questionbank.factories import bank_with_questions


def _state():
    return (
        list(Answer.objects.values()),
        list(AnswerHistory.objects.values()),
        list(AnswerComment.objects.values()),
        list(Assessment.objects.values()),
    )


@pytest.fixture
def theme_url(assessment):
    return reverse(
        "assessments:theme-detail",
        kwargs={
            "region_slug": assessment.region.slug,
            "pk": assessment.pk,
            "theme_slug": "theme-1",
        },
    )


@pytest.fixture
def loaded(assessment, editor, theme_url):
    """An editor's client, and the theme page's form with one valid answer filled in."""
    client = client_for(editor)
    data = form_data(client.get(theme_url).content.decode())
    first = assessment.bank.themes.get(slug="theme-1").questions.order_by("order").first()
    data[f"q{first.pk}"] = ["2"]
    return client, data, first


def _post_refused(client, url, data, message, status=200):
    before = _state()
    response = client.post(url, data | {"continue": [""]})
    page = response.content.decode()
    assert response.status_code == status
    assert "There is a problem" in page
    assert message in page
    assert _state() == before
    return page


def test_a_tampered_choice_value(loaded, theme_url, assessment):
    client, data, _ = loaded
    second = assessment.bank.themes.get(slug="theme-1").questions.order_by("order")[1]
    data[f"q{second.pk}"] = ["99"]
    page = _post_refused(
        client, theme_url, data, "Select one of the options given for this question"
    )
    assert f'href="#id_q{second.pk}_1"' in page  # the summary links to the question


def test_an_answer_to_a_question_of_another_bank_version(loaded, theme_url):
    client, data, _ = loaded
    other_bank = bank_with_questions(themes=1, questions_per_theme=1)
    other = Question.objects.get(theme__bank=other_bank)
    data[f"q{other.pk}"] = ["2"]
    _post_refused(client, theme_url, data, "not part of this theme of this assessment")


def test_a_question_of_another_bank_version_has_no_page(assessment, editor):
    other = Question.objects.get(theme__bank=bank_with_questions(themes=1, questions_per_theme=1))
    url = reverse(
        "assessments:question-detail",
        kwargs={
            "region_slug": assessment.region.slug,
            "pk": assessment.pk,
            "question_pk": other.pk,
        },
    )
    client = client_for(editor)
    assert client.get(url).status_code == 404
    before = _state()
    assert client.post(url, {"text": "A comment"}).status_code == 404
    assert _state() == before


def test_a_4_mb_note(loaded, theme_url, assessment):
    client, data, first = loaded
    data[f"q{first.pk}-note"] = ["x" * 4 * 1024 * 1024]
    _post_refused(client, theme_url, data, "too large to save", status=400)


def test_a_4_mb_note_with_csrf_checks_on(assessment, editor, theme_url):
    """As in a browser: the CSRF check reads the body before the view does."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    data = form_data(client.get(theme_url).content.decode())
    first = assessment.bank.themes.get(slug="theme-1").questions.order_by("order").first()
    data[f"q{first.pk}"] = ["2"]
    data[f"q{first.pk}-note"] = ["x" * 4 * 1024 * 1024]
    before = _state()
    response = client.post(theme_url, data)
    assert response.status_code == 400
    assert "too large to save" in response.content.decode()
    assert _state() == before


def test_a_note_over_the_limit(loaded, theme_url):
    client, data, first = loaded
    data[f"q{first.pk}-note"] = ["x" * 2001]
    page = _post_refused(client, theme_url, data, "The note must be 2000 characters or fewer")
    assert "x" * 2001 in page  # what was typed is kept on the page, not lost


@pytest.mark.parametrize(
    "link", ["javascript:alert(document.cookie)", "JavaScript:alert(1)", "data:text/html,hi"]
)
def test_a_script_evidence_link(loaded, theme_url, link):
    client, data, first = loaded
    data[f"q{first.pk}-evidence"] = [link]
    page = _post_refused(
        client, theme_url, data, "Enter a web address that starts with http:// or https://"
    )
    assert f'href="#id_q{first.pk}-evidence"' in page


def test_a_missing_csrf_token_is_refused(assessment, editor, theme_url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    data = form_data(client.get(theme_url).content.decode())
    first = assessment.bank.themes.get(slug="theme-1").questions.order_by("order").first()
    data.pop("csrfmiddlewaretoken")
    data[f"q{first.pk}"] = ["2"]
    before = _state()
    assert client.post(theme_url, data).status_code == 403
    submit = reverse(
        "assessments:assessment-submit",
        kwargs={"region_slug": assessment.region.slug, "pk": assessment.pk},
    )
    assert client.post(submit).status_code == 403
    assert _state() == before


def test_submitting_with_missing_answers_lists_each_one(assessment, editor):
    client = client_for(editor)
    url = reverse(
        "assessments:assessment-submit",
        kwargs={"region_slug": assessment.region.slug, "pk": assessment.pk},
    )
    before = _state()
    response = client.post(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    for question in Question.objects.filter(theme__bank=assessment.bank):
        assert f'href="#answer-{question.pk}"' in page
        assert f'id="answer-{question.pk}"' in page
    assert _state() == before
