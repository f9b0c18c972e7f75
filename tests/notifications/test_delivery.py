"""Delivery through a real SMTP server in the test process (tests.fixtures.smtp)."""

import pytest

from notifications import services
from notifications.models import SentEmail
from notifications.tasks import email_deliver_task

pytestmark = pytest.mark.django_db

CONTEXT = {
    "region_name": "Greater Exampleshire",
    "assessment_label": "Baseline, day 1",
    "ready": True,
    "url": "http://127.0.0.1:8000/regions/greater-exampleshire/briefings/1/",
}


def queued_email(key: str = "briefing:1:ready:0") -> SentEmail:
    return services.email_send(
        to="ada@example.org", template="briefing_finished", context=CONTEXT, key=key
    )


def test_an_email_arrives_with_a_plain_text_and_an_html_body(smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "City Digital Readiness <no-reply@readiness.example.org>"
    email = queued_email()

    services.email_deliver(email_id=email.pk)

    [message] = smtp_server.wait_for(1)
    assert message["To"] == "ada@example.org"
    assert message["From"] == "City Digital Readiness <no-reply@readiness.example.org>"
    assert message["Subject"] == "Your briefing for Greater Exampleshire is ready"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert CONTEXT["url"] in text
    assert "<html" not in text
    assert f'href="{CONTEXT["url"]}"' in html
    email.refresh_from_db()
    assert email.status == SentEmail.Status.SENT
    assert email.sent_at is not None
    assert email.attempts == 1
    assert email.last_error == ""


def test_delivering_again_sends_nothing(smtp_server):
    email = queued_email()
    services.email_deliver(email_id=email.pk)
    services.email_deliver(email_id=email.pk)
    email_deliver_task.apply(args=(email.pk,))
    smtp_server.wait_for(1)
    assert len(smtp_server.messages) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_with_the_server_down_the_attempt_is_recorded_and_raised_then_sent_once_it_is_back(
    smtp_server,
):
    email = queued_email()
    smtp_server.stop()

    with pytest.raises(services.DELIVERY_ERRORS):
        services.email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == SentEmail.Status.QUEUED
    assert email.attempts == 1
    assert email.last_error.startswith("ConnectionRefusedError")
    assert email.last_attempt_at is not None

    smtp_server.start()  # the same port
    services.email_deliver(email_id=email.pk)
    services.email_deliver(email_id=email.pk)
    assert len(smtp_server.wait_for(1)) == 1
    email.refresh_from_db()
    assert email.status == SentEmail.Status.SENT
    assert email.attempts == 2
    assert email.last_error == ""


def test_an_address_the_server_refuses_for_good_is_not_retried(smtp_server):
    email = services.email_send(
        to="nobody@example.org", template="briefing_finished", context=CONTEXT, key="k"
    )

    class RefuseRecipients:
        async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
            return "550 No such user here"

    smtp_server.stop()
    from aiosmtpd.controller import Controller

    refusing = Controller(RefuseRecipients(), hostname=smtp_server.host, port=smtp_server.port)
    refusing.start()
    try:
        services.email_deliver(email_id=email.pk)  # no error: nothing to retry
    finally:
        refusing.stop()
    email.refresh_from_db()
    assert email.status == SentEmail.Status.FAILED
    assert email.last_error.startswith("SMTPRecipientsRefused")


def test_the_task_retries_with_exponential_back_off_for_over_an_hour():
    task = email_deliver_task
    assert task.acks_late is True
    assert task.autoretry_for == services.DELIVERY_ERRORS
    assert task.retry_jitter is False
    waits = [min(task.retry_backoff_max, 2**n) for n in range(task.max_retries)]
    assert sum(waits) > 3600
    assert max(waits) == task.retry_backoff_max


def test_a_job_for_a_deleted_email_does_nothing():
    assert services.email_deliver(email_id=987654) is None
