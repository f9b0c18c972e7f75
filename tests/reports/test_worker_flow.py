"""The whole briefing job path with real worker processes: no eager mode, no mocks."""

import os
import signal
import time

import pytest

from reports import services
from reports.models import Briefing
from tests.assessments.factories import UserFactory
from tests.fixtures.workers import celery_worker
from tests.reports.factories import answered_assessment
from tests.reports.test_services import assert_each_chapter_starts_a_page, pdf_pages

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(briefing: Briefing, statuses: set[str], timeout: float = 60) -> Briefing:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        briefing.refresh_from_db()
        if briefing.status in statuses:
            return briefing
        time.sleep(0.02)
    raise AssertionError(f"briefing {briefing.pk} is {briefing.status}, not {statuses}")


def needs_redis(default_broker: str) -> None:
    if default_broker != "redis":
        pytest.skip("needs REDIS_URL (CI sets it): recovery relies on Redis redelivery")


def test_request_to_ready_in_a_real_worker_and_an_unchanged_request_reuses_it(
    default_broker, use_queue, tmp_path
):
    assessment = answered_assessment(themes=4, questions_per_theme=5)
    user = UserFactory()
    with celery_worker(broker=default_broker, tmp_path=tmp_path) as worker:
        use_queue(worker.queue)
        result = services.briefing_request(assessment=assessment, requested_by=user)
        assert result.enqueued
        briefing = wait_for(result.briefing, {Briefing.Status.READY, Briefing.Status.FAILED})
        assert briefing.status == Briefing.Status.READY, briefing.failure_reason

        pages = pdf_pages(briefing)
        text = "\n".join(pages)
        assert assessment.region.name in text
        index = f"{assessment.score.readiness_index:.1f}"
        assert f"{assessment.region.name} scores {index} out of 100" in " ".join(text.split())
        for theme in assessment.bank.themes.all():
            assert theme.title in text
        assert len(pages) == briefing.page_count
        assert_each_chapter_starts_a_page(pages, assessment)

        again = services.briefing_request(assessment=assessment, requested_by=user)
        assert again.reused
        assert again.briefing.pk == briefing.pk
        assert Briefing.objects.count() == 1
        assert len(os.listdir(os.path.dirname(briefing.file.path))) == 1
    assert "reports.briefing_render" in worker.log()


def test_a_worker_killed_mid_render_is_replaced_and_the_briefing_is_made_exactly_once(
    default_broker, use_queue, tmp_path
):
    needs_redis(default_broker)
    # A big assessment renders for long enough to be killed in the middle.
    assessment = answered_assessment(themes=10, questions_per_theme=12)
    fast_recovery = {"CELERY_VISIBILITY_TIMEOUT": "3"}
    with celery_worker(broker="redis", tmp_path=tmp_path, extra_env=fast_recovery) as first_worker:
        use_queue(first_worker.queue)
        briefing = services.briefing_request(assessment=assessment, requested_by=UserFactory())
        briefing = wait_for(briefing.briefing, {Briefing.Status.RENDERING})
        # SIGKILL the whole worker (main process and its pool) mid-render: no clean-up runs.
        for pid in [*child_pids(first_worker.pid), first_worker.pid]:
            os.kill(pid, signal.SIGKILL)
        first_worker.process.wait(timeout=10)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.RENDERING
    assert briefing.attempts == 1

    with celery_worker(
        broker="redis", tmp_path=tmp_path, queue=first_worker.queue, extra_env=fast_recovery
    ) as second_worker:
        briefing = wait_for(briefing, {Briefing.Status.READY, Briefing.Status.FAILED}, timeout=90)
        time.sleep(1)  # any duplicate delivery would show up now
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.READY
    assert briefing.attempts == 2
    assert len(os.listdir(os.path.dirname(briefing.file.path))) == 1
    assert "reports.briefing_render" in second_worker.log()


def child_pids(pid: int) -> list[int]:
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == pid:
                children.append(int(entry))
    return children
