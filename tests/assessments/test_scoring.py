"""Tests of assessments/scoring.py: pure, so no database; hand-worked examples, boundary days and
hypothesis properties."""

import itertools
import json
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import scoring
from assessments.scoring import (
    BANDS,
    DONE,
    DUE_SOON,
    NOT_YET_DUE,
    OVERDUE,
    AnswerInput,
    AssessmentResult,
    LevelInput,
    QuestionInput,
    ThemeInput,
    band_for,
    day_in_office,
    explain_theme,
    milestone_status,
    question_score,
    score_assessment,
)

ROOT = Path(__file__).resolve().parents[2]
MATURITY = tuple(LevelInput(str(i), score) for i, score in enumerate((0, 25, 50, 75, 100)))
YES_NO = (LevelInput("yes", 100), LevelInput("no", 0))
CHOICES = (LevelInput("a", 0), LevelInput("b", 40), LevelInput("c", 70))
NUMBER_LEVELS = (
    LevelInput("0", 0),
    LevelInput("1", 50),
    LevelInput("2.5", 75),
    LevelInput("5", 100),
)
TOOK_OFFICE = date(2026, 5, 8)


def maturity(code, theme="t", weight=1, **kwargs):
    return QuestionInput(code, theme, "maturity", weight, MATURITY, **kwargs)


def level(code, value, *, evidence=False):
    return AnswerInput(code, (str(value),), has_evidence=evidence)


def on_day(day: int) -> date:
    """The date of day `day` in office (day 1 = the day the mayor took office)."""
    return TOOK_OFFICE + timedelta(days=day - 1)


def test_importing_scoring_imports_no_django():
    code = (
        "import sys, assessments.scoring, assessments.charts; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_scoring_never_reads_the_clock():
    source = Path(scoring.__file__).read_text()
    for forbidden in ("date.today", "datetime.now", "timezone.now", "time.time", "utcnow"):
        assert forbidden not in source


# --- question_score ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        (maturity("M"), level("M", 0), 0),
        (maturity("M"), level("M", 3), 75),
        (maturity("M"), level("M", 4), 100),
        (QuestionInput("Y", "t", "yes_no", 1, YES_NO), AnswerInput("Y", ("yes",)), 100),
        (QuestionInput("Y", "t", "yes_no", 1, YES_NO), AnswerInput("Y", ("no",)), 0),
        (QuestionInput("S", "t", "single_choice", 1, CHOICES), AnswerInput("S", ("b",)), 40),
        # multi choice: the sum of the chosen levels, capped at 100; a repeat counts once
        (QuestionInput("C", "t", "multi_choice", 1, CHOICES), AnswerInput("C", ("a", "b")), 40),
        (QuestionInput("C", "t", "multi_choice", 1, CHOICES), AnswerInput("C", ("b", "b")), 40),
        (QuestionInput("C", "t", "multi_choice", 1, CHOICES), AnswerInput("C", ("b", "c")), 100),
        # number: the level with the highest lower bound reached
        (
            QuestionInput("N", "t", "number", 1, NUMBER_LEVELS),
            AnswerInput("N", number=Decimal(0)),
            0,
        ),
        (
            QuestionInput("N", "t", "number", 1, NUMBER_LEVELS),
            AnswerInput("N", number=Decimal(1)),
            50,
        ),
        (
            QuestionInput("N", "t", "number", 1, NUMBER_LEVELS),
            AnswerInput("N", number=Decimal("2.49")),
            50,
        ),
        (
            QuestionInput("N", "t", "number", 1, NUMBER_LEVELS),
            AnswerInput("N", number=Decimal("2.5")),
            75,
        ),
        (
            QuestionInput("N", "t", "number", 1, NUMBER_LEVELS),
            AnswerInput("N", number=Decimal(900)),
            100,
        ),
        # below every bound scores 0
        (
            QuestionInput("N", "t", "number", 1, NUMBER_LEVELS[1:]),
            AnswerInput("N", number=Decimal("0.5")),
            0,
        ),
        # levels need not come in order
        (
            QuestionInput("N", "t", "number", 1, tuple(reversed(NUMBER_LEVELS))),
            AnswerInput("N", number=Decimal(3)),
            75,
        ),
    ],
)
def test_question_score(question, answer, expected):
    assert question_score(question, answer) == expected


@pytest.mark.parametrize(
    "answer",
    [None, AnswerInput("M"), AnswerInput("M", ())],
)
def test_unanswered_question_has_no_score(answer):
    assert question_score(maturity("M"), answer) is None


def test_text_question_is_not_scored():
    question = QuestionInput("T", "t", "text")
    assert question_score(question, AnswerInput("T", ("anything",))) is None


@pytest.mark.parametrize(
    ("question", "answer", "message"),
    [
        (maturity("M"), level("M", 7), "'7' is not in its rubric"),
        (maturity("M"), AnswerInput("M", ("1", "2")), "one answer expected, got 2"),
        (
            QuestionInput("C", "t", "multi_choice", 1, CHOICES),
            AnswerInput("C", ("a", "z")),
            "'z' is not in its rubric",
        ),
        (
            QuestionInput("N", "t", "number", 1, NUMBER_LEVELS),
            AnswerInput("N", ("3",)),
            "needs a number",
        ),
        (
            QuestionInput("N", "t", "number", 1, NUMBER_LEVELS),
            AnswerInput("N", number=Decimal("NaN")),
            "not a finite number",
        ),
        (
            QuestionInput("N", "t", "number", 1, (LevelInput("lots", 100),)),
            AnswerInput("N", number=Decimal(3)),
            "'lots' is not a number",
        ),
    ],
)
def test_bad_answers_raise_a_clear_error(question, answer, message):
    with pytest.raises(ValueError, match=message):
        question_score(question, answer)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: LevelInput("x", 101), "must lie in 0-100"),
        (lambda: LevelInput("x", -1), "must lie in 0-100"),
        (lambda: QuestionInput("Q", "t", "essay"), "unknown kind 'essay'"),
        (lambda: QuestionInput("Q", "t", "maturity", -1), "cannot be negative"),
        (
            lambda: QuestionInput("Q", "t", "maturity", 1, (LevelInput("a", 1),) * 2),
            "share a value",
        ),
        (lambda: QuestionInput("Q", "t", "maturity", milestone_day=0), "is 1 or later"),
        (lambda: ThemeInput("t", "T", -2), "cannot be negative"),
    ],
)
def test_bad_inputs_raise_a_clear_error(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_score_assessment_rejects_inconsistent_input():
    themes = [ThemeInput("t", "T", 1)]
    kwargs = {"today": on_day(1), "took_office": TOOK_OFFICE}
    with pytest.raises(ValueError, match="share the code Q"):
        score_assessment(themes, [maturity("Q"), maturity("Q")], [], **kwargs)
    with pytest.raises(ValueError, match="unknown theme 'x'"):
        score_assessment(themes, [maturity("Q", "x")], [], **kwargs)
    with pytest.raises(ValueError, match="unknown question Z"):
        score_assessment(themes, [maturity("Q")], [level("Z", 1)], **kwargs)
    with pytest.raises(ValueError, match="two answers to question Q"):
        score_assessment(themes, [maturity("Q")], [level("Q", 1), level("Q", 2)], **kwargs)


# --- Bands ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (0, "Starting out"),
        (19, "Starting out"),
        (Decimal("19.9"), "Starting out"),
        (20, "Emerging"),
        (39, "Emerging"),
        (40, "Developing"),
        (59, "Developing"),
        (60, "Established"),
        (79, "Established"),
        (Decimal("79.9"), "Established"),
        (80, "Leading"),
        (100, "Leading"),
    ],
)
def test_band_for(score, label):
    assert band_for(score).label == label


def test_bands_cover_0_to_100_without_gaps():
    assert len(BANDS) == 5
    assert BANDS[0].lower == 0
    assert BANDS[-1].upper == 100
    for lower, upper in itertools.pairwise(BANDS):
        assert upper.lower == lower.upper + 1


@pytest.mark.parametrize("score", [-1, Decimal("100.1")])
def test_band_for_rejects_out_of_range(score):
    with pytest.raises(ValueError, match="between 0 and 100"):
        band_for(score)


# --- Worked examples, by hand ----------------------------------------------------------------


def test_worked_example_theme_scores_index_coverage_confidence():
    # Theme "lead" (weight 15):
    #   L1 maturity, weight 3, level 3 -> 75, with evidence
    #   L2 maturity, weight 2, level 1 -> 25
    #   L3 text, not scored
    #   L4 maturity, weight 1, unanswered -> left out and flagged
    #   score = (3*75 + 2*25) / (3 + 2) = 275 / 5 = 55.0            -> band Developing
    #   coverage = answered weight / counted weight = 5 / 6 = 0.83333 -> 0.8333 (rounded down)
    #   confidence: one upper-level answer (L1, 75), evidenced -> 1 of 1 = 1
    # Theme "data" (weight 13):
    #   A1 number, weight 1, 3 reaches bound 2.5 -> 75, no evidence
    #   A2 multi choice, weight 2, b + c = 40 + 70 = 110 -> capped at 100, with evidence
    #   A3 yes/no, weight 1, hidden by a condition: neither counted nor flagged
    #   score = (1*75 + 2*100) / 3 = 275 / 3 = 91.666... -> 91.7   -> band Leading
    #   coverage = 3 / 3 = 1
    #   confidence: two upper-level answers, one evidenced -> 0.5
    # Theme "cyber" (weight 0): Y1 level 0 -> 0; does not count in the index.
    # Index = (15*55 + 13*275/3) / (15 + 13) = (825 + 1191.666...) / 28 = 2016.666... / 28
    #       = 72.0238... -> 72.0                                         -> band Established
    # Overall coverage = (5 + 3 + 1) / (6 + 3 + 1) = 9 / 10 = 0.9
    # Overall confidence: upper-level answers L1, A1, A2; evidenced L1, A2 -> 2/3 -> 0.6666
    themes = [
        ThemeInput("lead", "Leadership", 15),
        ThemeInput("data", "Data", 13),
        ThemeInput("cyber", "Cyber", 0),
    ]
    questions = [
        maturity("L1", "lead", 3),
        maturity("L2", "lead", 2),
        QuestionInput("L3", "lead", "text"),
        maturity("L4", "lead", 1),
        QuestionInput("A1", "data", "number", 1, NUMBER_LEVELS),
        QuestionInput("A2", "data", "multi_choice", 2, CHOICES),
        QuestionInput("A3", "data", "yes_no", 1, YES_NO),
        maturity("Y1", "cyber", 1),
    ]
    answers = [
        level("L1", 3, evidence=True),
        level("L2", 1),
        AnswerInput("L3", ("We have a plan.",)),
        AnswerInput("A1", number=Decimal(3)),
        AnswerInput("A2", ("b", "c"), has_evidence=True),
        AnswerInput("A3", ("no",)),
        level("Y1", 0),
    ]
    result = score_assessment(
        themes, questions, answers, {"A3"}, today=on_day(1), took_office=TOOK_OFFICE
    )
    lead, data, cyber = result.themes
    assert lead.score == Decimal("55.0")
    assert lead.band.label == "Developing"
    assert lead.coverage == Decimal("0.8333")
    assert (lead.answered, lead.counted) == (2, 3)
    assert lead.confidence.share == 1
    assert data.score == Decimal("91.7")
    assert data.band.label == "Leading"
    assert data.coverage == 1
    assert (data.confidence.evidenced, data.confidence.upper) == (1, 2)
    assert data.confidence.share == Decimal("0.5")
    assert cyber.score == 0
    assert not cyber.counts_in_index
    assert result.index == Decimal("72.0")
    assert result.band.label == "Established"
    assert result.coverage == Decimal("0.9")
    assert result.confidence.share == Decimal("0.6666")
    assert [flag.code for flag in result.flagged] == ["L4"]
    # The explanation of "lead" names every question and what happened to it.
    statuses = {row.code: row.status for row in lead.explanation.rows}
    assert statuses == {"L1": "counted", "L2": "counted", "L3": "unscored", "L4": "unanswered"}
    # The results page prints the sum with real multiplication signs.
    assert lead.explanation.formula == "(3 × 75 + 2 × 25) ÷ 5 = 275 ÷ 5 = 55.0"  # noqa: RUF001
    assert data.explanation.formula == "(1 × 75 + 2 × 100) ÷ 3 = 275 ÷ 3 ≈ 91.7"  # noqa: RUF001
    assert {row.code: row.status for row in data.explanation.rows}["A3"] == "hidden"
    # Strongest themes by score; strengths are upper-level answers, best first, then by weight.
    assert result.strongest_themes == ("data", "lead", "cyber")
    assert [s.code for s in result.strengths] == ["A2", "L1", "A1"]


def test_worked_example_gaps_rank_by_weight_shortfall_and_urgency():
    # Today is day 40. Theme weights: a = 10, b = 5.
    #   P1 (a, w3) level 2 = 50, no milestone:          3 * 10 * 50 * 1   = 1500
    #   P2 (a, w1) level 0 = 0, milestone day 30:       overdue (40 > 30)
    #                                                    1 * 10 * 100 * 2  = 2000
    #   P3 (b, w2) level 1 = 25, milestone day 50:      due soon (10 days left)
    #                                                    2 * 5 * 75 * 1.5  = 1125
    #   P4 (b, w3) level 1 = 25, milestone day 90:      not yet due (50 days left)
    #                                                    3 * 5 * 75 * 1    = 1125 (ties P3;
    #                                                    same theme, so by code: P3 first)
    #   P5 (b, w2) level 4 = 100: no shortfall, not a gap
    #   P6 (a, w1) level 3 = 75, milestone day 20: done (75 >= 50)
    #                                                    1 * 10 * 25 * 1   = 250
    themes = [ThemeInput("a", "A", 10), ThemeInput("b", "B", 5)]
    questions = [
        maturity("P1", "a", 3),
        maturity("P2", "a", 1, milestone_day=30),
        maturity("P3", "b", 2, milestone_day=50),
        maturity("P4", "b", 3, milestone_day=90),
        maturity("P5", "b", 2),
        maturity("P6", "a", 1, milestone_day=20),
    ]
    answers = [
        level("P1", 2),
        level("P2", 0),
        level("P3", 1),
        level("P4", 1),
        level("P5", 4),
        level("P6", 3),
    ]
    result = score_assessment(themes, questions, answers, today=on_day(40), took_office=TOOK_OFFICE)
    assert [(g.code, g.priority) for g in result.gaps] == [
        ("P2", 2000),
        ("P1", 1500),
        ("P3", 1125),
        ("P4", 1125),
        ("P6", 250),
    ]
    assert [(m.code, m.status, m.days_left) for m in result.milestones] == [
        ("P6", DONE, -20),
        ("P2", OVERDUE, -10),
        ("P3", DUE_SOON, 10),
        ("P4", NOT_YET_DUE, 50),
    ]
    top_two = score_assessment(
        themes, questions, answers, today=on_day(40), took_office=TOOK_OFFICE, gap_count=2
    )
    assert [g.code for g in top_two.gaps] == ["P2", "P1"]


def test_theme_score_is_the_weighted_mean_of_its_asked_answers():
    theme = ThemeInput("t", "T", 1)
    questions = [maturity("A", weight=1), maturity("B", weight=3)]
    answers = {"A": level("A", 4), "B": level("B", 2)}
    # (1*100 + 3*50) / 4 = 250 / 4 = 62.5
    assert explain_theme(theme, questions, answers).score == Decimal("62.5")
    # Hiding B leaves A alone: 100.
    assert explain_theme(theme, questions, answers, {"B"}).score == 100
    assert explain_theme(theme, questions, {}).score is None


def test_readiness_index_leaves_out_weight_0_and_unscored_themes():
    themes = [
        ThemeInput("a", "A", 2),
        ThemeInput("b", "B", 1),
        ThemeInput("c", "C", 0),
        ThemeInput("d", "D", 5),
    ]
    questions = [maturity("A1", "a"), maturity("B1", "b"), maturity("C1", "c"), maturity("D1", "d")]
    answers = [level("A1", 2), level("B1", 3), level("C1", 1)]
    result = score_assessment(themes, questions, answers, today=on_day(1), took_office=TOOK_OFFICE)
    # (2*50 + 1*75 + 0*25) / 3 = 58.33...; d has no score and is left out.
    assert result.index == Decimal("58.3")
    # c weighs 0 and d has no score: nothing makes an index.
    rest = score_assessment(
        themes[2:], questions[2:], answers[2:], today=on_day(1), took_office=TOOK_OFFICE
    )
    assert rest.index is None


def test_explain_theme_ignores_other_themes_questions():
    explanation = explain_theme(
        ThemeInput("t", "T", 1),
        [maturity("A", "t"), maturity("B", "other")],
        {"A": level("A", 1), "B": level("B", 4)},
    )
    assert [row.code for row in explanation.rows] == ["A"]
    assert explanation.score == 25


def test_zero_weight_question_is_shown_but_not_counted_nor_flagged():
    themes = [ThemeInput("t", "T", 1)]
    questions = [maturity("A", weight=2), maturity("Z", weight=0), maturity("U", weight=0)]
    result = score_assessment(
        themes, questions, [level("A", 2), level("Z", 0)], today=on_day(1), took_office=TOOK_OFFICE
    )
    assert result.index == 50
    assert result.coverage == 1
    assert result.flagged == ()
    rows = {row.code: (row.status, row.score) for row in result.themes[0].explanation.rows}
    assert rows == {"A": ("counted", 50), "Z": ("zero-weight", 0), "U": ("zero-weight", None)}


def test_nothing_answered_gives_no_index_and_zero_coverage():
    themes = [ThemeInput("t", "T", 1)]
    result = score_assessment(
        themes, [maturity("A"), maturity("B")], [], today=on_day(1), took_office=TOOK_OFFICE
    )
    assert result.index is None
    assert result.band is None
    assert result.coverage == 0
    assert result.confidence.share is None
    assert [flag.code for flag in result.flagged] == ["A", "B"]
    assert result.gaps == ()
    assert result.themes[0].explanation.formula.startswith("No scored question")


def test_per_question_milestone_threshold_overrides_the_default():
    themes = [ThemeInput("t", "T", 1)]
    questions = [
        maturity("APPOINT", milestone_day=100, milestone_threshold=75),
        maturity("DRAFT", milestone_day=100),
    ]
    result = score_assessment(
        themes,
        questions,
        [level("APPOINT", 2), level("DRAFT", 2)],
        today=on_day(1),
        took_office=TOOK_OFFICE,
    )
    assert {m.code: (m.status, m.threshold) for m in result.milestones} == {
        "APPOINT": (NOT_YET_DUE, 75),
        "DRAFT": (DONE, 50),
    }


def test_result_round_trips_through_json():
    themes = [ThemeInput("a", "A", 10), ThemeInput("b", "B", Decimal("2.5"))]
    questions = [
        maturity("Q1", "a", 3, milestone_day=10, text="A <question> & more"),
        maturity("Q2", "a", 1),
        QuestionInput("Q3", "b", "number", 2, NUMBER_LEVELS, milestone_day=90),
        QuestionInput("Q4", "b", "text"),
    ]
    answers = [level("Q1", 1, evidence=True), AnswerInput("Q3", number=Decimal("2.75"))]
    result = score_assessment(themes, questions, answers, today=on_day(30), took_office=TOOK_OFFICE)
    stored = json.loads(json.dumps(result.to_dict()))
    assert stored["index"] == str(result.index)
    assert AssessmentResult.from_dict(stored) == result


# --- Milestones: boundary days -----------------------------------------------------------------


def test_day_in_office():
    assert day_in_office(TOOK_OFFICE, TOOK_OFFICE) == 1
    assert day_in_office(TOOK_OFFICE - timedelta(days=1), TOOK_OFFICE) == 0
    assert day_in_office(TOOK_OFFICE + timedelta(days=99), TOOK_OFFICE) == 100
    assert on_day(0) == TOOK_OFFICE - timedelta(days=1)


@pytest.mark.parametrize(
    ("due_day", "day", "expected"),
    [
        # Day 0, the day before taking office: nothing is overdue yet; due within 14 days is
        # already due soon.
        (1, 0, DUE_SOON),
        (14, 0, DUE_SOON),
        (15, 0, NOT_YET_DUE),
        (30, 0, NOT_YET_DUE),
        # The due day itself is due soon, not overdue.
        (30, 30, DUE_SOON),
        (1, 1, DUE_SOON),
        (100, 100, DUE_SOON),
        # The day after the due day is overdue.
        (30, 31, OVERDUE),
        (1, 2, OVERDUE),
        (100, 101, OVERDUE),
        # The start of the due-soon window: 14 days before is due soon, 15 days before is not.
        (30, 16, DUE_SOON),
        (30, 15, NOT_YET_DUE),
    ],
)
def test_milestone_status_boundaries_when_not_done(due_day, day, expected):
    assert milestone_status(score=25, threshold=50, due_day=due_day, day=day) == expected
    assert milestone_status(score=None, threshold=50, due_day=due_day, day=day) == expected


@pytest.mark.parametrize("day", [0, 29, 30, 31, 200])
def test_milestone_done_at_the_threshold_on_any_day(day):
    assert milestone_status(score=50, threshold=50, due_day=30, day=day) == DONE
    assert milestone_status(score=49, threshold=50, due_day=30, day=day) != DONE


@pytest.mark.parametrize(
    ("day", "expected", "days_left"),
    [(0, NOT_YET_DUE, 30), (30, DUE_SOON, 0), (31, OVERDUE, -1)],
)
def test_milestone_boundaries_through_dates(day, expected, days_left):
    # Took office 8 May 2026 = day 1, so day 30 is 6 June and day 31 is 7 June; day 0 is 7 May.
    today = {0: date(2026, 5, 7), 30: date(2026, 6, 6), 31: date(2026, 6, 7)}[day]
    assert today == on_day(day)
    result = score_assessment(
        [ThemeInput("t", "T", 1)],
        [maturity("M", milestone_day=30)],
        [level("M", 1)],
        today=today,
        took_office=TOOK_OFFICE,
    )
    assert result.day_in_office == day
    (milestone,) = result.milestones
    assert (milestone.status, milestone.days_left) == (expected, days_left)


def test_hidden_and_unscored_questions_have_no_milestone():
    result = score_assessment(
        [ThemeInput("t", "T", 1)],
        [
            maturity("H", milestone_day=10),
            QuestionInput("X", "t", "text", milestone_day=10),
            maturity("U", milestone_day=10),
        ],
        [],
        {"H"},
        today=on_day(50),
        took_office=TOOK_OFFICE,
    )
    assert [(m.code, m.status, m.score) for m in result.milestones] == [("U", OVERDUE, None)]


def test_scoring_is_linear_enough_for_a_large_bank():
    # 20 themes x 500 questions: far beyond any real bank (about 45 questions).
    themes = [ThemeInput(f"t{t}", f"T{t}", t % 5) for t in range(20)]
    questions = [
        maturity(f"Q{t}-{q}", f"t{t}", q % 4, milestone_day=(q % 100) + 1)
        for t in range(20)
        for q in range(500)
    ]
    rng = random.Random(5)
    answers = [level(q.code, rng.randrange(5)) for q in questions if rng.random() < 0.9]
    started = time.perf_counter()
    result = score_assessment(themes, questions, answers, today=on_day(50), took_office=TOOK_OFFICE)
    elapsed = time.perf_counter() - started
    assert result.counted == sum(1 for q in questions if q.weight)
    assert elapsed < 5, f"scoring 10,000 questions took {elapsed:.2f}s"


# --- Properties ----------------------------------------------------------------------------

KIND_LEVELS = {
    "maturity": MATURITY,
    "yes_no": YES_NO,
    "single_choice": CHOICES,
    "multi_choice": CHOICES,
    "number": NUMBER_LEVELS,
}


@st.composite
def answers_for(draw, question):
    """Either no answer or a valid one for the question."""
    if question.kind == "text" or draw(st.integers(min_value=0, max_value=3)) == 0:
        return None
    evidence = draw(st.booleans())
    if question.kind == "number":
        number = draw(st.decimals(min_value=-2, max_value=10, places=2))
        return AnswerInput(question.code, number=number, has_evidence=evidence)
    values = [level.value for level in question.levels]
    if question.kind == "multi_choice":
        chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=3))
        return AnswerInput(question.code, tuple(chosen), has_evidence=evidence)
    return AnswerInput(question.code, (draw(st.sampled_from(values)),), has_evidence=evidence)


@st.composite
def assessments(draw, *, min_themes=1):
    theme_count = draw(st.integers(min_value=min_themes, max_value=4))
    themes = [
        ThemeInput(f"t{i}", f"Theme {i}", draw(st.integers(min_value=0, max_value=15)))
        for i in range(theme_count)
    ]
    questions = []
    for theme in themes:
        for q in range(draw(st.integers(min_value=0, max_value=5))):
            kind = draw(st.sampled_from([*KIND_LEVELS, "text"]))
            questions.append(
                QuestionInput(
                    code=f"{theme.slug}-q{q}",
                    theme_slug=theme.slug,
                    kind=kind,
                    weight=draw(st.integers(min_value=0, max_value=3)),
                    levels=KIND_LEVELS.get(kind, ()),
                    milestone_day=draw(st.none() | st.integers(min_value=1, max_value=100)),
                )
            )
    answers = {}
    for question in questions:
        answer = draw(answers_for(question))
        if answer is not None:
            answers[question.code] = answer
    hidden = {q.code for q in questions if draw(st.integers(min_value=0, max_value=5)) == 0}
    day = draw(st.integers(min_value=-5, max_value=120))
    return themes, questions, answers, hidden, day


def run(themes, questions, answers, hidden, day):
    return score_assessment(
        themes,
        questions,
        list(answers.values()),
        hidden,
        today=on_day(day),
        took_office=TOOK_OFFICE,
    )


def summary(result):
    """Everything but the bank order of explanation rows and flags."""
    return (
        result.index,
        result.band,
        result.coverage,
        result.confidence,
        [(t.slug, t.score, t.coverage, t.confidence, t.answered, t.counted) for t in result.themes],
        result.milestones,
        result.gaps,
        result.strengths,
        result.strongest_themes,
        sorted(result.flagged, key=lambda f: f.code),
    )


PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(assessments())
def test_every_score_lies_in_0_to_100(case):
    _, questions, answers, _, _ = case
    result = run(*case)
    for question in questions:
        score = question_score(question, answers.get(question.code))
        assert score is None or 0 <= score <= 100
    figures = [result.index] + [t.score for t in result.themes]
    assert all(0 <= figure <= 100 for figure in figures if figure is not None)
    shares = [result.coverage, result.confidence.share]
    shares += [t.coverage for t in result.themes] + [t.confidence.share for t in result.themes]
    assert all(0 <= share <= 1 for share in shares if share is not None)
    assert all(0 < gap.shortfall <= 100 for gap in result.gaps)


@PROPERTY_SETTINGS
@given(assessments(), st.data())
def test_raising_an_answer_never_lowers_its_theme_score_or_the_index(case, data):
    themes, questions, answers, hidden, day = case
    answered = [q for q in questions if q.code in answers]
    if not answered:
        return
    question = data.draw(st.sampled_from(answered))
    answer = answers[question.code]
    # A higher answer of each kind: a level with a higher score, one more choice, a bigger number.
    if question.kind == "number":
        bigger = answer.number + data.draw(st.decimals(min_value=0, max_value=10, places=2))
        higher = AnswerInput(question.code, number=bigger)
    elif question.kind == "multi_choice":
        extra = data.draw(st.sampled_from([lv.value for lv in question.levels]))
        higher = AnswerInput(question.code, (*answer.values, extra))
    else:
        score = question_score(question, answer)
        options = [lv.value for lv in question.levels if lv.score > score]
        if not options:
            return
        higher = AnswerInput(question.code, (data.draw(st.sampled_from(options)),))
    assert question_score(question, higher) >= question_score(question, answer)
    raised = {**answers, question.code: higher}
    before = run(themes, questions, answers, hidden, day)
    after = run(themes, questions, raised, hidden, day)
    theme_before = before.theme(question.theme_slug).score
    theme_after = after.theme(question.theme_slug).score
    assert (theme_before is None) == (theme_after is None)
    if theme_before is not None:
        assert theme_after >= theme_before
    assert (before.index is None) == (after.index is None)
    if before.index is not None:
        assert after.index >= before.index


@PROPERTY_SETTINGS
@given(assessments(), st.randoms(use_true_random=False))
def test_question_and_answer_order_does_not_matter(case, rng):
    themes, questions, answers, hidden, day = case
    shuffled_questions = list(questions)
    rng.shuffle(shuffled_questions)
    shuffled_answers = list(answers.items())
    rng.shuffle(shuffled_answers)
    assert summary(run(*case)) == summary(
        run(themes, shuffled_questions, dict(shuffled_answers), hidden, day)
    )


@PROPERTY_SETTINGS
@given(assessments(), assessments())
def test_a_theme_of_weight_0_does_not_move_the_index(case, extra):
    themes, questions, answers, hidden, day = case
    # Add the first theme of another assessment, renamed and with weight 0, answers and all.
    extra_themes, extra_questions, extra_answers, _, _ = extra
    zero = ThemeInput("zero", "Zero", 0)
    slug = extra_themes[0].slug
    moved = [
        QuestionInput(f"z-{q.code}", "zero", q.kind, q.weight, q.levels, q.milestone_day)
        for q in extra_questions
        if q.theme_slug == slug
    ]
    moved_answers = {
        f"z-{code}": AnswerInput(f"z-{code}", a.values, a.number, a.has_evidence)
        for code, a in extra_answers.items()
        if code.startswith(f"{slug}-")
    }
    before = run(*case)
    after = run([*themes, zero], [*questions, *moved], {**answers, **moved_answers}, hidden, day)
    assert after.index == before.index
    assert not after.theme("zero").counts_in_index


@PROPERTY_SETTINGS
@given(assessments())
def test_coverage_is_1_exactly_when_every_counted_question_is_answered(case):
    _, questions, answers, hidden, _ = case
    result = run(*case)

    def counted(q):
        return q.kind != "text" and q.weight > 0 and q.code not in hidden

    all_answered = all(q.code in answers for q in questions if counted(q))
    assert (result.coverage == 1) == all_answered
    assert (result.flagged == ()) == all_answered
    for theme in result.themes:
        theme_answered = all(
            q.code in answers for q in questions if counted(q) and q.theme_slug == theme.slug
        )
        assert (theme.coverage == 1) == theme_answered
