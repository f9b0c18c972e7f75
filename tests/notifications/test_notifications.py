"""The three notifications, each sent once however often its hook runs, and only to those who
want it."""

import pytest
from django.utils import timezone

from assessments import emails as assessment_emails
from assessments import services
from assessments.models import ThemeAssignment
from notifications import services as notification_services
from notifications.models import Event, SentEmail
from reports import emails as report_emails
from reports import services as report_services
from reports.models import Briefing
from tests.reports.factories import answered_assessment

pytestmark = pytest.mark.django_db


def deliver_all() -> None:
    for email in SentEmail.objects.filter(status=SentEmail.Status.QUEUED):
        notification_services.email_deliver(email_id=email.pk)


def test_a_theme_assigned_to_someone_emails_them_once(team, smtp_server):
    assignment = services.theme_assign(
        assessment=team["assessment"], theme=team["theme"], assignee=team["bo"], user=team["ada"]
    )
    # The same owner saved again, and the hook run a second time: still one email.
    services.theme_assign(
        assessment=team["assessment"], theme=team["theme"], assignee=team["bo"], user=team["ada"]
    )
    assignment.refresh_from_db()
    assessment_emails.theme_assigned(assignment=assignment, theme=team["theme"])
    deliver_all()

    [message] = smtp_server.wait_for(1)
    assert message["To"] == team["bo"].email
    assert message["Subject"] == (
        f'You own "{team["theme"].title}" in Greater Exampleshire\'s assessment'
    )
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Ada Lovelace made you the owner" in text
    assert (
        f"http://127.0.0.1:8000/regions/{team['region'].slug}/assessments/"
        f"{team['assessment'].pk}/themes/{team['theme'].slug}/" in text
    )
    assert "http://127.0.0.1:8000/account/notifications/" in text


def test_assigning_a_theme_to_oneself_or_to_nobody_sends_nothing(team):
    services.theme_assign(
        assessment=team["assessment"], theme=team["theme"], assignee=team["ada"], user=team["ada"]
    )
    services.theme_assign(
        assessment=team["assessment"], theme=team["theme"], assignee=None, user=team["ada"]
    )
    assert not SentEmail.objects.exists()


def test_a_new_owner_and_the_old_owner_again_are_each_told(team):
    args = {"assessment": team["assessment"], "theme": team["theme"], "user": team["ada"]}
    services.theme_assign(**args, assignee=team["bo"])
    services.theme_assign(**args, assignee=team["ada"])  # herself: no email
    services.theme_assign(**args, assignee=team["bo"])
    assert list(SentEmail.objects.values_list("to", flat=True)) == [team["bo"].email] * 2


def test_a_comment_on_a_theme_someone_owns_emails_the_owner_once(team, smtp_server):
    services.theme_assign(
        assessment=team["assessment"], theme=team["theme"], assignee=team["bo"], user=team["ada"]
    )
    SentEmail.objects.all().delete()
    comment = services.comment_add(
        assessment=team["assessment"],
        question=team["question"],
        user=team["ada"],
        text="Check with finance & legal",
    )
    assessment_emails.comment_added(comment=comment, question=team["question"])
    deliver_all()

    [message] = smtp_server.wait_for(1)
    assert message["To"] == team["bo"].email
    assert message["Subject"] == f'New comment on "{team["theme"].title}" from Ada Lovelace'
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert '"Check with finance & legal"' in text
    assert f"#comment-{comment.pk}" in text


def test_a_comment_by_the_owner_or_on_a_theme_nobody_owns_sends_nothing(team):
    args = {"assessment": team["assessment"], "question": team["question"]}
    services.comment_add(**args, user=team["bo"], text="Nobody owns this theme yet")
    services.theme_assign(
        assessment=team["assessment"], theme=team["theme"], assignee=team["bo"], user=team["bo"]
    )
    services.comment_add(**args, user=team["bo"], text="My own theme")
    assert not SentEmail.objects.exists()


def test_a_briefing_ready_emails_its_requester_once(smtp_server, team):
    assessment = answered_assessment()
    requested = report_services.briefing_request(assessment=assessment, requested_by=team["ada"])
    briefing = requested.briefing
    report_services.briefing_render(briefing_id=briefing.pk)
    report_services.briefing_render(briefing_id=briefing.pk)  # a redelivered job
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.READY
    report_emails.briefing_finished(briefing=briefing)
    deliver_all()

    [message] = smtp_server.wait_for(1)
    assert message["To"] == team["ada"].email
    assert message["Subject"] == f"Your briefing for {assessment.region.name} is ready"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert f"http://127.0.0.1:8000{briefing.get_absolute_url()}" in text


def test_a_failed_briefing_emails_once_and_a_failed_retry_emails_again(team):
    assessment = answered_assessment()
    briefing = Briefing.objects.create(
        assessment=assessment, content_hash="x" * 64, requested_by=team["ada"]
    )
    briefing.started_at = timezone.now()
    briefing.save()
    report_services.briefing_mark_failed(briefing_id=briefing.pk, reason="Broken")
    report_services.briefing_mark_failed(briefing_id=briefing.pk, reason="Broken again")
    assert SentEmail.objects.count() == 1
    assert "could not be produced" in SentEmail.objects.get().subject

    report_services.briefing_retry(briefing=briefing)
    report_services.briefing_claim(briefing_id=briefing.pk, redelivered=False)
    report_services.briefing_mark_failed(briefing_id=briefing.pk, reason="Still broken")
    assert SentEmail.objects.count() == 2


@pytest.mark.parametrize(
    ("event", "action"),
    [
        (Event.THEME_ASSIGNED, "assign"),
        (Event.COMMENT_ON_OWNED_THEME, "comment"),
    ],
)
def test_an_event_switched_off_sends_nothing(team, event, action):
    services.theme_assign(
        assessment=team["assessment"], theme=team["theme"], assignee=team["bo"], user=team["bo"]
    )
    notification_services.notification_settings_update(user=team["bo"], switches={event: False})
    if action == "assign":
        services.theme_assign(
            assessment=team["assessment"], theme=team["theme"], assignee=None, user=team["ada"]
        )
        ThemeAssignment.objects.all().delete()
        services.theme_assign(
            assessment=team["assessment"],
            theme=team["theme"],
            assignee=team["bo"],
            user=team["ada"],
        )
    else:
        services.comment_add(
            assessment=team["assessment"], question=team["question"], user=team["ada"], text="Hi"
        )
    assert not SentEmail.objects.exists()


def test_a_briefing_switched_off_sends_nothing(team):
    notification_services.notification_settings_update(
        user=team["ada"], switches={Event.BRIEFING_FINISHED: False}
    )
    assessment = answered_assessment()
    briefing = Briefing.objects.create(
        assessment=assessment, content_hash="x" * 64, requested_by=team["ada"]
    )
    report_services.briefing_mark_failed(briefing_id=briefing.pk, reason="Broken")
    assert not SentEmail.objects.exists()


def test_switching_one_event_off_keeps_the_others_on(team):
    notification_services.notification_settings_update(
        user=team["bo"], switches={Event.COMMENT_ON_OWNED_THEME: False}
    )
    services.theme_assign(
        assessment=team["assessment"], theme=team["theme"], assignee=team["bo"], user=team["ada"]
    )
    assert SentEmail.objects.count() == 1


def test_an_inactive_user_is_not_emailed(team):
    team["bo"].is_active = False
    team["bo"].save()
    sent = notification_services.notify(
        user=team["bo"],
        event=Event.THEME_ASSIGNED,
        key="x",
        template="theme_assigned",
        context={},
    )
    assert sent is None
