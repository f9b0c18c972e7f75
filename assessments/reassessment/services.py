"""Writes for re-assessment: start a new assessment from a submitted one, carrying its answers
(values, notes and evidence links) over to the current published question bank.

On the same bank version everything carries over. On a newer version answers are matched by
question code, or by a new question's `replaces_codes`; a value is carried only where it is still
one of the new question's options (and the question still takes that kind of answer). What could
not be carried over is kept on the new assessment (`Assessment.carry_over`) so the list can be
shown again, and each carried answer's first history row names the assessment it came from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from assessments import services as assessment_services
from assessments.answers import AnswerValue
from assessments.models import Answer, AnswerHistory, Assessment, AssessmentEvent
from assessments.reassessment import selectors
from assessments.reassessment.selectors import SourceAnswer
from questionbank import kinds
from questionbank.selectors import bank_snapshot
from questionbank.snapshot import QuestionSnapshot


@dataclass
class CarriedAnswer:
    question: QuestionSnapshot
    value: AnswerValue


@dataclass
class CarryOverPlan:
    answers: list[CarriedAnswer] = field(default_factory=list)
    not_carried: list[dict[str, Any]] = field(default_factory=list)  # {code, question, reason}
    new_questions: list[dict[str, Any]] = field(default_factory=list)  # {code, question}


def _carry_value(source: SourceAnswer, target: QuestionSnapshot) -> tuple[AnswerValue, list[str]]:
    """The parts of `source` that fit `target`, and why any part did not."""
    old, given = source.question, source.value
    value = AnswerValue(note=given.note, evidence_url=given.evidence_url)
    reasons: list[str] = []
    if given.selected_values:
        if target.kind not in kinds.CHOICE_KINDS:
            reasons.append(
                f"the question now takes a different kind of answer "
                f"({target.kind_label.lower()}), so the choice was not carried over"
            )
        else:
            new_levels = target.level_labels
            old_labels = old.level_labels
            kept = tuple(v for v in given.selected_values if v in new_levels)
            gone = [v for v in given.selected_values if v not in new_levels]
            if gone:
                names = ", ".join(f"“{old_labels.get(v, v)}”" for v in gone)
                reasons.append(
                    f"{names} {'is' if len(gone) == 1 else 'are'} no longer "
                    f"{'an option' if len(gone) == 1 else 'options'}, so "
                    f"{'it was' if len(gone) == 1 else 'they were'} not carried over"
                )
            if target.kind in kinds.SINGLE_VALUE_KINDS and len(kept) > 1:
                reasons.append("the question now takes only one choice, so none was carried over")
                kept = ()
            value = value.with_parts(selected_values=kept)
    if given.number_value is not None:
        if target.kind == kinds.NUMBER:
            value = value.with_parts(number_value=given.number_value)
        else:
            reasons.append("the question no longer takes a number, so it was not carried over")
    if given.text_value:
        if target.kind == kinds.TEXT:
            value = value.with_parts(text_value=given.text_value)
        else:
            reasons.append(
                "the question no longer takes a written answer, so it was not carried over"
            )
    try:
        value = assessment_services.answer_data_normalise(question=target, data=value.to_json())
    except ValidationError as error:  # an earlier answer that no longer passes today's checks
        reasons.append("it does not fit the question any more: " + " ".join(error.messages))
        return AnswerValue(), reasons
    return value, reasons


def _source_for(
    target: QuestionSnapshot, by_code: dict[str, list[SourceAnswer]]
) -> tuple[SourceAnswer | None, list[SourceAnswer]]:
    """The earlier answer `target` takes (same code, or a code it replaces), and any other
    answers to codes it replaces, which it cannot take as well."""
    candidates = by_code.get(target.code, [])
    if candidates:
        # Two themes may reuse a code: prefer the answer from the theme of the same slug.
        same_theme = (a for a in candidates if a.question.theme_slug == target.theme_slug)
        return next(same_theme, candidates[0]), []
    replaced = [a for code in target.replaces_codes for a in by_code.get(code, [])]
    return (replaced[0], replaced[1:]) if replaced else (None, [])


def _carry_to(
    plan: CarryOverPlan, target: QuestionSnapshot, source: SourceAnswer, also: list[SourceAnswer]
) -> None:
    """Carry `source` over to `target`, noting what did not fit and the answers left out."""
    value, reasons = _carry_value(source, target)
    old_code = source.question.code
    via = "" if old_code == target.code else f" (it replaces {old_code})"
    for reason in reasons:
        plan.not_carried.append(
            {
                "code": target.code,
                "question": target.text,
                "reason": reason[0].upper() + reason[1:] + via + ".",
            }
        )
    for other in also:
        plan.not_carried.append(
            {
                "code": other.question.code,
                "question": other.question.text,
                "reason": (
                    f"{target.code} replaces both {old_code} and {other.question.code}; "
                    f"only the answer to {old_code} was carried over."
                ),
            }
        )
    if not value.is_empty:
        plan.answers.append(CarriedAnswer(question=target, value=value))


def _left_behind(answer: SourceAnswer, replaced_by: dict[str, str]) -> dict[str, Any]:
    code = answer.question.code
    if code in replaced_by:  # merged into a question that kept its own answer
        reason = (
            f"{replaced_by[code]} replaces {code}; only the answer to {replaced_by[code]} "
            "was carried over."
        )
    else:
        reason = "The question is not in the current version of the question bank."
    return {"code": code, "question": answer.question.text, "reason": reason}


def carry_over_plan(
    *, source_answers: list[SourceAnswer], targets: Sequence[QuestionSnapshot], same_bank: bool
) -> CarryOverPlan:
    """Which answer goes to which question of the new bank, with what value. Pure over the
    answers and the snapshot's questions."""
    plan = CarryOverPlan()
    answered = [
        a for a in source_answers if a.value.has_value or a.value.note or a.value.evidence_url
    ]
    if same_bank:
        by_id = {q.id: q for q in targets}
        plan.answers = [
            CarriedAnswer(question=by_id[answer.question.id], value=answer.value)
            for answer in answered
        ]
        return plan

    by_code: dict[str, list[SourceAnswer]] = {}
    for answer in answered:
        by_code.setdefault(answer.question.code, []).append(answer)
    used: set[int] = set()  # the source questions whose answers found a place
    for target in targets:
        source, also = _source_for(target, by_code)
        if source is None:
            plan.new_questions.append({"code": target.code, "question": target.text})
            continue
        used.update(answer.question.id for answer in (source, *also))
        _carry_to(plan, target, source, also)
    replaced_by = {old: t.code for t in targets for old in t.replaces_codes}
    plan.not_carried += [
        _left_behind(answer, replaced_by) for answer in answered if answer.question.id not in used
    ]
    return plan


@transaction.atomic
def reassessment_start(*, source: Assessment, user: User, label: str) -> Assessment:
    """Start a new assessment of the region of `source` (a submitted assessment) on the current
    published bank, pre-filled with what carries over. Raises ValidationError (nothing saved)
    when `source` is not submitted or another assessment is in progress."""
    if not source.is_submitted:
        raise ValidationError(
            "Only a submitted assessment can be the start of a new one.", code="not_submitted"
        )
    assessment = assessment_services.assessment_start(
        region=source.region, user=user, label=label, based_on=source
    )
    targets = bank_snapshot(bank=assessment.bank).questions
    source_answers = selectors.carry_over_answers(assessment=source)
    plan = carry_over_plan(
        source_answers=source_answers,
        targets=targets,
        same_bank=source.bank_id == assessment.bank_id,
    )
    answers = Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            question_id=carried.question.id,
            selected_values=list(carried.value.selected_values),
            number_value=carried.value.number_value,
            text_value=carried.value.text_value,
            note=carried.value.note,
            evidence_url=carried.value.evidence_url,
            revision=1,
            updated_by=user,
        )
        for carried in plan.answers
    )
    AnswerHistory.objects.bulk_create(
        AnswerHistory(
            answer=answer,
            revision=1,
            changed_by=user,
            old_value=None,
            new_value=carried.value.to_json(),
            carried_over_from=source,
        )
        for answer, carried in zip(answers, plan.answers, strict=True)
    )
    source_version = source.bank.version
    version = assessment.bank.version
    assessment.carry_over = {
        "source_id": source.pk,
        "source_label": source.label,
        "source_bank_version": source_version,
        "bank_version": version,
        "carried": len(plan.answers),
        "not_carried": plan.not_carried,
        "new_questions": plan.new_questions,
    }
    assessment.save(update_fields=["carry_over", "updated_at"])
    summary = (
        f"Started from “{source.label}” (question bank version {source_version}): "
        f"{len(plan.answers)} answer{'s' if len(plan.answers) != 1 else ''} carried over"
    )
    if plan.not_carried:
        summary += f", {len(plan.not_carried)} could not be"
    AssessmentEvent.objects.filter(assessment=assessment, kind=AssessmentEvent.Kind.STARTED).update(
        reason=summary + "."
    )
    return assessment
