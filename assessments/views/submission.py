"""Check your answers, submit and reopen."""

from collections.abc import Sequence

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from assessments import selectors, services
from assessments.forms import (
    ReopenForm,
    answer_display,
)
from assessments.models import Assessment, Membership
from assessments.views.common import (
    READ_ONLY_MESSAGE,
    add_form_errors,
    change_refusal,
    load,
    not_allowed,
    page_context,
    refuse,
)
from citydigital.http import AuthenticatedHttpRequest


def _render_check(
    request: HttpRequest,
    membership: Membership,
    assessment: Assessment,
    *,
    submit_failed: bool = False,
    submit_messages: Sequence[str] = (),
    status: int = 200,
) -> HttpResponse:
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
        page_context(
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
    membership, assessment = load(request, region_slug, pk)
    if refused := not_allowed(request, "GET", "HEAD"):
        return refused
    return _render_check(request, membership, assessment)


@login_required
def assessment_submit(request: AuthenticatedHttpRequest, region_slug: str, pk: int) -> HttpResponse:
    membership, assessment = load(request, region_slug, pk)
    if request.method in ("GET", "HEAD"):
        return redirect("assessments:assessment-check", region_slug=region_slug, pk=assessment.pk)
    if refused := not_allowed(request, "POST"):
        return refused
    if refused := change_refusal(request, membership, assessment):
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
        return refuse(request, membership, READ_ONLY_MESSAGE)
    messages.success(request, f"“{assessment.label}” was submitted.")
    return redirect(assessment.get_absolute_url())


@login_required
def assessment_reopen(request: AuthenticatedHttpRequest, region_slug: str, pk: int) -> HttpResponse:
    membership, assessment = load(request, region_slug, pk)
    if refused := not_allowed(request, "GET", "HEAD", "POST"):
        return refused
    if not membership.is_editor:
        return refuse(request, membership, READ_ONLY_MESSAGE)
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
            add_form_errors(form, error, default_field="reason")
        else:
            messages.success(request, f"“{assessment.label}” was reopened for changes.")
            return redirect(assessment.get_absolute_url())
    return render(
        request,
        "assessments/assessment_reopen.html",
        page_context(membership, assessment, form=form),
    )
