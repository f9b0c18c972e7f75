"""One question: its answer's history and its comment thread."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments import selectors, services
from assessments.access import READ_AND_POST, assessment_view
from assessments.answers import AnswerValue, answer_display
from assessments.forms import CommentForm
from assessments.models import Assessment, Membership
from assessments.views.common import (
    add_form_errors,
    page_context,
)
from citydigital.http import AuthenticatedHttpRequest


@assessment_view(methods=READ_AND_POST, editor_for="POST", in_progress=True)
def question_detail(
    request: AuthenticatedHttpRequest,
    membership: Membership,
    assessment: Assessment,
    question_pk: int,
) -> HttpResponse:
    page = selectors.question_page_data(assessment=assessment, question_pk=question_pk)
    form = None
    if request.method == "POST":
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
                add_form_errors(form, error, default_field="text")
            else:
                messages.success(request, "Your comment was added.")
                return redirect(request.path)
    elif membership.is_editor and assessment.is_in_progress:
        form = CommentForm()
    history = [
        {
            "entry": entry,
            "old": answer_display(
                page.question,
                None if entry.old_value is None else AnswerValue.from_json(entry.old_value),
            ),
            "new": answer_display(page.question, AnswerValue.from_json(entry.new_value)),
        }
        for entry in page.history
    ]
    return render(
        request,
        "assessments/question_detail.html",
        page_context(
            membership,
            assessment,
            page=page,
            form=form,
            history=history,
            display=answer_display(page.question, page.answer.value if page.answer else None),
        ),
    )


@assessment_view(methods=READ_AND_POST, editor_for="POST", in_progress=True)
def comment_resolve(
    request: AuthenticatedHttpRequest,
    membership: Membership,
    assessment: Assessment,
    comment_pk: int,
) -> HttpResponse:
    comment = selectors.comment_get_or_404(assessment=assessment, pk=comment_pk)
    question_url = reverse(
        "assessments:question-detail",
        kwargs={
            "region_slug": membership.region.slug,
            "pk": assessment.pk,
            "question_pk": comment.question_id,
        },
    )
    if request.method in ("GET", "HEAD"):  # an action, not a page: show the question
        return redirect(question_url)
    comment.assessment = assessment
    services.comment_resolve(comment=comment, user=request.user)
    messages.success(request, "The comment was marked as resolved.")
    return redirect(question_url)
