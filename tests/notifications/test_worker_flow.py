"""The email path with real worker processes and a real SMTP server: the mail server down, and
the broker down. Nothing the user did fails or waits; every email arrives once, exactly once."""

import json
import time

import pytest

from assessments import services
from assessments.models import Membership
from assessments.team import services as team_services
from notifications.models import SentEmail
from reports import services as report_services
from reports.models import Briefing
from tests.fixtures.workers import celery_worker, run_in_web_process
from tests.reports.factories import answered_assessment

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until(check, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {what}")
        time.sleep(0.05)


def test_with_the_mail_server_down_inviting_assigning_and_a_briefing_succeed_and_arrive_once(
    default_broker, use_queue, tmp_path, smtp_server, team
):
    # Ada leads the team, so she may invite.
    Membership.objects.filter(user=team["ada"], region=team["region"]).update(
        role=Membership.Role.ADMIN
    )
    smtp_server.stop()
    mail = {"EMAIL_URL": smtp_server.email_url}
    with celery_worker(broker=default_broker, tmp_path=tmp_path, extra_env=mail) as worker:
        use_queue(worker.queue)
        started = time.monotonic()
        invited = team_services.invitation_create(
            region=team["region"],
            name="Nia Newcomer",
            email="nia@example.org",
            role=Membership.Role.EDITOR,
            by=team["ada"],
        )
        assignment = services.theme_assign(
            assessment=team["assessment"],
            theme=team["theme"],
            assignee=team["bo"],
            user=team["ada"],
        )
        requested = report_services.briefing_request(
            assessment=answered_assessment(), requested_by=team["ada"]
        )
        assert time.monotonic() - started < 10, "a dead mail server must not slow the user"
        assert assignment.assignee == team["bo"]
        assert requested.enqueued
        assert invited.token

        briefing = requested.briefing
        wait_until(
            lambda: Briefing.objects.get(pk=briefing.pk).status == Briefing.Status.READY,
            what="the briefing is ready",
        )
        # Both emails were tried, and are waiting to be tried again.
        wait_until(
            lambda: SentEmail.objects.filter(attempts__gte=1).count() == 3,
            what="the three emails tried while the mail server is down",
        )
        assert not SentEmail.objects.filter(status=SentEmail.Status.SENT).exists()
        assert smtp_server.messages == []

        smtp_server.start()
        messages = smtp_server.wait_for(3, timeout=90)
        time.sleep(3)  # a duplicate would arrive now
    assert len(smtp_server.messages) == 3
    assert sorted(m["To"] for m in messages) == sorted(
        [team["ada"].email, team["bo"].email, "nia@example.org"]
    )
    subjects = {m["To"]: m["Subject"] for m in messages}
    assert subjects[team["ada"].email].startswith("Your briefing for")
    assert subjects[team["bo"].email].startswith("You own")
    assert "invited you to join" in subjects["nia@example.org"]
    for email in SentEmail.objects.all():
        assert email.status == SentEmail.Status.SENT
        assert email.attempts >= 2
    assert "notifications.email_deliver" in worker.log()


ASSIGN_A_THEME = """
import json, time
from django.contrib.auth import get_user_model
from assessments import selectors, services
from assessments.models import Assessment
from notifications.models import SentEmail
assessment = Assessment.objects.get(pk={assessment_id})
users = get_user_model().objects
started = time.monotonic()
services.theme_assign(
    assessment=assessment,
    theme=selectors.assessment_bank(assessment=assessment).themes[0],
    assignee=users.get(pk={assignee_id}),
    user=users.get(pk={user_id}),
)
email = SentEmail.objects.get()
print(json.dumps({{
    "seconds": time.monotonic() - started,
    "enqueued": email.enqueued_at is not None,
}}))
"""


def test_an_email_asked_for_while_the_broker_is_down_is_sent_by_the_sweep(
    throwaway_redis, tmp_path, smtp_server, team
):
    throwaway_redis.start()
    throwaway_redis.stop()  # Redis was there, and now it is down
    output = run_in_web_process(
        ASSIGN_A_THEME.format(
            assessment_id=team["assessment"].pk,
            assignee_id=team["bo"].pk,
            user_id=team["ada"].pk,
        ),
        env={"REDIS_URL": throwaway_redis.url, "CELERY_QUEUE": "email-broker-down-test"},
    )
    answer = json.loads(output.strip().splitlines()[-1])
    assert answer["enqueued"] is False
    assert answer["seconds"] < 15, "a dead broker must not hang the web request"

    throwaway_redis.start()
    with celery_worker(
        broker="redis",
        tmp_path=tmp_path,
        queue="email-broker-down-test",
        extra_env={
            "REDIS_URL": throwaway_redis.url,
            "EMAIL_URL": smtp_server.email_url,
            "EMAIL_SWEEP_AFTER_SECONDS": "0",
        },
    ):
        [message] = smtp_server.wait_for(1, timeout=60)
        time.sleep(2)  # a duplicate would arrive now
    assert len(smtp_server.messages) == 1
    assert message["To"] == team["bo"].email
    email = SentEmail.objects.get()
    assert email.status == SentEmail.Status.SENT
    assert email.attempts == 1
