"""Open data: the public page and downloads (no sign-in: they hold only opted-in regions'
scores), and a region's own page where region admins opt in or out (members only)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from assessments.access import READ, READ_AND_POST, region_view
from assessments.models import Membership
from assessments.opendata import exports, selectors, services
from assessments.opendata.forms import PUBLISH, OpenDataForm
from citydigital.http import AuthenticatedHttpRequest

READ_ONLY_MESSAGE = "Only the region's admins can change what it publishes."


def _download(content: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Read live, so opting out takes effect at once: nobody may keep a stale copy.
    response["Cache-Control"] = "no-cache"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_http_methods(READ)
def open_data_index(request: HttpRequest) -> HttpResponse:
    regions = selectors.published_regions()
    response = render(
        request,
        "opendata/index.html",
        {"regions": regions, "licence": exports.LICENCE, "header": exports.CSV_HEADER},
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_http_methods(READ)
def open_data_csv(request: HttpRequest) -> HttpResponse:
    return _download(
        exports.open_data_csv(selectors.published_regions()),
        content_type="text/csv; charset=utf-8",
        filename="city-digital-readiness-v1.csv",
    )


@require_http_methods(READ)
def open_data_json(request: HttpRequest) -> HttpResponse:
    return _download(
        exports.open_data_json(selectors.published_regions(), generated_at=timezone.now()),
        content_type="application/json",
        filename="city-digital-readiness-v1.json",
    )


@region_view(methods=READ_AND_POST, admin_for="POST", message=READ_ONLY_MESSAGE)
def region_open_data(request: AuthenticatedHttpRequest, membership: Membership) -> HttpResponse:
    region = membership.region
    initial = {"choice": PUBLISH if region.open_data_since else "withdraw"}
    form = OpenDataForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["choice"] == PUBLISH:
            services.open_data_publish(region=region, user=request.user)
            messages.success(request, f"{region.name}'s latest submitted scores are published.")
        else:
            services.open_data_withdraw(region=region, user=request.user)
            messages.success(request, f"{region.name}'s scores are no longer published.")
        return redirect("assessments:region-open-data", region_slug=region.slug)
    return render(
        request,
        "opendata/region_open_data.html",
        {
            "membership": membership,
            "region": region,
            "form": form if membership.is_region_admin else None,
            "preview": selectors.region_open_data_preview(region=region),
        },
    )
