"""One version of the question bank as frozen data: the read model every consumer outside this app
uses (the task list, theme pages, scoring inputs, exports, carry-over, compare, benchmarks and
the briefing). A published or retired version never changes, so its snapshot is cached
(`questionbank.selectors.bank_snapshot`). Pure: no Django imports."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from questionbank import kinds

OWNER_ROLE_LABELS = {
    "mayor": "Mayor",
    "cdic": "Chief Digital and Innovation Champion",
    "ca_officers": "Combined authority officers",
    "councils": "Constituent councils",
    "partners": "Partners (industry, education, community)",
}
PRIORITY_LABELS = {"high": "High", "medium": "Medium", "low": "Low"}


@dataclass(frozen=True)
class LevelSnapshot:
    """One answer option of a scored question. For number questions `value` is the lower bound
    the answer must reach."""

    value: str
    label: str
    description: str
    score: int


@dataclass(frozen=True)
class ActionSnapshot:
    """What to do when the question scores below `applies_below_score`: feeds the 100-day plan."""

    id: int
    question_id: int
    order: int
    text: str
    owner_role: str
    applies_below_score: int
    day_from: int
    day_to: int
    priority: str

    @property
    def owner_role_label(self) -> str:
        return OWNER_ROLE_LABELS.get(self.owner_role, self.owner_role)

    @property
    def priority_label(self) -> str:
        return PRIORITY_LABELS.get(self.priority, self.priority)


@dataclass(frozen=True)
class ConditionSnapshot:
    """Ask the question only when the answer to `question_id` is one of `values`."""

    question_id: int
    question_code: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class QuestionSnapshot:
    id: int
    theme_id: int
    theme_slug: str
    order: int
    code: str
    # The code the question is scored and exported under: its bank code, prefixed with its
    # theme's slug in the rare bank where two themes reuse a code.
    key: str
    text: str
    guidance: str
    kind: str
    weight: int
    required: bool
    milestone_day: int | None
    replaces_codes: tuple[str, ...]
    sources: str
    condition: ConditionSnapshot | None
    levels: tuple[LevelSnapshot, ...] = ()
    actions: tuple[ActionSnapshot, ...] = ()

    @property
    def pk(self) -> int:
        return self.id

    @property
    def kind_label(self) -> str:
        return kinds.LABELS.get(self.kind, self.kind)

    @property
    def is_scored(self) -> bool:
        return self.kind in kinds.SCORED_KINDS

    @property
    def takes_choice(self) -> bool:
        return self.kind in kinds.CHOICE_KINDS

    @property
    def takes_one_choice(self) -> bool:
        return self.kind in kinds.SINGLE_VALUE_KINDS

    @cached_property
    def level_labels(self) -> dict[str, str]:
        return {level.value: level.label for level in self.levels}

    @cached_property
    def level_values(self) -> tuple[str, ...]:
        return tuple(level.value for level in self.levels)


@dataclass(frozen=True)
class ThemeSnapshot:
    id: int
    order: int
    slug: str
    title: str
    description: str
    why_it_matters: str
    weight: int
    questions: tuple[QuestionSnapshot, ...] = ()

    @property
    def pk(self) -> int:
        return self.id


@dataclass(frozen=True)
class BankSnapshot:
    """A version of the bank in bank order: themes by `order`, their questions by `order`, each
    question's levels and actions by `order`."""

    id: int
    version: int
    title: str
    status: str
    themes: tuple[ThemeSnapshot, ...] = ()

    @property
    def pk(self) -> int:
        return self.id

    @cached_property
    def questions(self) -> tuple[QuestionSnapshot, ...]:
        return tuple(question for theme in self.themes for question in theme.questions)

    @cached_property
    def question_by_id(self) -> dict[int, QuestionSnapshot]:
        return {question.id: question for question in self.questions}

    @cached_property
    def question_by_key(self) -> dict[str, QuestionSnapshot]:
        return {question.key: question for question in self.questions}

    @cached_property
    def theme_by_id(self) -> dict[int, ThemeSnapshot]:
        return {theme.id: theme for theme in self.themes}

    @cached_property
    def theme_by_slug(self) -> dict[str, ThemeSnapshot]:
        return {theme.slug: theme for theme in self.themes}

    @cached_property
    def actions(self) -> tuple[ActionSnapshot, ...]:
        """Every action in bank order (by theme, question, then the action's own order)."""
        return tuple(action for question in self.questions for action in question.actions)

    @cached_property
    def milestones(self) -> tuple[QuestionSnapshot, ...]:
        """The questions that carry a 100-day milestone, in bank order."""
        return tuple(q for q in self.questions if q.milestone_day is not None)

    def theme_of(self, question: QuestionSnapshot) -> ThemeSnapshot:
        return self.theme_by_id[question.theme_id]


def question_keys(codes_by_question: list[tuple[int, str, str]]) -> dict[int, str]:
    """The scoring key of each (question id, code, theme slug): the code, or "slug:code" where
    two themes of the bank use the same code."""
    counts: dict[str, int] = {}
    for _, code, _ in codes_by_question:
        counts[code] = counts.get(code, 0) + 1
    return {
        question_id: code if counts[code] == 1 else f"{slug}:{code}"
        for question_id, code, slug in codes_by_question
    }
