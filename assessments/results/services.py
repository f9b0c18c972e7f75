"""Writes for results: computing and storing an assessment's scores, generating its 100-day
action plan, and editors' changes to the plan."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments import limits, scoring
from assessments.models import ActionPlanItem, Assessment, AssessmentScore, ThemeScore
from assessments.results import selectors
from assessments.results.inputs import ScoringInputs
from assessments.selectors import membership_require_editor

DUE_DAY_MIN = 1
DUE_DAY_MAX = 365
TITLE_MAX_LENGTH = 200


# --- scores --------------------------------------------------------------------------------------


@transaction.atomic
def assessment_score(
    *, assessment: Assessment, today: date, user: User | None = None
) -> AssessmentScore:
    """Score `assessment` from its pinned bank and its answers as of `today`, store the figures
    (replacing earlier ones) and regenerate its action plan. A fixed number of queries.

    Scores of an assessment still in progress are stored as provisional. Raises ValidationError
    when an answer does not fit its question's rubric (the answer pages never store one)."""
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("region", "bank")
        .get(pk=assessment.pk)
    )
    inputs = selectors.scoring_inputs(assessment=locked)
    try:
        result = scoring.score_assessment(
            inputs.theme_inputs,
            inputs.question_inputs,
            inputs.answer_inputs,
            inputs.hidden_codes,
            today=today,
            took_office=locked.region.mayor_took_office,
        )
    except ValueError as error:
        raise ValidationError(f"The assessment could not be scored: {error}") from None

    stored, _ = AssessmentScore.objects.update_or_create(
        assessment=locked,
        defaults={
            "computed_at": timezone.now(),
            "computed_by": user,
            "as_of": today,
            "is_provisional": locked.is_in_progress,
            "bank_version": locked.bank.version,
            "readiness_index": result.index,
            "band": result.band.slug if result.band else "",
            "coverage": result.coverage,
            "confidence": result.confidence.share,
            "answered": result.answered,
            "counted": result.counted,
            "result": result.to_dict(),
            "answer_labels": inputs.answer_labels,
        },
    )
    theme_by_slug = inputs.snapshot.theme_by_slug
    ThemeScore.objects.filter(assessment=locked).delete()
    ThemeScore.objects.bulk_create(
        ThemeScore(
            assessment=locked,
            theme_id=theme_by_slug[theme.slug].id,
            order=order,
            score=theme.score,
            band=theme.band.slug if theme.band else "",
            coverage=theme.coverage,
            confidence=theme.confidence.share,
            weight=theme_by_slug[theme.slug].weight,
            answered=theme.answered,
            counted=theme.counted,
            counts_in_index=theme.counts_in_index,
        )
        for order, theme in enumerate(result.themes)
    )
    action_plan_generate(assessment=locked, result=result, inputs=inputs)
    return stored


@transaction.atomic
def assessment_score_calculate(
    *, assessment: Assessment, user: User, today: date
) -> AssessmentScore:
    """An editor's "Calculate scores" on a draft. A submitted assessment's scores were fixed at
    submit; it can be calculated only when it has none (submitted before scores were kept)."""
    membership_require_editor(user=user, region=assessment.region)
    if assessment.is_submitted and selectors.assessment_score_get(assessment=assessment):
        raise ValidationError(
            "The scores of a submitted assessment were calculated when it was submitted. "
            "Reopen it to change its answers."
        )
    return assessment_score(assessment=assessment, today=today, user=user)


# --- the action plan -----------------------------------------------------------------------------


def _triggers(result: scoring.AssessmentResult) -> dict[str, tuple[int | None, bool]]:
    """For every question that can trigger actions: (its score, whether it is unanswered).
    Hidden and unscored questions trigger nothing; unanswered counted ones always do."""
    found: dict[str, tuple[int | None, bool]] = {}
    for theme in result.themes:
        for row in theme.explanation.rows:
            if row.status == scoring.UNANSWERED:
                found[row.code] = (None, True)
            elif row.status in (scoring.COUNTED, scoring.ZERO_WEIGHT) and row.score is not None:
                found[row.code] = (row.score, False)
    return found


def _title(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TITLE_MAX_LENGTH else line[: TITLE_MAX_LENGTH - 1] + "…"


@transaction.atomic
def action_plan_generate(
    *,
    assessment: Assessment,
    result: scoring.AssessmentResult | None = None,
    inputs: ScoringInputs | None = None,
) -> list[ActionPlanItem]:
    """One plan item per bank action whose question scores below the action's
    `applies_below_score`, or whose counted question is unanswered (flagged `unanswered`).

    Items that still apply keep their editors' changes (owner's name, due day, done); items that
    no longer apply are removed. Reads the stored result unless one is given."""
    if result is None:
        stored = selectors.assessment_score_get(assessment=assessment)
        if stored is None:
            raise ValidationError("Calculate the scores before generating the action plan.")
        result = scoring.AssessmentResult.from_dict(stored.result)
    if inputs is None:
        inputs = selectors.scoring_inputs(assessment=assessment)
    triggers = _triggers(result)
    existing = {
        item.action_id: item for item in ActionPlanItem.objects.filter(assessment=assessment)
    }
    snapshot = inputs.snapshot
    keep: list[ActionPlanItem] = []
    new: list[ActionPlanItem] = []
    for action in snapshot.actions:
        question = snapshot.question_by_id[action.question_id]
        if question.key not in triggers:
            continue
        score, unanswered = triggers[question.key]
        # A trigger's score is None only when it is unanswered.
        if not unanswered and score >= action.applies_below_score:  # type: ignore[operator]
            continue
        item = existing.pop(action.id, None)
        if item is None:
            item = ActionPlanItem(
                assessment=assessment,
                action_id=action.id,
                question_id=question.id,
                due_day=action.day_to,
                window=ActionPlanItem.window_for(action.day_to),
            )
            new.append(item)
        else:
            keep.append(item)
        item.title = _title(action.text)
        item.text = action.text
        item.question_code = question.code
        item.theme_title = snapshot.theme_of(question).title
        item.owner_role = action.owner_role
        item.priority = action.priority
        item.day_from = action.day_from
        item.day_to = action.day_to
        item.window = ActionPlanItem.window_for(item.due_day)
        item.trigger_score = score
        item.unanswered = unanswered
    if existing:
        ActionPlanItem.objects.filter(pk__in=[item.pk for item in existing.values()]).delete()
    if keep:
        ActionPlanItem.objects.bulk_update(
            keep,
            [
                "title",
                "text",
                "question_code",
                "theme_title",
                "owner_role",
                "priority",
                "day_from",
                "day_to",
                "window",
                "trigger_score",
                "unanswered",
            ],
        )
    ActionPlanItem.objects.bulk_create(new)
    return sorted(keep + new, key=lambda i: (i.due_day, i.day_from, i.pk or 0))


def _due_day(value: object) -> int:
    try:
        day = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({"due_day": "Enter the due day as a whole number, like 45"}) from None
    if not DUE_DAY_MIN <= day <= DUE_DAY_MAX:
        raise ValidationError(
            {"due_day": f"Enter a due day between {DUE_DAY_MIN} and {DUE_DAY_MAX}"}
        )
    return day


@transaction.atomic
def action_plan_item_update(
    *,
    item: ActionPlanItem,
    user: User,
    owner_name: str,
    due_day: int,
    done: bool,
) -> ActionPlanItem:
    """An editor sets the owner's name, moves the due day (1-365) or marks the action done."""
    membership_require_editor(user=user, region=item.assessment.region)
    owner_name = " ".join((owner_name or "").split())
    if limits.OWNER_NAME.exceeded_by(owner_name):
        raise ValidationError({"owner_name": limits.OWNER_NAME.message})
    due_day = _due_day(due_day)
    locked = ActionPlanItem.objects.select_for_update().get(pk=item.pk)
    locked.owner_name = owner_name
    locked.due_day = due_day
    locked.window = ActionPlanItem.window_for(due_day)
    _set_done(locked, done=done, user=user)
    locked.updated_by = user
    locked.full_clean(exclude=["assessment", "action", "question", "done_by", "updated_by"])
    locked.save()
    locked.assessment = item.assessment
    return locked


@transaction.atomic
def action_plan_item_mark_done(
    *, item: ActionPlanItem, user: User, done: bool = True
) -> ActionPlanItem:
    membership_require_editor(user=user, region=item.assessment.region)
    locked = ActionPlanItem.objects.select_for_update().get(pk=item.pk)
    _set_done(locked, done=done, user=user)
    locked.updated_by = user
    locked.save(update_fields=["done", "done_at", "done_by", "updated_by", "updated_at"])
    locked.assessment = item.assessment
    return locked


def _set_done(item: ActionPlanItem, *, done: bool, user: User) -> None:
    if done and not item.done:
        item.done = True
        item.done_at = timezone.now()
        item.done_by = user
    elif not done and item.done:
        item.done = False
        item.done_at = None
        item.done_by = None
