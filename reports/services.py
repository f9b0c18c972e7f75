"""Writes for briefings: request, render (idempotent, crash-safe), fail, retry, sweep."""

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from assessments.models import Assessment
from assessments.results.selectors import answers_changed_at, assessment_score_get
from assessments.results.services import assessment_score
from citydigital.jobs import job_send
from reports import emails, presenters, selectors
from reports.models import Briefing
from reports.pdf import RenderedPdf, pdf_from_html

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Errors worth retrying with back-off: the database or the file store blinked.
TRANSIENT_ERRORS = (DatabaseError, OSError)


@dataclass(frozen=True)
class BriefingRequest:
    briefing: Briefing
    reused: bool  # an identical briefing was ready or on its way
    enqueued: bool  # the job reached the broker (False: the sweep will send it later)


def briefing_request(*, assessment: Assessment, requested_by: User) -> BriefingRequest:
    today = timezone.localdate()
    stored = assessment_score_get(assessment=assessment)
    if stored is None or (
        assessment.is_in_progress
        and (stored.as_of != today or answers_changed_since(assessment, stored.computed_at))
    ):
        # A draft's answers move: its briefing shows provisional scores as of today, which are
        # recalculated only when an answer changed, so an unchanged draft still hits the cache.
        stored = assessment_score(assessment=assessment, today=today, user=requested_by)
    content = selectors.briefing_content(assessment=assessment, stored=stored)
    content_hash = selectors.content_fingerprint(content)
    with transaction.atomic():
        # Lock the assessment so two clicks at once make one briefing, not two.
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        existing = selectors.briefing_find_reusable(
            assessment=assessment, content_hash=content_hash
        )
        if existing is not None:
            return BriefingRequest(briefing=existing, reused=True, enqueued=True)
        briefing = Briefing.objects.create(
            assessment=assessment,
            content_hash=content_hash,
            is_draft=not assessment.is_submitted,
            requested_by=requested_by,
        )
        transaction.on_commit(lambda: briefing_enqueue(briefing_id=briefing.pk))
    briefing.refresh_from_db()
    return BriefingRequest(
        briefing=briefing, reused=False, enqueued=briefing.enqueued_at is not None
    )


def answers_changed_since(assessment: Assessment, moment: datetime) -> bool:
    changed_at = answers_changed_at(assessment=assessment)
    return changed_at is not None and changed_at > moment


def briefing_enqueue(*, briefing_id: int) -> bool:
    """Send the render job. A dead broker is not an error for the user: the row stays queued
    and the sweep sends it when the broker is back."""
    from reports.tasks import briefing_render_task

    if not job_send(briefing_render_task, briefing_id, what=f"Briefing {briefing_id}"):
        return False
    Briefing.objects.filter(pk=briefing_id).update(enqueued_at=timezone.now())
    return True


def briefing_render(*, briefing_id: int, redelivered: bool = False) -> Briefing | None:
    """Render one briefing, at most once to READY however often the job is delivered.
    None when there is nothing to do here: the row is gone, or another worker renders it."""
    briefing = briefing_claim(briefing_id=briefing_id, redelivered=redelivered)
    if briefing is None or briefing.status != Briefing.Status.RENDERING:
        return briefing

    started = time.perf_counter()
    try:
        content = selectors.briefing_content(assessment=briefing.assessment)
        html = render_to_string(
            "reports/pdf/briefing.html",
            presenters.briefing_context(content=content, is_draft=briefing.is_draft),
        )
        pdf = pdf_from_html(
            html,
            title=f"{content['region']['name']}: digital readiness briefing",
            author="City Digital Readiness",
        )
    except TRANSIENT_ERRORS:
        raise  # the task retries with back-off
    except SoftTimeLimitExceeded:
        return briefing_mark_failed(
            briefing_id=briefing_id,
            reason="The briefing took too long to produce. Try again; if it fails again, "
            "tell your administrator.",
        )
    except Exception as error:
        logger.exception("Briefing %s failed to render", briefing_id)
        return briefing_mark_failed(
            briefing_id=briefing_id,
            reason=f"The briefing could not be produced ({type(error).__name__}: {error}).",
        )
    return briefing_store(
        briefing_id=briefing_id,
        pdf=pdf,
        content_hash=selectors.content_fingerprint(content),
        render_seconds=time.perf_counter() - started,
    )


@transaction.atomic
def briefing_claim(*, briefing_id: int, redelivered: bool) -> Briefing | None:
    """Mark the briefing as rendering and count the attempt, committed before rendering starts,
    so a worker that dies mid-render still leaves its attempt counted. None when the row is
    gone (its assessment was deleted) or another worker is rendering it now."""
    briefing = (
        Briefing.objects.select_for_update()
        .select_related("assessment__region", "assessment__bank")
        .filter(pk=briefing_id)
        .first()
    )
    if briefing is None or briefing.status in (Briefing.Status.READY, Briefing.Status.FAILED):
        return briefing
    if briefing.status == Briefing.Status.RENDERING and not (
        redelivered
        # A RENDERING briefing has started_at.
        or briefing.started_at < timezone.now() - rendering_stale_after()  # type: ignore[operator]
    ):
        # Another worker is rendering it now; this is a duplicate delivery.
        return None
    if briefing.attempts >= MAX_ATTEMPTS:
        briefing.status = Briefing.Status.FAILED
        briefing.failure_reason = (
            f"The briefing stopped its worker {briefing.attempts} times, so we gave up. "
            "Try again; if it fails again, tell your administrator."
        )
        briefing.save(update_fields=["status", "failure_reason"])
        emails.briefing_finished(briefing=briefing)
        return briefing
    briefing.attempts += 1
    briefing.status = Briefing.Status.RENDERING
    briefing.started_at = timezone.now()
    briefing.save(update_fields=["attempts", "status", "started_at"])
    return briefing


@transaction.atomic
def briefing_store(
    *, briefing_id: int, pdf: RenderedPdf, content_hash: str, render_seconds: float
) -> Briefing:
    briefing = Briefing.objects.select_for_update().get(pk=briefing_id)
    if briefing.status == Briefing.Status.READY:
        return briefing  # another delivery finished first; keep its file
    briefing.file.save(
        f"briefing-{briefing.pk}-{content_hash[:12]}.pdf", ContentFile(pdf.content), save=False
    )
    briefing.content_hash = content_hash
    briefing.file_size = len(pdf.content)
    briefing.page_count = pdf.page_count
    briefing.status = Briefing.Status.READY
    briefing.failure_reason = ""
    briefing.rendered_at = timezone.now()
    briefing.render_seconds = render_seconds
    briefing.save()
    emails.briefing_finished(briefing=briefing)
    return briefing


def briefing_mark_failed(*, briefing_id: int, reason: str) -> Briefing | None:
    with transaction.atomic():
        briefing = Briefing.objects.select_for_update().filter(pk=briefing_id).first()
        if briefing is not None and briefing.status != Briefing.Status.READY:
            briefing.status = Briefing.Status.FAILED
            briefing.failure_reason = reason[:2000]
            briefing.save(update_fields=["status", "failure_reason"])
            emails.briefing_finished(briefing=briefing)
    return briefing


def briefing_retry(*, briefing: Briefing) -> Briefing:
    """'Try again' on a failed briefing: a fresh set of attempts."""
    with transaction.atomic():
        briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
        if briefing.status != Briefing.Status.FAILED:
            return briefing
        briefing.status = Briefing.Status.QUEUED
        briefing.attempts = 0
        briefing.failure_reason = ""
        briefing.enqueued_at = None
        briefing.save(update_fields=["status", "attempts", "failure_reason", "enqueued_at"])
        transaction.on_commit(lambda: briefing_enqueue(briefing_id=briefing.pk))
    briefing.refresh_from_db()
    return briefing


def rendering_stale_after() -> timedelta:
    # Past the hard time limit no worker can still be rendering it.
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)


def briefing_sweep(*, queued_older_than: timedelta | None = None) -> list[int]:
    """Re-send briefings the broker may have lost: queued for a while, or rendering past
    the hard time limit (their worker died). Duplicates are harmless: rendering is idempotent."""
    now = timezone.now()
    queued_older_than = (
        timedelta(seconds=settings.BRIEFING_SWEEP_AFTER_SECONDS)
        if queued_older_than is None
        else queued_older_than
    )
    stale = Briefing.objects.filter(
        Q(status=Briefing.Status.QUEUED, requested_at__lte=now - queued_older_than)
        | Q(status=Briefing.Status.RENDERING, started_at__lte=now - rendering_stale_after())
    ).values_list("pk", flat=True)
    sent = [pk for pk in stale if briefing_enqueue(briefing_id=pk)]
    if sent:
        logger.info("Briefing sweep re-sent %s", sent)
    return sent
