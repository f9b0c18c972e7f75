"""The region pages and starting an assessment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from assessments import selectors, services
from assessments.access import READ, READ_AND_POST, region_view
from assessments.forms import (
    AssessmentStartForm,
)
from assessments.models import Membership
from assessments.team import selectors as team_selectors
from assessments.views.common import (
    add_form_errors,
)
from citydigital.http import AuthenticatedHttpRequest
from reports.selectors import briefing_list_for_region

RECENT_BRIEFINGS = 20


@login_required
@require_http_methods(READ)
def region_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = selectors.membership_list_for_user(user=request.user)
    invitations = team_selectors.invitations_waiting_for(user=request.user, now=timezone.now())
    return render(
        request,
        "assessments/region_list.html",
        {"memberships": memberships, "invitations": invitations},
    )


@region_view(methods=READ)
def region_detail(request: AuthenticatedHttpRequest, membership: Membership) -> HttpResponse:
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
            "briefings": briefing_list_for_region(region_id=region.pk)[:RECENT_BRIEFINGS],
        },
    )


# --- starting ------------------------------------------------------------------------------------


@region_view(methods=READ_AND_POST, editor_for="ALL")
def assessment_start(request: AuthenticatedHttpRequest, membership: Membership) -> HttpResponse:
    region = membership.region
    form = AssessmentStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                region=region, user=request.user, label=form.cleaned_data["label"]
            )
        except ValidationError as error:
            add_form_errors(form, error, default_field="label")
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
