"""Two editors answering the same theme at once, each from the page they loaded."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from assessments import services
from assessments.models import Answer, AnswerHistory
from questionbank.models import Question
from tests.assessments.conftest import client_for
from tests.assessments.factories import CityRegionFactory, editor_of
from tests.assessments.html import form_data
from tests.questionbank.factories import bank_with_questions


def _theme_url(assessment):
    return reverse(
        "assessments:theme-detail",
        kwargs={
            "region_slug": assessment.region.slug,
            "pk": assessment.pk,
            "theme_slug": "theme-1",
        },
    )


def _questions(assessment):
    return list(assessment.bank.themes.get(slug="theme-1").questions.order_by("order"))


def test_different_questions_of_one_theme_are_both_kept(assessment, editor, colleague):
    url = _theme_url(assessment)
    ada, bo = client_for(editor), client_for(colleague)
    q1, q2, _ = _questions(assessment)
    ada_form = form_data(ada.get(url).content.decode())
    bo_form = form_data(bo.get(url).content.decode())

    ada_form[f"q{q1.pk}"] = ["3"]
    assert ada.post(url, ada_form | {"continue": [""]}).status_code == 302
    bo_form[f"q{q2.pk}"] = ["1"]
    response = bo.post(url, bo_form | {"continue": [""]})
    assert response.status_code == 302, response.content.decode()

    answers = {a.question_id: a for a in Answer.objects.filter(assessment=assessment)}
    assert answers[q1.pk].selected_values == ["3"]
    assert answers[q1.pk].updated_by == editor
    assert answers[q2.pk].selected_values == ["1"]
    assert answers[q2.pk].updated_by == colleague


def test_the_same_question_from_stale_pages_asks_to_confirm_and_loses_nothing(
    assessment, editor, colleague
):
    url = _theme_url(assessment)
    ada, bo = client_for(editor), client_for(colleague)
    q1, q2, _ = _questions(assessment)
    ada_form = form_data(ada.get(url).content.decode())
    bo_form = form_data(bo.get(url).content.decode())

    ada_form[f"q{q1.pk}"] = ["3"]
    ada_form[f"q{q1.pk}-note"] = ["Agreed with the CDIC"]
    assert ada.post(url, ada_form | {"continue": [""]}).status_code == 302

    bo_form[f"q{q1.pk}"] = ["1"]
    bo_form[f"q{q2.pk}"] = ["2"]
    response = bo.post(url, bo_form | {"continue": [""]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "A colleague changed 1 of these answers while you were editing" in page
    assert "Ada Editor changed this answer" in page
    assert "Established" in page  # their answer
    assert "Agreed with the CDIC" in page  # and their note
    assert "Which answer do you want to keep?" in page
    # Nothing lost: Ada's answer stands, Bo's other answer was saved.
    assert Answer.objects.get(question=q1).selected_values == ["3"]
    assert Answer.objects.get(question=q2).selected_values == ["2"]

    # The confirm step shows Bo's own answer in the form; Bo keeps it.
    confirm = form_data(page)
    assert confirm[f"q{q1.pk}"] == ["1"]
    response = bo.post(url, confirm | {f"q{q1.pk}-keep": ["mine"], "continue": [""]})
    assert response.status_code == 302
    answer = Answer.objects.get(question=q1)
    assert answer.selected_values == ["1"]
    assert answer.note == "Agreed with the CDIC"  # Ada's note, which Bo left alone, stays
    history = list(AnswerHistory.objects.filter(answer=answer).order_by("revision"))
    assert [(h.changed_by, h.new_value["selected_values"]) for h in history] == [
        (editor, ["3"]),
        (colleague, ["1"]),
    ]
    assert history[1].old_value["selected_values"] == ["3"]

    history_page = bo.get(
        reverse(
            "assessments:question-detail",
            kwargs={
                "region_slug": assessment.region.slug,
                "pk": assessment.pk,
                "question_pk": q1.pk,
            },
        )
    ).content.decode()
    assert "Ada Editor" in history_page
    assert "Bo Colleague" in history_page


def test_keeping_their_answer_discards_mine(assessment, editor, colleague):
    url = _theme_url(assessment)
    ada, bo = client_for(editor), client_for(colleague)
    q1 = _questions(assessment)[0]
    ada_form = form_data(ada.get(url).content.decode())
    bo_form = form_data(bo.get(url).content.decode())
    ada.post(url, ada_form | {f"q{q1.pk}": ["3"], "later": [""]})
    page = bo.post(url, bo_form | {f"q{q1.pk}": ["0"], "later": [""]}).content.decode()

    response = bo.post(url, form_data(page) | {f"q{q1.pk}-keep": ["theirs"], "later": [""]})
    assert response.status_code == 302
    assert Answer.objects.get(question=q1).selected_values == ["3"]
    assert AnswerHistory.objects.count() == 1


def test_the_confirm_step_needs_a_choice(assessment, editor, colleague):
    url = _theme_url(assessment)
    ada, bo = client_for(editor), client_for(colleague)
    q1 = _questions(assessment)[0]
    ada_form = form_data(ada.get(url).content.decode())
    bo_form = form_data(bo.get(url).content.decode())
    ada.post(url, ada_form | {f"q{q1.pk}": ["3"], "later": [""]})
    page = bo.post(url, bo_form | {f"q{q1.pk}": ["0"], "later": [""]}).content.decode()

    response = bo.post(url, form_data(page) | {"later": [""]})
    assert response.status_code == 200
    assert "Choose whether to keep your answer or your colleague" in response.content.decode()
    assert Answer.objects.get(question=q1).selected_values == ["3"]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_first_saves_of_one_question_keep_one_and_flag_the_other():
    """Real concurrent transactions (PostgreSQL): both editors save the same unanswered
    question at the same moment. One save wins; the other gets the conflict, not a lost
    update or a database error."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (CI runs it)")
    region = CityRegionFactory()
    editors = [editor_of(region).user, editor_of(region).user]
    bank_with_questions(themes=1, questions_per_theme=1)
    assessment = services.assessment_start(region=region, user=editors[0], label="Baseline")
    question = Question.objects.select_related("theme").get(theme__bank=assessment.bank)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user, value):
        try:
            barrier.wait(timeout=10)
            services.answer_save(
                assessment=assessment,
                question=question,
                user=user,
                data={"selected_values": [value]},
                expected_revision=0,
            )
            outcomes.append("saved")
        except services.AnswerConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(u, v)) for u, v in zip(editors, "14", strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "saved"]
    answer = Answer.objects.get()
    assert answer.revision == 1
    assert AnswerHistory.objects.count() == 1
