"""Reads for re-assessment and comparison: the answers an earlier assessment carries over, two
assessments' stored scores side by side, and the readiness index over time. Pages read the
STORED scores (AssessmentScore) and the bank through its snapshot
(`questionbank.selectors.bank_snapshot`: no query once cached); every function runs a fixed
number of queries whatever the size of the bank or the number of assessments. What the pages
show is shaped by `assessments.reassessment.presenters`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.http import Http404

from assessments import scoring
from assessments.answers import AnswerValue
from assessments.models import Answer, Assessment, AssessmentScore, CityRegion
from questionbank.selectors import bank_snapshot
from questionbank.snapshot import QuestionSnapshot

# --- carrying answers over -----------------------------------------------------------------------


@dataclass(frozen=True)
class SourceAnswer:
    """An answer of the assessment a new one starts from, with its question."""

    question: QuestionSnapshot
    value: AnswerValue


def carry_over_answers(*, assessment: Assessment) -> list[SourceAnswer]:
    """The answers of `assessment` with their questions, in bank order: one query (and the
    bank snapshot's, none once cached)."""
    snapshot = bank_snapshot(bank=assessment.bank)
    values = {
        answer.question_id: answer.value for answer in Answer.objects.filter(assessment=assessment)
    }
    return [
        SourceAnswer(question=question, value=values[question.id])
        for question in snapshot.questions
        if question.id in values
    ]


# --- comparing two assessments -------------------------------------------------------------------


def compare_choices(*, region: CityRegion) -> list[Assessment]:
    """Every assessment of the region, newest first, for the two selects: one query."""
    return list(
        Assessment.objects.filter(region=region)
        .select_related("bank")
        .only("pk", "label", "status", "created_at", "submitted_at", "bank__version", "region_id")
        .order_by("-created_at", "-pk")
    )


def compare_default_pair(choices: list[Assessment]) -> tuple[int | None, int | None]:
    """The latest two submitted assessments (older, newer), or what there is."""
    submitted = sorted(
        (a for a in choices if a.is_submitted),
        key=lambda a: (a.submitted_at or a.created_at, a.pk),
    )
    if len(submitted) >= 2:
        return submitted[-2].pk, submitted[-1].pk
    if len(submitted) == 1:
        return submitted[0].pk, None
    return None, None


@dataclass
class ScoredAssessment:
    assessment: Assessment
    score: AssessmentScore | None
    result: scoring.AssessmentResult | None


@dataclass
class ComparePair:
    before: ScoredAssessment
    after: ScoredAssessment
    same_version: bool
    # An earlier code a newer question replaces (split or merged) -> the newer question's code;
    # empty on the same bank version.
    replaced_by: dict[str, str]


def compare_pair(*, region: CityRegion, before_pk: int, after_pk: int) -> ComparePair:
    """Two assessments of `region` with their stored scores: two queries (and the newer bank
    version's snapshot, none once cached)."""
    assessments = {
        a.pk: a
        for a in Assessment.objects.filter(region=region, pk__in=[before_pk, after_pk])
        .select_related("bank")
        .order_by()
    }
    if before_pk not in assessments or after_pk not in assessments:
        raise Http404("No such assessment")
    scores = {
        s.assessment_id: s for s in AssessmentScore.objects.filter(assessment_id__in=assessments)
    }
    before, after = assessments[before_pk], assessments[after_pk]
    before.region = after.region = region

    def scored(assessment: Assessment) -> ScoredAssessment:
        stored = scores.get(assessment.pk)
        result = scoring.AssessmentResult.from_dict(stored.result) if stored else None
        return ScoredAssessment(assessment=assessment, score=stored, result=result)

    same_version = before.bank_id == after.bank_id
    replaced_by: dict[str, str] = {}
    if not same_version:
        for question in bank_snapshot(bank=after.bank).questions:
            for old in question.replaces_codes:
                replaced_by.setdefault(old, question.code)
    return ComparePair(
        before=scored(before),
        after=scored(after),
        same_version=same_version,
        replaced_by=replaced_by,
    )


# --- the index over time -------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendRow:
    assessment_id: int
    label: str
    submitted_at: datetime
    index: Decimal | None
    band: str  # the band's slug
    bank_version: int


def region_trend_rows(*, region: CityRegion) -> list[TrendRow]:
    """The stored readiness index of every submitted assessment of the region, oldest first:
    one query however many assessments there are."""
    rows = (
        AssessmentScore.objects.filter(
            assessment__region=region, assessment__status=Assessment.Status.SUBMITTED
        )
        .order_by("assessment__submitted_at", "assessment_id")
        .values_list(
            "assessment_id",
            "assessment__label",
            "assessment__submitted_at",
            "readiness_index",
            "band",
            "bank_version",
        )
    )
    # Only submitted assessments are read, so submitted_at is set.
    return [TrendRow(*row) for row in rows]  # type: ignore[arg-type]
