"""The results page, the 100-day action plan and their exports. Members only (outsiders get
404, anonymous users the sign-in page); editors change the plan, viewers read. The pages show
the stored figures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from assessments import selectors as assessment_selectors
from assessments.access import POST, READ, READ_AND_POST, assessment_view
from assessments.models import Assessment, Membership
from assessments.results import exports, presenters, selectors, services
from assessments.results.forms import ActionPlanItemForm
from citydigital.http import AuthenticatedHttpRequest

READ_ONLY_MESSAGE = "You can read this region's results but not change them."


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


@assessment_view(methods=READ)
def results_detail(
    request: AuthenticatedHttpRequest, membership: Membership, assessment: Assessment
) -> HttpResponse:
    page = presenters.results_page(assessment=assessment, today=timezone.localdate())
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


@assessment_view(methods=POST, editor_for="POST", message=READ_ONLY_MESSAGE)
def results_calculate(
    request: AuthenticatedHttpRequest, membership: Membership, assessment: Assessment
) -> HttpResponse:
    try:
        services.assessment_score_calculate(
            assessment=assessment, user=request.user, today=timezone.localdate()
        )
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "The scores were calculated. They are provisional until the assessment is submitted."
            if assessment.is_in_progress
            else "The scores were calculated.",
        )
    return redirect(
        "assessments:results-detail", region_slug=membership.region.slug, pk=assessment.pk
    )


@assessment_view(methods=READ)
def results_scores_csv(
    request: AuthenticatedHttpRequest, _membership: Membership, assessment: Assessment
) -> HttpResponse:
    export = presenters.results_export(assessment=assessment)
    return _download(
        exports.scores_csv(export),
        content_type="text/csv; charset=utf-8",
        filename=_filename(assessment, "scores.csv"),
    )


@assessment_view(methods=READ)
def results_answers_csv(
    request: AuthenticatedHttpRequest, _membership: Membership, assessment: Assessment
) -> HttpResponse:
    export = presenters.results_export(assessment=assessment)
    return _download(
        exports.answers_csv(export),
        content_type="text/csv; charset=utf-8",
        filename=_filename(assessment, "answers.csv"),
    )


@assessment_view(methods=READ)
def results_json(
    request: AuthenticatedHttpRequest, _membership: Membership, assessment: Assessment
) -> HttpResponse:
    export = presenters.results_export(assessment=assessment)
    return _download(
        exports.results_json(export),
        content_type="application/json; charset=utf-8",
        filename=_filename(assessment, "results.json"),
    )


# --- the action plan -----------------------------------------------------------------------------


@assessment_view(methods=READ)
def action_plan(
    request: AuthenticatedHttpRequest, membership: Membership, assessment: Assessment
) -> HttpResponse:
    group_by = "owner" if request.GET.get("by") == "owner" else "window"
    page = presenters.action_plan_page(
        assessment=assessment, today=timezone.localdate(), group_by=group_by
    )
    return render(
        request,
        "assessments/results/action_plan.html",
        _context(membership, assessment, page=page),
    )


@assessment_view(methods=READ_AND_POST, editor_for="ALL", message=READ_ONLY_MESSAGE)
def action_plan_item(
    request: AuthenticatedHttpRequest, membership: Membership, assessment: Assessment, item_pk: int
) -> HttpResponse:
    item = selectors.action_plan_item_get_or_404(assessment=assessment, pk=item_pk)
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
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, f"“{item.title}” was saved.")
            return redirect(f"{_plan_url(assessment)}#item-{item.pk}")
    return render(
        request,
        "assessments/results/action_plan_item.html",
        _context(
            membership,
            assessment,
            item=item,
            form=form,
            due_date=presenters.action_plan_item_due_date(assessment=assessment, item=item),
        ),
    )


@assessment_view(methods=POST, editor_for="POST", message=READ_ONLY_MESSAGE)
def action_plan_item_done(
    request: AuthenticatedHttpRequest, membership: Membership, assessment: Assessment, item_pk: int
) -> HttpResponse:
    item = selectors.action_plan_item_get_or_404(assessment=assessment, pk=item_pk)
    done = request.POST.get("done") != "0"
    services.action_plan_item_mark_done(item=item, user=request.user, done=done)
    messages.success(request, f"“{item.title}” was marked as {'done' if done else 'not done'}.")
    return redirect(f"{_plan_url(assessment)}#item-{item.pk}")


@assessment_view(methods=READ)
def action_plan_csv(
    request: AuthenticatedHttpRequest, _membership: Membership, assessment: Assessment
) -> HttpResponse:
    rows = presenters.plan_rows(assessment=assessment, today=timezone.localdate())
    return _download(
        exports.action_plan_csv(rows),
        content_type="text/csv; charset=utf-8",
        filename=_filename(assessment, "action-plan.csv"),
    )


@assessment_view(methods=READ)
def action_plan_ics(
    request: AuthenticatedHttpRequest, _membership: Membership, assessment: Assessment
) -> HttpResponse:
    rows = presenters.plan_rows(assessment=assessment, today=timezone.localdate())
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
