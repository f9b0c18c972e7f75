"""The question bank in the admin: who can reach it (acceptance 5), published versions are
read-only there (acceptance 2), the draft and publish actions, import, export, what changed
and the preview."""

import json

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from questionbank import bankfile, selectors, services
from questionbank.models import Question, QuestionBank
from tests.accounts.factories import verified_client
from tests.assessments.factories import CityRegionFactory, UserFactory, editor_of
from tests.questionbank.factories import bank_with_questions, question_bank_admin

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/questionbank/questionbank/"


def _question_url(question: Question) -> str:
    return reverse("admin:questionbank_question_change", args=[question.pk])


def _form_data(response) -> dict:
    """The POST data a browser would send back for an admin change page, unchanged."""

    def add_form(data, form):
        for name, bound in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(bound, forms.BooleanField):
                if value:
                    data[key] = "on"
            elif isinstance(bound, forms.JSONField):
                data[key] = value if isinstance(value, str) else json.dumps(value)
            elif value is not None:
                data[key] = value

    data: dict = {}
    add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add_form(data, formset.management_form)
        for form in formset.forms:
            add_form(data, form)
    return data


@pytest.fixture
def qb_admin(client):
    """A question-bank admin signed in, past the code step two-factor authentication requires
    of them (accounts)."""
    user = question_bank_admin()
    verified_client(user, client)
    return user


def test_mayoral_staff_cannot_reach_the_question_bank_admin(client):
    editor = editor_of(CityRegionFactory()).user
    client.force_login(editor)
    bank = selectors.bank_current() or bank_with_questions(themes=1, questions_per_theme=1)
    for url in (
        CHANGELIST,
        reverse("admin:questionbank_questionbank_change", args=[bank.pk]),
        reverse("admin:questionbank_question_changelist"),
        reverse("admin:questionbank_questionbank_import"),
        reverse("admin:questionbank_questionbank_export", args=[bank.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    preview = client.get(reverse("questionbank:preview", kwargs={"version": bank.version}))
    assert preview.status_code == 403


def test_staff_without_the_group_cannot_see_the_question_bank(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(CHANGELIST).status_code == 403
    bank = bank_with_questions(themes=1, questions_per_theme=1)
    preview = client.get(reverse("questionbank:preview", kwargs={"version": bank.version}))
    assert preview.status_code == 403


def test_anonymous_preview_goes_to_sign_in(client):
    bank = bank_with_questions(themes=1, questions_per_theme=1)
    response = client.get(reverse("questionbank:preview", kwargs={"version": bank.version}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("citydigital:sign-in"))


def test_question_bank_admins_reach_every_page(client, qb_admin):
    bank = bank_with_questions(themes=1, questions_per_theme=2)
    question = Question.objects.filter(theme__bank=bank).first()
    for url in (
        "/admin/",
        CHANGELIST,
        reverse("admin:questionbank_questionbank_change", args=[bank.pk]),
        reverse("admin:questionbank_theme_change", args=[question.theme_id]),
        _question_url(question),
        reverse("admin:questionbank_questionbank_import"),
        reverse("admin:questionbank_questionbank_compare"),
        reverse("questionbank:preview", kwargs={"version": bank.version}),
    ):
        assert client.get(url).status_code == 200, url
    assert "Question-bank admins" in qb_admin.groups.values_list("name", flat=True)


def test_a_published_question_is_read_only_in_the_admin(client, qb_admin):
    bank = bank_with_questions(themes=1, questions_per_theme=1, published=True)
    question = Question.objects.get(theme__bank=bank)
    page = client.get(_question_url(question))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert f"Version {bank.version} is published, so it is shown read-only" in page.text
    assert 'name="guidance"' not in page.text

    draft_bank = bank_with_questions(themes=1, questions_per_theme=1, published=False)
    data = _form_data(client.get(_question_url(Question.objects.get(theme__bank=draft_bank))))
    data["guidance"] = "Changed through the admin"
    response = client.post(_question_url(question), data)
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.guidance == "What good looks like."
    assert (
        client.post(
            reverse("admin:questionbank_question_delete", args=[question.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Question.objects.filter(pk=question.pk).exists()


def test_editing_a_draft_question_with_its_inlines_in_the_admin(client, qb_admin):
    bank = bank_with_questions(themes=1, questions_per_theme=2, published=False)
    question = Question.objects.get(theme__bank=bank, code="T1-02")
    data = _form_data(client.get(_question_url(question)))
    data["guidance"] = "Evidence: the signed terms of reference."
    data["levels-0-label"] = "Nothing at all"
    response = client.post(_question_url(question), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    question.refresh_from_db()
    assert question.guidance == "Evidence: the signed terms of reference."
    assert question.levels.get(value="0").label == "Nothing at all"


def test_the_admin_refuses_a_condition_on_a_later_question(client, qb_admin):
    bank = bank_with_questions(themes=1, questions_per_theme=2, published=False)
    first = Question.objects.get(theme__bank=bank, code="T1-01")
    later = Question.objects.get(theme__bank=bank, code="T1-02")
    data = _form_data(client.get(_question_url(first)))
    data["condition_question"] = later.pk
    data["condition_values"] = '["1"]'
    response = client.post(_question_url(first), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text  # later questions are not offered
    first.refresh_from_db()
    assert first.condition_question is None


def test_create_draft_and_publish_actions(client, qb_admin):
    old = bank_with_questions(themes=1, questions_per_theme=2, published=True)
    response = client.post(
        CHANGELIST, {"action": "create_draft", "_selected_action": [old.pk]}, follow=True
    )
    draft = QuestionBank.objects.get(based_on=old)
    assert f"Version {draft.version} is a new draft copied from version {old.version}" in (
        response.text
    )
    response = client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert f"Version {draft.version} is published" in response.text
    old.refresh_from_db()
    assert old.status == QuestionBank.Status.RETIRED
    assert selectors.bank_current() == draft


def test_publish_action_lists_the_problems_of_an_unsound_draft(client, qb_admin):
    draft = bank_with_questions(themes=1, questions_per_theme=1, published=False)
    Question.objects.get(theme__bank=draft).levels.all().delete()
    response = client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert f"Version {draft.version} was not published: 1 problems." in response.text
    assert "Problem: themes[0].questions[0].levels: a scored question needs at least 2 levels" in (
        response.text
    )
    draft.refresh_from_db()
    assert draft.status == QuestionBank.Status.DRAFT


def test_import_upload_lists_located_problems_and_writes_nothing(client, qb_admin):
    data = bankfile.bank_data_parse(services.DEFAULT_BANK_PATH.read_text())
    data["themes"][2]["questions"][0]["levels"][4]["score"] = 120
    data["themes"][0]["questions"][0]["condition"] = {"question": "CDIC-02", "values": ["yes"]}
    upload = SimpleUploadedFile("bank.yaml", bankfile.bank_data_dump(data).encode())
    count = QuestionBank.objects.count()
    response = client.post(reverse("admin:questionbank_questionbank_import"), {"file": upload})
    assert response.status_code == 200
    assert "themes[2].questions[0].levels[4].score: 120 is above 100" in response.text
    assert "themes[0].questions[0].condition.question: CDIC-02 comes after this question" in (
        response.text
    )
    assert "nothing was written" in response.text
    assert QuestionBank.objects.count() == count


def test_import_upload_then_export_download_round_trip(client, qb_admin):
    text = services.DEFAULT_BANK_PATH.read_bytes()
    response = client.post(
        reverse("admin:questionbank_questionbank_import"),
        {"file": SimpleUploadedFile("bank.yaml", text), "publish": "on"},
    )
    assert response.status_code == 302
    bank = selectors.bank_current()
    assert bank.created_by == qb_admin
    download = client.get(reverse("admin:questionbank_questionbank_export", args=[bank.pk]))
    assert download["Content-Disposition"] == (
        f'attachment; filename="question-bank-v{bank.version}.yaml"'
    )
    assert download.content == text


def test_what_changed_view_lists_added_removed_and_edited_codes(client, qb_admin):
    old = bank_with_questions(themes=1, questions_per_theme=3, published=True)
    new = services.bank_create_draft(source=old)
    Question.objects.get(theme__bank=new, code="T1-03").delete()
    edited = Question.objects.get(theme__bank=new, code="T1-02")
    edited.guidance = "Sharper guidance"
    edited.save()
    response = client.get(
        reverse("admin:questionbank_questionbank_compare"),
        {"old": old.version, "new": new.version},
    )
    diff = response.context["diff"]
    assert [q.code for q in diff.removed] == ["T1-03"]
    assert [q.code for q in diff.edited] == ["T1-02"]
    assert "Sharper guidance" in response.text


def test_preview_shows_questions_as_respondents_see_them(client, qb_admin):
    bank = selectors.bank_current()
    response = client.get(reverse("questionbank:preview", kwargs={"version": bank.version}))
    assert response.status_code == 200
    assert "Has a Chief Digital and Innovation Champion (CDIC) been appointed?" in response.text
    assert "Asked only when the answer to CDIC-02 is “Yes”." in response.text
    assert "100-day milestone: by day 100" in response.text
    assert client.get("/question-bank/versions/999/preview/").status_code == 404


def test_adding_a_version_and_a_theme_in_the_admin(client, qb_admin):
    response = client.post(
        reverse("admin:questionbank_questionbank_add"),
        {
            "title": "Hand-made bank",
            "change_notes": "",
            "themes-TOTAL_FORMS": "1",
            "themes-INITIAL_FORMS": "0",
            "themes-MIN_NUM_FORMS": "0",
            "themes-MAX_NUM_FORMS": "1000",
            "themes-0-order": "0",
            "themes-0-slug": "data",
            "themes-0-title": "Data",
            "themes-0-weight": "10",
        },
    )
    assert response.status_code == 302
    bank = QuestionBank.objects.get(title="Hand-made bank")
    assert bank.status == QuestionBank.Status.DRAFT
    assert bank.version == QuestionBank.objects.order_by("-version")[1].version + 1
    assert bank.created_by == qb_admin
    assert list(bank.themes.values_list("slug", flat=True)) == ["data"]


def test_bulk_delete_of_a_published_version_is_refused(client, qb_admin):
    published = bank_with_questions(themes=1, questions_per_theme=1, published=True)
    draft = bank_with_questions(themes=1, questions_per_theme=1, published=False)
    response = client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [published.pk, draft.pk], "post": "yes"},
    )
    assert response.status_code == 403  # the admin refuses: no permission to delete it
    assert QuestionBank.objects.filter(pk__in=[published.pk, draft.pk]).count() == 2
    response = client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"},
        follow=True,
    )
    assert not QuestionBank.objects.filter(pk=draft.pk).exists()
    assert QuestionBank.objects.filter(pk=published.pk).exists()
