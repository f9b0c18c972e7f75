"""Writes for re-assessment: start a new assessment from a submitted one, carrying its answers
(values, notes and evidence links) over to the current published question bank.

On the same bank version everything carries over. On a newer version answers are matched by
question code, or by a new question's `replaces_codes`; a value is carried only where it is still
one of the new question's options (and the question still takes that kind of answer). What could
not be carried over is kept on the new assessment (`Assessment.carry_over`) so the list can be
shown again, and each carried answer's first history row names the assessment it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from assessments import services as assessment_services
from assessments.models import Answer, AnswerHistory, Assessment, AssessmentEvent
from assessments.reassessment import selectors
from questionbank.models import Question

CHOICE_KINDS = assessment_services.CHOICE_KINDS
SINGLE_VALUE_KINDS = assessment_services.SINGLE_VALUE_KINDS
KIND_LABELS = dict(Question.Kind.choices)


@dataclass
class CarriedAnswer:
    question: Question
    value: dict[str, Any]


@dataclass
class CarryOverPlan:
    answers: list[CarriedAnswer] = field(default_factory=list)
    not_carried: list[dict[str, Any]] = field(default_factory=list)  # {code, question, reason}
    new_questions: list[dict[str, Any]] = field(default_factory=list)  # {code, question}


def _level_labels(question: Question) -> dict[str, str]:
    return {level.value: level.label for level in question.levels.all()}


def _carry_value(source: Answer, target: Question) -> tuple[dict[str, Any], list[str]]:
    """The parts of `source` that fit `target`, and why any part did not."""
    old = source.question
    value: dict[str, Any] = {
        "selected_values": [],
        "number_value": None,
        "text_value": "",
        "note": source.note,
        "evidence_url": source.evidence_url,
    }
    reasons: list[str] = []
    if source.selected_values:
        if target.kind not in CHOICE_KINDS:
            reasons.append(
                f"the question now takes a different kind of answer "
                f"({KIND_LABELS.get(target.kind, target.kind).lower()}), so the choice was not "
                "carried over"
            )
        else:
            new_levels = _level_labels(target)
            old_labels = _level_labels(old)
            kept = [v for v in source.selected_values if v in new_levels]
            gone = [v for v in source.selected_values if v not in new_levels]
            if gone:
                names = ", ".join(f"“{old_labels.get(v, v)}”" for v in gone)
                reasons.append(
                    f"{names} {'is' if len(gone) == 1 else 'are'} no longer "
                    f"{'an option' if len(gone) == 1 else 'options'}, so "
                    f"{'it was' if len(gone) == 1 else 'they were'} not carried over"
                )
            if target.kind in SINGLE_VALUE_KINDS and len(kept) > 1:
                reasons.append("the question now takes only one choice, so none was carried over")
                kept = []
            value["selected_values"] = kept
    if source.number_value is not None:
        if target.kind == Question.Kind.NUMBER:
            value["number_value"] = str(source.number_value)
        else:
            reasons.append("the question no longer takes a number, so it was not carried over")
    if source.text_value:
        if target.kind == Question.Kind.TEXT:
            value["text_value"] = source.text_value
        else:
            reasons.append(
                "the question no longer takes a written answer, so it was not carried over"
            )
    try:
        value = assessment_services.answer_data_normalise(question=target, data=value)
    except ValidationError as error:  # an earlier answer that no longer passes today's checks
        reasons.append("it does not fit the question any more: " + " ".join(error.messages))
        value = {
            "selected_values": [],
            "number_value": None,
            "text_value": "",
            "note": "",
            "evidence_url": "",
        }
    return value, reasons


def _is_empty(value: dict[str, Any]) -> bool:
    return (
        not any(
            (value["selected_values"], value["number_value"], value["text_value"], value["note"])
        )
        and not value["evidence_url"]
    )


def carry_over_plan(
    *, source_answers: list[Answer], targets: list[Question], same_bank: bool
) -> CarryOverPlan:
    """Which answer goes to which question of the new bank, with what value. Pure over the
    loaded rows (no queries beyond the prefetched ones)."""
    plan = CarryOverPlan()
    answered = [a for a in source_answers if a.has_value or a.note or a.evidence_url]
    if same_bank:
        by_id = {q.pk: q for q in targets}
        for answer in answered:
            target = by_id[answer.question_id]
            plan.answers.append(CarriedAnswer(question=target, value=answer.as_value()))
        return plan

    by_code: dict[str, list[Answer]] = {}
    for answer in answered:
        by_code.setdefault(answer.question.code, []).append(answer)
    used: set[int] = set()
    for target in targets:
        candidates = by_code.get(target.code, [])
        # Two themes may reuse a code: prefer the answer from the theme of the same slug.
        source = next(
            (a for a in candidates if a.question.theme.slug == target.theme.slug),
            candidates[0] if candidates else None,
        )
        also: list[Answer] = []
        if source is None:
            replaced = [a for code in target.replaces_codes or () for a in by_code.get(code, [])]
            if replaced:
                source, also = replaced[0], replaced[1:]
        if source is None:
            plan.new_questions.append({"code": target.code, "question": target.text})
            continue
        used.add(source.pk)
        value, reasons = _carry_value(source, target)
        via = (
            "" if source.question.code == target.code else f" (it replaces {source.question.code})"
        )
        for reason in reasons:
            plan.not_carried.append(
                {
                    "code": target.code,
                    "question": target.text,
                    "reason": reason[0].upper() + reason[1:] + via + ".",
                }
            )
        for other in also:
            used.add(other.pk)
            plan.not_carried.append(
                {
                    "code": other.question.code,
                    "question": other.question.text,
                    "reason": (
                        f"{target.code} replaces both {source.question.code} and "
                        f"{other.question.code}; only the answer to {source.question.code} "
                        "was carried over."
                    ),
                }
            )
        if not _is_empty(value):
            plan.answers.append(CarriedAnswer(question=target, value=value))
    replaced_by = {old: t.code for t in targets for old in t.replaces_codes or ()}
    for answer in answered:
        if answer.pk in used:
            continue
        code = answer.question.code
        if code in replaced_by:  # merged into a question that kept its own answer
            reason = (
                f"{replaced_by[code]} replaces {code}; only the answer to {replaced_by[code]} "
                "was carried over."
            )
        else:
            reason = "The question is not in the current version of the question bank."
        plan.not_carried.append({"code": code, "question": answer.question.text, "reason": reason})
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
    targets = selectors.carry_over_questions(bank_id=assessment.bank_id)
    source_answers = selectors.carry_over_answers(assessment=source)
    plan = carry_over_plan(
        source_answers=source_answers,
        targets=targets,
        same_bank=source.bank_id == assessment.bank_id,
    )
    answers = Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            question=carried.question,
            selected_values=carried.value["selected_values"],
            number_value=carried.value["number_value"],
            text_value=carried.value["text_value"],
            note=carried.value["note"],
            evidence_url=carried.value["evidence_url"],
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
            new_value=carried.value,
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
