import pytest
from django.db import transaction

from notifications import services
from notifications.models import SentEmail
from tests.assessments.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTEXT = {
    "region_name": "Greater Exampleshire",
    "assessment_label": "Baseline, day 1",
    "ready": True,
    "url": "http://127.0.0.1:8000/regions/x/briefings/1/",
}


def test_email_send_renders_the_three_templates_and_stores_them(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        email = services.email_send(
            to="ada@example.org", template="briefing_finished", context=CONTEXT, key="k:1"
        )
    assert len(callbacks) == 1
    assert email.subject == "Your briefing for Greater Exampleshire is ready"
    assert "Baseline, day 1" in email.body_text
    assert CONTEXT["url"] in email.body_text
    assert "<html" in email.body_html
    assert CONTEXT["url"] in email.body_html
    assert email.status == SentEmail.Status.QUEUED


def test_email_send_twice_with_the_same_key_stores_one_and_enqueues_once(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        first = services.email_send(
            to="ada@example.org", template="briefing_finished", context=CONTEXT, key="k:2"
        )
        second = services.email_send(
            to="ada@example.org", template="briefing_finished", context=CONTEXT, key="k:2"
        )
    assert first.pk == second.pk
    assert SentEmail.objects.filter(key="k:2").count() == 1
    assert len(callbacks) == 1


def test_plain_text_is_not_html_escaped():
    email = services.email_send(
        to="ada@example.org",
        template="briefing_finished",
        context={**CONTEXT, "region_name": "Tyne & Wear's"},
        key="k:3",
    )
    assert "Tyne & Wear's" in email.subject
    assert "Tyne & Wear's" in email.body_text
    assert "Tyne &amp; Wear&#x27;s" in email.body_html


def test_notify_skips_a_user_without_an_email_address():
    user = UserFactory(email="")
    assert (
        services.notify(
            user=user,
            event="briefing_finished",
            key="k:4",
            template="briefing_finished",
            context=CONTEXT,
        )
        is None
    )
    assert not SentEmail.objects.exists()
