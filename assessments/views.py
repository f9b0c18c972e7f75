"""Pages of a region and its assessments. Views parse the request, call one selector or
service, and render. Every page first checks membership: outsiders get 404."""

import json
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.forms import BoundField
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from assessments import selectors, services
from assessments.forms import (
    KEEP_THEIRS,
    AssessmentStartForm,
    CommentForm,
    ReopenForm,
    ThemeAnswersForm,
    ThemeAssignForm,
    answer_display,
    answer_initial,
    answer_value_initial,
)
from assessments.models import NOTE_MAX_LENGTH, Answer, AnswerComment, Assessment, Membership
from questionbank.models import Question

READ_ONLY_MESSAGE = "You can read this region's assessments but not change them."
SUBMITTED_MESSAGE = (
    "This assessment has been submitted, so its answers cannot be changed. An editor can reopen it."
)


def _not_allowed(request: HttpRequest, *methods: str) -> HttpResponse | None:
    return None if request.method in methods else HttpResponseNotAllowed(methods)


def _refuse(request: HttpRequest, membership: Membership, message: str) -> HttpResponse:
    return render(
        request,
        "assessments/forbidden.html",
        {"region": membership.region, "membership": membership, "message": message},
        status=403,
    )


def _change_refusal(
    request: HttpRequest, membership: Membership, assessment: Assessment | None = None
) -> HttpResponse | None:
    """A read-only response for a viewer's or a submitted assessment's POST, else None."""
    if not membership.is_editor:
        return _refuse(request, membership, READ_ONLY_MESSAGE)
    if assessment is not None and not assessment.is_in_progress:
        return _refuse(request, membership, SUBMITTED_MESSAGE)
    return None


def _load(request: HttpRequest, region_slug: str, pk: int) -> tuple[Membership, Assessment]:
    membership = selectors.membership_get_or_404(user=request.user, region_slug=region_slug)
    assessment = selectors.assessment_get_or_404(region=membership.region, pk=pk)
    return membership, assessment


def _context(membership: Membership, assessment: Assessment, **extra) -> dict:
    return {
        "membership": membership,
        "region": membership.region,
        "assessment": assessment,
        "can_edit": membership.is_editor and assessment.is_in_progress,
        **extra,
    }


# --- regions -------------------------------------------------------------------------------------


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    if refused := _not_allowed(request, "GET", "HEAD"):
        return refused
    memberships = selectors.membership_list_for_user(user=request.user)
    return render(request, "assessments/region_list.html", {"memberships": memberships})


@login_required
def region_detail(request: HttpRequest, region_slug: str) -> HttpResponse:
    membership = selectors.membership_get_or_404(user=request.user, region_slug=region_slug)
    if refused := _not_allowed(request, "GET", "HEAD"):
        return refused
    region = membership.region
    assessments = list(selectors.assessment_list_for_region(region=region))
    in_progress = next((a for a in assessments if a.is_in_progress), None)
    return render(
        request,
        "assessments/region_detail.html",
        {
            "membership": membership,
            "region": region,
            "day_in_office": region.day_in_office(timezone.localdate()),
            "assessments": assessments,
            "in_progress": in_progress,
            "start_form": AssessmentStartForm() if membership.is_editor else None,
        },
    )


# --- starting ------------------------------------------------------------------------------------


@login_required
def assessment_start(request: HttpRequest, region_slug: str) -> HttpResponse:
    membership = selectors.membership_get_or_404(user=request.user, region_slug=region_slug)
    if refused := _not_allowed(request, "GET", "HEAD", "POST"):
        return refused
    if refused := _change_refusal(request, membership):
        return refused
    region = membership.region
    form = AssessmentStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                region=region, user=request.user, label=form.cleaned_data["label"]
            )
        except ValidationError as error:
            _add_errors(form, error, default_field="label")
        else:
            messages.success(request, f"You started “{assessment.label}”.")
            return redirect(assessment.get_absolute_url())
    return render(
        request,
        "assessments/assessment_start.html",
        {
            "membership": membership,
            "region": region,
            "form": form,
            "in_progress": selectors.assessment_in_progress(region=region),
        },
    )


def _add_errors(form, error: ValidationError, default_field: str | None) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(name if name in form.fields else default_field, message)
    else:
        for message in error.messages:
            form.add_error(default_field, message)


# --- the task list -------------------------------------------------------------------------------


@login_required
def assessment_tasks(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    membership, assessment = _load(request, region_slug, pk)
    if refused := _not_allowed(request, "GET", "HEAD"):
        return refused
    task_list = selectors.assessment_task_list(
        assessment=assessment,
        user=request.user,
        mine_only=request.GET.get("mine") == "1",
        today=timezone.localdate(),
    )
    return render(
        request,
        "assessments/assessment_tasks.html",
        _context(membership, assessment, task_list=task_list),
    )


# --- a theme page --------------------------------------------------------------------------------


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


def _theme_form(page: selectors.ThemePage, data=None, *, initial=None, conflicts=frozenset()):
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
    context = _context(
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
def theme_detail(request: HttpRequest, region_slug: str, pk: int, theme_slug: str) -> HttpResponse:
    membership, assessment = _load(request, region_slug, pk)
    if refused := _not_allowed(request, "GET", "HEAD", "POST"):
        return refused
    page = selectors.theme_page_data(assessment=assessment, theme_slug=theme_slug)
    can_edit = membership.is_editor and assessment.is_in_progress
    if request.method != "POST":
        return _render_theme(
            request, membership, assessment, page, _theme_form(page) if can_edit else None
        )
    if refused := _change_refusal(request, membership, assessment):
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


def _theme_save(request, membership, assessment, page, form) -> HttpResponse:
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
def theme_assign(request: HttpRequest, region_slug: str, pk: int, theme_slug: str) -> HttpResponse:
    membership, assessment = _load(request, region_slug, pk)
    if refused := _not_allowed(request, "GET", "HEAD", "POST"):
        return refused
    if refused := _change_refusal(request, membership, assessment):
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
            _add_errors(form, error, default_field="assignee")
        else:
            messages.success(request, f"The owner of “{page.theme.title}” was saved.")
            return redirect(assessment.get_absolute_url())
    return render(
        request,
        "assessments/theme_assign.html",
        _context(membership, assessment, page=page, form=form),
    )


# --- one question: answer history and comments ---------------------------------------------------


@login_required
def question_detail(
    request: HttpRequest, region_slug: str, pk: int, question_pk: int
) -> HttpResponse:
    membership, assessment = _load(request, region_slug, pk)
    if refused := _not_allowed(request, "GET", "HEAD", "POST"):
        return refused
    page = selectors.question_page_data(assessment=assessment, question_pk=question_pk)
    form = None
    if request.method == "POST":
        if refused := _change_refusal(request, membership, assessment):
            return refused
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.comment_add(
                    assessment=assessment,
                    question=page.question,
                    user=request.user,
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                _add_errors(form, error, default_field="text")
            else:
                messages.success(request, "Your comment was added.")
                return redirect(request.path)
    elif membership.is_editor and assessment.is_in_progress:
        form = CommentForm()
    history = [
        {
            "entry": entry,
            "old": answer_display(page.question, entry.old_value),
            "new": answer_display(page.question, entry.new_value),
        }
        for entry in page.history
    ]
    return render(
        request,
        "assessments/question_detail.html",
        _context(
            membership,
            assessment,
            page=page,
            form=form,
            history=history,
            display=answer_display(page.question, page.answer.as_value() if page.answer else None),
        ),
    )


@login_required
def comment_resolve(
    request: HttpRequest, region_slug: str, pk: int, comment_pk: int
) -> HttpResponse:
    membership, assessment = _load(request, region_slug, pk)
    comment = selectors.comment_get_or_404(assessment=assessment, pk=comment_pk)
    question_url = reverse(
        "assessments:question-detail",
        kwargs={
            "region_slug": region_slug,
            "pk": assessment.pk,
            "question_pk": comment.question_id,
        },
    )
    if request.method in ("GET", "HEAD"):
        return redirect(question_url)
    if refused := _not_allowed(request, "POST"):
        return refused
    if refused := _change_refusal(request, membership, assessment):
        return refused
    comment.assessment = assessment
    services.comment_resolve(comment=comment, user=request.user)
    messages.success(request, "The comment was marked as resolved.")
    return redirect(question_url)


# --- check, submit, reopen -----------------------------------------------------------------------


def _render_check(
    request, membership, assessment, *, submit_failed=False, submit_messages=(), status=200
):
    check = selectors.assessment_check_answers(assessment=assessment)
    rows = {
        theme.theme.pk: [
            {
                "row": row,
                "display": answer_display(
                    row.question, row.answer.as_value() if row.answer else None
                ),
            }
            for row in theme.rows
            if row.visible
        ]
        for theme in check.themes
    }
    return render(
        request,
        "assessments/assessment_check.html",
        _context(
            membership,
            assessment,
            check=check,
            theme_rows=[(theme.theme, rows[theme.theme.pk]) for theme in check.themes],
            submit_failed=submit_failed,
            submit_messages=list(submit_messages),
            events=list(selectors.assessment_events(assessment=assessment)),
        ),
        status=status,
    )


@login_required
def assessment_check(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    membership, assessment = _load(request, region_slug, pk)
    if refused := _not_allowed(request, "GET", "HEAD"):
        return refused
    return _render_check(request, membership, assessment)


@login_required
def assessment_submit(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    membership, assessment = _load(request, region_slug, pk)
    if request.method in ("GET", "HEAD"):
        return redirect("assessments:assessment-check", region_slug=region_slug, pk=assessment.pk)
    if refused := _not_allowed(request, "POST"):
        return refused
    if refused := _change_refusal(request, membership, assessment):
        return refused
    try:
        services.assessment_submit(assessment=assessment, user=request.user)
    except ValidationError as error:
        # Missing answers are listed from the check itself, each linking to its row.
        missing = any(getattr(e, "code", None) == "missing" for e in error.error_list)
        return _render_check(
            request,
            membership,
            assessment,
            submit_failed=True,
            submit_messages=[] if missing else error.messages,
        )
    except PermissionDenied:
        return _refuse(request, membership, READ_ONLY_MESSAGE)
    messages.success(request, f"“{assessment.label}” was submitted.")
    return redirect(assessment.get_absolute_url())


@login_required
def assessment_reopen(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    membership, assessment = _load(request, region_slug, pk)
    if refused := _not_allowed(request, "GET", "HEAD", "POST"):
        return refused
    if not membership.is_editor:
        return _refuse(request, membership, READ_ONLY_MESSAGE)
    if assessment.is_in_progress:
        messages.info(request, "This assessment is already open for changes.")
        return redirect(assessment.get_absolute_url())
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_reopen(
                assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error, default_field="reason")
        else:
            messages.success(request, f"“{assessment.label}” was reopened for changes.")
            return redirect(assessment.get_absolute_url())
    return render(
        request, "assessments/assessment_reopen.html", _context(membership, assessment, form=form)
    )
