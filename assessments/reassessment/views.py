"""Re-assessment (start a new assessment from a submitted one, and what was carried over) and
the compare page. Members only: outsiders get 404, anonymous users the sign-in page; only
editors start assessments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments import selectors as assessment_selectors
from assessments.models import Membership
from assessments.reassessment import selectors, services
from assessments.reassessment.forms import CompareForm, ReassessmentForm
from citydigital.http import AuthenticatedHttpRequest

READ_ONLY_MESSAGE = "You can read this region's assessments but not start new ones."


def _refuse(request: HttpRequest, membership: Membership) -> HttpResponse:
    return render(
        request,
        "assessments/forbidden.html",
        {"region": membership.region, "membership": membership, "message": READ_ONLY_MESSAGE},
        status=403,
    )


@login_required
def reassessment_start(
    request: AuthenticatedHttpRequest, region_slug: str, pk: int
) -> HttpResponse:
    membership = assessment_selectors.membership_get_or_404(
        user=request.user, region_slug=region_slug
    )
    source = assessment_selectors.assessment_get_or_404(region=membership.region, pk=pk)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if not membership.is_editor:
        return _refuse(request, membership)
    region = membership.region
    in_progress = assessment_selectors.assessment_in_progress(region=region)
    bank = assessment_selectors.question_bank_current()
    form = ReassessmentForm(request.POST if request.method == "POST" else None)
    can_start = source.is_submitted and in_progress is None and bank is not None
    if request.method == "POST" and can_start and form.is_valid():
        try:
            assessment = services.reassessment_start(
                source=source, user=request.user, label=form.cleaned_data["label"]
            )
        except PermissionDenied:
            return _refuse(request, membership)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("label", message)
        else:
            report = assessment.carry_over
            messages.success(
                request,
                f"You started “{assessment.label}” with {report['carried']} answer"
                f"{'s' if report['carried'] != 1 else ''} from “{source.label}”.",
            )
            return redirect("assessments:carry-over", region_slug=region.slug, pk=assessment.pk)
    return render(
        request,
        "assessments/reassessment/reassessment_start.html",
        {
            "membership": membership,
            "region": region,
            "assessment": source,
            "source": source,
            "form": form,
            "in_progress": in_progress,
            "bank": bank,
            "can_start": can_start,
            "same_version": bank is not None and bank.pk == source.bank_id,
        },
    )


@login_required
def carry_over(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    membership = assessment_selectors.membership_get_or_404(
        user=request.user, region_slug=region_slug
    )
    assessment = assessment_selectors.assessment_get_or_404(region=membership.region, pk=pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return render(
        request,
        "assessments/reassessment/carry_over.html",
        {
            "membership": membership,
            "region": membership.region,
            "assessment": assessment,
            "report": assessment.carry_over or None,
        },
    )


@login_required
def assessment_compare(request: HttpRequest, region_slug: str) -> HttpResponse:
    membership = assessment_selectors.membership_get_or_404(
        user=request.user, region_slug=region_slug
    )
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    region = membership.region
    choices = selectors.compare_choices(region=region)
    before, after = selectors.compare_default_pair(choices)
    page = None
    if "before" in request.GET or "after" in request.GET:
        form = CompareForm(request.GET, assessments=choices)
        if form.is_valid():
            before, after = form.cleaned_data["before"], form.cleaned_data["after"]
            page = selectors.compare_data(region=region, before_pk=before, after_pk=after)
    else:
        form = CompareForm(initial={"before": before, "after": after}, assessments=choices)
        if before and after:
            page = selectors.compare_data(region=region, before_pk=before, after_pk=after)
    return render(
        request,
        "assessments/reassessment/compare.html",
        {
            "membership": membership,
            "region": region,
            "form": form,
            "choices": choices,
            "page": page,
            "trend": selectors.region_trend(region=region),
            "compare_url": reverse("assessments:assessment-compare", args=[region.slug]),
        },
    )
