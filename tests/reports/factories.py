from django.utils import timezone

from assessments.models import Answer, Assessment, CityRegion
from assessments.results.services import assessment_score
from questionbank.models import QuestionBank
from tests.assessments.factories import CityRegionFactory, UserFactory
from tests.questionbank.factories import bank_with_questions


def answered_assessment(
    *,
    region: CityRegion | None = None,
    bank: QuestionBank | None = None,
    submitted: bool = True,
    level: str = "2",
    themes: int = 3,
    questions_per_theme: int = 3,
    scored: bool = True,
) -> Assessment:
    """An assessment whose every (maturity) question is answered at `level`, with its scores
    stored unless `scored` is False."""
    region = region or CityRegionFactory()
    bank = bank or bank_with_questions(themes=themes, questions_per_theme=questions_per_theme)
    user = UserFactory()
    assessment = Assessment.objects.create(
        region=region,
        bank=bank,
        label="Baseline, day 1",
        started_by=user,
        status=Assessment.Status.SUBMITTED if submitted else Assessment.Status.IN_PROGRESS,
        submitted_at=timezone.now() if submitted else None,
        submitted_by=user if submitted else None,
    )
    for theme in bank.themes.all():
        for question in theme.questions.all():
            Answer.objects.create(
                assessment=assessment,
                question=question,
                selected_values=[level],
                note=f"<b>{question.code}</b> noted",
                evidence_url="https://example.org/evidence",
                revision=1,
                updated_by=user,
            )
    if scored:
        # Scores are stored at submit (and on demand for drafts), as the services do.
        assessment_score(assessment=assessment, today=timezone.localdate())
    return assessment
