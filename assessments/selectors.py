"""Reads for regions and assessments. Every page's data comes from one selector here, in a
fixed number of queries whatever the size of the question bank."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from assessments.answers import AnswerValue, visible_question_ids
from assessments.models import (
    EDITING_ROLES,
    Answer,
    AnswerComment,
    AnswerHistory,
    Assessment,
    AssessmentEvent,
    CityRegion,
    Membership,
    ThemeAssignment,
)
from questionbank.selectors import bank_snapshot
from questionbank.snapshot import BankSnapshot, QuestionSnapshot, ThemeSnapshot

REGION_ADMIN_ONLY_MESSAGE = "Only the region's admins can do this."


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


def membership_or_staff_reader_or_404(
    *, user: User | AnonymousUser, region_slug: str
) -> Membership:
    """As `membership_get_or_404`, but service staff (superusers) outside the region read it as a
    viewer would: they get an unsaved viewer membership (`pk` None)."""
    try:
        return membership_get_or_404(user=user, region_slug=region_slug)
    except Http404:
        if not (user.is_authenticated and user.is_superuser):
            raise
    region = CityRegion.objects.filter(slug=region_slug).first()
    if region is None:
        raise Http404("No such region")
    return Membership(user=user, region=region, role=Membership.Role.VIEWER)


def region_editors(*, region: CityRegion) -> QuerySet[Membership]:
    """Everyone who may change the region's assessments: editors and region admins."""
    return (
        Membership.objects.filter(region=region, role__in=EDITING_ROLES)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def user_is_editor(*, user: User, region: CityRegion) -> bool:
    return Membership.objects.filter(user=user, region=region, role__in=EDITING_ROLES).exists()


def user_is_region_admin(*, user: User, region: CityRegion) -> bool:
    return Membership.objects.filter(user=user, region=region, role=Membership.Role.ADMIN).exists()


def membership_require_editor(*, user: User, region: CityRegion) -> None:
    """The one role check of the services (assessments, results, re-assessment, open data): the
    pages refuse viewers first (`assessments.access`), this holds for every other caller."""
    if not user_is_editor(user=user, region=region):
        raise PermissionDenied("Only editors of this region can make changes.")


def membership_require_region_admin(*, user: User, region: CityRegion) -> None:
    """The services' check for what only a region admin may do (the team, open data)."""
    if not user_is_region_admin(user=user, region=region):
        raise PermissionDenied(REGION_ADMIN_ONLY_MESSAGE)


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


def assessment_events(*, assessment: Assessment) -> QuerySet[AssessmentEvent]:
    return assessment.events.select_related("user").order_by("-created_at", "-pk")


# --- the bank and the answers ----------------------------------------------------------------


def assessment_bank(*, assessment: Assessment) -> BankSnapshot:
    """The bank version the assessment is pinned to, as its snapshot (no query once cached)."""
    return bank_snapshot(bank=assessment.bank)


def answer_values(*, assessment: Assessment) -> dict[int, AnswerValue]:
    """Every answer of the assessment by question id: one query."""
    answers = Answer.objects.filter(assessment=assessment).only(
        "question_id", "selected_values", "number_value", "text_value", "note", "evidence_url"
    )
    return {answer.question_id: answer.value for answer in answers}


def visible_ids(
    *, questions: Iterable[QuestionSnapshot], values: Mapping[int, AnswerValue]
) -> set[int]:
    """The questions these answers show (see assessments.answers.visible_question_ids)."""
    return visible_question_ids(
        questions=questions,
        values_by_question={qid: value.condition_values() for qid, value in values.items()},
    )


def _unresolved_comment_counts(*, assessment: Assessment) -> dict[int, int]:
    """Unresolved comments by question id: one query."""
    counts: dict[int, int] = defaultdict(int)
    for question_id in (
        AnswerComment.objects.filter(assessment=assessment, resolved_at__isnull=True)
        .order_by()
        .values_list("question_id", flat=True)
    ):
        counts[question_id] += 1
    return counts


# --- the task list -----------------------------------------------------------------------------


@dataclass
class ThemeProgress:
    theme: ThemeSnapshot
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


def _theme_owners(*, assessment: Assessment) -> dict[int, User]:
    assignments = ThemeAssignment.objects.filter(assessment=assessment).select_related("assignee")
    return {a.theme_id: a.assignee for a in assignments}


def assessment_task_list(
    *, assessment: Assessment, user: User, mine_only: bool, today: date
) -> TaskList:
    """Every theme with its status, answered count and owner: three queries for any bank size
    (the bank itself comes from its snapshot)."""
    bank = assessment_bank(assessment=assessment)
    values = answer_values(assessment=assessment)
    owners = _theme_owners(assessment=assessment)
    unresolved = _unresolved_comment_counts(assessment=assessment)
    visible = visible_ids(questions=bank.questions, values=values)

    progress = []
    for theme in bank.themes:
        shown = [q for q in theme.questions if q.id in visible]
        answered = {q.id for q in shown if q.id in values and values[q.id].has_value}
        progress.append(
            ThemeProgress(
                theme=theme,
                total=len(shown),
                answered=len(answered),
                required_missing=sum(1 for q in shown if q.required and q.id not in answered),
                owner=owners.get(theme.id),
                unresolved_comments=sum(unresolved[q.id] for q in theme.questions),
            )
        )
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
    bank: BankSnapshot
    theme: ThemeSnapshot
    questions: tuple[QuestionSnapshot, ...]
    answers: dict[int, Answer]
    visible_ids: set[int]
    comments: dict[int, list[AnswerComment]]
    owner: User | None
    next_theme: ThemeSnapshot | None = None
    previous_theme: ThemeSnapshot | None = None


def theme_page_data(*, assessment: Assessment, theme_slug: str) -> ThemePage:
    """One theme's questions, answers, comments and owner: three queries for any size (the
    bank itself comes from its snapshot)."""
    bank = assessment_bank(assessment=assessment)
    theme = bank.theme_by_slug.get(theme_slug)
    if theme is None:
        raise Http404("No such theme")
    question_ids = [q.id for q in theme.questions]
    condition_ids = {q.condition.question_id for q in theme.questions if q.condition}
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(
            assessment=assessment, question_id__in=set(question_ids) | condition_ids
        ).select_related("updated_by")
    }
    comments: dict[int, list[AnswerComment]] = defaultdict(list)
    for comment in (
        AnswerComment.objects.filter(assessment=assessment, question_id__in=question_ids)
        .select_related("author", "resolved_by")
        .order_by("created_at", "pk")
    ):
        comments[comment.question_id].append(comment)
    assignment = (
        ThemeAssignment.objects.filter(assessment=assessment, theme_id=theme.id)
        .select_related("assignee")
        .first()
    )
    # Conditions point at earlier questions of the same theme; one elsewhere reads its answer.
    visible = visible_ids(
        questions=theme.questions, values={qid: a.value for qid, a in answers.items()}
    )
    index = bank.themes.index(theme)
    return ThemePage(
        bank=bank,
        theme=theme,
        questions=theme.questions,
        answers=answers,
        visible_ids=visible,
        comments=dict(comments),
        owner=assignment.assignee if assignment else None,
        next_theme=bank.themes[index + 1] if index + 1 < len(bank.themes) else None,
        previous_theme=bank.themes[index - 1] if index > 0 else None,
    )


# --- one question: its answer, history and comments --------------------------------------------


@dataclass
class QuestionPage:
    question: QuestionSnapshot
    theme: ThemeSnapshot
    answer: Answer | None
    history: list[AnswerHistory]
    comments: list[AnswerComment]


def question_of_assessment(*, assessment: Assessment, question_id: int) -> QuestionSnapshot:
    """A question of the assessment's bank version; any other id is 404."""
    question = assessment_bank(assessment=assessment).question_by_id.get(question_id)
    if question is None:
        raise Http404("No such question")
    return question


def question_page_data(*, assessment: Assessment, question_pk: int) -> QuestionPage:
    question = question_of_assessment(assessment=assessment, question_id=question_pk)
    answer = (
        Answer.objects.filter(assessment=assessment, question_id=question.id)
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
        AnswerComment.objects.filter(assessment=assessment, question_id=question.id)
        .select_related("author", "resolved_by")
        .order_by("created_at", "pk")
    )
    theme = assessment_bank(assessment=assessment).theme_of(question)
    return QuestionPage(
        question=question, theme=theme, answer=answer, history=history, comments=comments
    )


def comment_get_or_404(*, assessment: Assessment, pk: int) -> AnswerComment:
    try:
        return AnswerComment.objects.get(assessment=assessment, pk=pk)
    except AnswerComment.DoesNotExist:
        raise Http404("No such comment") from None


def answer_value_at_revision(*, answer: Answer, revision: int) -> AnswerValue | None:
    """The answer as it stood at `revision` (None before its first save)."""
    if revision <= 0:
        return None
    entry = AnswerHistory.objects.filter(answer=answer, revision=revision).first()
    return AnswerValue.from_json(entry.new_value) if entry else None


# --- check your answers ------------------------------------------------------------------------


@dataclass
class CheckRow:
    question: QuestionSnapshot
    theme: ThemeSnapshot
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
    theme: ThemeSnapshot
    rows: list[CheckRow]


@dataclass
class CommentRow:
    comment: AnswerComment
    question: QuestionSnapshot
    theme: ThemeSnapshot


@dataclass
class CheckAnswers:
    themes: list[CheckTheme]
    missing: list[CheckRow]
    unresolved_comments: list[CommentRow]


def assessment_check_answers(*, assessment: Assessment) -> CheckAnswers:
    """Every visible question with its answer, the missing required ones and the unresolved
    comments: two queries for any bank size (the bank itself comes from its snapshot)."""
    bank = assessment_bank(assessment=assessment)
    answers = {a.question_id: a for a in Answer.objects.filter(assessment=assessment)}
    visible = visible_ids(
        questions=bank.questions, values={qid: a.value for qid, a in answers.items()}
    )
    check_themes = [
        CheckTheme(
            theme=theme,
            rows=[
                CheckRow(
                    question=question,
                    theme=theme,
                    answer=answers.get(question.id),
                    visible=question.id in visible,
                )
                for question in theme.questions
            ],
        )
        for theme in bank.themes
    ]
    missing = [row for t in check_themes for row in t.rows if row.missing]
    unresolved = []
    for comment in (
        AnswerComment.objects.filter(assessment=assessment, resolved_at__isnull=True)
        .select_related("author")
        .order_by("created_at", "pk")
    ):
        question = bank.question_by_id.get(comment.question_id)
        if question is not None:
            unresolved.append(CommentRow(comment, question, bank.theme_of(question)))
    position = {question.id: i for i, question in enumerate(bank.questions)}
    unresolved.sort(key=lambda row: position[row.question.id])  # bank order, then time
    return CheckAnswers(themes=check_themes, missing=missing, unresolved_comments=unresolved)


def theme_assignment_get(*, assessment: Assessment, theme_id: int) -> ThemeAssignment | None:
    """The theme's owner (with the user), or None when nobody owns it yet."""
    return (
        ThemeAssignment.objects.select_related("assignee")
        .filter(assessment=assessment, theme_id=theme_id)
        .first()
    )
