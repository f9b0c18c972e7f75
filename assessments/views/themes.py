"""A theme's questions: answering, the stale-save confirm step, and the theme's owner."""

import json
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.forms import BoundField
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments import limits, selectors, services
from assessments.access import READ_AND_POST, assessment_view
from assessments.answers import AnswerValue, answer_display, visible_question_ids
from assessments.forms import (
    KEEP_THEIRS,
    ThemeAnswersForm,
    ThemeAssignForm,
    answer_initial,
    answer_value_initial,
)
from assessments.models import Answer, AnswerComment, Assessment, Membership
from assessments.views.common import (
    add_form_errors,
    page_context,
)
from citydigital.http import AuthenticatedHttpRequest
from questionbank.snapshot import QuestionSnapshot


@dataclass
class QuestionBlock:
    """What the theme page shows for one question."""

    question: QuestionSnapshot
    visible: bool
    answer: Answer | None
    comments: list[AnswerComment]
    value: BoundField | None = None
    note: BoundField | None = None
    evidence: BoundField | None = None
    revision: BoundField | None = None
    keep: BoundField | None = None
    conflict_marker: BoundField | None = None
    conflict: dict | None = None
    display: str = ""
    condition: dict = field(default_factory=dict)

    @property
    def unresolved_comments(self) -> int:
        return sum(1 for c in self.comments if not c.is_resolved)

    @property
    def is_choice(self) -> bool:
        return self.question.takes_choice


def _blocks(page: selectors.ThemePage, form: ThemeAnswersForm | None, conflicts: dict) -> list:
    blocks = []
    for question in page.questions:
        key = f"q{question.pk}"
        answer = page.answers.get(question.pk)
        block = QuestionBlock(
            question=question,
            visible=question.pk in page.visible_ids,
            answer=answer,
            comments=page.comments.get(question.pk, []),
            conflict=conflicts.get(question.pk),
            display=answer_display(question, answer.value if answer else None),
        )
        if question.condition is not None:
            block.condition = {
                "question": f"q{question.condition.question_id}",
                "values": json.dumps(list(question.condition.values)),
            }
        if form is not None:
            block.value = form[key]
            block.note = form[f"{key}-note"]
            block.evidence = form[f"{key}-evidence"]
            block.revision = form[f"{key}-revision"]
            if f"{key}-keep" in form.fields:
                block.keep = form[f"{key}-keep"]
                block.conflict_marker = form[f"{key}-conflict"]
        blocks.append(block)
    return blocks


def _theme_form(
    page: selectors.ThemePage,
    data: QueryDict | None = None,
    *,
    initial: dict[str, object] | None = None,
    conflicts: frozenset[int] = frozenset(),
) -> ThemeAnswersForm:
    revisions = {qid: a.revision for qid, a in page.answers.items()}
    if initial is None:
        initial = {}
        for question in page.questions:
            initial.update(answer_initial(question, page.answers.get(question.pk)))
    return ThemeAnswersForm(
        data,
        questions=page.questions,
        revisions=revisions,
        conflicts=conflicts,
        initial=initial,
    )


def _render_theme(
    request: HttpRequest,
    membership: Membership,
    assessment: Assessment,
    page: selectors.ThemePage,
    form: ThemeAnswersForm | None,
    *,
    conflicts: dict | None = None,
    extra_errors: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    error_links = list(extra_errors or [])
    if form is not None and form.is_bound:
        error_links += form.error_links()
    context = page_context(
        membership,
        assessment,
        page=page,
        form=form,
        blocks=_blocks(page, form, conflicts or {}),
        error_links=error_links,
        conflicts=conflicts or {},
        note_max_length=limits.NOTE.max_length,
    )
    if form is None:
        context["can_edit"] = False
    return render(request, "assessments/theme_detail.html", context, status=status)


@assessment_view(methods=READ_AND_POST, editor_for="POST", in_progress=True)
def theme_detail(
    request: AuthenticatedHttpRequest,
    membership: Membership,
    assessment: Assessment,
    theme_slug: str,
) -> HttpResponse:
    page = selectors.theme_page_data(assessment=assessment, theme_slug=theme_slug)
    can_edit = membership.is_editor and assessment.is_in_progress
    if request.method != "POST":
        return _render_theme(
            request, membership, assessment, page, _theme_form(page) if can_edit else None
        )
    try:
        posted = request.POST
    except RequestDataTooBig:
        return _render_theme(
            request,
            membership,
            assessment,
            page,
            _theme_form(page),
            extra_errors=[
                (
                    "main-content",
                    "What you sent was too large to save (a note can be up to "
                    f"{limits.NOTE.max_length:,} characters). Nothing was saved.",
                )
            ],
            status=400,
        )
    form = _theme_form(page, posted)
    if not form.is_valid():
        return _render_theme(request, membership, assessment, page, form)
    return _theme_save(request, membership, assessment, page, form)


@dataclass
class SaveOutcome:
    """What saving a theme's posted answers met: colleagues' newer answers (shown side by side
    with this person's) and what this person tried to write for each."""

    conflicts: dict[int, dict] = field(default_factory=dict)
    attempted: dict[int, AnswerValue] = field(default_factory=dict)


def _save_posted(
    request: AuthenticatedHttpRequest,
    assessment: Assessment,
    page: selectors.ThemePage,
    form: ThemeAnswersForm,
) -> SaveOutcome:
    """Save every visible posted answer; a service's refusal becomes an error on the form."""
    values = {qid: answer.value.condition_values() for qid, answer in page.answers.items()}
    values.update(form.posted_condition_values())
    visible_after = visible_question_ids(questions=page.questions, values_by_question=values)
    outcome = SaveOutcome()
    for posted in form.posted_answers(visible_ids=visible_after):
        if posted.keep == KEEP_THEIRS:
            continue
        try:
            services.answer_save(
                assessment=assessment,
                question=posted.question,
                user=request.user,
                data=posted.data,
                expected_revision=posted.expected_revision,
            )
        except services.AnswerConflict as conflict:
            theirs = conflict.answer
            outcome.conflicts[posted.question.pk] = {
                "their_answer": answer_display(posted.question, theirs.value),
                "their_note": theirs.note,
                "by": theirs.updated_by,
                "at": theirs.updated_at,
                "your_answer": answer_display(posted.question, conflict.attempted),
            }
            outcome.attempted[posted.question.pk] = conflict.attempted
        except ValidationError as error:
            form.add_service_errors(posted.question, error)
    return outcome


def _conflict_form(page: selectors.ThemePage, outcome: SaveOutcome) -> ThemeAnswersForm:
    """The theme again, each conflicting question holding what this person tried to write."""
    initial: dict[str, object] = {}
    for question in page.questions:
        if question.pk in outcome.attempted:
            initial.update(answer_value_initial(question, outcome.attempted[question.pk]))
        else:
            initial.update(answer_initial(question, page.answers.get(question.pk)))
    return _theme_form(page, initial=initial, conflicts=frozenset(outcome.conflicts))


def _after_save(
    request: HttpRequest, assessment: Assessment, page: selectors.ThemePage, hidden_before: set
) -> HttpResponse:
    """Where a successful save leads: newly revealed questions, the task list, the next theme
    or check your answers."""
    # Questions this save revealed and nobody has answered yet (without the script they were
    # not on the page): stay on the theme so they can be answered.
    newly_shown = [
        q
        for q in page.questions
        if q.pk in page.visible_ids
        and q.pk in hidden_before
        and not (q.pk in page.answers and page.answers[q.pk].has_value)
    ]
    region_slug = assessment.region.slug
    if newly_shown:
        messages.info(
            request, "Your answers were saved. More questions now apply: answer them below."
        )
        theme_url = reverse(
            "assessments:theme-detail",
            kwargs={"region_slug": region_slug, "pk": assessment.pk, "theme_slug": page.theme.slug},
        )
        return redirect(f"{theme_url}#question-{newly_shown[0].pk}")
    if "later" in request.POST:
        messages.success(
            request, f"Your answers to “{page.theme.title}” were saved. You can come back later."
        )
        return redirect(assessment.get_absolute_url())
    if page.next_theme is not None:
        return redirect(
            "assessments:theme-detail",
            region_slug=region_slug,
            pk=assessment.pk,
            theme_slug=page.next_theme.slug,
        )
    return redirect("assessments:assessment-check", region_slug=region_slug, pk=assessment.pk)


def _theme_save(
    request: AuthenticatedHttpRequest,
    membership: Membership,
    assessment: Assessment,
    page: selectors.ThemePage,
    form: ThemeAnswersForm,
) -> HttpResponse:
    hidden_before = {q.pk for q in page.questions} - page.visible_ids
    outcome = _save_posted(request, assessment, page, form)
    if form.errors:
        return _render_theme(request, membership, assessment, page, form)
    page = selectors.theme_page_data(assessment=assessment, theme_slug=page.theme.slug)
    if outcome.conflicts:
        form = _conflict_form(page, outcome)
        return _render_theme(
            request, membership, assessment, page, form, conflicts=outcome.conflicts
        )
    return _after_save(request, assessment, page, hidden_before)


# --- owners ---------------------------------------------------------------------------------------


@assessment_view(methods=READ_AND_POST, editor_for="ALL", in_progress=True)
def theme_assign(
    request: AuthenticatedHttpRequest,
    membership: Membership,
    assessment: Assessment,
    theme_slug: str,
) -> HttpResponse:
    page = selectors.theme_page_data(assessment=assessment, theme_slug=theme_slug)
    editors = list(selectors.region_editors(region=membership.region))
    form = ThemeAssignForm(
        request.POST or None,
        editors=editors,
        initial={"assignee": str(page.owner.pk) if page.owner else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_assign(
                assessment=assessment,
                theme=page.theme,
                assignee=form.cleaned_assignee(),
                user=request.user,
            )
        except ValidationError as error:
            add_form_errors(form, error, default_field="assignee")
        else:
            messages.success(request, f"The owner of “{page.theme.title}” was saved.")
            return redirect(assessment.get_absolute_url())
    return render(
        request,
        "assessments/theme_assign.html",
        page_context(membership, assessment, page=page, form=form),
    )
