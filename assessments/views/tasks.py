"""The task list: every theme with its status, progress and owner."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from assessments import selectors
from assessments.access import READ, assessment_view
from assessments.models import Assessment, Membership
from assessments.views.common import (
    page_context,
)
from citydigital.http import AuthenticatedHttpRequest


@assessment_view(methods=READ)
def assessment_tasks(
    request: AuthenticatedHttpRequest, membership: Membership, assessment: Assessment
) -> HttpResponse:
    task_list = selectors.assessment_task_list(
        assessment=assessment,
        user=request.user,
        mine_only=request.GET.get("mine") == "1",
        today=timezone.localdate(),
    )
    return render(
        request,
        "assessments/assessment_tasks.html",
        page_context(membership, assessment, task_list=task_list),
    )
