"""Reads for regions and assessments. Every page's data comes from one selector here, in a
fixed number of queries whatever the size of the question bank."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from assessments.models import (
    Answer,
    AnswerComment,
    AnswerHistory,
    Assessment,
    AssessmentEvent,
    CityRegion,
    Membership,
    ThemeAssignment,
)
from questionbank.models import Question, QuestionBank, RubricLevel, Theme


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("region").order_by("region__name")


def membership_get_or_404(*, user: User | AnonymousUser, region_slug: str) -> Membership:
    """A user outside the region gets 404, never 403, so the region's existence stays private."""
    if not user.is_authenticated:
        raise Http404("No such region")
    try:
        return Membership.objects.select_related("region").get(user=user, region__slug=region_slug)
    except Membership.DoesNotExist:
        raise Http404("No such region") from None


def region_list_for_user(*, user: User) -> QuerySet[CityRegion]:
    return CityRegion.objects.filter(memberships__user=user).order_by("name")


def region_editors(*, region: CityRegion) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(region=region, role=Membership.Role.EDITOR)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def user_is_editor(*, user: User, region: CityRegion) -> bool:
    return Membership.objects.filter(user=user, region=region, role=Membership.Role.EDITOR).exists()


# --- assessments -------------------------------------------------------------------------------


def assessment_list_for_region(*, region: CityRegion) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(region=region)
        .select_related("bank", "started_by", "submitted_by")
        .order_by("-created_at", "-pk")
    )


def assessment_in_progress(*, region: CityRegion) -> Assessment | None:
    return Assessment.objects.filter(region=region, status=Assessment.Status.IN_PROGRESS).first()


def assessment_get_or_404(*, region: CityRegion, pk: int) -> Assessment:
    """Only an assessment of the member's own region; any other id is 404."""
    try:
        assessment = Assessment.objects.select_related("bank", "submitted_by", "started_by").get(
            region=region, pk=pk
        )
    except Assessment.DoesNotExist:
        raise Http404("No such assessment") from None
    assessment.region = region  # already loaded with the membership
    return assessment


def question_bank_current() -> QuestionBank | None:
    return QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED).first()


def assessment_events(*, assessment: Assessment) -> QuerySet[AssessmentEvent]:
    return assessment.events.select_related("user").order_by("-created_at", "-pk")


# --- visibility of conditional questions -------------------------------------------------------


def answer_condition_values(answer: Answer | None) -> set[str]:
    """The values a condition compares against: the levels chosen, else the number or text."""
    if answer is None:
        return set()
    if answer.selected_values:
        return {str(v) for v in answer.selected_values}
    if answer.number_value is not None:
        return {format(answer.number_value.normalize(), "f")}
    if answer.text_value:
        return {answer.text_value}
    return set()


def visible_question_ids(
    *,
    questions: Iterable[Question],
    values_by_question: dict[int, set[str]],
) -> set[int]:
    """Server-side truth of which questions are asked: a question whose condition question's
    answer is not one of its condition values is hidden (and so is anything depending on a
    hidden question). Hidden questions are neither required nor counted."""
    by_id = {q.pk: q for q in questions}
    visible: dict[int, bool] = {}

    def is_visible(question_id: int, seen: frozenset[int] = frozenset()) -> bool:
        if question_id in visible:
            return visible[question_id]
        question = by_id[question_id]
        parent_id = question.condition_question_id
        wanted = {str(v) for v in (question.condition_values or [])}
        if parent_id is None or question_id in seen:
            result = True
        elif parent_id not in by_id:  # a condition on a question outside this list
            result = bool(wanted & values_by_question.get(parent_id, set()))
        else:
            result = is_visible(parent_id, seen | {question_id}) and bool(
                wanted & values_by_question.get(parent_id, set())
            )
        visible[question_id] = result
        return result

    return {qid for qid in by_id if is_visible(qid)}


# --- the task list -----------------------------------------------------------------------------


@dataclass
class ThemeProgress:
    theme: Theme
    total: int
    answered: int
    required_missing: int
    owner: User | None
    unresolved_comments: int = 0

    @property
    def status(self) -> str:
        if self.answered == 0:
            return "Not started"
        if self.required_missing == 0:
            return "Completed"
        return "In progress"

    @property
    def is_completed(self) -> bool:
        return self.status == "Completed"


@dataclass
class TaskList:
    assessment: Assessment
    themes: list[ThemeProgress]
    shown_themes: list[ThemeProgress]
    total: int
    answered: int
    day_in_office: int
    mine_only: bool
    my_theme_count: int

    @property
    def completed_themes(self) -> int:
        return sum(1 for t in self.themes if t.is_completed)


def _answers_by_question(*, assessment: Assessment) -> dict[int, Answer]:
    answers = Answer.objects.filter(assessment=assessment).only(
        "pk",
        "question_id",
        "selected_values",
        "number_value",
        "text_value",
        "revision",
    )
    return {a.question_id: a for a in answers}


def _bank_questions(*, bank_id: int) -> list[Question]:
    return list(
        Question.objects.filter(theme__bank_id=bank_id)
        .only("pk", "theme_id", "required", "condition_question_id", "condition_values", "order")
        .order_by("theme__order", "theme_id", "order", "pk")
    )


def assessment_task_list(
    *, assessment: Assessment, user: User, mine_only: bool, today: date
) -> TaskList:
    """Every theme with its status, answered count and owner: five queries for any bank size."""
    themes = list(Theme.objects.filter(bank_id=assessment.bank_id).order_by("order", "pk"))
    questions = _bank_questions(bank_id=assessment.bank_id)
    answers = _answers_by_question(assessment=assessment)
    owners = {
        a.theme_id: a.assignee
        for a in ThemeAssignment.objects.filter(assessment=assessment).select_related("assignee")
    }
    unresolved: dict[int, int] = defaultdict(int)
    for theme_id in AnswerComment.objects.filter(
        assessment=assessment, resolved_at__isnull=True
    ).values_list("question__theme_id", flat=True):
        unresolved[theme_id] += 1

    values = {qid: answer_condition_values(a) for qid, a in answers.items()}
    visible = visible_question_ids(questions=questions, values_by_question=values)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for question in questions:
        if question.pk not in visible:
            continue
        answer = answers.get(question.pk)
        answered = answer is not None and answer.has_value
        row = counts[question.theme_id]
        row[0] += 1
        row[1] += int(answered)
        row[2] += int(question.required and not answered)

    progress = [
        ThemeProgress(
            theme=theme,
            total=counts[theme.pk][0],
            answered=counts[theme.pk][1],
            required_missing=counts[theme.pk][2],
            owner=owners.get(theme.pk),
            unresolved_comments=unresolved[theme.pk],
        )
        for theme in themes
    ]
    mine = [p for p in progress if p.owner is not None and p.owner.pk == user.pk]
    return TaskList(
        assessment=assessment,
        themes=progress,
        shown_themes=mine if mine_only else progress,
        total=sum(p.total for p in progress),
        answered=sum(p.answered for p in progress),
        day_in_office=assessment.region.day_in_office(today),
        mine_only=mine_only,
        my_theme_count=len(mine),
    )


# --- a theme page ------------------------------------------------------------------------------


@dataclass
class ThemePage:
    theme: Theme
    themes: list[Theme]
    questions: list[Question]
    answers: dict[int, Answer]
    visible_ids: set[int]
    comments: dict[int, list[AnswerComment]]
    owner: User | None
    next_theme: Theme | None = None
    previous_theme: Theme | None = None
    conditions: dict[int, dict[str, Any]] = field(default_factory=dict)


def theme_page_data(*, assessment: Assessment, theme_slug: str) -> ThemePage:
    """One theme's questions, levels, answers, comments and owner: seven queries for any size."""
    themes = list(
        Theme.objects.filter(bank_id=assessment.bank_id)
        .only("pk", "slug", "title", "order", "bank_id", "description", "why_it_matters")
        .order_by("order", "pk")
    )
    theme = next((t for t in themes if t.slug == theme_slug), None)
    if theme is None:
        raise Http404("No such theme")
    questions = list(
        Question.objects.filter(theme=theme)
        .select_related("condition_question")
        .prefetch_related(Prefetch("levels", queryset=RubricLevel.objects.order_by("order", "pk")))
        .order_by("order", "pk")
    )
    for question in questions:
        question.theme = theme  # no query per question when a service checks its bank
    question_ids = [q.pk for q in questions]
    condition_ids = {q.condition_question_id for q in questions if q.condition_question_id}
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(
            assessment=assessment, question_id__in=set(question_ids) | condition_ids
        ).select_related("updated_by")
    }
    comments: dict[int, list[AnswerComment]] = defaultdict(list)
    for comment in AnswerComment.objects.filter(
        assessment=assessment, question_id__in=question_ids
    ).select_related("author", "resolved_by"):
        comments[comment.question_id].append(comment)
    assignment = (
        ThemeAssignment.objects.filter(assessment=assessment, theme=theme)
        .select_related("assignee")
        .first()
    )
    values = {qid: answer_condition_values(a) for qid, a in answers.items()}
    # Conditions point at earlier questions of the same theme; one elsewhere counts as shown.
    visible = visible_question_ids(questions=questions, values_by_question=values)
    index = themes.index(theme)
    return ThemePage(
        theme=theme,
        themes=themes,
        questions=questions,
        answers=answers,
        visible_ids=visible,
        comments=dict(comments),
        owner=assignment.assignee if assignment else None,
        next_theme=themes[index + 1] if index + 1 < len(themes) else None,
        previous_theme=themes[index - 1] if index > 0 else None,
    )


# --- one question: its answer, history and comments --------------------------------------------


@dataclass
class QuestionPage:
    question: Question
    answer: Answer | None
    history: list[AnswerHistory]
    comments: list[AnswerComment]


def question_page_data(*, assessment: Assessment, question_pk: int) -> QuestionPage:
    try:
        question = (
            Question.objects.select_related("theme")
            .prefetch_related("levels")
            .get(pk=question_pk, theme__bank_id=assessment.bank_id)
        )
    except Question.DoesNotExist:
        raise Http404("No such question") from None
    answer = (
        Answer.objects.filter(assessment=assessment, question=question)
        .select_related("updated_by")
        .first()
    )
    history = (
        list(
            AnswerHistory.objects.filter(answer=answer)
            .select_related("changed_by")
            .order_by("-revision", "-pk")
        )
        if answer
        else []
    )
    comments = list(
        AnswerComment.objects.filter(assessment=assessment, question=question)
        .select_related("author", "resolved_by")
        .order_by("created_at", "pk")
    )
    return QuestionPage(question=question, answer=answer, history=history, comments=comments)


def comment_get_or_404(*, assessment: Assessment, pk: int) -> AnswerComment:
    try:
        return AnswerComment.objects.select_related("question__theme").get(
            assessment=assessment, pk=pk
        )
    except AnswerComment.DoesNotExist:
        raise Http404("No such comment") from None


def answer_value_at_revision(*, answer: Answer, revision: int) -> dict[str, Any] | None:
    """The answer as it stood at `revision` (None before its first save)."""
    if revision <= 0:
        return None
    entry = AnswerHistory.objects.filter(answer=answer, revision=revision).first()
    return entry.new_value if entry else None


# --- check your answers ------------------------------------------------------------------------


@dataclass
class CheckRow:
    question: Question
    answer: Answer | None
    visible: bool

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.has_value

    @property
    def missing(self) -> bool:
        return self.visible and self.question.required and not self.answered


@dataclass
class CheckTheme:
    theme: Theme
    rows: list[CheckRow]


@dataclass
class CheckAnswers:
    themes: list[CheckTheme]
    missing: list[CheckRow]
    unresolved_comments: list[AnswerComment]


def assessment_check_answers(*, assessment: Assessment) -> CheckAnswers:
    """Every visible question with its answer, the missing required ones and the unresolved
    comments: five queries for any bank size."""
    themes = list(Theme.objects.filter(bank_id=assessment.bank_id).order_by("order", "pk"))
    questions = list(
        Question.objects.filter(theme__bank_id=assessment.bank_id)
        .prefetch_related(Prefetch("levels", queryset=RubricLevel.objects.order_by("order", "pk")))
        .order_by("order", "pk")
    )
    answers = {a.question_id: a for a in Answer.objects.filter(assessment=assessment)}
    values = {qid: answer_condition_values(a) for qid, a in answers.items()}
    visible = visible_question_ids(questions=questions, values_by_question=values)
    by_theme: dict[int, list[CheckRow]] = defaultdict(list)
    for question in questions:
        by_theme[question.theme_id].append(
            CheckRow(
                question=question,
                answer=answers.get(question.pk),
                visible=question.pk in visible,
            )
        )
    check_themes = []
    for theme in themes:
        rows = by_theme.get(theme.pk, [])
        for row in rows:
            row.question.theme = theme  # for links, without a query per row
        check_themes.append(CheckTheme(theme=theme, rows=rows))
    missing = [row for t in check_themes for row in t.rows if row.missing]
    unresolved = list(
        AnswerComment.objects.filter(assessment=assessment, resolved_at__isnull=True)
        .select_related("author", "question__theme")
        .order_by("question__theme__order", "question__order", "created_at")
    )
    return CheckAnswers(themes=check_themes, missing=missing, unresolved_comments=unresolved)
