"""Reads for briefings: who may see what, and everything a briefing shows."""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from assessments import charts, scoring
from assessments.models import Answer, Assessment, AssessmentScore, Membership
from assessments.results.benchmarks import peer_benchmarks, theme_scores_from_stored
from assessments.results.selectors import (
    OWNER_ROLE_LABELS,
    OWNER_ROLE_ORDER,
    PRIORITY_LABELS,
    WINDOW_LABELS,
    WINDOW_ORDER,
    action_plan_items,
    answer_label,
    assessment_score_get,
    confidence_text,
    day_date,
    score_text,
    share_text,
)
from assessments.selectors import assessment_get_or_404, membership_get_or_404
from questionbank.models import Question, RubricLevel, Theme
from reports.models import Briefing

# Bump when templates/reports/pdf/* or static/reports/print/* change what a briefing shows:
# it is part of the cache key, so old cached files are not served for a new design.
TEMPLATE_VERSION = "2026-12-03.3"


@dataclass(frozen=True)
class MemberAssessment:
    membership: Membership
    assessment: Assessment


def assessment_for_member_or_404(
    *, user: User | AnonymousUser, region_slug: str, assessment_id: int
) -> MemberAssessment:
    membership = membership_get_or_404(user=user, region_slug=region_slug)
    assessment = assessment_get_or_404(region=membership.region, pk=assessment_id)
    return MemberAssessment(membership=membership, assessment=assessment)


def briefing_for_member_or_404(
    *, user: User | AnonymousUser, region_slug: str, briefing_id: int
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


def briefing_content(
    *, assessment: Assessment, stored: AssessmentScore | None = None
) -> dict[str, Any]:
    """Everything a briefing shows, as plain data: the input of both the hash and the template.
    Reads the stored scores (unless the caller has just read them) and plan; a fixed number of
    queries for any bank size."""
    stored = stored or assessment_score_get(assessment=assessment)
    if stored is None:
        raise ValueError("The assessment has no scores yet; they are calculated before a briefing.")
    # Only the fields a briefing shows, and level labels as plain tuples: the cache check builds
    # this content on every request, and model instances of every rubric level cost the most.
    questions = Question.objects.order_by("order", "pk").only(
        "theme_id", "code", "text", "kind", "milestone_day"
    )
    themes = (
        Theme.objects.filter(bank_id=assessment.bank_id)
        .only("slug", "title")
        .prefetch_related(Prefetch("questions", queryset=questions))
    )
    level_labels: dict[int, dict[str, str]] = defaultdict(dict)
    for question_id, value, label in RubricLevel.objects.filter(
        question__theme__bank_id=assessment.bank_id
    ).values_list("question_id", "value", "label"):
        level_labels[question_id][value] = label
    answers = {
        answer.question_id: answer
        for answer in Answer.objects.filter(assessment=assessment).only(
            "question_id", "selected_values", "number_value", "text_value", "note", "evidence_url"
        )
    }
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
    )
    theme_rows = []
    for theme in themes:
        question_rows = []
        for question in theme.questions.all():
            answer = answers.get(question.pk)
            question_rows.append(
                {
                    "code": question.code,
                    "text": question.text,
                    "answer": answer_label(
                        question, answer, level_labels=level_labels[question.pk]
                    ),
                    "note": answer.note if answer else "",
                    "evidence_url": answer.evidence_url if answer else "",
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
        "template_version": TEMPLATE_VERSION,
        # Day N of 100 and milestone statuses change daily, so the date is part of the content.
        "as_of": timezone.localdate().isoformat(),
    }


def content_fingerprint(content: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


def briefing_context(*, content: dict[str, Any], is_draft: bool) -> dict[str, Any]:
    """The template context: the content plus what only the layout needs (charts, labels)."""
    as_of = date.fromisoformat(content["as_of"])
    took_office = date.fromisoformat(content["region"]["mayor_took_office"])
    result = scoring.AssessmentResult.from_dict(content["score"]["result"])
    themes_by_slug = {theme.slug: theme for theme in result.themes}
    titles = {theme.slug: theme.title for theme in result.themes}
    plan = [
        {
            **item,
            "owner": owner_text(item),
            "priority_label": PRIORITY_LABELS.get(item["priority"], item["priority"]),
            "due_date": day_date(took_office, item["due_day"]),
        }
        for item in content["plan"]
    ]
    milestones: list[dict[str, Any]] = [
        {
            "code": m.code,
            "text": m.text,
            "due_day": m.due_day,
            "due_date": day_date(took_office, m.due_day),
            "status": m.status,
            "status_label": scoring.MILESTONE_STATUS_LABELS[m.status],
        }
        for m in result.milestones
    ]
    milestone_status_by_code = {m["code"]: m["status_label"] for m in milestones}
    rows_by_code = {row.code: row for theme in result.themes for row in theme.explanation.rows}
    theme_sections = []
    for theme in content["themes"]:
        scored = themes_by_slug.get(theme["slug"])
        theme_sections.append(
            {
                **theme,
                "questions": [
                    question_row(
                        question,
                        rows_by_code.get(question["code"]),
                        milestone_status_by_code.get(question["code"], ""),
                    )
                    for question in theme["questions"]
                ],
                "score": score_text(scored.score) if scored else "",
                "band": scored.band.label if scored and scored.band else "",
                "coverage": share_text(scored.coverage) if scored else "",
                "confidence": confidence_text(scored.confidence) if scored else "",
                "evidence": evidence_text(scored.confidence) if scored else "",
                "weight": scored.weight if scored else 0,
                "actions": [item for item in plan if item["theme_title"] == theme["title"]],
            }
        )
    radar_pairs = [(theme.title, theme.score) for theme in result.themes]
    strongest = [themes_by_slug[slug] for slug in result.strongest_themes[:3]]
    day = (as_of - took_office).days + 1
    return {
        **content,
        "is_draft": is_draft,
        "as_of_date": as_of,
        "scores_as_of_date": date.fromisoformat(content["score"]["as_of"]),
        "day_in_office": day,
        "index": score_text(result.index) or "Not scored",
        "band": result.band.label if result.band else "",
        "band_range": result.band.range_label if result.band else "",
        "coverage": share_text(result.coverage),
        "confidence": confidence_text(result.confidence),
        "answered": result.answered,
        "counted": result.counted,
        "bands": scoring.BANDS,
        "upper_level_score": scoring.UPPER_LEVEL_SCORE,
        "milestone_threshold": result.milestone_threshold,
        "strongest_themes": [
            {"title": t.title, "score": score_text(t.score), "band": t.band.label if t.band else ""}
            for t in strongest
        ],
        "top_gaps": [
            {
                "code": gap.code,
                "text": gap.text,
                "theme": titles.get(gap.theme_slug, gap.theme_slug),
                "score": gap.score,
                "urgency": scoring.MILESTONE_STATUS_LABELS.get(gap.milestone_status or "", ""),
            }
            for gap in result.gaps
        ],
        "milestones": milestones,
        **milestone_summary(milestones),
        "theme_sections": theme_sections,
        "plan_rows": plan,
        "plan_windows": plan_windows(plan),
        "radar_chart": charts.chart_image(
            charts.radar_chart(radar_pairs, title="Readiness by theme", chart_id="briefing-radar")
        ),
        "plan_chart": charts.chart_image(
            # Each row is labelled with its question's code, which the table below gives
            # with the action in full: SVG text is drawn letter by letter, so long labels cost
            # a render more than the rest of the chart.
            charts.gantt_timeline(
                [
                    (
                        item["question_code"],
                        min(item["day_from"], item["due_day"]),
                        item["due_day"],
                        item["done"],
                    )
                    for item in plan
                ],
                day,
                title="100-day action plan timeline",
                chart_id="briefing-plan",
                row_titles=False,
                label_share=0.12,
                font_size=11,
                row_height=16,
            )
        ),
    }


def question_row(
    question: dict[str, Any], row: scoring.ExplanationRow | None, milestone_status: str
) -> dict[str, Any]:
    """A question as Themes in detail and the appendix print it, with its part in the score
    ("" for a score or weight it does not have)."""
    return {
        **question,
        "score": "" if row is None or row.score is None else row.score,
        "weight": "" if row is None else row.weight,
        "has_evidence": row is not None and row.has_evidence,
        "milestone_status": milestone_status,
    }


def evidence_text(confidence: scoring.Confidence) -> str:
    """The short form of `confidence_text`, for a table column."""
    if not confidence.upper:
        return "None at the upper levels"
    return f"{share_text(confidence.share)} ({confidence.evidenced} of {confidence.upper})"


# The milestone statuses a briefing lists one by one: those that need the mayor's office now.
MILESTONE_STATUSES_LISTED = (scoring.OVERDUE, scoring.DUE_SOON)


def milestone_summary(milestones: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of milestones by status, overall and by due day, and those to list one by one.
    Each question's own status is printed with it, so the briefing need not list every one."""
    statuses = list(scoring.MILESTONE_STATUS_LABELS)
    totals = dict.fromkeys(statuses, 0)
    days: dict[int, dict[str, Any]] = {}
    for milestone in milestones:
        totals[milestone["status"]] += 1
        day = days.setdefault(
            milestone["due_day"],
            {"due_day": milestone["due_day"], "due_date": milestone["due_date"]}
            | dict.fromkeys(statuses, 0),
        )
        day[milestone["status"]] += 1
    listed = {
        status: [m for m in milestones if m["status"] == status]
        for status in MILESTONE_STATUSES_LISTED
    }
    return {
        "milestone_totals": totals,
        "milestone_days": [days[day] for day in sorted(days)],
        "milestone_attention": [
            {"label": scoring.MILESTONE_STATUS_LABELS[status], "items": items}
            for status, items in listed.items()
            if items
        ],
    }


def owner_text(item: dict[str, Any]) -> str:
    label = OWNER_ROLE_LABELS.get(item["owner_role"], item["owner_role"])
    return f"{label}: {item['owner_name']}" if item["owner_name"] else label


def plan_windows(plan: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The plan by window of the 100 days, and within each by owner (roles in their usual order,
    then named owners): the table says each owner once instead of on every row."""

    def role_rank(role: str) -> int:
        return OWNER_ROLE_ORDER.index(role) if role in OWNER_ROLE_ORDER else len(OWNER_ROLE_ORDER)

    windows = []
    for window in WINDOW_ORDER:
        items = [item for item in plan if item["window"] == window]
        ranked = sorted({(role_rank(item["owner_role"]), item["owner"]) for item in items})
        owners = [owner for _, owner in ranked]
        windows.append(
            {
                "label": WINDOW_LABELS[window],
                "items": items,
                "owners": [
                    {"label": owner, "items": [i for i in items if i["owner"] == owner]}
                    for owner in owners
                ],
            }
        )
    return windows
