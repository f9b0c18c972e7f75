"""Writes for assessments: start, answer, assign, comment, submit and reopen.

Every service checks its own rules (the user is an editor of the region, the assessment is in
progress, the answer fits its question), so the views, the admin and any command share them."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import selectors
from assessments.models import (
    COMMENT_MAX_LENGTH,
    EVIDENCE_URL_MAX_LENGTH,
    LABEL_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TEXT_ANSWER_MAX_LENGTH,
    Answer,
    AnswerComment,
    AnswerHistory,
    Assessment,
    AssessmentEvent,
    CityRegion,
    Membership,
    ThemeAssignment,
    evidence_url_validator,
)
from assessments.results import services as results_services
from questionbank.models import Question, Theme

SINGLE_VALUE_KINDS = frozenset(
    {Question.Kind.MATURITY, Question.Kind.YES_NO, Question.Kind.SINGLE_CHOICE}
)
CHOICE_KINDS = SINGLE_VALUE_KINDS | {Question.Kind.MULTI_CHOICE}


class AnswerConflict(Exception):  # noqa: N818 (a conflict, not a failure)
    """Someone else saved this question after the page was loaded. `answer` is their answer,
    as it is now; `attempted` is what this save would have written."""

    def __init__(self, *, answer: Answer, attempted: dict[str, Any]) -> None:
        super().__init__(f"Answer to {answer.question_id} changed since revision was read")
        self.answer = answer
        self.attempted = attempted


def _require_editor(*, user: User, region: CityRegion) -> None:
    if not selectors.user_is_editor(user=user, region=region):
        raise PermissionDenied("Only editors of this region can change its assessments.")


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
    _require_editor(user=user, region=region)
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": "Enter a label for the assessment"})
    if len(label) > LABEL_MAX_LENGTH:
        raise ValidationError(
            {"label": f"The label must be {LABEL_MAX_LENGTH} characters or fewer"}
        )
    bank = selectors.question_bank_current()
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


def answer_data_normalise(*, question: Question, data: dict[str, Any]) -> dict[str, Any]:
    """Check `data` against `question` and return it in the shape kept in the history.
    Raises ValidationError naming what is wrong."""
    levels = [level.value for level in question.levels.all()]
    raw_values = data.get("selected_values") or []
    if isinstance(raw_values, str):
        raw_values = [raw_values]
    selected = [str(v) for v in raw_values if str(v) != ""]
    number = data.get("number_value")
    text = (data.get("text_value") or "").strip()
    note = (data.get("note") or "").strip()
    evidence = (data.get("evidence_url") or "").strip()

    errors: dict[str, str] = {}
    if selected:
        if question.kind not in CHOICE_KINDS:
            errors["selected_values"] = "This question does not take a choice of options."
        elif any(value not in levels for value in selected):
            errors["selected_values"] = "Select one of the options given."
        elif question.kind in SINGLE_VALUE_KINDS and len(selected) > 1:
            errors["selected_values"] = "Select only one option."
        selected = [v for v in levels if v in selected]  # the bank's order, no duplicates
    if number not in (None, ""):
        if question.kind != Question.Kind.NUMBER:
            errors["number_value"] = "This question does not take a number."
        else:
            try:
                number = Decimal(str(number))
            except InvalidOperation:
                errors["number_value"] = "Enter a number, like 12 or 3.5."
            else:
                if not number.is_finite() or number < 0 or abs(number) >= Decimal("1e12"):
                    errors["number_value"] = "Enter a number of 0 or more."
                else:
                    number = number.quantize(Decimal("0.01"))
    else:
        number = None
    if text and question.kind != Question.Kind.TEXT:
        errors["text_value"] = "This question does not take a written answer."
    elif len(text) > TEXT_ANSWER_MAX_LENGTH:
        errors["text_value"] = f"The answer must be {TEXT_ANSWER_MAX_LENGTH} characters or fewer."
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = f"The note must be {NOTE_MAX_LENGTH} characters or fewer."
    if evidence:
        if len(evidence) > EVIDENCE_URL_MAX_LENGTH:
            errors["evidence_url"] = (
                f"The evidence link must be {EVIDENCE_URL_MAX_LENGTH} characters or fewer."
            )
        else:
            try:
                evidence_url_validator(evidence)
            except ValidationError as error:
                errors["evidence_url"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    return {
        "selected_values": selected,
        "number_value": None if number is None else str(number),
        "text_value": text,
        "note": note,
        "evidence_url": evidence,
    }


def _empty_value() -> dict[str, Any]:
    return {
        "selected_values": [],
        "number_value": None,
        "text_value": "",
        "note": "",
        "evidence_url": "",
    }


def _merge_stale(
    *, answer: Answer, new_value: dict[str, Any], base_revision: int
) -> dict[str, Any]:
    """Merge a save made from a page showing `base_revision` into the newer current answer.

    Parts this person did not change (the choice, the note, the link) keep the colleague's
    newer version; parts only this person changed are applied. When both changed the same
    part differently, raise AnswerConflict with the merged answer this person would write."""
    base = selectors.answer_value_at_revision(answer=answer, revision=base_revision)
    base = base or _empty_value()
    current = answer.as_value()
    mine = {key: value for key, value in new_value.items() if value != base.get(key)}
    merged = current | mine
    clashes = [
        key
        for key, value in mine.items()
        if current[key] != base.get(key) and current[key] != value
    ]
    if clashes:
        raise AnswerConflict(answer=answer, attempted=merged)
    return merged


@transaction.atomic
def answer_save(
    *,
    assessment: Assessment,
    question: Question,
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
    _require_editor(user=user, region=assessment.region)
    # Lock the assessment row: a submit cannot slip between the check and the write.
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_in_progress(assessment)
    if question.theme.bank_id != assessment.bank_id:
        raise ValidationError(
            "This question is not part of the question bank version this assessment uses."
        )
    new_value = answer_data_normalise(question=question, data=data)

    answer = (
        Answer.objects.select_for_update().filter(assessment=assessment, question=question).first()
    )
    if answer is None:
        if new_value == _empty_value():
            return None
        if expected_revision not in (0, None):
            raise ValidationError("This answer could not be found. Reload the page.")
        answer = Answer(assessment=assessment, question=question, revision=0)
        old_value = None
    else:
        old_value = answer.as_value()
        if new_value == old_value:
            return answer
        if expected_revision != answer.revision:
            new_value = _merge_stale(
                answer=answer, new_value=new_value, base_revision=expected_revision
            )
            if new_value == old_value:
                return answer  # unchanged by this person: the colleague's newer answer stands

    answer.selected_values = new_value["selected_values"]
    answer.number_value = (
        None if new_value["number_value"] is None else Decimal(new_value["number_value"])
    )
    answer.text_value = new_value["text_value"]
    answer.note = new_value["note"]
    answer.evidence_url = new_value["evidence_url"]
    answer.revision += 1
    answer.updated_by = user
    answer.full_clean(exclude=["assessment", "question"])
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError:  # a colleague created this answer a moment ago
        current = Answer.objects.get(assessment=assessment, question=question)
        raise AnswerConflict(answer=current, attempted=new_value) from None
    AnswerHistory.objects.create(
        answer=answer,
        revision=answer.revision,
        changed_by=user,
        old_value=old_value,
        new_value=new_value,
    )
    return answer


# --- who does what -------------------------------------------------------------------------------


@transaction.atomic
def theme_assign(
    *,
    assessment: Assessment,
    theme: Theme,
    assignee: User | None,
    user: User,
) -> ThemeAssignment | None:
    """Make `assignee` (an editor of the region) the owner of `theme`; None removes the owner."""
    _require_editor(user=user, region=assessment.region)
    _require_in_progress(assessment)
    if theme.bank_id != assessment.bank_id:
        raise ValidationError("This theme is not part of this assessment.")
    if assignee is None:
        ThemeAssignment.objects.filter(assessment=assessment, theme=theme).delete()
        return None
    if not Membership.objects.filter(
        user=assignee, region=assessment.region, role=Membership.Role.EDITOR
    ).exists():
        raise ValidationError({"assignee": "Choose an editor of this region"})
    assignment, _ = ThemeAssignment.objects.update_or_create(
        assessment=assessment,
        theme=theme,
        defaults={"assignee": assignee, "assigned_by": user, "assigned_at": timezone.now()},
    )
    return assignment


@transaction.atomic
def comment_add(
    *, assessment: Assessment, question: Question, user: User, text: str
) -> AnswerComment:
    _require_editor(user=user, region=assessment.region)
    _require_in_progress(assessment)
    if question.theme.bank_id != assessment.bank_id:
        raise ValidationError("This question is not part of this assessment.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter a comment"})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"text": f"The comment must be {COMMENT_MAX_LENGTH} characters or fewer"}
        )
    comment = AnswerComment(assessment=assessment, question=question, author=user, text=text)
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def comment_resolve(*, comment: AnswerComment, user: User) -> AnswerComment:
    assessment = comment.assessment
    _require_editor(user=user, region=assessment.region)
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
    _require_editor(user=user, region=assessment.region)
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
    _require_editor(user=user, region=assessment.region)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are reopening the assessment"})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"The reason must be {REASON_MAX_LENGTH} characters or fewer"}
        )
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
