"""Redis is stopped while a briefing is requested: the request is kept, and the briefing is
produced once Redis and a worker are back. Uses a throwaway Redis, never the shared one."""

import json
import time

import pytest

from reports.models import Briefing
from tests.assessments.factories import UserFactory
from tests.fixtures.workers import celery_worker, run_in_web_process
from tests.reports.factories import answered_assessment

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REQUEST_BRIEFING = """
import json, time
from django.contrib.auth import get_user_model
from assessments.models import Assessment
from reports import services
started = time.monotonic()
result = services.briefing_request(
    assessment=Assessment.objects.get(pk={assessment_id}),
    requested_by=get_user_model().objects.get(pk={user_id}),
)
print(json.dumps({{
    "briefing_id": result.briefing.pk,
    "status": result.briefing.status,
    "enqueued": result.enqueued,
    "seconds": time.monotonic() - started,
}}))
"""


def test_a_briefing_requested_while_redis_is_down_is_produced_after_it_returns(
    throwaway_redis, tmp_path
):
    assessment = answered_assessment()
    user = UserFactory()
    throwaway_redis.start()
    throwaway_redis.stop()  # Redis was there, and now it is down

    output = run_in_web_process(
        REQUEST_BRIEFING.format(assessment_id=assessment.pk, user_id=user.pk),
        env={"REDIS_URL": throwaway_redis.url, "CELERY_QUEUE": "broker-down-test"},
    )
    answer = json.loads(output.strip().splitlines()[-1])
    assert answer["status"] == Briefing.Status.QUEUED
    assert answer["enqueued"] is False
    assert answer["seconds"] < 15, "a dead broker must not hang the web request"
    briefing = Briefing.objects.get(pk=answer["briefing_id"])
    assert briefing.enqueued_at is None

    throwaway_redis.start()
    with celery_worker(
        broker="redis",
        tmp_path=tmp_path,
        queue="broker-down-test",
        extra_env={"REDIS_URL": throwaway_redis.url, "BRIEFING_SWEEP_AFTER_SECONDS": "0"},
    ) as worker:
        deadline = time.monotonic() + 60
        while briefing.status != Briefing.Status.READY and time.monotonic() < deadline:
            time.sleep(0.1)
            briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.READY, worker.log()
    assert briefing.attempts == 1
    assert "Briefing sweep re-sent" in worker.log()
