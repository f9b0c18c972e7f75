"""Reads for briefings: who may see what, and everything a briefing shows."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from assessments.models import Answer, Assessment, Membership
from assessments.selectors import membership_get_or_404
from questionbank.models import Question, Theme
from reports.models import Briefing

# Bump when templates/reports/pdf/* or static/reports/print/* change what a briefing shows:
# it is part of the cache key, so old cached files are not served for a new design.
TEMPLATE_VERSION = "2026-11-26.1"


@dataclass(frozen=True)
class MemberAssessment:
    membership: Membership
    assessment: Assessment


def assessment_for_member_or_404(
    *, user: AbstractBaseUser | AnonymousUser, region_slug: str, assessment_id: int
) -> MemberAssessment:
    membership = membership_get_or_404(user=user, region_slug=region_slug)
    try:
        assessment = Assessment.objects.select_related("region", "bank").get(
            pk=assessment_id, region=membership.region
        )
    except Assessment.DoesNotExist:
        raise Http404("No such assessment") from None
    return MemberAssessment(membership=membership, assessment=assessment)


def briefing_for_member_or_404(
    *, user: AbstractBaseUser | AnonymousUser, region_slug: str, briefing_id: int
) -> Briefing:
    membership = membership_get_or_404(user=user, region_slug=region_slug)
    try:
        return Briefing.objects.select_related("assessment__region", "assessment__bank").get(
            pk=briefing_id, assessment__region=membership.region
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


def briefing_content(*, assessment: Assessment) -> dict:
    """Everything a briefing shows, as plain data: the input of both the hash and the template."""
    themes = Theme.objects.filter(bank_id=assessment.bank_id).prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.order_by("order", "pk").prefetch_related("levels"),
        )
    )
    answers = {
        answer.question_id: answer
        for answer in Answer.objects.filter(assessment=assessment).only(
            "question_id", "selected_values", "number_value", "text_value", "note", "evidence_url"
        )
    }
    region = assessment.region
    theme_rows = []
    for theme in themes:
        question_rows = []
        for question in theme.questions.all():
            answer = answers.get(question.pk)
            labels = {level.value: level.label for level in question.levels.all()}
            question_rows.append(
                {
                    "code": question.code,
                    "text": question.text,
                    "answer": answer_display(question, answer, labels),
                    "note": answer.note if answer else "",
                    "evidence_url": answer.evidence_url if answer else "",
                    "milestone_day": question.milestone_day,
                }
            )
        theme_rows.append(
            {
                "slug": theme.slug,
                "title": theme.title,
                "weight": theme.weight,
                "questions": question_rows,
            }
        )
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
        "themes": theme_rows,
        "template_version": TEMPLATE_VERSION,
        # Day N of 100 and milestone statuses change daily, so the date is part of the content.
        "as_of": timezone.localdate().isoformat(),
    }


def answer_display(question: Question, answer: Answer | None, labels: dict[str, str]) -> str:
    if answer is None or not answer.has_value:
        return ""
    if question.kind == Question.Kind.NUMBER:
        return "" if answer.number_value is None else f"{answer.number_value.normalize():f}"
    if question.kind == Question.Kind.TEXT:
        return answer.text_value
    return "; ".join(labels.get(value, value) for value in answer.selected_values)


def content_fingerprint(content: dict) -> str:
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


def briefing_context(*, content: dict, is_draft: bool) -> dict:
    """The template context: the content plus what only the page layout needs."""
    as_of = date.fromisoformat(content["as_of"])
    took_office = date.fromisoformat(content["region"]["mayor_took_office"])
    return {
        **content,
        "is_draft": is_draft,
        "as_of_date": as_of,
        "day_in_office": (as_of - took_office).days + 1,
    }
