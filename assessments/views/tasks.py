"""The task list: every theme with its status, progress and owner."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from assessments import selectors
from assessments.views.common import (
    load,
    not_allowed,
    page_context,
)
from citydigital.http import AuthenticatedHttpRequest


@login_required
def assessment_tasks(request: AuthenticatedHttpRequest, region_slug: str, pk: int) -> HttpResponse:
    membership, assessment = load(request, region_slug, pk)
    if refused := not_allowed(request, "GET", "HEAD"):
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
        page_context(membership, assessment, task_list=task_list),
    )
