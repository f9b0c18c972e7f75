"""A task sent from this (web) process is run by a separate worker process, over each broker."""

import os

import pytest
from celery import Celery
from django.conf import settings

from tests.fixtures.workers import celery_worker, redis_is_reachable, redis_url

pytestmark = pytest.mark.worker


def client_app(broker: str) -> Celery:
    """A sender configured as the web process would be for that broker."""
    if broker == "redis":
        return Celery("sender", broker=redis_url(), backend=redis_url(), set_as_current=False)
    app = Celery("sender", broker="filesystem://", set_as_current=False)
    app.conf.broker_transport_options = settings.FILESYSTEM_TRANSPORT_OPTIONS
    app.conf.result_backend = f"file://{settings.CELERY_DATA_DIR / 'results'}"
    return app


@pytest.mark.parametrize("broker", ["redis", "filesystem"])
def test_health_ping_runs_in_a_separate_worker_process(broker, tmp_path):
    if broker == "redis" and not redis_is_reachable(redis_url()):
        if os.environ.get("REDIS_URL"):
            pytest.fail(f"REDIS_URL is set but Redis does not answer at {redis_url()}")
        pytest.skip("no Redis here; CI sets REDIS_URL and runs this")
    sender = client_app(broker)
    with celery_worker(broker=broker, tmp_path=tmp_path) as worker:
        result = sender.send_task("citydigital.health_ping", queue=worker.queue)
        answer = result.get(timeout=30)
    assert answer["pong"] == "ok"
    assert answer["worker_pid"] != os.getpid()
    assert "citydigital.health_ping" in worker.log()


def test_health_ping_through_the_configured_app(default_broker, use_queue, tmp_path):
    from citydigital.tasks import health_ping

    with celery_worker(broker=default_broker, tmp_path=tmp_path) as worker:
        use_queue(worker.queue)
        answer = health_ping.delay().get(timeout=30)
    assert answer["worker_pid"] != os.getpid()
