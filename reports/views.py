from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from citydigital.http import AuthenticatedHttpRequest
from reports import selectors, services
from reports.models import Briefing


@require_POST
@login_required
def briefing_create(
    request: AuthenticatedHttpRequest, region_slug: str, assessment_id: int
) -> HttpResponse:
    member = selectors.assessment_for_member_or_404(
        user=request.user, region_slug=region_slug, assessment_id=assessment_id
    )
    result = services.briefing_request(assessment=member.assessment, requested_by=request.user)
    if result.reused and result.briefing.status == Briefing.Status.READY:
        messages.success(request, "Nothing has changed since the last briefing: here it is.")
    elif not result.enqueued:
        messages.info(
            request,
            "Your briefing request is saved. The service that produces briefings is busy or "
            "restarting, so it will be produced shortly: this page shows when it is ready.",
        )
    return redirect(result.briefing.get_absolute_url())


@login_required
def briefing_status(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    briefing = selectors.briefing_for_member_or_404(
        user=request.user, region_slug=region_slug, briefing_id=pk
    )
    return render(
        request,
        "reports/briefing_status.html",
        {
            "briefing": briefing,
            "assessment": briefing.assessment,
            "region": briefing.assessment.region,
        },
    )


@login_required
def briefing_status_json(request: HttpRequest, region_slug: str, pk: int) -> JsonResponse:
    briefing = selectors.briefing_for_member_or_404(
        user=request.user, region_slug=region_slug, briefing_id=pk
    )
    panel = render_to_string(
        "reports/_briefing_status_panel.html", {"briefing": briefing}, request=request
    )
    return JsonResponse(
        {"status": briefing.status, "finished": briefing.is_finished, "panel_html": panel},
        headers={"Cache-Control": "no-store"},
    )


@login_required
def briefing_download(request: HttpRequest, region_slug: str, pk: int) -> FileResponse:
    briefing = selectors.briefing_for_member_or_404(
        user=request.user, region_slug=region_slug, briefing_id=pk
    )
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
@login_required
def briefing_retry(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    briefing = selectors.briefing_for_member_or_404(
        user=request.user, region_slug=region_slug, briefing_id=pk
    )
    briefing = services.briefing_retry(briefing=briefing)
    if briefing.enqueued_at is None and briefing.status == Briefing.Status.QUEUED:
        messages.info(request, "Your request is saved and the briefing will be produced shortly.")
    return redirect(briefing.get_absolute_url())


@login_required
def briefing_preview(request: HttpRequest, region_slug: str, assessment_id: int) -> HttpResponse:
    member = selectors.assessment_for_member_or_404(
        user=request.user, region_slug=region_slug, assessment_id=assessment_id
    )
    content = selectors.briefing_content(assessment=member.assessment)
    context = selectors.briefing_context(
        content=content, is_draft=not member.assessment.is_submitted
    )
    return render(request, "reports/pdf/briefing.html", {**context, "is_preview": True})
