"""Scoring an assessment: pure functions over frozen dataclasses.

No Django, no database, no clock: the caller loads the bank and the answers (through selectors),
turns them into the input dataclasses below, passes `today` and the mayor's first day in office,
and stores what `score_assessment` returns. Pages and the PDF read the stored figures.

The rules, in one place:

- **Question score** (0-100, from the rubric): maturity, yes/no and single choice score the chosen
  level; multi choice scores min(100, sum of the chosen levels); a number scores the level with the
  highest lower bound (the level's `value`) that the answer reaches, 0 below every bound. Text is
  not scored. A value that is not in the rubric is an error, never a silent zero.
- **Counted questions**: scored kind, weight > 0 and not hidden by a condition. Hidden questions
  (passed in as `hidden_codes`) neither count nor are flagged. A weight-0 question is shown with
  its score but does not count, because it cannot move any figure.
- **Theme score** = sum(weight x score) / sum(weight) over its answered counted questions; None
  when none is answered. Unanswered counted questions are left out of both sums and **flagged**.
- **Readiness index** = sum(theme weight x theme score) / sum(theme weight) over themes that have
  a score and a weight > 0; None when there are none. A theme of weight 0 never moves it.
- **Coverage** (per theme and overall) = answered counted weight / counted weight, using question
  weights only, so it is exactly 1 when, and only when, every counted question is answered (1 too
  when there is nothing to answer). It is rounded down, so 0.99996 never shows as 1.
- **Confidence** = the share of answered counted questions at the upper levels (score >= 75) that
  carry evidence (a note or a link); None when there are no such answers.
- **Milestones**: see `milestone_status`.
- **Gaps**: answered counted questions ranked by
  question weight x theme weight x shortfall (100 - score) x urgency of the milestone.
- Scores are rounded half up to one decimal place only at the end; the index is computed from the
  exact theme scores.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
import types
import typing
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

# The question kinds live in the bank's pure taxonomy module. Scoring re-exports them (`X as X`)
# so `scoring.NUMBER` and the rest keep working; new code imports them from questionbank.kinds.
from questionbank.kinds import ALL_KINDS as ALL_KINDS
from questionbank.kinds import CHOICE_KINDS as CHOICE_KINDS
from questionbank.kinds import MATURITY as MATURITY
from questionbank.kinds import MULTI_CHOICE as MULTI_CHOICE
from questionbank.kinds import NUMBER as NUMBER
from questionbank.kinds import SCORED_KINDS as SCORED_KINDS
from questionbank.kinds import SINGLE_CHOICE as SINGLE_CHOICE
from questionbank.kinds import SINGLE_VALUE_KINDS as SINGLE_VALUE_KINDS
from questionbank.kinds import TEXT as TEXT
from questionbank.kinds import YES_NO as YES_NO

# An answer at or above this score is at the "upper levels": it should carry evidence, and it
# counts as a strength. On the 0-4 maturity scale this is level 3 (established) and above.
UPPER_LEVEL_SCORE = 75
DEFAULT_MILESTONE_THRESHOLD = 50
DUE_SOON_DAYS = 14
DEFAULT_GAP_COUNT = 5
DEFAULT_STRENGTH_COUNT = 5

# Milestone statuses.
DONE = "done"
OVERDUE = "overdue"
DUE_SOON = "due_soon"
NOT_YET_DUE = "not_yet_due"
MILESTONE_STATUS_LABELS = {
    DONE: "Done",
    OVERDUE: "Overdue",
    DUE_SOON: "Due soon",
    NOT_YET_DUE: "Not yet due",
}
# How much more a gap weighs when its milestone is pressing.
URGENCY = {
    OVERDUE: Fraction(2),
    DUE_SOON: Fraction(3, 2),
    NOT_YET_DUE: Fraction(1),
    DONE: Fraction(1),
}

SCORE_PLACES = Decimal("0.1")
SHARE_PLACES = Decimal("0.0001")

Number = int | Decimal | Fraction


# --- Bands ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Band:
    slug: str
    label: str
    lower: int  # inclusive
    upper: int  # inclusive, for display ("0-19")

    @property
    def range_label(self) -> str:
        return f"{self.lower}\u2013{self.upper}"


# The five maturity bands: the only place their thresholds live (each band's lower bound; it
# runs up to the next band's bound, the last to 100).
_BAND_STARTS = (
    (0, "starting-out", "Starting out"),
    (20, "emerging", "Emerging"),
    (40, "developing", "Developing"),
    (60, "established", "Established"),
    (80, "leading", "Leading"),
)
BANDS: tuple[Band, ...] = tuple(
    Band(slug, label, lower, next_lower - 1)
    for (lower, slug, label), next_lower in zip(
        _BAND_STARTS, [start[0] for start in _BAND_STARTS[1:]] + [101], strict=True
    )
)
BANDS_BY_SLUG = {band.slug: band for band in BANDS}


def band_for(score: Number | float) -> Band:
    """The band a 0-100 score falls in. A fractional score between two bands' integer bounds
    (19.5) belongs to the lower band: it has not reached the next threshold."""
    if not 0 <= score <= 100:
        raise ValueError(f"a score must lie between 0 and 100, got {score}")
    found = BANDS[0]
    for band in BANDS:
        if score >= band.lower:
            found = band
    return found


# --- Inputs -----------------------------------------------------------------------------------


def _check_weight(what: str, weight: Number) -> None:
    if isinstance(weight, bool) or not isinstance(weight, int | Decimal | Fraction):
        raise TypeError(f"{what}: a weight must be an int or a Decimal, got {weight!r}")
    if not weight >= 0:
        raise ValueError(f"{what}: a weight cannot be negative, got {weight}")


@dataclass(frozen=True, slots=True)
class LevelInput:
    value: str
    score: int

    def __post_init__(self) -> None:
        if isinstance(self.score, bool) or not isinstance(self.score, int):
            raise TypeError(f"level {self.value!r}: a score must be an int, got {self.score!r}")
        if not 0 <= self.score <= 100:
            raise ValueError(f"level {self.value!r}: a score must lie in 0-100, got {self.score}")


@dataclass(frozen=True, slots=True)
class QuestionInput:
    code: str
    theme_slug: str
    kind: str
    weight: Number = 1
    levels: tuple[LevelInput, ...] = ()
    milestone_day: int | None = None
    required: bool = True
    text: str = ""
    # Overrides the assessment-wide milestone threshold for this question (e.g. 75 for an
    # appointment that only counts once made).
    milestone_threshold: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in ALL_KINDS:
            raise ValueError(f"question {self.code}: unknown kind {self.kind!r}")
        _check_weight(f"question {self.code}", self.weight)
        values = [level.value for level in self.levels]
        if len(set(values)) != len(values):
            raise ValueError(f"question {self.code}: two rubric levels share a value")
        if self.milestone_day is not None and self.milestone_day < 1:
            raise ValueError(f"question {self.code}: a milestone day is 1 or later")

    @property
    def is_scored(self) -> bool:
        return self.kind in SCORED_KINDS


@dataclass(frozen=True, slots=True)
class AnswerInput:
    code: str
    values: tuple[str, ...] = ()
    number: Decimal | None = None
    has_evidence: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.values and self.number is None


@dataclass(frozen=True, slots=True)
class ThemeInput:
    slug: str
    title: str
    weight: Number

    def __post_init__(self) -> None:
        _check_weight(f"theme {self.slug}", self.weight)


# --- Outputs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExplanationRow:
    """One question's part in its theme score."""

    code: str
    text: str
    kind: str
    weight: Number
    score: int | None
    has_evidence: bool
    # counted | unanswered | hidden | unscored | zero-weight
    status: str
    weighted_score: Number | None  # weight x score when counted

    @property
    def status_label(self) -> str:
        return ROW_STATUS_LABELS[self.status]


COUNTED = "counted"
UNANSWERED = "unanswered"
HIDDEN = "hidden"
UNSCORED = "unscored"
ZERO_WEIGHT = "zero-weight"
ROW_STATUS_LABELS = {
    COUNTED: "Counted",
    UNANSWERED: "Not answered: left out and flagged",
    HIDDEN: "Not asked (hidden by an earlier answer)",
    UNSCORED: "Not scored",
    ZERO_WEIGHT: "Weight 0: shown, not counted",
}


@dataclass(frozen=True, slots=True)
class ThemeExplanation:
    theme_slug: str
    title: str
    rows: tuple[ExplanationRow, ...]
    weighted_sum: Number  # sum of weight x score over counted rows
    answered_weight: Number  # sum of their weights
    counted_weight: Number  # sum of the weights of every counted question, answered or not
    score: Decimal | None

    @property
    def formula(self) -> str:
        """How the score was produced, in words a results page can print."""
        counted = [row for row in self.rows if row.status == COUNTED]
        # A counted row means an answered weight above 0, so a score: the second test only tells
        # the type checker so.
        if not counted or self.score is None:
            return "No scored question in this theme is answered yet, so it has no score."
        terms = " + ".join(f"{row.weight} \u00d7 {row.score}" for row in counted)
        exact = Fraction(self.weighted_sum) / Fraction(self.answered_weight)
        equals = "=" if Fraction(self.score) == exact else "\u2248"
        return (
            f"({terms}) \u00f7 {self.answered_weight} = {self.weighted_sum} \u00f7 "
            f"{self.answered_weight} {equals} {self.score}"
        )


@dataclass(frozen=True, slots=True)
class Confidence:
    evidenced: int  # upper-level answers with evidence
    upper: int  # upper-level answers
    share: Decimal | None  # evidenced / upper, None when upper == 0


@dataclass(frozen=True, slots=True)
class ThemeResult:
    slug: str
    title: str
    weight: Number
    score: Decimal | None
    band: Band | None
    coverage: Decimal
    answered: int
    counted: int
    confidence: Confidence
    counts_in_index: bool
    explanation: ThemeExplanation


@dataclass(frozen=True, slots=True)
class MilestoneResult:
    code: str
    theme_slug: str
    text: str
    due_day: int
    status: str
    days_left: int  # due_day - day_in_office; negative once overdue
    score: int | None
    threshold: int

    @property
    def status_label(self) -> str:
        return MILESTONE_STATUS_LABELS[self.status]


@dataclass(frozen=True, slots=True)
class Gap:
    code: str
    theme_slug: str
    text: str
    score: int
    shortfall: int
    question_weight: Number
    theme_weight: Number
    urgency: Fraction
    milestone_status: str | None
    priority: Fraction  # question weight x theme weight x shortfall x urgency


@dataclass(frozen=True, slots=True)
class Strength:
    code: str
    theme_slug: str
    text: str
    score: int
    has_evidence: bool


@dataclass(frozen=True, slots=True)
class Flag:
    """A counted question with no answer: left out of every figure and listed."""

    code: str
    theme_slug: str
    text: str
    required: bool


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    today: date
    took_office: date
    day_in_office: int
    milestone_threshold: int
    index: Decimal | None
    band: Band | None
    coverage: Decimal
    answered: int
    counted: int
    confidence: Confidence
    themes: tuple[ThemeResult, ...]
    milestones: tuple[MilestoneResult, ...]
    gaps: tuple[Gap, ...]
    strengths: tuple[Strength, ...]
    strongest_themes: tuple[str, ...]  # theme slugs, best first
    flagged: tuple[Flag, ...] = field(default=())

    def theme(self, slug: str) -> ThemeResult:
        for theme in self.themes:
            if theme.slug == slug:
                return theme
        raise KeyError(slug)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready primitives (Decimals and Fractions as strings, dates as ISO strings)."""
        # _dump turns a dataclass into a dict of its fields
        return typing.cast("dict[str, object]", _dump(self))

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> AssessmentResult:
        """The inverse of `to_dict`: `AssessmentResult.from_dict(r.to_dict()) == r`."""
        # _load builds an instance of the dataclass it is given
        return typing.cast("AssessmentResult", _load(cls, data))


# --- Rounding ---------------------------------------------------------------------------------


def _to_decimal(value: Fraction, places: Decimal, *, half_up: bool) -> Decimal:
    # Exact arithmetic, rounded once: 2/3 -> 66.7, never 66.66666...
    steps = Fraction(value) / Fraction(places)
    whole = math.floor(steps)
    if half_up and steps - whole >= Fraction(1, 2):
        whole += 1
    return (Decimal(whole) * places).quantize(places)


def round_score(value: Fraction) -> Decimal:
    """Half up to one decimal place: 66.65 -> 66.7."""
    return _to_decimal(value, SCORE_PLACES, half_up=True)


def round_share(value: Fraction) -> Decimal:
    """Down to four decimal places, so a share shows 1 only when it is exactly 1."""
    return _to_decimal(value, SHARE_PLACES, half_up=False)


# --- Question score ---------------------------------------------------------------------------


def _number_bound(question: QuestionInput, level: LevelInput) -> Decimal:
    try:
        bound = Decimal(level.value)
    except InvalidOperation:
        raise ValueError(
            f"question {question.code}: the number level {level.value!r} is not a number"
        ) from None
    if not bound.is_finite():
        raise ValueError(
            f"question {question.code}: the number level {level.value!r} is not finite"
        )
    return bound


def question_score(question: QuestionInput, answer: AnswerInput | None) -> int | None:
    """The question's 0-100 score from its rubric; None when unanswered or not scored.

    Raises ValueError when the answer names a value the rubric does not have, or gives a
    single-choice question more than one value."""
    if not question.is_scored or answer is None or answer.is_empty:
        return None
    if question.kind == NUMBER:
        if answer.number is None:
            raise ValueError(f"question {question.code}: a number question needs a number")
        number = Decimal(answer.number)
        if not number.is_finite():
            raise ValueError(f"question {question.code}: {answer.number} is not a finite number")
        best: tuple[Decimal, int] | None = None
        for level in question.levels:
            bound = _number_bound(question, level)
            if number >= bound and (best is None or bound > best[0]):
                best = (bound, level.score)
        return 0 if best is None else best[1]

    scores = {level.value: level.score for level in question.levels}
    unknown = [value for value in answer.values if value not in scores]
    if unknown:
        raise ValueError(
            f"question {question.code}: {', '.join(map(repr, unknown))} is not in its rubric "
            f"({', '.join(map(repr, scores)) or 'no levels'})"
        )
    if question.kind == MULTI_CHOICE:
        return min(100, sum(scores[value] for value in set(answer.values)))
    if len(answer.values) != 1:
        raise ValueError(f"question {question.code}: one answer expected, got {len(answer.values)}")
    return scores[answer.values[0]]


# --- Milestones -------------------------------------------------------------------------------


def day_in_office(today: date, took_office: date) -> int:
    """Day 1 is the day the mayor took office; day 0 the day before; negative before that."""
    return (today - took_office).days + 1


def milestone_status(*, score: int | None, threshold: int, due_day: int, day: int) -> str:
    """done, overdue, due_soon or not_yet_due, on day `day` of the term (see `day_in_office`).

    - done: the score has reached the threshold, whatever the day (an unanswered question is
      never done).
    - otherwise, with days_left = due_day - day:
      - overdue when days_left < 0: from the day after the due day;
      - due_soon when 0 <= days_left <= 14: the due day itself and the 14 days before it;
      - not_yet_due when days_left > 14.
    Day 0 (the day before the mayor takes office) and earlier days follow the same rule, so a
    milestone due on day 10 is already due soon on day 0, and none can be overdue before day 1,
    because due days start at 1.
    """
    if score is not None and score >= threshold:
        return DONE
    days_left = due_day - day
    if days_left < 0:
        return OVERDUE
    if days_left <= DUE_SOON_DAYS:
        return DUE_SOON
    return NOT_YET_DUE


# --- Themes -----------------------------------------------------------------------------------


def _is_counted(question: QuestionInput, hidden_codes: Collection[str]) -> bool:
    return question.is_scored and question.weight > 0 and question.code not in hidden_codes


def explain_theme(
    theme: ThemeInput,
    questions: Iterable[QuestionInput],
    answers: dict[str, AnswerInput],
    hidden_codes: Collection[str] = frozenset(),
    *,
    scores: dict[str, int | None] | None = None,
) -> ThemeExplanation:
    """Each of the theme's questions with its score, weight and part in the theme score.

    `questions` may hold other themes' questions: only this theme's are used. `scores` lets a
    caller that has already scored the questions pass them in."""
    rows = []
    weighted_sum: Fraction = Fraction(0)
    answered_weight: Fraction = Fraction(0)
    counted_weight: Fraction = Fraction(0)
    for question in questions:
        if question.theme_slug != theme.slug:
            continue
        answer = answers.get(question.code)
        score = (
            scores[question.code]
            if scores is not None and question.code in scores
            else question_score(question, answer)
        )
        weighted = None
        if question.code in hidden_codes:
            status = HIDDEN
        elif not question.is_scored:
            status = UNSCORED
        elif question.weight == 0:
            status = ZERO_WEIGHT
        elif score is None:
            status = UNANSWERED
            counted_weight += Fraction(question.weight)
        else:
            status = COUNTED
            weighted = question.weight * score
            weighted_sum += Fraction(weighted)
            answered_weight += Fraction(question.weight)
            counted_weight += Fraction(question.weight)
        rows.append(
            ExplanationRow(
                code=question.code,
                text=question.text,
                kind=question.kind,
                weight=question.weight,
                score=score,
                has_evidence=bool(answer and answer.has_evidence),
                status=status,
                weighted_score=weighted,
            )
        )
    exact = weighted_sum / answered_weight if answered_weight else None
    return ThemeExplanation(
        theme_slug=theme.slug,
        title=theme.title,
        rows=tuple(rows),
        weighted_sum=_plain(weighted_sum),
        answered_weight=_plain(answered_weight),
        counted_weight=_plain(counted_weight),
        score=None if exact is None else round_score(exact),
    )


def _plain(value: Fraction) -> Number:
    """A Fraction that is a whole number as an int, else as a Decimal when exact."""
    if value.denominator == 1:
        return int(value)
    as_decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return as_decimal if Fraction(as_decimal) == value else value


def _exact_theme_score(explanation: ThemeExplanation) -> Fraction | None:
    if not explanation.answered_weight:
        return None
    return Fraction(explanation.weighted_sum) / Fraction(explanation.answered_weight)


def _exact_index(pairs: Iterable[tuple[Fraction, Fraction | None]]) -> Fraction | None:
    total = Fraction(0)
    weights = Fraction(0)
    for weight, score in pairs:
        if score is None or weight == 0:
            continue
        total += weight * score
        weights += weight
    return total / weights if weights else None


def _share(part: Fraction, whole: Fraction) -> Decimal:
    return Decimal(1) if whole == 0 else round_share(part / whole)


def _confidence(evidenced: int, upper: int) -> Confidence:
    share = round_share(Fraction(evidenced, upper)) if upper else None
    return Confidence(evidenced=evidenced, upper=upper, share=share)


# --- The whole assessment ---------------------------------------------------------------------


def score_assessment(
    themes: Sequence[ThemeInput],
    questions: Sequence[QuestionInput],
    answers: Iterable[AnswerInput],
    hidden_codes: Collection[str] = frozenset(),
    *,
    today: date,
    took_office: date,
    milestone_threshold: int = DEFAULT_MILESTONE_THRESHOLD,
    gap_count: int = DEFAULT_GAP_COUNT,
    strength_count: int = DEFAULT_STRENGTH_COUNT,
) -> AssessmentResult:
    """Every figure of an assessment, in time linear in the number of questions.

    `themes` and `questions` come in bank order (kept in the explanations); question codes must
    be unique; every answer must belong to a question; `hidden_codes` are questions a condition
    hides from this assessment."""
    if not 0 <= milestone_threshold <= 100:
        raise ValueError(f"a milestone threshold lies in 0-100, got {milestone_threshold}")
    theme_by_slug = {theme.slug: theme for theme in themes}
    if len(theme_by_slug) != len(themes):
        raise ValueError("two themes share a slug")
    by_theme = _questions_by_theme(theme_by_slug, questions)
    answer_by_code = _answers_by_code(answers, {q.code for q in questions})
    hidden = frozenset(hidden_codes)
    day = day_in_office(today, took_office)

    scores = {q.code: question_score(q, answer_by_code.get(q.code)) for q in questions}

    theme_results: list[ThemeResult] = []
    flagged: list[Flag] = []
    for theme in themes:
        result, flags = _theme_result(theme, by_theme[theme.slug], answer_by_code, hidden, scores)
        theme_results.append(result)
        flagged.extend(flags)

    exact_index = _exact_index(
        (Fraction(t.weight), _exact_theme_score(t.explanation)) for t in theme_results
    )
    index = None if exact_index is None else round_score(exact_index)

    milestones = _milestones(questions, scores, hidden, day, milestone_threshold)
    status_by_code = {milestone.code: milestone.status for milestone in milestones}

    gaps = _gaps(questions, theme_by_slug, scores, hidden, status_by_code, gap_count)
    strengths = _strengths(questions, theme_by_slug, scores, answer_by_code, hidden, strength_count)

    return AssessmentResult(
        today=today,
        took_office=took_office,
        day_in_office=day,
        milestone_threshold=milestone_threshold,
        index=index,
        band=None if index is None else band_for(index),
        coverage=_share(
            sum((Fraction(t.explanation.answered_weight) for t in theme_results), Fraction(0)),
            sum((Fraction(t.explanation.counted_weight) for t in theme_results), Fraction(0)),
        ),
        answered=sum(t.answered for t in theme_results),
        counted=sum(t.counted for t in theme_results),
        confidence=_confidence(
            sum(t.confidence.evidenced for t in theme_results),
            sum(t.confidence.upper for t in theme_results),
        ),
        themes=tuple(theme_results),
        milestones=tuple(milestones),
        gaps=gaps,
        strengths=strengths,
        strongest_themes=_strongest_themes(theme_results, 3),
        flagged=tuple(flagged),
    )


def _questions_by_theme(
    theme_by_slug: dict[str, ThemeInput], questions: Iterable[QuestionInput]
) -> dict[str, list[QuestionInput]]:
    """Each theme's questions in bank order; raises on a repeated code or an unknown theme."""
    by_theme: dict[str, list[QuestionInput]] = {slug: [] for slug in theme_by_slug}
    seen_codes: set[str] = set()
    for question in questions:
        if question.code in seen_codes:
            raise ValueError(f"two questions share the code {question.code}")
        seen_codes.add(question.code)
        if question.theme_slug not in by_theme:
            raise ValueError(f"question {question.code}: unknown theme {question.theme_slug!r}")
        by_theme[question.theme_slug].append(question)
    return by_theme


def _answers_by_code(
    answers: Iterable[AnswerInput], codes: Collection[str]
) -> dict[str, AnswerInput]:
    """The answers by question code; raises on an unknown question or a second answer."""
    answer_by_code: dict[str, AnswerInput] = {}
    for answer in answers:
        if answer.code not in codes:
            raise ValueError(f"an answer names the unknown question {answer.code}")
        if answer.code in answer_by_code:
            raise ValueError(f"two answers to question {answer.code}")
        answer_by_code[answer.code] = answer
    return answer_by_code


def _theme_result(
    theme: ThemeInput,
    questions: Sequence[QuestionInput],
    answers: dict[str, AnswerInput],
    hidden: Collection[str],
    scores: dict[str, int | None],
) -> tuple[ThemeResult, list[Flag]]:
    """One theme's figures, and its counted questions that have no answer."""
    explanation = explain_theme(theme, questions, answers, hidden, scores=scores)
    flags: list[Flag] = []
    answered = counted = upper = evidenced = 0
    for question, row in zip(questions, explanation.rows, strict=True):
        if row.status == UNANSWERED:
            counted += 1
            flags.append(Flag(question.code, theme.slug, question.text, question.required))
        elif row.status == COUNTED:
            counted += 1
            answered += 1
            if row.score is not None and row.score >= UPPER_LEVEL_SCORE:
                upper += 1
                evidenced += row.has_evidence
    result = ThemeResult(
        slug=theme.slug,
        title=theme.title,
        weight=theme.weight,
        score=explanation.score,
        band=None if explanation.score is None else band_for(explanation.score),
        coverage=_share(
            Fraction(explanation.answered_weight), Fraction(explanation.counted_weight)
        ),
        answered=answered,
        counted=counted,
        confidence=_confidence(evidenced, upper),
        counts_in_index=_exact_theme_score(explanation) is not None and theme.weight > 0,
        explanation=explanation,
    )
    return result, flags


def _milestones(
    questions: Iterable[QuestionInput],
    scores: dict[str, int | None],
    hidden: Collection[str],
    day: int,
    default_threshold: int,
) -> list[MilestoneResult]:
    """The asked, scored questions that carry a milestone, by due day, then theme, then code."""
    milestones = []
    for question in questions:
        if question.milestone_day is None or not question.is_scored or question.code in hidden:
            continue
        threshold = (
            default_threshold
            if question.milestone_threshold is None
            else question.milestone_threshold
        )
        milestones.append(
            MilestoneResult(
                code=question.code,
                theme_slug=question.theme_slug,
                text=question.text,
                due_day=question.milestone_day,
                status=milestone_status(
                    score=scores[question.code],
                    threshold=threshold,
                    due_day=question.milestone_day,
                    day=day,
                ),
                days_left=question.milestone_day - day,
                score=scores[question.code],
                threshold=threshold,
            )
        )
    milestones.sort(key=lambda m: (m.due_day, m.theme_slug, m.code))
    return milestones


def _strongest_themes(theme_results: Iterable[ThemeResult], count: int) -> tuple[str, ...]:
    """The slugs of the best-scoring themes, best first; ties go to the earlier slug."""
    scored = sorted(
        (-theme.score, theme.slug) for theme in theme_results if theme.score is not None
    )
    return tuple(slug for _, slug in scored[:count])


def _gaps(
    questions: Iterable[QuestionInput],
    theme_by_slug: dict[str, ThemeInput],
    scores: dict[str, int | None],
    hidden: Collection[str],
    status_by_code: dict[str, str],
    count: int,
) -> tuple[Gap, ...]:
    candidates = []
    for question in questions:
        score = scores[question.code]
        if score is None or not _is_counted(question, hidden) or score >= 100:
            continue
        theme_weight = theme_by_slug[question.theme_slug].weight
        status = status_by_code.get(question.code)
        urgency = URGENCY[status] if status else Fraction(1)
        shortfall = 100 - score
        priority = Fraction(question.weight) * Fraction(theme_weight) * shortfall * urgency
        if priority == 0:
            continue
        candidates.append(
            Gap(
                code=question.code,
                theme_slug=question.theme_slug,
                text=question.text,
                score=score,
                shortfall=shortfall,
                question_weight=question.weight,
                theme_weight=theme_weight,
                urgency=urgency,
                milestone_status=status,
                priority=priority,
            )
        )
    # Ties go to the earlier theme slug, then code, so the order never depends on input order.
    return tuple(
        heapq.nsmallest(count, candidates, key=lambda g: (-g.priority, g.theme_slug, g.code))
    )


def _strengths(
    questions: Iterable[QuestionInput],
    theme_by_slug: dict[str, ThemeInput],
    scores: dict[str, int | None],
    answers: dict[str, AnswerInput],
    hidden: Collection[str],
    count: int,
) -> tuple[Strength, ...]:
    candidates = []
    for question in questions:
        score = scores[question.code]
        if score is None or score < UPPER_LEVEL_SCORE or not _is_counted(question, hidden):
            continue
        weight = Fraction(question.weight) * Fraction(theme_by_slug[question.theme_slug].weight)
        candidates.append(
            (
                (-score, -weight, question.theme_slug, question.code),
                Strength(
                    code=question.code,
                    theme_slug=question.theme_slug,
                    text=question.text,
                    score=score,
                    has_evidence=answers[question.code].has_evidence,
                ),
            )
        )
    return tuple(strength for _, strength in heapq.nsmallest(count, candidates))


# --- Storing results --------------------------------------------------------------------------


def _dump(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal | Fraction):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_dump(item) for item in value]
    return value


_HINTS: dict[type, dict[str, object]] = {}


def _load(kind: object, data: object) -> object:
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return _load_union(options, data)
    # From here `data` is what _dump wrote for `kind`: a list for a tuple, a dict for a
    # dataclass, a string for a Decimal, Fraction or date. The casts say so to the type checker.
    if origin is tuple:
        item_kind = typing.get_args(kind)[0]
        return tuple(_load(item_kind, item) for item in typing.cast("list[object]", data))
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _load_dataclass(kind, typing.cast("dict[str, object]", data))
    if kind is Decimal or kind is Fraction or kind is date:
        return _load_text(kind, typing.cast("str", data))
    return data


def _load_dataclass(kind: type, data: dict[str, object]) -> object:
    if kind not in _HINTS:
        _HINTS[kind] = typing.get_type_hints(kind)
    hints = _HINTS[kind]
    return kind(**{name: _load(hints[name], item) for name, item in data.items()})


def _load_text(kind: object, data: str) -> object:
    if kind is Decimal:
        return Decimal(data)
    if kind is Fraction:
        return Fraction(data)
    return date.fromisoformat(data)


def _load_union(options: list[object], data: object) -> object:
    """Weights may be int, Decimal or Fraction: strings decide which from their spelling."""
    if len(options) == 1:
        return _load(options[0], data)
    if isinstance(data, str) and Fraction in options and "/" in data:
        return Fraction(data)
    if isinstance(data, str) and Decimal in options:
        parsed = Decimal(data)
        return int(parsed) if int in options and "." not in data else parsed
    return data


# --- Peer distribution ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """The spread of one figure across regions: quartiles by linear interpolation between the
    sorted values (the "inclusive" method, as spreadsheets' QUARTILE.INC), rounded half up to one
    decimal place like every score."""

    count: int
    lower_quartile: Decimal
    median: Decimal
    upper_quartile: Decimal


def _quantile(ordered: Sequence[Fraction], share: Fraction) -> Fraction:
    position = (len(ordered) - 1) * share
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def distribution(values: Iterable[Number | None]) -> Distribution | None:
    """Quartiles and median of the scores given (None values are left out); None when there are
    none. Pure: the caller decides how many values are enough to show."""
    ordered = sorted(Fraction(str(v)) for v in values if v is not None)
    if not ordered:
        return None
    return Distribution(
        count=len(ordered),
        lower_quartile=round_score(_quantile(ordered, Fraction(1, 4))),
        median=round_score(_quantile(ordered, Fraction(1, 2))),
        upper_quartile=round_score(_quantile(ordered, Fraction(3, 4))),
    )
