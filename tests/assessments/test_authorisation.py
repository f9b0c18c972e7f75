"""Every URL pattern of the assessments app, for every kind of visitor, by GET and by POST.

The patterns come from the URL conf, so a new page is walked as soon as it exists; give its
URL arguments a value in `url_kwargs` below."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from assessments import services
from assessments.models import (
    Answer,
    AnswerComment,
    AnswerHistory,
    Assessment,
    AssessmentEvent,
    CityRegion,
    Membership,
    ThemeAssignment,
)
from assessments.urls import urlpatterns
from questionbank.models import Question
from tests.assessments.conftest import client_for
from tests.assessments.factories import UserFactory
from tests.assessments.html import changing_forms

MODELS = [
    Assessment,
    Answer,
    AnswerHistory,
    AnswerComment,
    ThemeAssignment,
    AssessmentEvent,
    CityRegion,
    Membership,
]
# The team's pages (assessments.team) are walked by tests/test_url_roles.py and
# tests/assessments/test_team_views.py: leaving the team would end this walk's membership.
PATTERNS: list[URLPattern] = [
    p
    for p in urlpatterns
    if isinstance(p, URLPattern) and not p.callback.__module__.startswith("assessments.team")
]


def _is_ours(name: str) -> bool:
    """Pages of taking the assessment (assessments.views), not results or the action plan."""
    module = next(p for p in PATTERNS if p.name == name).callback.__module__
    return module.startswith("assessments.views")


def _state() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


@pytest.fixture
def url_kwargs(assessment, editor):
    question = assessment.bank.themes.get(slug="theme-1").questions.first()
    services.answer_save(
        assessment=assessment,
        question=question,
        user=editor,
        data={"selected_values": ["2"]},
        expected_revision=0,
    )
    comment = services.comment_add(
        assessment=assessment, question=question, user=editor, text="Check with finance"
    )
    kwargs = {
        "region_slug": assessment.region.slug,
        "pk": assessment.pk,
        "theme_slug": "theme-1",
        "question_pk": question.pk,
        "comment_pk": comment.pk,
    }
    needed = {name for p in PATTERNS for name in p.pattern.converters}
    if "item_pk" in needed:  # the action plan's items (assessments.results)
        kwargs["item_pk"] = _action_plan_item_pk(assessment, editor)
    return kwargs


def _action_plan_item_pk(assessment, editor) -> int:
    from assessments.models import ActionPlanItem
    from assessments.results import services as results_services

    results_services.assessment_score(assessment=assessment, today=date(2026, 6, 1), user=editor)
    return ActionPlanItem.objects.filter(assessment=assessment).order_by("pk").first().pk


def _urls(url_kwargs) -> list[tuple[str, str]]:
    urls = []
    for pattern in PATTERNS:
        names = list(pattern.pattern.converters)
        missing = [name for name in names if name not in url_kwargs]
        assert not missing, f"give {missing} a value in url_kwargs to walk {pattern.name}"
        url = reverse(f"assessments:{pattern.name}", kwargs={n: url_kwargs[n] for n in names})
        urls.append((pattern.name, url))
    return urls


def test_the_walk_covers_every_page():
    names = {p.name for p in PATTERNS}
    assert {"assessment-tasks", "theme-detail", "assessment-check", "assessment-submit"} <= names
    assert len(names) == len(PATTERNS)


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(url_kwargs, method):
    client = Client()
    for name, url in _urls(url_kwargs):
        before = _state()
        response = getattr(client, method)(url)
        assert response.status_code == 302, (name, method)
        location = urlsplit(response["Location"])
        assert location.path == reverse("citydigital:sign-in"), name
        assert _state() == before, name


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["editor of another region", "user of no region"])
def test_users_of_another_region_get_404_everywhere(url_kwargs, outsider, method, who):
    client = client_for(outsider if who == "editor of another region" else UserFactory())
    for name, url in _urls(url_kwargs):
        before = _state()
        response = getattr(client, method)(url)
        if name == "region-list":  # their own list of regions
            assert response.status_code == (200 if method == "get" else 405)
            assert url_kwargs["region_slug"] not in response.content.decode()
        else:
            assert response.status_code == 404, (name, method)
        assert _state() == before, name


def test_viewers_read_everything_and_see_no_forms(url_kwargs, viewer):
    client = client_for(viewer)
    for name, url in _urls(url_kwargs):
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 405), name  # 405: an action, no page
        if response.status_code == 302:  # an action's GET goes to the page it belongs to
            assert client.get(response["Location"]).status_code == 200, name
        if response.status_code == 200:
            assert changing_forms(response.content.decode()) == 0, name
        if response.status_code == 403 and _is_ours(name):  # a page that is only a form
            assert "You cannot change this" in response.content.decode(), name


def test_viewers_change_nothing(url_kwargs, viewer, assessment):
    client = client_for(viewer)
    question_pk = url_kwargs["question_pk"]
    # Everything an editor might send, to every page.
    data = {
        "label": "Viewer's assessment",
        f"q{question_pk}": "4",
        f"q{question_pk}-revision": "1",
        "text": "A viewer's comment",
        "reason": "A viewer's reason",
        "assignee": str(viewer.pk),
    }
    for name, url in _urls(url_kwargs):
        before = _state()
        response = client.post(url, data)
        assert response.status_code in (403, 405), name
        assert _state() == before, name


# What only a region admin may do (by POST, or by any method for a page that is only a form).
ADMIN_ONLY = {"region-open-data"}


def test_editors_may_do_everything_but_what_is_for_region_admins(url_kwargs, editor):
    client = client_for(editor)
    for name, url in _urls(url_kwargs):
        response = client.get(url)
        if name in ADMIN_ONLY and response.status_code == 403:
            continue
        assert response.status_code in (200, 302, 405), name  # 405: an action, no page
        if name in ("theme-detail", "theme-assign", "question-detail", "assessment-check"):
            assert changing_forms(response.content.decode()) >= 1, f"{name} offers no form"
    for name, url in _urls(url_kwargs):
        response = client.post(url, {})
        expected = (403,) if name in ADMIN_ONLY else (200, 302, 405)  # 405: pages that only show
        assert response.status_code in expected, name


def test_region_admins_may_do_everything(url_kwargs, region_admin):
    client = client_for(region_admin)
    for name, url in _urls(url_kwargs):
        assert client.get(url).status_code in (200, 302, 405), name
    for name, url in _urls(url_kwargs):
        assert client.post(url, {}).status_code in (200, 302, 405), name


def test_a_submitted_assessment_is_read_only_even_for_editors(url_kwargs, editor, assessment):
    for question in Question.objects.filter(theme__bank=assessment.bank):
        answer = Answer.objects.filter(assessment=assessment, question=question).first()
        services.answer_save(
            assessment=assessment,
            question=question,
            user=editor,
            data={"selected_values": ["3"]},
            expected_revision=answer.revision if answer else 0,
        )
    services.assessment_submit(assessment=assessment, user=editor)
    client = client_for(editor)
    question_pk = url_kwargs["question_pk"]
    data = {f"q{question_pk}": "4", f"q{question_pk}-revision": "2", "text": "Late comment"}
    for name, url in _urls(url_kwargs):
        if name in ("assessment-reopen", "assessment-start") or not _is_ours(name):
            continue  # reopening is the one change a submitted assessment allows; the action
            # plan (assessments.results) stays editable after submission
        before = _state()
        response = client.post(url, data)
        assert response.status_code in (403, 405), name
        assert _state() == before, name
    theme_page = client.get(
        reverse(
            "assessments:theme-detail",
            kwargs={k: url_kwargs[k] for k in ("region_slug", "pk", "theme_slug")},
        )
    ).content.decode()
    assert changing_forms(theme_page) == 0
