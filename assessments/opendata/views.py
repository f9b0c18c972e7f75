"""Open data: the public page and downloads (no sign-in: they hold only opted-in regions'
scores), and a region's own page where editors opt in or out (members only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from assessments import selectors as assessment_selectors
from assessments.opendata import exports, selectors, services
from assessments.opendata.forms import PUBLISH, OpenDataForm
from citydigital.http import AuthenticatedHttpRequest

READ_ONLY_MESSAGE = "Only editors of this region can change what it publishes."


def _download(content: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Read live, so opting out takes effect at once: nobody may keep a stale copy.
    response["Cache-Control"] = "no-cache"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def open_data_index(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    regions = selectors.published_regions()
    response = render(
        request,
        "opendata/index.html",
        {"regions": regions, "licence": exports.LICENCE, "header": exports.CSV_HEADER},
    )
    response["Cache-Control"] = "no-cache"
    return response


def open_data_csv(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _download(
        exports.open_data_csv(selectors.published_regions()),
        content_type="text/csv; charset=utf-8",
        filename="city-digital-readiness-v1.csv",
    )


def open_data_json(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _download(
        exports.open_data_json(selectors.published_regions(), generated_at=timezone.now()),
        content_type="application/json",
        filename="city-digital-readiness-v1.json",
    )


@login_required
def region_open_data(request: AuthenticatedHttpRequest, region_slug: str) -> HttpResponse:
    membership = assessment_selectors.membership_get_or_404(
        user=request.user, region_slug=region_slug
    )
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    region = membership.region
    if request.method == "POST" and not membership.is_editor:
        return render(
            request,
            "assessments/forbidden.html",
            {"region": region, "membership": membership, "message": READ_ONLY_MESSAGE},
            status=403,
        )
    initial = {"choice": PUBLISH if region.open_data_since else "withdraw"}
    form = OpenDataForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["choice"] == PUBLISH:
                services.open_data_publish(region=region, user=request.user)
                messages.success(request, f"{region.name}'s latest submitted scores are published.")
            else:
                services.open_data_withdraw(region=region, user=request.user)
                messages.success(request, f"{region.name}'s scores are no longer published.")
        except PermissionDenied:
            return render(
                request,
                "assessments/forbidden.html",
                {"region": region, "membership": membership, "message": READ_ONLY_MESSAGE},
                status=403,
            )
        return redirect("assessments:region-open-data", region_slug=region.slug)
    return render(
        request,
        "opendata/region_open_data.html",
        {
            "membership": membership,
            "region": region,
            "form": form if membership.is_editor else None,
            "preview": selectors.region_open_data_preview(region=region),
        },
    )
