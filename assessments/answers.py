"""An answer's value, the one type forms, services, carry-over and scoring pass around, and the
rules that read it: which questions a set of answers shows, and an answer in words. Pure: no
Django imports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from assessments.formatting import number_text
from questionbank import kinds
from questionbank.snapshot import QuestionSnapshot

# An answer in a table cell (exports, stored labels) is cut to this many characters.
ANSWER_LABEL_MAX = 200
NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class AnswerValue:
    """What one question's answer holds. `selected_values` are rubric level values (one for
    single-value kinds, any number for multi_choice); `number_value` has two decimal places."""

    selected_values: tuple[str, ...] = ()
    number_value: Decimal | None = None
    text_value: str = ""
    note: str = ""
    evidence_url: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> AnswerValue:
        """From the plain data kept in the answer history (None: no answer)."""
        if not data:
            return cls()
        number = data.get("number_value")
        return cls(
            selected_values=tuple(str(v) for v in data.get("selected_values") or ()),
            number_value=None if number in (None, "") else Decimal(str(number)),
            text_value=data.get("text_value") or "",
            note=data.get("note") or "",
            evidence_url=data.get("evidence_url") or "",
        )

    def to_json(self) -> dict[str, Any]:
        """As kept in the history: plain JSON-able data."""
        return {
            "selected_values": list(self.selected_values),
            "number_value": None if self.number_value is None else str(self.number_value),
            "text_value": self.text_value,
            "note": self.note,
            "evidence_url": self.evidence_url,
        }

    def with_parts(self, **parts: Any) -> AnswerValue:
        return replace(self, **parts)

    @property
    def is_empty(self) -> bool:
        return self == AnswerValue()

    @property
    def has_value(self) -> bool:
        return bool(self.selected_values) or self.number_value is not None or bool(self.text_value)

    @property
    def has_evidence(self) -> bool:
        """A note or an evidence link counts as evidence for an upper-level answer."""
        return bool(self.note.strip() or self.evidence_url.strip())

    def condition_values(self) -> set[str]:
        """The values a condition compares against: the levels chosen, else the number or text."""
        if self.selected_values:
            return set(self.selected_values)
        if self.number_value is not None:
            return {number_text(self.number_value)}
        if self.text_value:
            return {self.text_value}
        return set()


ANSWER_PARTS = ("selected_values", "number_value", "text_value", "note", "evidence_url")


def visible_question_ids(
    *, questions: Iterable[QuestionSnapshot], values_by_question: Mapping[int, set[str]]
) -> set[int]:
    """Which questions are asked: a question whose condition question's answer is not one of
    its condition values is hidden (and so is anything depending on a hidden question). Hidden
    questions are neither required nor counted."""
    by_id = {q.id: q for q in questions}
    visible: dict[int, bool] = {}

    def is_visible(question_id: int, seen: frozenset[int] = frozenset()) -> bool:
        if question_id in visible:
            return visible[question_id]
        condition = by_id[question_id].condition
        if condition is None or question_id in seen:
            result = True
        else:
            wanted = set(condition.values)
            parent_id = condition.question_id
            shown = bool(wanted & values_by_question.get(parent_id, set()))
            if parent_id in by_id:
                shown = shown and is_visible(parent_id, seen | {question_id})
            result = shown  # a condition on a question outside this list reads its answer alone
        visible[question_id] = result
        return result

    return {qid for qid in by_id if is_visible(qid)}


def answer_label(question: QuestionSnapshot, value: AnswerValue | None) -> str:
    """The answer as a table cell shows it: the chosen levels' labels, the number, or the text
    on one line (cut to ANSWER_LABEL_MAX); "" when there is none."""
    if value is None or not value.has_value:
        return ""
    if question.kind == kinds.NUMBER:
        return number_text(value.number_value)
    if question.kind == kinds.TEXT:
        text = " ".join(value.text_value.split())
        return text if len(text) <= ANSWER_LABEL_MAX else text[: ANSWER_LABEL_MAX - 1] + "…"
    labels = question.level_labels
    return "; ".join(labels.get(v, v) for v in value.selected_values)


def answer_display(question: QuestionSnapshot, value: AnswerValue | None) -> str:
    """An answer in words, in full, for the history, conflict and check-your-answers pages."""
    if value is None:
        return NOT_ANSWERED
    if value.selected_values:
        labels = question.level_labels
        return ", ".join(labels.get(v, v) for v in value.selected_values)
    if value.number_value is not None:
        return str(value.number_value)
    if value.text_value:
        return value.text_value
    return NOT_ANSWERED
