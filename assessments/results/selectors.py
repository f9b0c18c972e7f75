"""Reads for results: the scoring inputs of an assessment, its stored figures and plan, and
what the exports are made from. Pages read the STORED figures (AssessmentScore, ActionPlanItem);
only `scoring_inputs` reads the answers for the services that compute the figures. The bank is
read through its snapshot (`questionbank.selectors.bank_snapshot`: no query once cached).
Every function runs a fixed number of queries whatever the size of the bank; what the pages
and exports show is shaped by `assessments.results.presenters`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, QuerySet
from django.http import Http404

from assessments import scoring
from assessments.answers import AnswerValue
from assessments.models import ActionPlanItem, Answer, Assessment, AssessmentScore
from assessments.results.inputs import ScoringInputs, scoring_inputs_from
from assessments.selectors import answer_values
from questionbank.selectors import bank_snapshot
from questionbank.snapshot import BankSnapshot


def scoring_inputs(*, assessment: Assessment) -> ScoringInputs:
    """The pinned bank and the answers as `scoring.score_assessment` takes them: one query
    (and the bank snapshot's, none once it is cached)."""
    return scoring_inputs_from(
        bank_snapshot(bank=assessment.bank), answer_values(assessment=assessment)
    )


def assessment_score_get(*, assessment: Assessment) -> AssessmentScore | None:
    return AssessmentScore.objects.filter(assessment=assessment).first()


def action_plan_items(*, assessment: Assessment) -> QuerySet[ActionPlanItem]:
    return ActionPlanItem.objects.filter(assessment=assessment).order_by(
        "due_day", "day_from", "pk"
    )


def action_plan_progress(*, assessment: Assessment) -> list[ActionPlanItem]:
    """The plan's items with only what its progress counts read (window, done): one query."""
    return list(action_plan_items(assessment=assessment).only("pk", "window", "done"))


def action_plan_list(*, assessment: Assessment) -> list[ActionPlanItem]:
    """The plan's items in due-day order, with who marked each done: one query."""
    return list(action_plan_items(assessment=assessment).select_related("done_by"))


def action_plan_item_get_or_404(*, assessment: Assessment, pk: int) -> ActionPlanItem:
    try:
        item = ActionPlanItem.objects.get(assessment=assessment, pk=pk)
    except ActionPlanItem.DoesNotExist:
        raise Http404("No such action") from None
    item.assessment = assessment
    return item


def answers_changed_at(*, assessment: Assessment) -> datetime | None:
    latest: datetime | None = Answer.objects.filter(assessment=assessment).aggregate(
        at=Max("updated_at")
    )["at"]
    return latest


@dataclass
class ResultsData:
    """What the exports of an assessment are made from: its answers as stored now, its stored
    scores and its pinned bank."""

    assessment: Assessment
    score: AssessmentScore | None
    result: scoring.AssessmentResult | None
    snapshot: BankSnapshot
    answers: dict[int, AnswerValue]


def results_data(*, assessment: Assessment) -> ResultsData:
    """Two queries (the scores, the answers) and the bank snapshot's, none once cached."""
    stored = assessment_score_get(assessment=assessment)
    return ResultsData(
        assessment=assessment,
        score=stored,
        result=scoring.AssessmentResult.from_dict(stored.result) if stored else None,
        snapshot=bank_snapshot(bank=assessment.bank),
        answers=answer_values(assessment=assessment),
    )
