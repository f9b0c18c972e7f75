import re
from datetime import timedelta
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import Answer, Assessment
from reports import services
from reports.models import Briefing
from tests.assessments.factories import UserFactory
from tests.reports.factories import answered_assessment
from tests.reports.test_pdf import (
    assert_headings_keep_with_what_they_head,
    assert_no_text_crosses_the_side_margins,
)

pytestmark = pytest.mark.django_db


def pdf_content(briefing: Briefing) -> bytes:
    with briefing.file.open("rb") as handle:
        return handle.read()


def pdf_pages(briefing: Briefing) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf_content(briefing))).pages]


def assert_each_chapter_starts_a_page(pages: list[str], assessment) -> None:
    """Summary, scores, milestones, plan, themes in detail, methodology and appendix each begin
    a page, in that order, on the page the contents on the cover gives; the themes follow one
    another within theirs."""
    chapters = [
        "Summary",
        "Scores by theme",
        "100-day milestones",
        "100-day action plan",
        "Themes in detail",
        "How the scores are worked out",
        "Appendix: every answer",
    ]
    found = [
        next(i for i, page in enumerate(pages) if page.startswith(f"{heading}\n"))
        for heading in chapters
    ]
    assert found == sorted(found)
    assert len(set(found)) == len(found)
    contents = pages[0][pages[0].index("\nContents\n") :]
    for heading, index in zip(chapters, found, strict=True):
        assert re.search(rf"^{re.escape(heading)}.* {index + 1}$", contents, re.MULTILINE), heading
    text = "\n".join(pages[found[4] : found[5]])
    positions = [text.index(theme.title) for theme in assessment.bank.themes.order_by("order")]
    assert positions == sorted(positions)


def test_request_saves_a_queued_briefing_and_sends_the_job_only_after_commit(
    django_capture_on_commit_callbacks,
):
    assessment = answered_assessment()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = services.briefing_request(assessment=assessment, requested_by=UserFactory())
    assert len(callbacks) == 1
    briefing = result.briefing
    assert briefing.status == Briefing.Status.QUEUED
    assert not result.reused
    assert len(briefing.content_hash) == 64
    assert briefing.is_draft is False


def test_render_produces_a_pdf_once_and_a_second_run_changes_nothing(tmp_path):
    assessment = answered_assessment()
    briefing = Briefing.objects.create(assessment=assessment, content_hash="x" * 64)

    services.briefing_render(briefing_id=briefing.pk)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.READY
    assert briefing.attempts == 1
    content = pdf_content(briefing)
    assert content.startswith(b"%PDF")
    pages = pdf_pages(briefing)
    text = "\n".join(pages)
    assert assessment.region.name in text
    assert "50.0" in text  # every answer is "Developing": 50 everywhere
    assert "Developing" in text
    # Staff text is escaped, never markup.
    assert "<b>T1-01</b> noted" in text
    assert briefing.page_count == len(pages)
    assert_each_chapter_starts_a_page(pages, assessment)
    assert_headings_keep_with_what_they_head(content)
    assert_no_text_crosses_the_side_margins(content, tmp_path)
    first = (briefing.file.name, briefing.rendered_at)

    services.briefing_render(briefing_id=briefing.pk, redelivered=True)
    briefing.refresh_from_db()
    assert (briefing.file.name, briefing.rendered_at) == first
    assert briefing.attempts == 1


def test_every_demo_briefing_keeps_within_its_margins_and_its_headings_with_what_they_head(
    tmp_path,
):
    # The demo regions' plans and answers differ in length, so their page breaks fall in
    # different places: seen here, a plan's window heading and table header alone at a page
    # foot, a theme's heading with only its score line, a long plan's chart pushed off the
    # page its chapter's heading starts, and tables running into the right margin.
    call_command("seed_demo", stdout=StringIO())
    user = UserFactory()
    assessments = Assessment.objects.select_related("region")
    assert assessments.count() == 8
    for assessment in assessments:
        request = services.briefing_request(assessment=assessment, requested_by=user)
        briefing = services.briefing_render(briefing_id=request.briefing.pk)
        assert briefing.status == Briefing.Status.READY, briefing.failure_reason
        content = pdf_content(briefing)
        assert_headings_keep_with_what_they_head(content)
        assert_no_text_crosses_the_side_margins(content, tmp_path)


def test_an_unchanged_request_reuses_the_briefing_and_a_change_makes_a_new_one(
    django_capture_on_commit_callbacks,
):
    assessment = answered_assessment()
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        first = services.briefing_request(assessment=assessment, requested_by=user).briefing
    services.briefing_render(briefing_id=first.pk)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = services.briefing_request(assessment=assessment, requested_by=user)
    assert again.reused
    assert again.briefing.pk == first.pk
    assert again.briefing.status == Briefing.Status.READY
    assert callbacks == []

    answer = Answer.objects.filter(assessment=assessment).first()
    answer.selected_values = ["4"]
    answer.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        changed = services.briefing_request(assessment=assessment, requested_by=user)
    assert not changed.reused
    assert changed.briefing.pk != first.pk
    assert len(callbacks) == 1
    assert Briefing.objects.filter(assessment=assessment).count() == 2


def test_an_unchanged_draft_reuses_its_briefing_and_a_changed_answer_does_not(
    django_capture_on_commit_callbacks,
):
    assessment = answered_assessment(submitted=False)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        first = services.briefing_request(assessment=assessment, requested_by=user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = services.briefing_request(assessment=assessment, requested_by=user)
    assert again.reused
    assert again.briefing.pk == first.briefing.pk
    assert callbacks == []

    answer = Answer.objects.filter(assessment=assessment).first()
    answer.selected_values = ["4"]
    answer.save()
    with django_capture_on_commit_callbacks(execute=False):
        changed = services.briefing_request(assessment=assessment, requested_by=user)
    assert not changed.reused
    assert changed.briefing.is_draft


def test_a_draft_assessment_makes_a_draft_briefing_marked_on_every_page():
    assessment = answered_assessment(submitted=False)
    briefing = services.briefing_request(assessment=assessment, requested_by=UserFactory()).briefing
    assert briefing.is_draft
    services.briefing_render(briefing_id=briefing.pk)
    briefing.refresh_from_db()
    for page in pdf_pages(briefing):
        assert "DRAFT" in page


def test_a_template_error_fails_the_briefing_with_a_reason_and_try_again_succeeds(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    broken = tmp_path / "templates" / "reports" / "pdf"
    broken.mkdir(parents=True)
    (broken / "briefing.html").write_text("{% for theme in themes %}never closed")
    good_templates = settings.TEMPLATES
    settings.TEMPLATES = [{**good_templates[0], "DIRS": [tmp_path / "templates"]}]
    briefing = Briefing.objects.create(assessment=answered_assessment(), content_hash="x" * 64)

    services.briefing_render(briefing_id=briefing.pk)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.FAILED
    assert "TemplateSyntaxError" in briefing.failure_reason

    settings.TEMPLATES = good_templates
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        briefing = services.briefing_retry(briefing=briefing)
    assert briefing.status == Briefing.Status.QUEUED
    assert briefing.attempts == 0
    assert len(callbacks) == 1
    services.briefing_render(briefing_id=briefing.pk)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.READY


def test_a_briefing_that_kills_its_worker_every_time_fails_after_three_attempts():
    briefing = Briefing.objects.create(assessment=answered_assessment(), content_hash="x" * 64)
    # Each delivery claims the briefing and (as if the worker died mid-render) never finishes;
    # the broker then redelivers the job.
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        claimed = services.briefing_claim(briefing_id=briefing.pk, redelivered=attempt > 1)
        assert claimed.status == Briefing.Status.RENDERING
        assert claimed.attempts == attempt
    services.briefing_render(briefing_id=briefing.pk, redelivered=True)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.FAILED
    assert "3 times" in briefing.failure_reason
    assert not briefing.file


def test_a_duplicate_delivery_leaves_a_fresh_render_to_its_worker():
    briefing = Briefing.objects.create(assessment=answered_assessment(), content_hash="x" * 64)
    services.briefing_claim(briefing_id=briefing.pk, redelivered=False)
    assert services.briefing_claim(briefing_id=briefing.pk, redelivered=False) is None
    briefing.refresh_from_db()
    assert briefing.attempts == 1


def test_a_job_for_a_deleted_briefing_does_nothing():
    briefing = Briefing.objects.create(assessment=answered_assessment(), content_hash="x" * 64)
    briefing_id = briefing.pk
    briefing.delete()
    assert services.briefing_render(briefing_id=briefing_id) is None
    assert not Briefing.objects.exists()


def test_sweep_resends_old_queued_and_stale_rendering_briefings_only(
    settings, django_capture_on_commit_callbacks, use_queue
):
    use_queue(f"sweep-test-{timezone.now().timestamp()}")
    assessment = answered_assessment()
    now = timezone.now()
    old_queued = Briefing.objects.create(assessment=assessment, content_hash="a" * 64)
    new_queued = Briefing.objects.create(assessment=assessment, content_hash="b" * 64)
    stale = Briefing.objects.create(
        assessment=assessment,
        content_hash="c" * 64,
        status=Briefing.Status.RENDERING,
        started_at=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60),
    )
    fresh = Briefing.objects.create(
        assessment=assessment,
        content_hash="d" * 64,
        status=Briefing.Status.RENDERING,
        started_at=now,
    )
    Briefing.objects.filter(pk=old_queued.pk).update(requested_at=now - timedelta(minutes=2))

    sent = services.briefing_sweep(queued_older_than=timedelta(minutes=1))

    assert sorted(sent) == sorted([old_queued.pk, stale.pk])
    assert new_queued.pk not in sent
    assert fresh.pk not in sent
