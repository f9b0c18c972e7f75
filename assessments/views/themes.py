"""A theme's questions: answering, the stale-save confirm step, and the theme's owner."""

import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.forms import BoundField
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments import selectors, services
from assessments.forms import (
    KEEP_THEIRS,
    ThemeAnswersForm,
    ThemeAssignForm,
    answer_display,
    answer_initial,
    answer_value_initial,
)
from assessments.models import NOTE_MAX_LENGTH, Answer, AnswerComment, Assessment, Membership
from assessments.views.common import (
    add_form_errors,
    change_refusal,
    load,
    not_allowed,
    page_context,
)
from citydigital.http import AuthenticatedHttpRequest
from questionbank.models import Question


@dataclass
class QuestionBlock:
    """What the theme page shows for one question."""

    question: Question
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
        return self.question.kind not in (Question.Kind.NUMBER, Question.Kind.TEXT)


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
            display=answer_display(question, answer.as_value() if answer else None),
        )
        if question.condition_question_id:
            block.condition = {
                "question": f"q{question.condition_question_id}",
                "values": json.dumps([str(v) for v in question.condition_values or []]),
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
    initial: dict[str, Any] | None = None,
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
        note_max_length=NOTE_MAX_LENGTH,
    )
    if form is None:
        context["can_edit"] = False
    return render(request, "assessments/theme_detail.html", context, status=status)


@login_required
def theme_detail(
    request: AuthenticatedHttpRequest, region_slug: str, pk: int, theme_slug: str
) -> HttpResponse:
    membership, assessment = load(request, region_slug, pk)
    if refused := not_allowed(request, "GET", "HEAD", "POST"):
        return refused
    page = selectors.theme_page_data(assessment=assessment, theme_slug=theme_slug)
    can_edit = membership.is_editor and assessment.is_in_progress
    if request.method != "POST":
        return _render_theme(
            request, membership, assessment, page, _theme_form(page) if can_edit else None
        )
    if refused := change_refusal(request, membership, assessment):
        return refused
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
                    "What you sent was too large to save (a note can be up to 2,000 "
                    "characters). Nothing was saved.",
                )
            ],
            status=400,
        )
    form = _theme_form(page, posted)
    if not form.is_valid():
        return _render_theme(request, membership, assessment, page, form)
    return _theme_save(request, membership, assessment, page, form)


def _theme_save(
    request: AuthenticatedHttpRequest,
    membership: Membership,
    assessment: Assessment,
    page: selectors.ThemePage,
    form: ThemeAnswersForm,
) -> HttpResponse:
    hidden_before = {q.pk for q in page.questions} - page.visible_ids
    values = {
        qid: selectors.answer_condition_values(answer) for qid, answer in page.answers.items()
    }
    values.update(form.posted_condition_values())
    visible_after = selectors.visible_question_ids(
        questions=page.questions, values_by_question=values
    )
    conflicts: dict[int, dict] = {}
    attempted: dict[int, dict] = {}
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
            conflicts[posted.question.pk] = {
                "their_answer": answer_display(posted.question, theirs.as_value()),
                "their_note": theirs.note,
                "by": theirs.updated_by,
                "at": theirs.updated_at,
                "your_answer": answer_display(posted.question, conflict.attempted),
            }
            attempted[posted.question.pk] = conflict.attempted
        except ValidationError as error:
            form.add_service_errors(posted.question, error)
    if form.errors:
        return _render_theme(request, membership, assessment, page, form)

    page = selectors.theme_page_data(assessment=assessment, theme_slug=page.theme.slug)
    if conflicts:
        initial = {}
        for question in page.questions:
            if question.pk in attempted:
                initial.update(answer_value_initial(question, attempted[question.pk]))
            else:
                initial.update(answer_initial(question, page.answers.get(question.pk)))
        form = _theme_form(page, initial=initial, conflicts=frozenset(conflicts))
        return _render_theme(request, membership, assessment, page, form, conflicts=conflicts)

    # Questions this save revealed and nobody has answered yet (without the script they were
    # not on the page): stay on the theme so they can be answered.
    newly_shown = [
        q
        for q in page.questions
        if q.pk in page.visible_ids
        and q.pk in hidden_before
        and not (q.pk in page.answers and page.answers[q.pk].has_value)
    ]
    theme_url = reverse(
        "assessments:theme-detail",
        kwargs={
            "region_slug": assessment.region.slug,
            "pk": assessment.pk,
            "theme_slug": page.theme.slug,
        },
    )
    if newly_shown:
        messages.info(
            request, "Your answers were saved. More questions now apply: answer them below."
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
            region_slug=assessment.region.slug,
            pk=assessment.pk,
            theme_slug=page.next_theme.slug,
        )
    return redirect(
        "assessments:assessment-check", region_slug=assessment.region.slug, pk=assessment.pk
    )


# --- owners ---------------------------------------------------------------------------------------


@login_required
def theme_assign(
    request: AuthenticatedHttpRequest, region_slug: str, pk: int, theme_slug: str
) -> HttpResponse:
    membership, assessment = load(request, region_slug, pk)
    if refused := not_allowed(request, "GET", "HEAD", "POST"):
        return refused
    if refused := change_refusal(request, membership, assessment):
        return refused
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
