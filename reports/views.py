from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from assessments.access import ANY_METHOD, POST, assessment_view, region_view
from assessments.models import Assessment, Membership
from citydigital.http import AuthenticatedHttpRequest
from reports import presenters, selectors, services
from reports.models import Briefing

# Any member may ask for a briefing, viewers included. The two actions answer a wrong method
# with 405 even before sign-in (`require_POST` outermost), as they always have.


@require_POST
@assessment_view(methods=POST, pk_kwarg="assessment_id")
def briefing_create(
    request: AuthenticatedHttpRequest, _membership: Membership, assessment: Assessment
) -> HttpResponse:
    result = services.briefing_request(assessment=assessment, requested_by=request.user)
    if result.reused and result.briefing.status == Briefing.Status.READY:
        messages.success(request, "Nothing has changed since the last briefing: here it is.")
    elif not result.enqueued:
        messages.info(
            request,
            "Your briefing request is saved. The service that produces briefings is busy or "
            "restarting, so it will be produced shortly: this page shows when it is ready.",
        )
    return redirect(result.briefing.get_absolute_url())


@region_view(methods=ANY_METHOD)
def briefing_status(
    request: AuthenticatedHttpRequest, membership: Membership, pk: int
) -> HttpResponse:
    briefing = selectors.briefing_get_or_404(region=membership.region, pk=pk)
    return render(
        request,
        "reports/briefing_status.html",
        {
            "briefing": briefing,
            "assessment": briefing.assessment,
            "region": briefing.assessment.region,
        },
    )


@region_view(methods=ANY_METHOD)
def briefing_status_json(
    request: AuthenticatedHttpRequest, membership: Membership, pk: int
) -> JsonResponse:
    briefing = selectors.briefing_get_or_404(region=membership.region, pk=pk)
    panel = render_to_string(
        "reports/_briefing_status_panel.html", {"briefing": briefing}, request=request
    )
    return JsonResponse(
        {"status": briefing.status, "finished": briefing.is_finished, "panel_html": panel},
        headers={"Cache-Control": "no-store"},
    )


@region_view(methods=ANY_METHOD)
def briefing_download(
    request: AuthenticatedHttpRequest, membership: Membership, pk: int
) -> FileResponse:
    briefing = selectors.briefing_get_or_404(region=membership.region, pk=pk)
    if briefing.status != Briefing.Status.READY or not briefing.file:
        raise Http404("This briefing is not ready")
    assessment = briefing.assessment
    date = briefing.rendered_at.date().isoformat()  # type: ignore[union-attr]  # READY: rendered
    draft = " DRAFT" if briefing.is_draft else ""
    filename = f"{assessment.region.name} - {assessment.label} - briefing {date}{draft}.pdf"
    return FileResponse(
        briefing.file.open("rb"),
        as_attachment=True,
        filename=filename if filename.isascii() else f"{slugify(filename)}.pdf",
        content_type="application/pdf",
    )


@require_POST
@region_view(methods=POST)
def briefing_retry(
    request: AuthenticatedHttpRequest, membership: Membership, pk: int
) -> HttpResponse:
    briefing = selectors.briefing_get_or_404(region=membership.region, pk=pk)
    briefing = services.briefing_retry(briefing=briefing)
    if briefing.enqueued_at is None and briefing.status == Briefing.Status.QUEUED:
        messages.info(request, "Your request is saved and the briefing will be produced shortly.")
    return redirect(briefing.get_absolute_url())


@assessment_view(methods=ANY_METHOD, pk_kwarg="assessment_id")
def briefing_preview(
    request: AuthenticatedHttpRequest, _membership: Membership, assessment: Assessment
) -> HttpResponse:
    content = selectors.briefing_content(assessment=assessment)
    context = presenters.briefing_context(content=content, is_draft=not assessment.is_submitted)
    return render(request, "reports/pdf/briefing.html", {**context, "is_preview": True})
