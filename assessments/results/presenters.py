"""What the results page, the action plan and the results exports show, shaped from what
`assessments.results.selectors` reads: tag colours, labels, charts and formatted figures (through
`assessments.formatting`). The briefing (`reports.presenters`) shares the labels and orders here,
so the PDF and the pages cannot drift apart. No ORM here: the selectors read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from assessments import charts, scoring
from assessments.answers import answer_label
from assessments.formatting import (
    band_tag,
    confidence_text,
    day_date,
    score_label,
    share_text,
)
from assessments.models import ActionPlanItem, Assessment, AssessmentScore
from assessments.results import selectors
from assessments.results.benchmarks import Benchmarks, peer_benchmarks
from questionbank.snapshot import OWNER_ROLE_LABELS, PRIORITY_LABELS

OWNER_ROLE_ORDER = list(OWNER_ROLE_LABELS)
WINDOW_LABELS = dict(ActionPlanItem.Window.choices)
WINDOW_ORDER = [value for value, _ in ActionPlanItem.Window.choices]
MILESTONE_TAGS = {
    scoring.DONE: "green",
    scoring.OVERDUE: "red",
    scoring.DUE_SOON: "orange",
    scoring.NOT_YET_DUE: "grey",
}
PLAN_STATE_TAGS = {"done": "green", "overdue": "red", "open": "grey"}


def owner_role_label(role: str) -> str:
    return OWNER_ROLE_LABELS.get(role, role)


def priority_label(priority: str) -> str:
    return PRIORITY_LABELS.get(priority, priority)


def owner_role_rank(role: str) -> int:
    """Owner roles in their usual order (the bank's), then any other."""
    return OWNER_ROLE_ORDER.index(role) if role in OWNER_ROLE_ORDER else len(OWNER_ROLE_ORDER)


# --- the results page ----------------------------------------------------------------------------


@dataclass
class ThemeRow:
    slug: str
    title: str
    weight: scoring.Number
    score: str
    band: str
    band_slug: str
    band_tag: str
    coverage: str
    confidence: str
    answered: int
    counted: int
    counts_in_index: bool
    formula: str
    rows: list[dict[str, Any]]


@dataclass
class ResultsPage:
    score: AssessmentScore
    result: scoring.AssessmentResult
    index: str
    band: str
    band_slug: str
    band_tag: str
    band_range: str
    coverage: str
    confidence: str
    themes: list[ThemeRow]
    gaps: list[dict[str, Any]]
    strengths: list[dict[str, Any]]
    milestones: list[dict[str, Any]]
    flagged: list[dict[str, Any]]
    radar_svg: str
    bars_svg: str
    milestones_svg: str
    day_in_office: int
    as_of_day: int
    plan_total: int
    plan_done: int
    plan_by_window: list[dict[str, Any]]
    is_provisional: bool
    answers_changed: bool
    theme_titles: dict[str, str] = field(default_factory=dict[str, Any])
    benchmarks: Benchmarks | None = None


def _theme_rows(result: scoring.AssessmentResult, labels: dict[str, str]) -> list[ThemeRow]:
    rows = []
    for theme in result.themes:
        explanation = theme.explanation
        rows.append(
            ThemeRow(
                slug=theme.slug,
                title=theme.title,
                weight=theme.weight,
                score=score_label(theme.score),
                band=theme.band.label if theme.band else "",
                band_slug=theme.band.slug if theme.band else "",
                band_tag=band_tag(theme.band.slug) if theme.band else "grey",
                coverage=share_text(theme.coverage),
                confidence=confidence_text(theme.confidence),
                answered=theme.answered,
                counted=theme.counted,
                counts_in_index=theme.counts_in_index,
                formula=explanation.formula,
                rows=[
                    {
                        "code": row.code,
                        "text": row.text,
                        "answer": labels.get(row.code, ""),
                        "weight": row.weight,
                        "score": "" if row.score is None else row.score,
                        "weighted": "" if row.weighted_score is None else row.weighted_score,
                        "status": row.status,
                        "status_label": row.status_label,
                        "has_evidence": row.has_evidence,
                    }
                    for row in explanation.rows
                ],
            )
        )
    return rows


def _plan_windows(items: list[ActionPlanItem]) -> list[dict[str, Any]]:
    counts = {window: [0, 0] for window in WINDOW_ORDER}
    for item in items:
        counts[item.window][0] += 1
        counts[item.window][1] += int(item.done)
    return [
        {"window": w, "label": WINDOW_LABELS[w], "total": counts[w][0], "done": counts[w][1]}
        for w in WINDOW_ORDER
    ]


def _milestone_rows(result: scoring.AssessmentResult, took_office: date) -> list[dict[str, Any]]:
    titles = {theme.slug: theme.title for theme in result.themes}
    return [
        {
            "code": m.code,
            "text": m.text,
            "theme": titles.get(m.theme_slug, m.theme_slug),
            "due_day": m.due_day,
            "due_date": day_date(took_office, m.due_day),
            "status": m.status,
            "status_label": m.status_label,
            "tag": MILESTONE_TAGS[m.status],
            "score": "Not answered" if m.score is None else str(m.score),
            "threshold": m.threshold,
        }
        for m in result.milestones
    ]


def results_page(*, assessment: Assessment, today: date) -> ResultsPage | None:
    """The stored figures of an assessment, ready to show; None when none are stored.
    Four queries (the score, the plan, the latest answer change, the peer benchmarks) for any
    bank size and any number of assessments, and the bank snapshot's (none once cached)."""
    stored = selectors.assessment_score_get(assessment=assessment)
    if stored is None:
        return None
    result = scoring.AssessmentResult.from_dict(stored.result)
    items = selectors.action_plan_progress(assessment=assessment)
    changed_at = selectors.answers_changed_at(assessment=assessment)
    titles = {theme.slug: theme.title for theme in result.themes}
    radar_pairs = [(theme.title, theme.score) for theme in result.themes]
    day = assessment.region.day_in_office(today)
    return ResultsPage(
        score=stored,
        result=result,
        index=score_label(result.index),
        band=result.band.label if result.band else "",
        band_slug=result.band.slug if result.band else "",
        band_tag=band_tag(result.band.slug) if result.band else "grey",
        band_range=result.band.range_label if result.band else "",
        coverage=share_text(result.coverage),
        confidence=confidence_text(result.confidence),
        themes=_theme_rows(result, stored.answer_labels or {}),
        gaps=[
            {
                "code": gap.code,
                "text": gap.text,
                "theme": titles.get(gap.theme_slug, gap.theme_slug),
                "score": gap.score,
                "shortfall": gap.shortfall,
                "question_weight": gap.question_weight,
                "theme_weight": gap.theme_weight,
                "urgency": scoring.MILESTONE_STATUS_LABELS.get(gap.milestone_status or "", ""),
            }
            for gap in result.gaps
        ],
        strengths=[
            {
                "code": s.code,
                "text": s.text,
                "theme": titles.get(s.theme_slug, s.theme_slug),
                "score": s.score,
                "has_evidence": s.has_evidence,
            }
            for s in result.strengths
        ],
        milestones=_milestone_rows(result, assessment.region.mayor_took_office),
        flagged=[
            {
                "code": f.code,
                "text": f.text,
                "theme": titles.get(f.theme_slug, f.theme_slug),
                "required": f.required,
            }
            for f in result.flagged
        ],
        radar_svg=charts.radar_chart(radar_pairs, title="Readiness by theme (radar chart)"),
        bars_svg=charts.bar_chart(radar_pairs, title="Score by theme (bar chart)"),
        milestones_svg=charts.gantt_timeline(
            [
                (f"{m.code}: {m.text}", 1, m.due_day, m.status == scoring.DONE)
                for m in result.milestones
            ],
            day,
            title="100-day milestones: the day each is due",
            chart_id="milestone-timeline",
        ),
        day_in_office=day,
        as_of_day=result.day_in_office,
        plan_total=len(items),
        plan_done=sum(1 for item in items if item.done),
        plan_by_window=_plan_windows(items),
        is_provisional=stored.is_provisional or assessment.is_in_progress,
        answers_changed=changed_at is not None and changed_at > stored.computed_at,
        theme_titles=titles,
        benchmarks=peer_benchmarks(
            assessment=assessment, themes=result.themes, bank_version=stored.bank_version
        ),
    )


# --- the action plan page ------------------------------------------------------------------------


@dataclass
class PlanRow:
    item: ActionPlanItem
    due_date: date
    state: str  # done | overdue | open
    state_label: str
    tag: str
    owner_role_label: str
    priority_label: str
    reason: str


@dataclass
class PlanGroup:
    key: str
    label: str
    rows: list[PlanRow]

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.item.done)


@dataclass
class PlanPage:
    has_scores: bool
    is_provisional: bool
    rows: list[PlanRow]
    groups: list[PlanGroup]
    group_by: str
    timeline_svg: str
    day_in_office: int
    done: int
    overdue: int


PLAN_GROUPINGS = ("window", "owner")


def plan_reason(item: ActionPlanItem) -> str:
    if item.unanswered:
        return f"{item.question_code} is not answered yet"
    return f"{item.question_code} scored {item.trigger_score} out of 100"


def _plan_row(item: ActionPlanItem, took_office: date, day: int) -> PlanRow:
    if item.done:
        state, label = "done", "Done"
    elif day > item.due_day:
        state, label = "overdue", "Overdue"
    else:
        state, label = "open", "Not done"
    return PlanRow(
        item=item,
        due_date=day_date(took_office, item.due_day),
        state=state,
        state_label=label,
        tag=PLAN_STATE_TAGS[state],
        owner_role_label=owner_role_label(item.owner_role),
        priority_label=priority_label(item.priority),
        reason=plan_reason(item),
    )


def plan_rows(*, assessment: Assessment, today: date) -> list[PlanRow]:
    """The plan's items in due-day order, each with its due date and state: one query."""
    items = selectors.action_plan_list(assessment=assessment)
    took_office = assessment.region.mayor_took_office
    day = assessment.region.day_in_office(today)
    return [_plan_row(item, took_office, day) for item in items]


def action_plan_page(*, assessment: Assessment, today: date, group_by: str) -> PlanPage:
    """The plan grouped by day window or by owner role, with its timeline: two queries."""
    stored = selectors.assessment_score_get(assessment=assessment)
    rows = plan_rows(assessment=assessment, today=today)
    if group_by == "owner":
        keys = OWNER_ROLE_ORDER + sorted({r.item.owner_role for r in rows} - set(OWNER_ROLE_ORDER))
        groups = [
            PlanGroup(key, owner_role_label(key), [r for r in rows if r.item.owner_role == key])
            for key in keys
        ]
    else:
        group_by = "window"
        groups = [
            PlanGroup(key, WINDOW_LABELS[key], [r for r in rows if r.item.window == key])
            for key in WINDOW_ORDER
        ]
    day = assessment.region.day_in_office(today)
    timeline = charts.gantt_timeline(
        [
            (
                row.item.title,
                min(row.item.day_from, row.item.due_day),
                row.item.due_day,
                row.item.done,
            )
            for row in rows
        ],
        day,
        title="100-day action plan timeline",
    )
    return PlanPage(
        has_scores=stored is not None,
        is_provisional=stored is not None and (stored.is_provisional or assessment.is_in_progress),
        rows=rows,
        groups=[group for group in groups if group.rows],
        group_by=group_by,
        timeline_svg=timeline,
        day_in_office=day,
        done=sum(1 for r in rows if r.state == "done"),
        overdue=sum(1 for r in rows if r.state == "overdue"),
    )


def action_plan_item_due_date(*, assessment: Assessment, item: ActionPlanItem) -> date:
    return day_date(assessment.region.mayor_took_office, item.due_day)


# --- exports -------------------------------------------------------------------------------------


@dataclass
class AnswerExportRow:
    theme_slug: str
    theme_title: str
    code: str
    question: str
    kind: str
    weight: int
    answer: str
    selected_values: list[str]
    number_value: Decimal | None
    text_value: str
    note: str
    evidence_url: str
    score: int | None
    status: str  # from the stored scores: counted, unanswered, hidden, unscored, zero-weight


@dataclass
class ResultsExport:
    assessment: Assessment
    score: AssessmentScore | None
    result: scoring.AssessmentResult | None
    answers: list[AnswerExportRow]


def results_export(*, assessment: Assessment) -> ResultsExport:
    """The answers (as stored now) and the stored scores of an assessment, a row per question
    of its bank in bank order: two queries (see `selectors.results_data`)."""
    data = selectors.results_data(assessment=assessment)
    result = data.result
    rows_by_code = (
        {row.code: row for theme in result.themes for row in theme.explanation.rows}
        if result
        else {}
    )
    rows = []
    for question in data.snapshot.questions:
        theme = data.snapshot.theme_of(question)
        value = data.answers.get(question.id)
        scored = rows_by_code.get(question.key)
        rows.append(
            AnswerExportRow(
                theme_slug=theme.slug,
                theme_title=theme.title,
                code=question.code,
                question=question.text,
                kind=question.kind,
                weight=question.weight,
                answer=answer_label(question, value),
                selected_values=list(value.selected_values) if value else [],
                number_value=value.number_value if value else None,
                text_value=value.text_value if value else "",
                note=value.note if value else "",
                evidence_url=value.evidence_url if value else "",
                score=scored.score if scored else None,
                status=scored.status if scored else "",
            )
        )
    return ResultsExport(assessment=assessment, score=data.score, result=result, answers=rows)
