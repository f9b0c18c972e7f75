"""The scoring inputs of an assessment: its pinned bank (a snapshot) and its answers, as
`scoring.score_assessment` takes them. Pure: no Django imports, no queries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessments import scoring
from assessments.answers import AnswerValue, answer_label, visible_question_ids
from questionbank.snapshot import BankSnapshot, QuestionSnapshot, ThemeSnapshot


@dataclass
class ScoringInputs:
    snapshot: BankSnapshot
    theme_inputs: list[scoring.ThemeInput]
    question_inputs: list[scoring.QuestionInput]
    answer_inputs: list[scoring.AnswerInput]
    hidden_codes: frozenset[str]
    # Each answer as a table cell shows it, by the code its question is scored under.
    answer_labels: dict[str, str]

    @property
    def themes(self) -> tuple[ThemeSnapshot, ...]:
        return self.snapshot.themes

    @property
    def questions(self) -> tuple[QuestionSnapshot, ...]:
        return self.snapshot.questions


def scoring_inputs_from(
    snapshot: BankSnapshot, answers: Mapping[int, AnswerValue]
) -> ScoringInputs:
    """`answers` by question id. A question hidden by its condition (the same rule as the pages
    that ask it) is passed as hidden, so it is neither scored nor flagged. A note or an
    evidence link is evidence."""
    values = {qid: value.condition_values() for qid, value in answers.items()}
    visible = visible_question_ids(questions=snapshot.questions, values_by_question=values)
    question_inputs = []
    answer_inputs = []
    labels = {}
    for question in snapshot.questions:
        question_inputs.append(
            scoring.QuestionInput(
                code=question.key,
                theme_slug=question.theme_slug,
                kind=question.kind,
                weight=question.weight,
                levels=tuple(
                    scoring.LevelInput(value=level.value, score=level.score)
                    for level in question.levels
                ),
                milestone_day=question.milestone_day,
                required=question.required,
                text=question.text,
            )
        )
        value = answers.get(question.id)
        if value is None or question.id not in visible:
            continue
        labels[question.key] = answer_label(question, value)
        answer_inputs.append(
            scoring.AnswerInput(
                code=question.key,
                values=value.selected_values,
                number=value.number_value,
                has_evidence=value.has_evidence,
            )
        )
    return ScoringInputs(
        snapshot=snapshot,
        theme_inputs=[
            scoring.ThemeInput(slug=theme.slug, title=theme.title, weight=theme.weight)
            for theme in snapshot.themes
        ],
        question_inputs=question_inputs,
        answer_inputs=answer_inputs,
        hidden_codes=frozenset(q.key for q in snapshot.questions if q.id not in visible),
        answer_labels=labels,
    )
