from django.urls import reverse

from assessments.models import Answer, AnswerComment, Assessment
from questionbank.models import Question
from tests.assessments.conftest import client_for


def _urls(assessment, theme_slug="theme-1"):
    kwargs = {"region_slug": assessment.region.slug, "pk": assessment.pk}
    return {
        "tasks": reverse("assessments:assessment-tasks", kwargs=kwargs),
        "theme": reverse("assessments:theme-detail", kwargs={**kwargs, "theme_slug": theme_slug}),
        "check": reverse("assessments:assessment-check", kwargs=kwargs),
        "submit": reverse("assessments:assessment-submit", kwargs=kwargs),
    }


def test_pages_render_for_an_editor(assessment, editor):
    client = client_for(editor)
    urls = _urls(assessment)
    for name in ("tasks", "theme", "check"):
        response = client.get(urls[name])
        assert response.status_code == 200, name
    response = client.get(assessment.region.get_absolute_url())
    assert "Baseline, day 1" in response.content.decode()


def test_saving_a_theme_keeps_the_answers(assessment, editor):
    client = client_for(editor)
    urls = _urls(assessment)
    questions = list(assessment.bank.themes.get(slug="theme-1").questions.all())
    data = {f"q{q.pk}": "2" for q in questions} | {f"q{questions[0].pk}-note": "A caveat"}
    response = client.post(urls["theme"], data | {"continue": ""})
    assert response.status_code == 302
    assert response["Location"].endswith("/themes/theme-2/")
    assert Answer.objects.filter(assessment=assessment).count() == 3
    page = client.get(urls["tasks"]).content.decode()
    assert "3 of 6 questions answered" in page


def _default_bank():
    from questionbank.models import QuestionBank
    from questionbank.services import DEFAULT_BANK_PATH, bank_import

    bank = QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED, version=1).first()
    if bank is None:  # a transactional test before this one flushed the migration's data
        QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED).update(
            status=QuestionBank.Status.RETIRED
        )
        bank = bank_import(path=DEFAULT_BANK_PATH, publish=True)
    return bank


def test_the_default_bank_can_be_answered_and_submitted(region, editor):
    from assessments import services
    from tests.assessments.html import form_data

    bank = _default_bank()
    assessment = services.assessment_start(region=region, user=editor, label="Baseline, day 1")
    assert assessment.bank == bank
    client = client_for(editor)
    for theme in bank.themes.order_by("order"):
        url = _urls(assessment, theme.slug)["theme"]
        data = form_data(client.get(url).content.decode())
        for question in Question.objects.filter(theme=theme).prefetch_related("levels"):
            levels = [level.value for level in question.levels.all()]
            if question.kind == Question.Kind.NUMBER:
                data[f"q{question.pk}"] = ["5"]
            elif question.kind == Question.Kind.TEXT:
                data[f"q{question.pk}"] = ["Some words"]
            elif question.condition_values:
                data[f"q{question.pk}"] = [levels[-1]]
            else:
                # Answer a gate so that its dependent questions are asked.
                wanted = [v for d in question.dependent_questions.all() for v in d.condition_values]
                data[f"q{question.pk}"] = [wanted[0] if wanted else levels[-1]]
        response = client.post(url, data | {"continue": [""]})
        assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(_urls(assessment)["submit"])
    assert response.status_code == 302, response.content.decode()[:3000]
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert "Assessment submitted" in client.get(_urls(assessment)["tasks"]).content.decode()


# --- region page and starting ------------------------------------------------------------------


def test_the_region_page_lists_assessments_and_offers_editors_a_start(region, editor, viewer, bank):
    url = region.get_absolute_url()
    page = client_for(editor).get(url).content.decode()
    assert "No assessments yet." in page
    assert "Start an assessment" in page
    assert "Start an assessment" not in client_for(viewer).get(url).content.decode()

    start = reverse("assessments:assessment-start", kwargs={"region_slug": region.slug})
    response = client_for(editor).post(start, {"label": ""})
    assert "Enter a label for the assessment" in response.content.decode()
    response = client_for(editor).post(start, {"label": "Day 50 check"})
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert response["Location"] == assessment.get_absolute_url()
    assert assessment.bank == bank

    page = client_for(viewer).get(url).content.decode()
    assert "Day 50 check" in page
    assert "In progress" in page
    response = client_for(editor).post(start, {"label": "Another"})
    assert "is already in progress" in response.content.decode()
    assert Assessment.objects.count() == 1


# --- saving ----------------------------------------------------------------------------------


def _theme_questions(assessment, slug="theme-1"):
    return list(assessment.bank.themes.get(slug=slug).questions.order_by("order"))


def test_save_and_come_back_later_returns_to_the_task_list(assessment, editor):
    client = client_for(editor)
    urls = _urls(assessment)
    q1 = _theme_questions(assessment)[0]
    response = client.post(urls["theme"], {f"q{q1.pk}": "1", "later": ""}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == urls["tasks"]
    assert "were saved. You can come back later" in page
    assert "1 of 6 questions answered" in page
    assert "In progress" in page


def test_save_and_continue_on_the_last_theme_goes_to_check_your_answers(assessment, editor):
    response = client_for(editor).post(_urls(assessment, "theme-2")["theme"], {"continue": ""})
    assert response["Location"] == _urls(assessment)["check"]


def test_a_revealed_question_keeps_the_editor_on_the_theme_without_javascript(
    make_assessment, editor
):
    from tests.assessments.test_selectors import add_conditional

    assessment = make_assessment(extra=add_conditional)
    gate = Question.objects.get(theme__bank=assessment.bank, code="GATE")
    follow = Question.objects.get(theme__bank=assessment.bank, code="FOLLOW")
    client = client_for(editor)
    url = _urls(assessment)["theme"]
    page = client.get(url).content.decode()
    assert f'id="question-{follow.pk}" data-condition-question="q{gate.pk}"' in page
    assert 'data-condition-values="[&quot;yes&quot;]" hidden' in page

    # An answer sent for the hidden question along with "no" is not saved.
    client.post(url, {f"q{gate.pk}": "no", f"q{follow.pk}": "3", "continue": ""})
    assert not Answer.objects.filter(question=follow).exists()

    response = client.post(url, {f"q{gate.pk}": "yes", f"q{gate.pk}-revision": "1", "continue": ""})
    assert response["Location"] == f"{url}#question-{follow.pk}"
    page = client.get(url).content.decode()
    assert "More questions now apply" in page
    assert 'data-condition-values="[&quot;yes&quot;]" hidden' not in page


# --- owners, comments -------------------------------------------------------------------------


def test_an_editor_assigns_a_theme_and_my_themes_filters(assessment, editor, colleague, viewer):
    url = reverse(
        "assessments:theme-assign",
        kwargs={
            "region_slug": assessment.region.slug,
            "pk": assessment.pk,
            "theme_slug": "theme-2",
        },
    )
    client = client_for(editor)
    page = client.get(url).content.decode()
    assert "Bo Colleague" in page
    assert viewer.username not in page  # only editors can own a theme
    response = client.post(url, {"assignee": str(viewer.pk)})
    assert "Choose an editor of this region" in response.content.decode()
    assert client.post(url, {"assignee": str(colleague.pk)}).status_code == 302

    tasks = _urls(assessment)["tasks"]
    page = client_for(colleague).get(tasks).content.decode()
    assert "Owner: Bo Colleague" in page
    mine = client_for(colleague).get(tasks + "?mine=1").content.decode()
    assert "Showing your themes (1)" in mine
    assert ">Theme 2</a>" in mine
    assert ">Theme 1</a>" not in mine
    assert "No themes are assigned to you." in client.get(tasks + "?mine=1").content.decode()


def test_comments_are_added_resolved_and_listed_on_check_your_answers(
    assessment, editor, colleague
):
    q1 = _theme_questions(assessment)[0]
    question_url = reverse(
        "assessments:question-detail",
        kwargs={"region_slug": assessment.region.slug, "pk": assessment.pk, "question_pk": q1.pk},
    )
    ada, bo = client_for(editor), client_for(colleague)
    assert "Enter a comment" in ada.post(question_url, {"text": " "}).content.decode()
    assert ada.post(question_url, {"text": "Is this the 2025 figure?"}).status_code == 302
    assert ada.post(question_url, {"text": "Finance to confirm"}).status_code == 302

    check = bo.get(_urls(assessment)["check"]).content.decode()
    assert "Is this the 2025 figure?" in check
    assert "Finance to confirm" in check
    theme_page = bo.get(_urls(assessment)["theme"]).content.decode()
    assert "Comments (2, 2 unresolved)" in theme_page

    first = AnswerComment.objects.order_by("pk").first()
    resolve = reverse(
        "assessments:comment-resolve",
        kwargs={"region_slug": assessment.region.slug, "pk": assessment.pk, "comment_pk": first.pk},
    )
    assert bo.post(resolve).status_code == 302
    first.refresh_from_db()
    assert first.resolved_by == colleague
    check = bo.get(_urls(assessment)["check"]).content.decode()
    assert "Is this the 2025 figure?" not in check
    assert "Finance to confirm" in check
    assert "Resolved by Bo Colleague" in bo.get(question_url).content.decode()


def test_a_comment_whose_author_was_removed_names_a_former_member(assessment, editor, colleague):
    q1 = _theme_questions(assessment)[0]
    question_url = reverse(
        "assessments:question-detail",
        kwargs={"region_slug": assessment.region.slug, "pk": assessment.pk, "question_pk": q1.pk},
    )
    client_for(colleague).post(question_url, {"text": "Who owns this figure?"})
    colleague.delete()  # the comment stays, its author becomes None
    ada = client_for(editor)
    check = ada.get(_urls(assessment)["check"])
    assert check.status_code == 200
    assert "“Who owns this figure?”, a former member" in check.content.decode()
    page = ada.get(question_url)
    assert page.status_code == 200
    assert "<strong>a former member</strong>" in page.content.decode()


# --- read-only, submit, reopen ----------------------------------------------------------------


def test_viewers_read_answers_without_forms(assessment, editor, viewer):
    q1 = _theme_questions(assessment)[0]
    client_for(editor).post(
        _urls(assessment)["theme"], {f"q{q1.pk}": "4", f"q{q1.pk}-note": "Board minute 12"}
    )
    page = client_for(viewer).get(_urls(assessment)["theme"]).content.decode()
    assert "You can read these answers but not change them." in page
    assert "Embedded" in page
    assert "Board minute 12" in page
    assert "Save and continue" not in page


def test_submit_then_reopen_with_a_reason(assessment, editor, viewer):
    client = client_for(editor)
    for slug in ("theme-1", "theme-2"):
        client.post(
            _urls(assessment, slug)["theme"],
            {f"q{q.pk}": "3" for q in _theme_questions(assessment, slug)},
        )
    response = client.post(_urls(assessment)["submit"], follow=True)
    page = response.content.decode()
    assert "Assessment submitted" in page
    assert "Ada Editor" in page
    assessment.refresh_from_db()
    assert assessment.is_submitted

    reopen = reverse(
        "assessments:assessment-reopen",
        kwargs={"region_slug": assessment.region.slug, "pk": assessment.pk},
    )
    assert "Reopen the assessment" in client.get(_urls(assessment)["tasks"]).content.decode()
    assert (
        "Reopen the assessment"
        not in client_for(viewer).get(_urls(assessment)["tasks"]).content.decode()
    )
    assert client_for(viewer).post(reopen, {"reason": "No"}).status_code == 403
    assert "Enter why you are reopening" in client.post(reopen, {"reason": ""}).content.decode()
    assert client.post(reopen, {"reason": "Budget figures changed"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_in_progress
    check = client.get(_urls(assessment)["check"]).content.decode()
    assert "Reopened by Ada Editor" in check
    assert "Budget figures changed" in check


def test_rubric_descriptions_guidance_and_milestones_are_shown(make_assessment, editor):
    def extra(bank):
        Question.objects.filter(theme__bank=bank, code="T1-01").update(
            milestone_day=30, guidance="Look for a published strategy."
        )
        Question.objects.filter(theme__bank=bank, code="T1-02").update(required=False)

    assessment = make_assessment(extra=extra)
    page = client_for(editor).get(_urls(assessment)["theme"]).content.decode()
    assert "A 100-day milestone: due by day 30." in page
    assert '<summary class="govuk-details__summary">' in page
    assert "Look for a published strategy." in page
    assert "What this level looks like." in page  # each rubric level's description as a hint
    assert "Question 1.2? (optional)" in page
