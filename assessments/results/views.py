"""The results page, the 100-day action plan and their exports. Members only (outsiders get
404, anonymous users the sign-in page); editors change the plan, viewers read. The pages show
the stored figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from assessments import selectors as assessment_selectors
from assessments.models import Assessment, Membership
from assessments.results import exports, selectors, services
from assessments.results.forms import ActionPlanItemForm
from citydigital.http import AuthenticatedHttpRequest

SAFE_METHODS = ["GET", "HEAD"]
READ_ONLY_MESSAGE = "You can read this region's results but not change them."


def _load(request: HttpRequest, region_slug: str, pk: int) -> tuple[Membership, Assessment]:
    membership = assessment_selectors.membership_get_or_404(
        user=request.user, region_slug=region_slug
    )
    assessment = assessment_selectors.assessment_get_or_404(region=membership.region, pk=pk)
    return membership, assessment


def _refuse(request: HttpRequest, membership: Membership) -> HttpResponse:
    return render(
        request,
        "assessments/forbidden.html",
        {"region": membership.region, "membership": membership, "message": READ_ONLY_MESSAGE},
        status=403,
    )


def _context(membership: Membership, assessment: Assessment, **extra: object) -> dict[str, object]:
    return {
        "membership": membership,
        "region": membership.region,
        "assessment": assessment,
        "is_editor": membership.is_editor,
        **extra,
    }


def _download(content: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _filename(assessment: Assessment, what: str) -> str:
    return f"{assessment.region.slug}-assessment-{assessment.pk}-{what}"


def _plan_url(assessment: Assessment) -> str:
    return reverse(
        "assessments:action-plan",
        kwargs={"region_slug": assessment.region.slug, "pk": assessment.pk},
    )


# --- results -------------------------------------------------------------------------------------


@login_required
def results_detail(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    membership, assessment = _load(request, region_slug, pk)
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    page = selectors.results_page_data(assessment=assessment, today=timezone.localdate())
    can_calculate = membership.is_editor and (assessment.is_in_progress or page is None)
    # Editors may start a new assessment from a submitted one when none is in progress.
    can_reassess = membership.is_editor and assessment.is_submitted
    in_progress = (
        assessment_selectors.assessment_in_progress(region=membership.region)
        if can_reassess
        else None
    )
    return render(
        request,
        "assessments/results/results_detail.html",
        _context(
            membership,
            assessment,
            page=page,
            can_calculate=can_calculate,
            can_reassess=can_reassess and in_progress is None,
            in_progress=in_progress,
        ),
    )


@login_required
def results_calculate(request: AuthenticatedHttpRequest, region_slug: str, pk: int) -> HttpResponse:
    membership, assessment = _load(request, region_slug, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not membership.is_editor:
        return _refuse(request, membership)
    try:
        services.assessment_score_calculate(
            assessment=assessment, user=request.user, today=timezone.localdate()
        )
    except PermissionDenied:
        return _refuse(request, membership)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "The scores were calculated. They are provisional until the assessment is submitted."
            if assessment.is_in_progress
            else "The scores were calculated.",
        )
    return redirect("assessments:results-detail", region_slug=region_slug, pk=assessment.pk)


@login_required
def results_scores_csv(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    _, assessment = _load(request, region_slug, pk)
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    export = selectors.results_export_data(assessment=assessment)
    return _download(
        exports.scores_csv(export),
        content_type="text/csv; charset=utf-8",
        filename=_filename(assessment, "scores.csv"),
    )


@login_required
def results_answers_csv(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    _, assessment = _load(request, region_slug, pk)
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    export = selectors.results_export_data(assessment=assessment)
    return _download(
        exports.answers_csv(export),
        content_type="text/csv; charset=utf-8",
        filename=_filename(assessment, "answers.csv"),
    )


@login_required
def results_json(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    _, assessment = _load(request, region_slug, pk)
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    export = selectors.results_export_data(assessment=assessment)
    return _download(
        exports.results_json(export),
        content_type="application/json; charset=utf-8",
        filename=_filename(assessment, "results.json"),
    )


# --- the action plan -----------------------------------------------------------------------------


@login_required
def action_plan(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    membership, assessment = _load(request, region_slug, pk)
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    group_by = "owner" if request.GET.get("by") == "owner" else "window"
    page = selectors.action_plan_page_data(
        assessment=assessment, today=timezone.localdate(), group_by=group_by
    )
    return render(
        request,
        "assessments/results/action_plan.html",
        _context(membership, assessment, page=page),
    )


@login_required
def action_plan_item(
    request: AuthenticatedHttpRequest, region_slug: str, pk: int, item_pk: int
) -> HttpResponse:
    membership, assessment = _load(request, region_slug, pk)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    item = selectors.action_plan_item_get_or_404(assessment=assessment, pk=item_pk)
    if not membership.is_editor:
        return _refuse(request, membership)
    initial = {"owner_name": item.owner_name, "due_day": item.due_day, "done": item.done}
    form = ActionPlanItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_plan_item_update(
                item=item,
                user=request.user,
                owner_name=form.cleaned_data["owner_name"],
                due_day=form.cleaned_data["due_day"],
                done=form.cleaned_data["done"],
            )
        except PermissionDenied:
            return _refuse(request, membership)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, f"“{item.title}” was saved.")
            return redirect(f"{_plan_url(assessment)}#item-{item.pk}")
    took_office = membership.region.mayor_took_office
    return render(
        request,
        "assessments/results/action_plan_item.html",
        _context(
            membership,
            assessment,
            item=item,
            form=form,
            due_date=selectors.day_date(took_office, item.due_day),
        ),
    )


@login_required
def action_plan_item_done(
    request: AuthenticatedHttpRequest, region_slug: str, pk: int, item_pk: int
) -> HttpResponse:
    membership, assessment = _load(request, region_slug, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    item = selectors.action_plan_item_get_or_404(assessment=assessment, pk=item_pk)
    if not membership.is_editor:
        return _refuse(request, membership)
    done = request.POST.get("done") != "0"
    try:
        services.action_plan_item_mark_done(item=item, user=request.user, done=done)
    except PermissionDenied:
        return _refuse(request, membership)
    messages.success(request, f"“{item.title}” was marked as {'done' if done else 'not done'}.")
    return redirect(f"{_plan_url(assessment)}#item-{item.pk}")


@login_required
def action_plan_csv(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    _, assessment = _load(request, region_slug, pk)
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    rows = selectors.plan_rows(assessment=assessment, today=timezone.localdate())
    return _download(
        exports.action_plan_csv(rows),
        content_type="text/csv; charset=utf-8",
        filename=_filename(assessment, "action-plan.csv"),
    )


@login_required
def action_plan_ics(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    _, assessment = _load(request, region_slug, pk)
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    rows = selectors.plan_rows(assessment=assessment, today=timezone.localdate())
    content = exports.action_plan_ics(
        rows,
        calendar_name=f"{assessment.region.name}: 100-day action plan ({assessment.label})",
        uid_prefix=f"{assessment.region.slug}-assessment-{assessment.pk}",
        now=timezone.now(),
    )
    return _download(
        content,
        content_type="text/calendar; charset=utf-8",
        filename=_filename(assessment, "action-plan.ics"),
    )
