"""One question: its answer's history and its comment thread."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments import selectors, services
from assessments.forms import (
    CommentForm,
    answer_display,
)
from assessments.views.common import (
    add_form_errors,
    change_refusal,
    load,
    not_allowed,
    page_context,
)
from citydigital.http import AuthenticatedHttpRequest


@login_required
def question_detail(
    request: AuthenticatedHttpRequest, region_slug: str, pk: int, question_pk: int
) -> HttpResponse:
    membership, assessment = load(request, region_slug, pk)
    if refused := not_allowed(request, "GET", "HEAD", "POST"):
        return refused
    page = selectors.question_page_data(assessment=assessment, question_pk=question_pk)
    form = None
    if request.method == "POST":
        if refused := change_refusal(request, membership, assessment):
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
                add_form_errors(form, error, default_field="text")
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
        page_context(
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
    request: AuthenticatedHttpRequest, region_slug: str, pk: int, comment_pk: int
) -> HttpResponse:
    membership, assessment = load(request, region_slug, pk)
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
    if refused := not_allowed(request, "POST"):
        return refused
    if refused := change_refusal(request, membership, assessment):
        return refused
    comment.assessment = assessment
    services.comment_resolve(comment=comment, user=request.user)
    messages.success(request, "The comment was marked as resolved.")
    return redirect(question_url)
