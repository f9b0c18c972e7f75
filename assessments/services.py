"""Writes for assessments: start, answer, assign, comment, submit and reopen.

Every service checks its own rules (the user is an editor of the region, the assessment is in
progress, the answer fits its question), so the views, the admin and any command share them."""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import emails, limits, selectors
from assessments.answers import ANSWER_PARTS, AnswerValue
from assessments.models import (
    Answer,
    AnswerComment,
    AnswerHistory,
    Assessment,
    AssessmentEvent,
    CityRegion,
    ThemeAssignment,
    evidence_url_validator,
)
from assessments.results import services as results_services
from questionbank import kinds
from questionbank.selectors import bank_current
from questionbank.snapshot import QuestionSnapshot, ThemeSnapshot

# The largest number an answer may hold: the answer column has 12 digits before the point.
NUMBER_LIMIT = Decimal("1e12")


class AnswerConflict(Exception):  # noqa: N818 (a conflict, not a failure)
    """Someone else saved this question after the page was loaded. `answer` is their answer,
    as it is now; `attempted` is what this save would have written."""

    def __init__(self, *, answer: Answer, attempted: AnswerValue) -> None:
        super().__init__(f"Answer to {answer.question_id} changed since revision was read")
        self.answer = answer
        self.attempted = attempted


def _require_in_progress(assessment: Assessment) -> None:
    if not assessment.is_in_progress:
        raise ValidationError(
            "This assessment has been submitted, so it cannot be changed. An editor can reopen it.",
            code="submitted",
        )


# --- start ---------------------------------------------------------------------------------------


@transaction.atomic
def assessment_start(
    *,
    region: CityRegion,
    user: User,
    label: str,
    based_on: Assessment | None = None,
) -> Assessment:
    """Start an assessment of `region` on the current published question bank."""
    selectors.membership_require_editor(user=user, region=region)
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": "Enter a label for the assessment"})
    if limits.LABEL.exceeded_by(label):
        raise ValidationError({"label": limits.LABEL.message})
    bank = bank_current()
    if bank is None:
        raise ValidationError(
            "There is no published question bank yet. Ask a question-bank administrator to "
            "publish one."
        )
    if based_on is not None and based_on.region_id != region.pk:
        raise ValidationError("An assessment can only be based on one of the same region.")
    current = selectors.assessment_in_progress(region=region)
    if current is not None:
        raise ValidationError(
            f"“{current.label}” is already in progress. Submit it before starting another."
        )
    assessment = Assessment(
        region=region, bank=bank, label=label, started_by=user, based_on=based_on
    )
    assessment.full_clean()
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:  # another editor started one at the same moment
        raise ValidationError(
            "Another assessment of this region was started just now. Open it from the region page."
        ) from None
    AssessmentEvent.objects.create(
        assessment=assessment, kind=AssessmentEvent.Kind.STARTED, user=user
    )
    return assessment


# --- answers -------------------------------------------------------------------------------------


def _choices_normalise(
    question: QuestionSnapshot, raw: str | Iterable[object] | None, errors: dict[str, str]
) -> tuple[str, ...]:
    raw_values: list[object] = [raw] if isinstance(raw, str) else list(raw or [])
    selected = [str(v) for v in raw_values if str(v) != ""]
    if not selected:
        return ()
    if not question.takes_choice:
        errors["selected_values"] = "This question does not take a choice of options."
    elif any(value not in question.level_values for value in selected):
        errors["selected_values"] = "Select one of the options given."
    elif question.takes_one_choice and len(selected) > 1:
        errors["selected_values"] = "Select only one option."
    return tuple(v for v in question.level_values if v in selected)  # bank order, no duplicates


def _number_normalise(
    question: QuestionSnapshot, raw: object, errors: dict[str, str]
) -> Decimal | None:
    if raw in (None, ""):
        return None
    if question.kind != kinds.NUMBER:
        errors["number_value"] = "This question does not take a number."
        return None
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        errors["number_value"] = "Enter a number, like 12 or 3.5."
        return None
    if not number.is_finite() or number < 0 or abs(number) >= NUMBER_LIMIT:
        errors["number_value"] = "Enter a number of 0 or more."
        return None
    return number.quantize(Decimal("0.01"))


def _evidence_problem(evidence: str) -> str | None:
    if not evidence:
        return None
    if limits.EVIDENCE_URL.exceeded_by(evidence):
        return limits.EVIDENCE_URL.message
    try:
        evidence_url_validator(evidence)
    except ValidationError as error:
        return error.messages[0]
    return None


def answer_data_normalise(*, question: QuestionSnapshot, data: dict[str, Any]) -> AnswerValue:
    """Check `data` (the parts of an answer, as posted) against `question` and return it as an
    AnswerValue. Raises ValidationError naming what is wrong."""
    errors: dict[str, str] = {}
    selected = _choices_normalise(question, data.get("selected_values"), errors)
    number = _number_normalise(question, data.get("number_value"), errors)
    text = (data.get("text_value") or "").strip()
    note = (data.get("note") or "").strip()
    evidence = (data.get("evidence_url") or "").strip()
    if text and question.kind != kinds.TEXT:
        errors["text_value"] = "This question does not take a written answer."
    elif limits.TEXT_ANSWER.exceeded_by(text):
        errors["text_value"] = limits.TEXT_ANSWER.message
    if limits.NOTE.exceeded_by(note):
        errors["note"] = limits.NOTE.message
    if problem := _evidence_problem(evidence):
        errors["evidence_url"] = problem
    if errors:
        raise ValidationError(errors)
    return AnswerValue(
        selected_values=selected,
        number_value=number,
        text_value=text,
        note=note,
        evidence_url=evidence,
    )


def _merge_stale(*, answer: Answer, new_value: AnswerValue, base_revision: int) -> AnswerValue:
    """Merge a save made from a page showing `base_revision` into the newer current answer.

    Parts this person did not change (the choice, the note, the link) keep the colleague's
    newer version; parts only this person changed are applied. When both changed the same
    part differently, raise AnswerConflict with the merged answer this person would write."""
    base = selectors.answer_value_at_revision(answer=answer, revision=base_revision)
    base = base or AnswerValue()
    current = answer.value
    mine = {
        part: getattr(new_value, part)
        for part in ANSWER_PARTS
        if getattr(new_value, part) != getattr(base, part)
    }
    merged = current.with_parts(**mine)
    clashes = [
        part
        for part, value in mine.items()
        if getattr(current, part) != getattr(base, part) and getattr(current, part) != value
    ]
    if clashes:
        raise AnswerConflict(answer=answer, attempted=merged)
    return merged


def _question_of(assessment: Assessment, question: QuestionSnapshot) -> QuestionSnapshot:
    """The question as the assessment's own bank version has it, or a ValidationError."""
    own = selectors.assessment_bank(assessment=assessment).question_by_id.get(question.pk)
    if own is None:
        raise ValidationError(
            "This question is not part of the question bank version this assessment uses."
        )
    return own


@transaction.atomic
def answer_save(
    *,
    assessment: Assessment,
    question: QuestionSnapshot,
    user: User,
    data: dict[str, Any],
    expected_revision: int,
) -> Answer | None:
    """Save one question's answer if nobody else changed it since `expected_revision`.

    A save whose value equals the current one changes nothing. On a stale revision the parts
    this person left alone keep the colleague's newer version; when both changed the same part
    it raises AnswerConflict carrying the colleague's answer, and saving again with the
    answer's current revision confirms this person's. Returns the answer, or None when
    there is none and nothing was given."""
    selectors.membership_require_editor(user=user, region=assessment.region)
    # Lock the assessment row: a submit cannot slip between the check and the write.
    locked = Assessment.objects.select_related("bank").select_for_update(of=("self",))
    assessment = locked.get(pk=assessment.pk)
    _require_in_progress(assessment)
    question = _question_of(assessment, question)
    new_value = answer_data_normalise(question=question, data=data)

    answer = (
        Answer.objects.select_for_update()
        .filter(assessment=assessment, question_id=question.id)
        .first()
    )
    if answer is None:
        if new_value.is_empty:
            return None
        if expected_revision not in (0, None):
            raise ValidationError("This answer could not be found. Reload the page.")
        answer = Answer(assessment=assessment, question_id=question.id, revision=0)
        old_value = None
    else:
        old_value = answer.value
        if new_value == old_value:
            return answer
        if expected_revision != answer.revision:
            new_value = _merge_stale(
                answer=answer, new_value=new_value, base_revision=expected_revision
            )
            if new_value == old_value:
                return answer  # unchanged by this person: the colleague's newer answer stands

    answer.set_value(new_value)
    answer.revision += 1
    answer.updated_by = user
    answer.full_clean(exclude=["assessment", "question"])
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError:  # a colleague created this answer a moment ago
        current = Answer.objects.get(assessment=assessment, question_id=question.id)
        raise AnswerConflict(answer=current, attempted=new_value) from None
    AnswerHistory.objects.create(
        answer=answer,
        revision=answer.revision,
        changed_by=user,
        old_value=None if old_value is None else old_value.to_json(),
        new_value=new_value.to_json(),
    )
    return answer


# --- who does what -------------------------------------------------------------------------------


@transaction.atomic
def theme_assign(
    *,
    assessment: Assessment,
    theme: ThemeSnapshot,
    assignee: User | None,
    user: User,
) -> ThemeAssignment | None:
    """Make `assignee` (an editor of the region) the owner of `theme`; None removes the owner."""
    selectors.membership_require_editor(user=user, region=assessment.region)
    _require_in_progress(assessment)
    if theme.pk not in selectors.assessment_bank(assessment=assessment).theme_by_id:
        raise ValidationError("This theme is not part of this assessment.")
    if assignee is None:
        ThemeAssignment.objects.filter(assessment=assessment, theme_id=theme.pk).delete()
        return None
    if not selectors.user_is_editor(user=assignee, region=assessment.region):
        raise ValidationError({"assignee": "Choose an editor of this region"})
    current = selectors.theme_assignment_get(assessment=assessment, theme_id=theme.pk)
    if current is not None and current.assignee_id == assignee.pk:
        return current  # theirs already: saved again, it changes nothing and emails nobody
    assignment, _ = ThemeAssignment.objects.update_or_create(
        assessment=assessment,
        theme_id=theme.pk,
        defaults={"assignee": assignee, "assigned_by": user, "assigned_at": timezone.now()},
    )
    emails.theme_assigned(assignment=assignment, theme=theme)
    return assignment


@transaction.atomic
def comment_add(
    *, assessment: Assessment, question: QuestionSnapshot, user: User, text: str
) -> AnswerComment:
    selectors.membership_require_editor(user=user, region=assessment.region)
    _require_in_progress(assessment)
    question = _question_of(assessment, question)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter a comment"})
    if limits.COMMENT.exceeded_by(text):
        raise ValidationError({"text": limits.COMMENT.message})
    comment = AnswerComment(assessment=assessment, question_id=question.id, author=user, text=text)
    comment.full_clean()
    comment.save()
    emails.comment_added(comment=comment, question=question)
    return comment


@transaction.atomic
def comment_resolve(*, comment: AnswerComment, user: User) -> AnswerComment:
    assessment = comment.assessment
    selectors.membership_require_editor(user=user, region=assessment.region)
    _require_in_progress(assessment)
    if comment.resolved_at is None:
        comment.resolved_at = timezone.now()
        comment.resolved_by = user
        comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


# --- submit and reopen ---------------------------------------------------------------------------


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user: User) -> Assessment:
    """Submit: every visible required question must be answered. The assessment becomes
    read-only and records who submitted it and when."""
    selectors.membership_require_editor(user=user, region=assessment.region)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_in_progress(locked)
    missing = selectors.assessment_check_answers(assessment=locked).missing
    if missing:
        raise ValidationError(
            [ValidationError(f"Answer “{row.question.text}”", code="missing") for row in missing]
        )
    locked.status = Assessment.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = user
    locked.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    AssessmentEvent.objects.create(
        assessment=locked, kind=AssessmentEvent.Kind.SUBMITTED, user=user
    )
    # Scores are fixed at submit: pages, exports and the PDF read the stored figures.
    results_services.assessment_score(assessment=locked, today=timezone.localdate(), user=user)
    assessment.status = locked.status
    assessment.submitted_at = locked.submitted_at
    assessment.submitted_by = user
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, user: User, reason: str) -> Assessment:
    """Reopen a submitted assessment for changes, recording why."""
    selectors.membership_require_editor(user=user, region=assessment.region)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are reopening the assessment"})
    if limits.REASON.exceeded_by(reason):
        raise ValidationError({"reason": limits.REASON.message})
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_submitted:
        raise ValidationError("This assessment is already open for changes.")
    other = selectors.assessment_in_progress(region=locked.region)
    if other is not None:
        raise ValidationError(
            f"“{other.label}” is in progress. Submit it before reopening this assessment."
        )
    locked.status = Assessment.Status.IN_PROGRESS
    locked.submitted_at = None
    locked.submitted_by = None
    try:
        with transaction.atomic():
            locked.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    except IntegrityError:
        raise ValidationError(
            "Another assessment of this region was started just now, so this one cannot be "
            "reopened."
        ) from None
    AssessmentEvent.objects.create(
        assessment=locked, kind=AssessmentEvent.Kind.REOPENED, user=user, reason=reason
    )
    assessment.status = locked.status
    assessment.submitted_at = None
    assessment.submitted_by = None
    return assessment
