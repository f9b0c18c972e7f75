"""Re-assessment (start a new assessment from a submitted one, and what was carried over) and
the compare page. Members only: outsiders get 404, anonymous users the sign-in page; only
editors start assessments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments import selectors as assessment_selectors
from assessments.access import READ, READ_AND_POST, assessment_view, region_view
from assessments.models import Assessment, Membership
from assessments.reassessment import presenters, selectors, services
from assessments.reassessment.forms import CompareForm, ReassessmentForm
from citydigital.http import AuthenticatedHttpRequest
from questionbank.selectors import bank_current

READ_ONLY_MESSAGE = "You can read this region's assessments but not start new ones."


@assessment_view(methods=READ_AND_POST, editor_for="ALL", message=READ_ONLY_MESSAGE)
def reassessment_start(
    request: AuthenticatedHttpRequest, membership: Membership, source: Assessment
) -> HttpResponse:
    region = membership.region
    in_progress = assessment_selectors.assessment_in_progress(region=region)
    bank = bank_current()
    form = ReassessmentForm(request.POST if request.method == "POST" else None)
    can_start = source.is_submitted and in_progress is None and bank is not None
    if request.method == "POST" and can_start and form.is_valid():
        try:
            assessment = services.reassessment_start(
                source=source, user=request.user, label=form.cleaned_data["label"]
            )
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


@assessment_view(methods=READ)
def carry_over(
    request: AuthenticatedHttpRequest, membership: Membership, assessment: Assessment
) -> HttpResponse:
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


@region_view(methods=READ)
def assessment_compare(request: AuthenticatedHttpRequest, membership: Membership) -> HttpResponse:
    region = membership.region
    choices = selectors.compare_choices(region=region)
    before, after = selectors.compare_default_pair(choices)
    page = None
    if "before" in request.GET or "after" in request.GET:
        form = CompareForm(request.GET, assessments=choices)
        if form.is_valid():
            before, after = form.cleaned_data["before"], form.cleaned_data["after"]
            page = presenters.compare_page(region=region, before_pk=before, after_pk=after)
    else:
        form = CompareForm(initial={"before": before, "after": after}, assessments=choices)
        if before and after:
            page = presenters.compare_page(region=region, before_pk=before, after_pk=after)
    return render(
        request,
        "assessments/reassessment/compare.html",
        {
            "membership": membership,
            "region": region,
            "form": form,
            "choices": choices,
            "page": page,
            "trend": presenters.region_trend(region=region),
            "compare_url": reverse("assessments:assessment-compare", args=[region.slug]),
        },
    )
