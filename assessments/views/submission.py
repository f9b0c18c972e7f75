"""Check your answers, submit and reopen."""

from collections.abc import Sequence

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from assessments import selectors, services
from assessments.access import READ, READ_AND_POST, assessment_view
from assessments.answers import answer_display
from assessments.forms import ReopenForm
from assessments.models import Assessment, Membership
from assessments.views.common import (
    add_form_errors,
    page_context,
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
                "display": answer_display(row.question, row.answer.value if row.answer else None),
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


@assessment_view(methods=READ)
def assessment_check(
    request: AuthenticatedHttpRequest, membership: Membership, assessment: Assessment
) -> HttpResponse:
    return _render_check(request, membership, assessment)


@assessment_view(methods=READ_AND_POST, editor_for="POST", in_progress=True)
def assessment_submit(
    request: AuthenticatedHttpRequest, membership: Membership, assessment: Assessment
) -> HttpResponse:
    if request.method in ("GET", "HEAD"):  # an action, not a page: show the check
        return redirect(
            "assessments:assessment-check", region_slug=membership.region.slug, pk=assessment.pk
        )
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
    messages.success(request, f"“{assessment.label}” was submitted.")
    return redirect(assessment.get_absolute_url())


@assessment_view(methods=READ_AND_POST, editor_for="ALL")
def assessment_reopen(
    request: AuthenticatedHttpRequest, membership: Membership, assessment: Assessment
) -> HttpResponse:
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
