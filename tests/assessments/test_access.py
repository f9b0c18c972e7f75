"""assessments.access: what the decorators add beyond the URL-by-role walk
(tests/test_url_roles.py): the refusal messages, the Allow header, and a service's refusal."""

from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments import selectors
from assessments.access import READ_ONLY_MESSAGE, SUBMITTED_MESSAGE
from assessments.results.views import READ_ONLY_MESSAGE as RESULTS_READ_ONLY
from tests.assessments.conftest import client_for


def _url(name, assessment, **kwargs):
    return reverse(
        f"assessments:{name}",
        kwargs={"region_slug": assessment.region.slug, "pk": assessment.pk, **kwargs},
    )


def _page(response) -> str:
    return unescape(response.content.decode())


def test_a_viewer_is_refused_with_the_pages_own_message(assessment, viewer):
    client = client_for(viewer)
    response = client.post(_url("theme-detail", assessment, theme_slug="theme-1"))
    assert response.status_code == 403
    assert READ_ONLY_MESSAGE in _page(response)
    response = client.post(_url("results-calculate", assessment))
    assert response.status_code == 403
    assert RESULTS_READ_ONLY in _page(response)


def test_a_submitted_assessment_is_refused_as_submitted(assessment, editor):
    assessment.status = assessment.Status.SUBMITTED
    assessment.save(update_fields=["status"])
    response = client_for(editor).get(_url("theme-assign", assessment, theme_slug="theme-1"))
    assert response.status_code == 403
    assert SUBMITTED_MESSAGE in _page(response)


def test_a_wrong_method_gets_405_with_the_allowed_ones(assessment, viewer):
    client = client_for(viewer)
    assert client.post(_url("assessment-check", assessment))["Allow"] == "GET, HEAD"
    assert client.get(_url("results-calculate", assessment))["Allow"] == "POST"
    assert client.put(_url("theme-detail", assessment, theme_slug="theme-1")).status_code == 405


def test_a_services_refusal_gets_the_refusal_page(assessment, editor, monkeypatch):
    """The role changed between the page's check and the service's (one check, one message)."""

    def refuse(**kwargs):
        raise PermissionDenied("Only editors of this region can make changes.")

    monkeypatch.setattr("assessments.results.services.membership_require_editor", refuse)
    response = client_for(editor).post(_url("results-calculate", assessment))
    assert response.status_code == 403
    assert RESULTS_READ_ONLY in _page(response)


def test_the_services_role_check_refuses_viewers(assessment, viewer, editor):
    with pytest.raises(PermissionDenied, match="Only editors of this region can make changes"):
        selectors.membership_require_editor(user=viewer, region=assessment.region)
    selectors.membership_require_editor(user=editor, region=assessment.region)
