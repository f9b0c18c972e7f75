"""Reads for results: the scoring inputs of an assessment, and what the results page, the action
plan and the exports show. Pages read the STORED figures (AssessmentScore, ActionPlanItem); only
`scoring_inputs` reads the bank and the answers, for the services that compute the figures.
Every function runs a fixed number of queries whatever the size of the bank."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.http import Http404

from assessments import charts, scoring
from assessments.models import ActionPlanItem, Answer, Assessment, AssessmentScore
from assessments.results.benchmarks import Benchmarks, peer_benchmarks
from assessments.selectors import answer_condition_values, visible_question_ids
from questionbank.models import Action, Question, RubricLevel, Theme

ANSWER_LABEL_MAX = 200
OWNER_ROLE_LABELS = dict(Action.OwnerRole.choices)
OWNER_ROLE_ORDER = [value for value, _ in Action.OwnerRole.choices]
PRIORITY_LABELS = dict(Action.Priority.choices)
WINDOW_LABELS = dict(ActionPlanItem.Window.choices)
WINDOW_ORDER = [value for value, _ in ActionPlanItem.Window.choices]
# GOV.UK tag colours.
BAND_TAGS = {
    "starting-out": "red",
    "emerging": "orange",
    "developing": "yellow",
    "established": "turquoise",
    "leading": "green",
}
MILESTONE_TAGS = {
    scoring.DONE: "green",
    scoring.OVERDUE: "red",
    scoring.DUE_SOON: "orange",
    scoring.NOT_YET_DUE: "grey",
}
PLAN_STATE_TAGS = {"done": "green", "overdue": "red", "open": "grey"}


# --- scoring inputs ------------------------------------------------------------------------------


@dataclass
class ScoringInputs:
    themes: list[Theme]
    questions: list[Question]
    theme_inputs: list[scoring.ThemeInput]
    question_inputs: list[scoring.QuestionInput]
    answer_inputs: list[scoring.AnswerInput]
    hidden_codes: frozenset[str]
    # The code each question is scored under (its bank code; prefixed with its theme's slug in
    # the rare bank where two themes reuse a code) and the way back.
    code_by_question_id: dict[int, str]
    question_by_code: dict[str, Question]
    answer_labels: dict[str, str]


def answer_label(
    question: Question, answer: Answer | None, *, level_labels: dict[str, str] | None = None
) -> str:
    """The answer as a person reads it: the chosen levels' labels, the number or the text.
    `level_labels` (value to label) saves reading the question's levels when the caller has them."""
    if answer is None or not answer.has_value:
        return ""
    if question.kind == Question.Kind.NUMBER:
        return "" if answer.number_value is None else f"{answer.number_value.normalize():f}"
    if question.kind == Question.Kind.TEXT:
        text = " ".join(answer.text_value.split())
        return text if len(text) <= ANSWER_LABEL_MAX else text[: ANSWER_LABEL_MAX - 1] + "…"
    labels = (
        {level.value: level.label for level in question.levels.all()}
        if level_labels is None
        else level_labels
    )
    return "; ".join(labels.get(value, value) for value in answer.selected_values)


def scoring_inputs(*, assessment: Assessment) -> ScoringInputs:
    """The pinned bank and the answers as `scoring.score_assessment` takes them: three queries.

    A question hidden by its condition (the same rule as the pages that ask it) is passed as
    hidden, so it is neither scored nor flagged. A note or an evidence link is evidence."""
    themes = list(Theme.objects.filter(bank_id=assessment.bank_id).order_by("order", "pk"))
    questions = list(
        Question.objects.filter(theme__bank_id=assessment.bank_id)
        .prefetch_related(Prefetch("levels", queryset=RubricLevel.objects.order_by("order", "pk")))
        .order_by("theme__order", "theme_id", "order", "pk")
    )
    answers = {
        answer.question_id: answer
        for answer in Answer.objects.filter(assessment=assessment).only(
            "pk",
            "question_id",
            "selected_values",
            "number_value",
            "text_value",
            "note",
            "evidence_url",
        )
    }
    theme_by_id = {theme.pk: theme for theme in themes}
    code_counts: dict[str, int] = defaultdict(int)
    for question in questions:
        code_counts[question.code] += 1
    code_by_question_id = {
        q.pk: q.code if code_counts[q.code] == 1 else f"{theme_by_id[q.theme_id].slug}:{q.code}"
        for q in questions
    }
    values = {qid: answer_condition_values(answer) for qid, answer in answers.items()}
    visible = visible_question_ids(questions=questions, values_by_question=values)

    question_inputs = []
    answer_inputs = []
    labels = {}
    for question in questions:
        question.theme = theme_by_id[question.theme_id]
        code = code_by_question_id[question.pk]
        question_inputs.append(
            scoring.QuestionInput(
                code=code,
                theme_slug=question.theme.slug,
                kind=question.kind,
                weight=question.weight,
                levels=tuple(
                    scoring.LevelInput(value=level.value, score=level.score)
                    for level in question.levels.all()
                ),
                milestone_day=question.milestone_day,
                required=question.required,
                text=question.text,
            )
        )
        answer = answers.get(question.pk)
        if answer is None or question.pk not in visible:
            continue
        labels[code] = answer_label(question, answer)
        answer_inputs.append(
            scoring.AnswerInput(
                code=code,
                values=tuple(str(v) for v in answer.selected_values or ()),
                number=answer.number_value,
                has_evidence=bool(answer.note.strip() or answer.evidence_url.strip()),
            )
        )
    return ScoringInputs(
        themes=themes,
        questions=questions,
        theme_inputs=[
            scoring.ThemeInput(slug=theme.slug, title=theme.title, weight=theme.weight)
            for theme in themes
        ],
        question_inputs=question_inputs,
        answer_inputs=answer_inputs,
        hidden_codes=frozenset(code_by_question_id[q.pk] for q in questions if q.pk not in visible),
        code_by_question_id=code_by_question_id,
        question_by_code={code_by_question_id[q.pk]: q for q in questions},
        answer_labels=labels,
    )


def bank_actions(*, bank_id: int) -> list[Action]:
    return list(
        Action.objects.filter(question__theme__bank_id=bank_id).order_by(
            "question__theme__order", "question__order", "question_id", "order", "pk"
        )
    )


def assessment_score_get(*, assessment: Assessment) -> AssessmentScore | None:
    return AssessmentScore.objects.filter(assessment=assessment).first()


def action_plan_items(*, assessment: Assessment) -> QuerySet[ActionPlanItem]:
    return ActionPlanItem.objects.filter(assessment=assessment).order_by(
        "due_day", "day_from", "pk"
    )


def action_plan_item_get_or_404(*, assessment: Assessment, pk: int) -> ActionPlanItem:
    try:
        item = ActionPlanItem.objects.get(assessment=assessment, pk=pk)
    except ActionPlanItem.DoesNotExist:
        raise Http404("No such action") from None
    item.assessment = assessment
    return item


def answers_changed_at(*, assessment: Assessment) -> datetime | None:
    at: datetime | None = Answer.objects.filter(assessment=assessment).aggregate(
        at=Max("updated_at")
    )["at"]
    return at


# --- formatting ----------------------------------------------------------------------------------


def score_text(score: Decimal | int | None) -> str:
    """A stored score as pages and exports print it: "54.3", or "" when there is none."""
    if score is None:
        return ""
    return f"{Decimal(score):.1f}"


def share_text(share: Decimal | None) -> str:
    """A stored share (rounded down to 4 places) as a percentage to one place, never rounded
    up: 0.99996 is stored as 0.9999 and shows as 99.9%, so 100% means exactly all."""
    if share is None:
        return ""
    tenths = int(Decimal(share) * 1000)
    return f"{tenths // 10}.{tenths % 10}%".replace(".0%", "%")


def band_label(slug: str) -> str:
    band = scoring.BANDS_BY_SLUG.get(slug)
    return band.label if band else ""


def confidence_text(confidence: scoring.Confidence) -> str:
    if not confidence.upper:
        return "No answers at the upper levels yet"
    return (
        f"{share_text(confidence.share)}: {confidence.evidenced} of {confidence.upper} "
        f"upper-level answer{'s' if confidence.upper != 1 else ''} carry evidence"
    )


def day_date(took_office: date, day: int) -> date:
    """The date of day `day` of the term: day 1 is the day the mayor took office."""
    return took_office + timedelta(days=day - 1)


def day_text(day: int) -> str:
    if day < 1:
        return f"Day {day} (before the mayor took office)"
    return f"Day {day}"


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
    theme_titles: dict[str, str] = field(default_factory=dict)
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
                score=score_text(theme.score) or "Not scored",
                band=theme.band.label if theme.band else "",
                band_slug=theme.band.slug if theme.band else "",
                band_tag=BAND_TAGS.get(theme.band.slug, "grey") if theme.band else "grey",
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


def results_page_data(*, assessment: Assessment, today: date) -> ResultsPage | None:
    """The stored figures of an assessment, ready to show; None when none are stored.
    Four queries (the score, the plan, the latest answer change, the peer benchmarks) for any
    bank size and any number of assessments."""
    stored = assessment_score_get(assessment=assessment)
    if stored is None:
        return None
    result = scoring.AssessmentResult.from_dict(stored.result)
    items = list(action_plan_items(assessment=assessment).only("pk", "window", "done"))
    changed_at = answers_changed_at(assessment=assessment)
    titles = {theme.slug: theme.title for theme in result.themes}
    radar_pairs = [(theme.title, theme.score) for theme in result.themes]
    milestone_rows = [
        {
            "code": m.code,
            "text": m.text,
            "theme": titles.get(m.theme_slug, m.theme_slug),
            "due_day": m.due_day,
            "due_date": day_date(assessment.region.mayor_took_office, m.due_day),
            "status": m.status,
            "status_label": m.status_label,
            "tag": MILESTONE_TAGS[m.status],
            "score": "Not answered" if m.score is None else str(m.score),
            "threshold": m.threshold,
        }
        for m in result.milestones
    ]
    day = assessment.region.day_in_office(today)
    return ResultsPage(
        score=stored,
        result=result,
        index=score_text(result.index) or "Not scored",
        band=result.band.label if result.band else "",
        band_slug=result.band.slug if result.band else "",
        band_tag=BAND_TAGS.get(result.band.slug, "grey") if result.band else "grey",
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
        milestones=milestone_rows,
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


def _plan_row(item: ActionPlanItem, took_office: date, day: int) -> PlanRow:
    if item.done:
        state, label = "done", "Done"
    elif day > item.due_day:
        state, label = "overdue", "Overdue"
    else:
        state, label = "open", "Not done"
    if item.unanswered:
        reason = f"{item.question_code} is not answered yet"
    else:
        reason = f"{item.question_code} scored {item.trigger_score} out of 100"
    return PlanRow(
        item=item,
        due_date=day_date(took_office, item.due_day),
        state=state,
        state_label=label,
        tag=PLAN_STATE_TAGS[state],
        owner_role_label=OWNER_ROLE_LABELS.get(item.owner_role, item.owner_role),
        priority_label=PRIORITY_LABELS.get(item.priority, item.priority),
        reason=reason,
    )


def plan_rows(*, assessment: Assessment, today: date) -> list[PlanRow]:
    """The plan's items in due-day order, each with its due date and state: one query."""
    items = action_plan_items(assessment=assessment).select_related("done_by")
    took_office = assessment.region.mayor_took_office
    day = assessment.region.day_in_office(today)
    return [_plan_row(item, took_office, day) for item in items]


def action_plan_page_data(*, assessment: Assessment, today: date, group_by: str) -> PlanPage:
    """The plan grouped by day window or by owner role, with its timeline: two queries."""
    stored = assessment_score_get(assessment=assessment)
    rows = plan_rows(assessment=assessment, today=today)
    if group_by == "owner":
        keys = OWNER_ROLE_ORDER + sorted({r.item.owner_role for r in rows} - set(OWNER_ROLE_ORDER))
        groups = [
            PlanGroup(
                key, OWNER_ROLE_LABELS.get(key, key), [r for r in rows if r.item.owner_role == key]
            )
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


def results_export_data(*, assessment: Assessment) -> ResultsExport:
    """The answers (as stored now) and the stored scores of an assessment: five queries."""
    stored = assessment_score_get(assessment=assessment)
    result = scoring.AssessmentResult.from_dict(stored.result) if stored else None
    rows_by_code = (
        {row.code: row for theme in result.themes for row in theme.explanation.rows}
        if result
        else {}
    )
    themes = {t.pk: t for t in Theme.objects.filter(bank_id=assessment.bank_id)}
    questions = list(
        Question.objects.filter(theme__bank_id=assessment.bank_id)
        .prefetch_related(Prefetch("levels", queryset=RubricLevel.objects.order_by("order", "pk")))
        .order_by("theme__order", "theme_id", "order", "pk")
    )
    answers = {a.question_id: a for a in Answer.objects.filter(assessment=assessment)}
    code_counts: dict[str, int] = defaultdict(int)
    for question in questions:
        code_counts[question.code] += 1
    rows = []
    for question in questions:
        theme = themes[question.theme_id]
        key = question.code if code_counts[question.code] == 1 else f"{theme.slug}:{question.code}"
        answer = answers.get(question.pk)
        scored = rows_by_code.get(key)
        rows.append(
            AnswerExportRow(
                theme_slug=theme.slug,
                theme_title=theme.title,
                code=question.code,
                question=question.text,
                kind=question.kind,
                weight=question.weight,
                answer=answer_label(question, answer),
                selected_values=list(answer.selected_values) if answer else [],
                number_value=answer.number_value if answer else None,
                text_value=answer.text_value if answer else "",
                note=answer.note if answer else "",
                evidence_url=answer.evidence_url if answer else "",
                score=scored.score if scored else None,
                status=scored.status if scored else "",
            )
        )
    return ResultsExport(assessment=assessment, score=stored, result=result, answers=rows)
