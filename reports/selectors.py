"""Reads for briefings: who may see what, and everything a briefing shows as plain data (the
input of the cache key and of `reports.presenters.briefing_context`)."""

import hashlib
import json
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from assessments.answers import answer_label
from assessments.models import Assessment, AssessmentScore, CityRegion
from assessments.results.benchmarks import peer_benchmarks, theme_scores_from_stored
from assessments.results.selectors import action_plan_items, assessment_score_get
from assessments.selectors import answer_values
from questionbank.selectors import bank_snapshot
from reports.fingerprint import briefing_design_fingerprint
from reports.models import Briefing


def briefing_get_or_404(*, region: CityRegion, pk: int) -> Briefing:
    """Only a briefing of the member's own region (`assessments.access` found the membership);
    any other id is 404."""
    try:
        return Briefing.objects.select_related("assessment__region", "assessment__bank").get(
            pk=pk, assessment__region=region
        )
    except Briefing.DoesNotExist:
        raise Http404("No such briefing") from None


def briefing_list_for_region(*, region_id: int) -> QuerySet[Briefing]:
    return Briefing.objects.filter(assessment__region_id=region_id).select_related("assessment")


def briefing_find_reusable(*, assessment: Assessment, content_hash: str) -> Briefing | None:
    """A briefing of exactly this content that is ready or on its way."""
    return (
        Briefing.objects.filter(
            assessment=assessment,
            content_hash=content_hash,
            status__in=[Briefing.Status.QUEUED, Briefing.Status.RENDERING, Briefing.Status.READY],
        )
        .order_by("-requested_at")
        .first()
    )


def briefing_content(
    *, assessment: Assessment, stored: AssessmentScore | None = None
) -> dict[str, Any]:
    """Everything a briefing shows, as plain data: the input of both the hash and the template.
    Reads the stored scores (unless the caller has just read them), the answers, the plan and
    the peer benchmarks: four queries for any bank size (three with `stored`), and the bank
    snapshot's (none once cached)."""
    stored = stored or assessment_score_get(assessment=assessment)
    if stored is None:
        raise ValueError("The assessment has no scores yet; they are calculated before a briefing.")
    snapshot = bank_snapshot(bank=assessment.bank)
    answers = answer_values(assessment=assessment)
    plan = [
        {
            "title": item.title,
            "text": item.text,
            "question_code": item.question_code,
            "theme_title": item.theme_title,
            "owner_role": item.owner_role,
            "owner_name": item.owner_name,
            "priority": item.priority,
            "day_from": item.day_from,
            "day_to": item.day_to,
            "due_day": item.due_day,
            "window": item.window,
            "done": item.done,
            "unanswered": item.unanswered,
            "trigger_score": item.trigger_score,
        }
        for item in action_plan_items(assessment=assessment)
    ]
    region = assessment.region
    benchmarks = peer_benchmarks(
        assessment=assessment,
        themes=theme_scores_from_stored(stored.result),
        bank_version=stored.bank_version,
        snapshot=snapshot,
    )
    theme_rows = []
    for theme in snapshot.themes:
        question_rows = []
        for question in theme.questions:
            value = answers.get(question.id)
            question_rows.append(
                {
                    "code": question.code,
                    "text": question.text,
                    "answer": answer_label(question, value),
                    "note": value.note if value else "",
                    "evidence_url": value.evidence_url if value else "",
                    "milestone_day": question.milestone_day,
                }
            )
        theme_rows.append({"slug": theme.slug, "title": theme.title, "questions": question_rows})
    return {
        "region": {
            "name": region.name,
            "mayor_name": region.mayor_name,
            "mayor_took_office": region.mayor_took_office.isoformat(),
            "is_demo": region.is_demo,
        },
        "assessment": {
            "id": assessment.pk,
            "label": assessment.label,
            "status": assessment.status,
            "submitted_at": assessment.submitted_at.isoformat()
            if assessment.submitted_at
            else None,
        },
        "bank": {"title": assessment.bank.title, "version": assessment.bank.version},
        "score": {
            "computed_at": stored.computed_at.isoformat(),
            "as_of": stored.as_of.isoformat(),
            "is_provisional": stored.is_provisional,
            "result": stored.result,
        },
        "themes": theme_rows,
        "plan": plan,
        "benchmark": {
            "other_regions": benchmarks.other_regions,
            "minimum": benchmarks.minimum,
            "shown": benchmarks.shown,
            "is_demo": benchmarks.is_demo,
            "rows": [
                {
                    "title": row.title,
                    "score": row.score_text,
                    "shown": row.shown,
                    "position": row.position,
                    "lower_quartile": str(row.distribution.lower_quartile)
                    if row.distribution
                    else "",
                    "median": str(row.distribution.median) if row.distribution else "",
                    "upper_quartile": str(row.distribution.upper_quartile)
                    if row.distribution
                    else "",
                }
                for row in benchmarks.rows
            ],
        },
        # The PDF template and print CSS: a new design is not served from an old cached file.
        "template_fingerprint": briefing_design_fingerprint(),
        # Day N of 100 and milestone statuses change daily, so the date is part of the content.
        "as_of": timezone.localdate().isoformat(),
    }


def content_fingerprint(content: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()
