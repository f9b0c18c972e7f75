from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from assessments import selectors


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    memberships = selectors.membership_list_for_user(user=request.user)
    return render(request, "assessments/region_list.html", {"memberships": memberships})


@login_required
def region_detail(request: HttpRequest, region_slug: str) -> HttpResponse:
    membership = selectors.membership_get_or_404(user=request.user, region_slug=region_slug)
    region = membership.region
    return render(
        request,
        "assessments/region_detail.html",
        {
            "membership": membership,
            "region": region,
            "day_in_office": region.day_in_office(timezone.localdate()),
        },
    )
