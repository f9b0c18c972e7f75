import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import services
from notifications.models import SentEmail

pytestmark = pytest.mark.django_db


def email(key: str, **fields) -> SentEmail:
    row = SentEmail.objects.create(
        key=key, to="ada@example.org", template="t", subject="s", body_text="t", body_html="h"
    )
    SentEmail.objects.filter(pk=row.pk).update(**fields)
    return row


def test_sweep_resends_emails_no_job_may_be_carrying_and_only_those(use_queue, settings):
    use_queue(f"test-{uuid.uuid4().hex[:12]}")
    settings.EMAIL_SWEEP_AFTER_SECONDS = 60
    now = timezone.now()
    quiet = timedelta(seconds=services.RETRY_BACKOFF_MAX + settings.CELERY_TASK_TIME_LIMIT + 61)
    never_sent_to_the_broker = email("a", created_at=now - timedelta(minutes=2))
    just_asked_for = email("b", created_at=now - timedelta(seconds=5))
    retrying = email(
        "c",
        created_at=now - timedelta(minutes=30),
        enqueued_at=now - timedelta(minutes=30),
        last_attempt_at=now - timedelta(minutes=2),
    )
    retries_ran_out = email(
        "d",
        created_at=now - timedelta(hours=2),
        enqueued_at=now - timedelta(hours=2),
        last_attempt_at=now - quiet,
    )
    lost_by_the_broker = email(
        "e", created_at=now - quiet, enqueued_at=now - quiet, last_attempt_at=None
    )
    sent = email(
        "f", created_at=now - timedelta(hours=1), status=SentEmail.Status.SENT, sent_at=now
    )
    too_old = email("g", created_at=now - services.GIVE_UP_AFTER - timedelta(minutes=1))
    refused = email("h", created_at=now - timedelta(hours=1), status=SentEmail.Status.FAILED)

    resent = services.email_sweep()

    assert resent == [never_sent_to_the_broker.pk, retries_ran_out.pk, lost_by_the_broker.pk]
    for left_alone in (just_asked_for, retrying, sent, too_old, refused):
        assert left_alone.pk not in resent
    never_sent_to_the_broker.refresh_from_db()
    assert never_sent_to_the_broker.enqueued_at is not None


def test_the_sweep_runs_every_minute_in_beat(settings):
    assert settings.CELERY_BEAT_SCHEDULE["email-sweep"] == {
        "task": "notifications.email_sweep",
        "schedule": 60.0,
    }
