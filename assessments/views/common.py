"""What every assessments page shares: membership first (outsiders get 404), then the
read-only refusals for viewers and submitted assessments."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

from assessments import selectors
from assessments.models import Assessment, Membership

READ_ONLY_MESSAGE = "You can read this region's assessments but not change them."
SUBMITTED_MESSAGE = (
    "This assessment has been submitted, so its answers cannot be changed. An editor can reopen it."
)


def not_allowed(request: HttpRequest, *methods: str) -> HttpResponse | None:
    return None if request.method in methods else HttpResponseNotAllowed(methods)


def refuse(request: HttpRequest, membership: Membership, message: str) -> HttpResponse:
    return render(
        request,
        "assessments/forbidden.html",
        {"region": membership.region, "membership": membership, "message": message},
        status=403,
    )


def change_refusal(
    request: HttpRequest, membership: Membership, assessment: Assessment | None = None
) -> HttpResponse | None:
    """A read-only response for a viewer's or a submitted assessment's POST, else None."""
    if not membership.is_editor:
        return refuse(request, membership, READ_ONLY_MESSAGE)
    if assessment is not None and not assessment.is_in_progress:
        return refuse(request, membership, SUBMITTED_MESSAGE)
    return None


def load(request: HttpRequest, region_slug: str, pk: int) -> tuple[Membership, Assessment]:
    membership = selectors.membership_get_or_404(user=request.user, region_slug=region_slug)
    assessment = selectors.assessment_get_or_404(region=membership.region, pk=pk)
    return membership, assessment


def page_context(
    membership: Membership, assessment: Assessment, **extra: object
) -> dict[str, object]:
    return {
        "membership": membership,
        "region": membership.region,
        "assessment": assessment,
        "can_edit": membership.is_editor and assessment.is_in_progress,
        **extra,
    }


def add_form_errors(
    form: forms.BaseForm, error: ValidationError, default_field: str | None
) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(name if name in form.fields else default_field, message)
    else:
        for message in error.messages:
            form.add_error(default_field, message)
